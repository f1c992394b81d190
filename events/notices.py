"""The emails that follow a change to an event (its time, its place, its cancellation) and the
day-before reminder."""

from datetime import timedelta

from django.db import transaction
from django.utils import timezone
from wagtail.models import PageLogEntry

from events import ics
from events.models import OPEN, Registration
from events.signup import lock_event, promote_waitlist
from events.tickets import registration_attachments
from portal.notifications import email_user

Status = Registration.Status

#: A change to these is emailed to registrants (a cancellation has its own email).
MOVED = ("starts_at", "ends_at", "place")


def previous_publication(event, revision):
    """The event as it was last published before `revision`, or None the first time."""

    entry = (
        PageLogEntry.objects.filter(page=event, action="wagtail.publish", revision__isnull=False)
        .exclude(revision=revision)
        .order_by("-timestamp", "-pk")
        .select_related("revision")
        .first()
    )
    return entry.revision.as_object() if entry else None


def _differs(now, then):
    # Revisions keep times to the millisecond (JSON), the database to the microsecond.
    if hasattr(now, "microsecond") and hasattr(then, "microsecond"):
        return now.replace(microsecond=0) != then.replace(microsecond=0)
    return now != then


def event_published(event, revision):
    """After a publish: a cancellation or a new time or place is emailed to everyone signed
    up; a larger capacity lets the waitlist in."""

    before = previous_publication(event, revision)
    with transaction.atomic():
        event = lock_event(event)
        promote_waitlist(event)  # not for a cancelled or started event
        if before is None:
            return
        cancelled = event.is_cancelled and not before.is_cancelled
        moved = not cancelled and any(
            _differs(getattr(event, field), getattr(before, field)) for field in MOVED
        )
        if not (cancelled or moved):
            return
        template = "events/email/event_cancelled" if cancelled else "events/email/event_changed"
        if moved:  # a reminder for the old date says nothing about the new one
            event.registrations.update(reminded_at=None)
        calendar = ics.calendar([event], event.title).encode()
        for registration in event.registrations.filter(status__in=OPEN).select_related("user"):
            email_user(
                registration.user,
                template,
                {"event": event, "before": before, "registration": registration},
                attachments=[(f"event-{event.pk}.ics", calendar, "text/calendar")],
            )


def send_reminders(now=None):
    """Daily: everyone confirmed for an event tomorrow gets a reminder, once (the conditional
    update marks them, so a second run or a retry sends nothing twice)."""

    now = now or timezone.now()
    tomorrow = timezone.localdate(now) + timedelta(days=1)
    due = Registration.objects.filter(
        status=Status.CONFIRMED,
        reminded_at__isnull=True,
        event__starts_at__date=tomorrow,
        event__is_cancelled=False,
        event__live=True,
    ).select_related("user", "event")
    sent = 0
    for registration in due:
        if Registration.objects.filter(pk=registration.pk, reminded_at__isnull=True).update(
            reminded_at=now
        ):
            email_user(
                registration.user,
                "events/email/event_reminder",
                {"event": registration.event, "registration": registration},
                attachments=registration_attachments(registration),
            )
            sent += 1
    return sent
