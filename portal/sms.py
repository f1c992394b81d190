"""Text messages (短信) to mobile numbers: written to the outbox with the change that causes
them and delivered like the emails, with retries and a state staff can see.

Mainland providers send only templates approved in advance and signed with the sender's name
(签名, `SMS_SIGN_NAME`): a text is a template the site names (`TEMPLATES`) and its values.
Each provider knows the template by its own id (`SMS_TEMPLATES`: name → id); the words are
also written here, in each language, for the console, the outbox's record and the staff who
register the templates with the provider.

The provider is a backend (`SMS_BACKEND`):
- `portal.sms.ConsoleBackend`: `make run` prints each text;
- `portal.sms.OutboxBackend`: sends nothing: the outbox row is the text (the tests read the
  codes there);
- `portal.sms_providers.AliyunBackend`, `portal.sms_providers.TencentBackend`: the providers'
  APIs through their own SDKs (the optional extra "sms").
"""

import sys
import threading
from datetime import timedelta

from django.conf import settings
from django.utils import timezone, translation
from django.utils.module_loading import import_string
from django.utils.translation import gettext_lazy as _

#: What each template says. The placeholders are the values a text of it carries.
TEMPLATES = {
    "verification_code": _(
        "Your verification code is {code}, valid for {minutes} minutes. If you did not ask for "
        "it, ignore this message."
    ),
    "case_filed": _("Your case {reference} is filed; we will answer by {due}. Follow it at {url}"),
    "case_update": _("Your case {reference}: {status}. Details at {url}"),
    "claim_reviewed": _("Your claim for {unit}: {decision}. Details at {url}"),
    "membership_reviewed": _("Your application to join the member club: {decision}. {url}"),
    "event_signed_up": _("{event} on {time}: {status}. Details at {url}"),
    "event_promoted": _("A seat is yours: {event} on {time}. Details at {url}"),
    "event_reminder": _("Reminder: {event} tomorrow at {time}, {place}. Details at {url}"),
    "event_changed": _("{event}: {change}. Details at {url}"),
    "club_news": _("{news}. Details at {url}"),
    "notice": _("{news}. Read it at {url}"),
    "bill": _("{news}. Details and how to pay at {url}"),
    "contractor_job": _(
        "{team}: job {reference} at {place}: {problem}. {time}. Owner {phone}; reach them "
        "through our customer service."
    ),
    "forum_news": _("{news}. Read it at {url}"),
    "account_exists": _(
        "This number already has an account. Sign in with it and your password, or with a code "
        "sent to it."
    ),
}


class TextRefused(Exception):
    """The provider will never send this text (a number that cannot receive it, a template it
    does not know): no retry."""


class TextDeferred(Exception):
    """The provider cannot send it now (its limits for the number, a network failure): the
    outbox tries again later."""


def quiet_until(now=None):
    """The end of the quiet hours (SMS_QUIET_HOURS, Beijing time: 21:00 to 08:00) when `now` is
    in them, else None."""
    start, end = settings.SMS_QUIET_HOURS
    local = timezone.localtime(now)
    hour = local.hour
    quiet = start <= hour or hour < end if start > end else start <= hour < end
    if not quiet:
        return None
    wake = local.replace(hour=end, minute=0, second=0, microsecond=0)
    return wake if wake > local else wake + timedelta(days=1)


def words(template, params, language=None):
    """The text as the recipient reads it, with the sender's name in front (【金都地产】…)."""
    with translation.override(language or settings.LANGUAGE_CODE):
        return f"【{settings.SMS_SIGN_NAME}】" + str(TEMPLATES[template]).format(**params)


#: Values no one but the recipient may read, staff included: a code signs in.
SECRET_PARAMS = ("code",)


def shown(template, params):
    """The text as staff see it in the outbox: its codes hidden."""
    return words(template, {k: "••••••" if k in SECRET_PARAMS else v for k, v in params.items()})


def backend():
    return import_string(settings.SMS_BACKEND)()


class ConsoleBackend:
    """Each text as two readable lines on the console, like the emails (portal.console_mail)."""

    _lock = threading.Lock()

    def __init__(self, stream=None):
        self.stream = stream or sys.stdout

    def send(self, phone, template, params):
        when = timezone.localtime().strftime("%Y-%m-%d %H:%M")
        with self._lock:
            self.stream.write(f"── SMS {when} ─ to {phone}\n   {words(template, params)}\n")
            self.stream.flush()
        return ""


class OutboxBackend:
    """Sends nothing: the outbox row, with the template and its values, is the record."""

    def send(self, phone, template, params):
        return ""
