"""Whether the site can serve, and what staff should know about it.

- `readiness()`: the checks behind `/readyz` (database, cache, broker), each timed, for the load
  balancer and monitoring. `/healthz` stays a liveness check: the process answers.
- `register_admin_warning(fn)`: a registry of warnings shown at the top of every admin page, among
  Wagtail's own messages. `fn()` returns None, or a message for staff; it must be cheap (it runs
  on every admin page), so a check that talks to a service remembers its answer for a while, as
  the broker's does here. Apps register theirs in their AppConfig.ready().
"""

import logging
import threading
import time

from django.conf import settings
from django.core.cache import caches
from django.db import connection
from django.utils.translation import gettext as _

from portal.celery import app as celery_app

logger = logging.getLogger(__name__)

#: The longest the broker check waits for a connection (seconds).
BROKER_TIMEOUT = 1.0
#: How long the admin banner trusts the broker's last answer (seconds, per process).
BROKER_CHECK_SECONDS = 30.0


# -- The checks -----------------------------------------------------------------------------


def check_database():
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
    except Exception:
        connection.close_if_unusable_or_obsolete()
        raise


def check_cache():
    cache = caches["default"]
    if hasattr(cache, "ping"):  # Redis (portal.cache): asked directly, past its outage guard
        cache.ping()


#: What a check returns when the site does not use what it checks.
SKIPPED = "skipped"


def check_broker():
    """Connect to the Celery broker, within BROKER_TIMEOUT. SKIPPED without one (tasks then
    run in-process)."""
    if not settings.CELERY_BROKER_URL:
        return SKIPPED
    options = {"socket_connect_timeout": BROKER_TIMEOUT, "socket_timeout": BROKER_TIMEOUT}
    with celery_app.connection_for_write(
        url=settings.CELERY_BROKER_URL, connect_timeout=BROKER_TIMEOUT, transport_options=options
    ) as conn:
        conn.ensure_connection(
            max_retries=1, interval_start=0, interval_step=0, timeout=BROKER_TIMEOUT
        )
    return None


CHECKS = {"database": check_database, "cache": check_cache, "broker": check_broker}


def readiness():
    """{name: {"ok": bool, "ms": float, ...}} for every check, one after another.

    A failure names the error's type only: messages can carry addresses and user names."""
    results = {}
    for name, check in CHECKS.items():
        started = time.perf_counter()
        try:
            outcome = check()
        except Exception as error:
            result = {"ok": False, "error": type(error).__name__}
            logger.warning("Readiness: %s failed (%s)", name, type(error).__name__)
        else:
            result = {"ok": True, **({"skipped": True} if outcome == SKIPPED else {})}
        result["ms"] = round((time.perf_counter() - started) * 1000, 1)
        results[name] = result
    return results


# -- Warnings for staff, at the top of every admin page -------------------------------------

_admin_warnings = []


def register_admin_warning(fn):
    """Add fn() -> None or a message to the admin's warnings (usable as a decorator)."""
    if fn not in _admin_warnings:
        _admin_warnings.append(fn)
    return fn


def admin_warnings():
    """The messages of the registered warnings that have something to say now."""
    messages = []
    for fn in _admin_warnings:
        try:
            message = fn()
        except Exception:  # a broken check must not take the admin down with it
            logger.exception("Admin warning %r failed", fn)
            continue
        if message:
            messages.append(message)
    return messages


class Remembered:
    """A check's last answer, asked again at most every `seconds` by one thread of the process;
    the others use the last answer meanwhile, so no admin page waits on a busy check twice."""

    def __init__(self, check, seconds):
        self.check = check
        self.seconds = seconds
        self.lock = threading.Lock()
        self.answer = None
        self.asked_at = None

    def _fresh(self):
        return self.asked_at is not None and time.monotonic() - self.asked_at < self.seconds

    def __call__(self):
        if self._fresh():
            return self.answer
        # The first time, every thread waits for the answer; later, only the one that asks.
        if not self.lock.acquire(blocking=self.asked_at is None):
            return self.answer
        try:
            if not self._fresh():
                self.answer = self.check()
                self.asked_at = time.monotonic()
        finally:
            self.lock.release()
        return self.answer

    def forget(self):
        self.asked_at = None


def _broker_reachable():
    try:
        check_broker()
    except Exception as error:
        logger.warning("Celery broker unreachable (%s)", type(error).__name__)
        return False
    return True


broker_reachable = Remembered(_broker_reachable, BROKER_CHECK_SECONDS)


@register_admin_warning
def broker_warning():
    if not broker_reachable():
        return _(
            "The task queue cannot be reached: emails and background jobs are waiting until it "
            "is back. Please tell the technical staff."
        )
    return None
