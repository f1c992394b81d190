"""The event page's form in the admin: a sign-up deadline left empty becomes the evening before
the event, 18:00 in the site's time zone, instead of the moment the event starts (an owner
who signs up at 09:55 for a 10:00 event reaches a desk that has closed its list)."""

from datetime import datetime, time, timedelta

from django.utils import timezone
from wagtail.admin.forms import WagtailAdminPageForm

#: When sign-up closes by default: the evening before the event.
SIGNUP_CLOSES = time(18, 0)


def default_signup_close(starts_at):
    eve = timezone.localtime(starts_at).date() - timedelta(days=1)
    return datetime.combine(eve, SIGNUP_CLOSES, tzinfo=timezone.get_current_timezone())


class EventPageForm(WagtailAdminPageForm):
    def clean(self):
        data = super().clean()
        starts, opens = data.get("starts_at"), data.get("signup_opens_at")
        if starts and not data.get("signup_closes_at") and "signup_closes_at" in self.fields:
            closes = default_signup_close(starts)
            if (opens is None or opens < closes) and closes > timezone.now():
                data["signup_closes_at"] = closes
        return data
