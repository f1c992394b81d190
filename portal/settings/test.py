"""The test suite: fast hashing, in-memory email, tasks eager unless a broker is given."""

import os
from urllib.parse import urlsplit

from django.core.exceptions import ImproperlyConfigured

from .base import *  # noqa: F403
from .base import BASE_DIR, CACHES, CELERY_BROKER_URL, DATABASES, INSTALLED_APPS, REDIS_URL, env

DEBUG = False
SECRET_KEY = "test-only-insecure-key"
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
SMS_BACKEND = "portal.sms.OutboxBackend"  # the outbox's rows are the texts sent
# Requests and the code under test run eagerly in-process; the Celery integration tests
# start real workers against a broker on their own, which send to an SMTP sink of the test's.
CELERY_TASK_ALWAYS_EAGER = True
if env("TEST_WORKER_SMTP_PORT"):
    CELERY_TASK_ALWAYS_EAGER = False
    EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    EMAIL_HOST, EMAIL_PORT = "127.0.0.1", int(env("TEST_WORKER_SMTP_PORT"))
    EMAIL_USE_TLS = EMAIL_USE_SSL = False
    EMAIL_HOST_USER = EMAIL_HOST_PASSWORD = ""
WAGTAILADMIN_BASE_URL = env("SITE_URL", "http://testserver")

# Demo content, `load_demo` and the benchmarks: never installed in production.
INSTALLED_APPS = [*INSTALLED_APPS, "demo"]

if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # A file rather than memory, so a run can keep it for the next (--reuse-db); each parallel
    # test process adds its own suffix. Nothing in it outlives a crash worth keeping.
    DATABASES["default"]["TEST"] = {"NAME": str(BASE_DIR / ".test-db")}
    DATABASES["default"]["OPTIONS"]["init_command"] = "PRAGMA synchronous = OFF"

# Parallel test processes (pytest-xdist's gw0, gw1, ...) each take their own Redis database for
# the cache, counting up from REDIS_URL's, so one process's cache.clear() empties only its own.
WORKER = int(os.environ.get("PYTEST_XDIST_WORKER", "gw0").removeprefix("gw"))
if REDIS_URL and WORKER:
    cache_url = urlsplit(REDIS_URL)
    cache_url = cache_url._replace(path=f"/{int(cache_url.path.strip('/') or 0) + WORKER}")
    if CELERY_BROKER_URL and urlsplit(CELERY_BROKER_URL)[1:3] == cache_url[1:3]:
        raise ImproperlyConfigured(
            f"Test process {WORKER} would use the broker's Redis database for its cache: "
            "leave the databases after REDIS_URL's free, one for each test process."
        )
    CACHES["default"]["LOCATION"] = cache_url.geturl()
