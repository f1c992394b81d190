"""The emails that follow a change to an event (its time, its place, its cancellation) and the
day-before reminder.

Publishing an event only writes the `tell_registrants` job to the outbox, with the publication:
the editor's request renders no email and takes no lock. The job locks the event, lets the
waitlist in if there are more seats, compares what is published with what the registrants were
last told (`AnnouncedDetails`), and records the new state with one email per registrant in the
same transaction. Run twice, or for two publications in quick succession, it tells each change
once.
"""

from datetime import timedelta

from celery import shared_task
from django.conf import settings
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from wagtail.models import PageLogEntry

from events import ics
from events.models import OPEN, AnnouncedDetails, EventPage, Registration
from events.signup import promote_waitlist, short_message
from events.tickets import registration_attachments
from portal import outbox
from portal.notifications import tell
from portal.outbox import BULK

Status = Registration.Status


def queue_telling_registrants(event, revision):
    """Called while an event is published: the job is written with the publication and runs
    after the commit, in a worker (once per revision)."""
    outbox.add_task(
        tell_registrants,
        key=f"event-notice:{event.pk}:{revision.pk}",
        event_id=event.pk,
        revision_id=revision.pk,
    )


def _previous_publication(event, revision_id):
    """The event as it was published before `revision_id`, or None the first time. Only asked
    for an event whose registrants were never told anything (`AnnouncedDetails`)."""
    published = PageLogEntry.objects.filter(
        page=event, action="wagtail.publish", revision__isnull=False
    )
    this = published.filter(revision_id=revision_id).order_by("-pk").first()
    if this is not None:
        published = published.filter(pk__lt=this.pk)
    entry = published.exclude(revision_id=revision_id).order_by("-pk").select_related("revision")
    entry = entry.first()
    return entry.revision.as_object() if entry else None


def _differs(now, then):
    # Revisions keep times to the millisecond (JSON), the database to the microsecond.
    if hasattr(now, "microsecond") and hasattr(then, "microsecond"):
        return now.replace(microsecond=0) != then.replace(microsecond=0)
    return now != then


def what_changed(event, before):
    """ "cancelled", "moved" (a new time or place), or None: what the registrants of `event`
    must hear, compared with what they heard (`before`; None: nothing yet)."""
    if before is None:
        return None
    if event.is_cancelled and not before.is_cancelled:
        return "cancelled"
    if event.is_cancelled:
        return None
    if any(_differs(getattr(event, f), getattr(before, f)) for f in AnnouncedDetails.MOVED):
        return "moved"
    return None


@shared_task(verbose_name=gettext_lazy("Tell registrants that an event changed"))
def tell_registrants(event_id, revision_id=None):
    """After a publication: more seats let the waitlist in; a cancellation or a new time or
    place is emailed to everyone signed up, once. Returns how many were told."""
    with transaction.atomic():
        event = EventPage.objects.for_seat_change().filter(pk=event_id).first()
        if event is None:
            return 0  # deleted meanwhile
        promote_waitlist(event)  # not for a cancelled or started event
        told = AnnouncedDetails.objects.filter(event=event).first()
        before = told or _previous_publication(event, revision_id)
        change = what_changed(event, before)
        published = {field: getattr(event, field) for field in AnnouncedDetails.TOLD}
        if told is None:
            AnnouncedDetails.objects.create(event=event, **published)
        else:  # `before` keeps what the registrants heard, for the email
            AnnouncedDetails.objects.filter(pk=told.pk).update(**published)
        if change is None:
            return 0
        if change == "moved":  # a reminder for the old date says nothing about the new one
            event.registrations.update(reminded_at=None)
        recipients = list(event.registrations.filter(status__in=OPEN).select_related("user"))
        # Written with the record of what they were told: a job killed before its commit
        # leaves neither, and runs again.
        _tell(event, before, change, recipients, key=f"event-notice:{event.pk}:{revision_id}")
    return len(recipients)


def _tell(event, before, change, registrations, key):
    template = (
        "events/email/event_cancelled" if change == "cancelled" else "events/email/event_changed"
    )
    calendar = ics.calendar([event], event.title).encode()
    with translation.override(settings.LANGUAGE_CODE):
        if change == "cancelled":
            what = _("cancelled")
        else:
            starts = timezone.localtime(event.starts_at)
            what = _("now %(time)s at %(place)s") % {
                "time": f"{starts:%m-%d %H:%M}",
                "place": event.place,
            }
    short = short_message(event, "event_changed", change=str(what))
    for registration in registrations:
        registration.event = event
        tell(
            registration.user,
            "event",
            event.url,
            email=(template, {"event": event, "before": before, "registration": registration}),
            attachments=[(f"event-{event.pk}.ics", calendar, "text/calendar")],
            short=short,
            key=f"{key}:{registration.pk}",
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
        with transaction.atomic():
            if not Registration.objects.filter(pk=registration.pk, reminded_at__isnull=True).update(
                reminded_at=now
            ):
                continue
            event = registration.event
            tell(
                registration.user,
                "event",
                event.url,
                email=(
                    "events/email/event_reminder",
                    {"event": event, "registration": registration},
                ),
                attachments=registration_attachments(registration),
                short=short_message(event, "event_reminder", place=event.place),
                key=f"event-reminder:{registration.pk}:{tomorrow.isoformat()}",
                queue=BULK,
            )
            sent += 1
    return sent
