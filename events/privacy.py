"""What the club's events hold about an owner ("my data", account closure). Registered with
owners.privacy; docs/privacy.md says what is kept and why."""

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from events import signup
from events.models import Registration
from owners import privacy

Status = Registration.Status


class EventsPart(privacy.Part):
    labels = {
        "registrations_cancelled": gettext_lazy(
            "event registrations cancelled (the waitlist moved up)"
        ),
    }

    def export(self, user, out):
        registrations = (
            Registration.objects.filter(user=user).select_related("event").order_by("created_at")
        )
        out.csv(
            "club/event_registrations.csv",
            [
                _("Event"),
                _("Starts"),
                _("Status"),
                _("Guests"),
                _("Signed up"),
                _("Cancelled"),
                _("Checked in"),
            ],
            [
                (
                    r.event.title,
                    r.event.starts_at,
                    r.get_status_display(),
                    r.guests,
                    r.created_at,
                    r.cancelled_at,
                    r.checked_in_at,
                )
                for r in registrations
            ],
            gettext_lazy("Club events you signed up for, and whether you attended."),
        )

    def summary(self, user):
        return [
            (
                _("Upcoming event registrations"),
                Registration.objects.filter(
                    user=user,
                    status__in=(Status.CONFIRMED, Status.WAITLISTED),
                    event__starts_at__gt=timezone.now(),
                ).count(),
            )
        ]

    def erase(self, user, closure, by):
        now = timezone.now()
        # Seats at events to come go back through the registrant's own cancel action, so the
        # waitlist moves up and those promoted are emailed, as always.
        upcoming = Registration.objects.filter(
            user=user,
            status__in=(Status.CONFIRMED, Status.WAITLISTED),
            event__starts_at__gt=now,
        ).select_related("event")
        cancelled = 0
        for registration in upcoming:
            try:
                signup.cancel(registration, user, closing_account=True)
            except signup.SignupError as error:  # e.g. the event began a moment ago
                raise privacy.PrivacyError(
                    _("%(event)s: %(problem)s") % {"event": registration.event, "problem": error}
                ) from error
            cancelled += 1
        return {"registrations_cancelled": cancelled}

    def named_in_log(self, user):
        return list(Registration.objects.filter(user=user).select_related("event", "user"))


privacy.register(EventsPart())
