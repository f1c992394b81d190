"""What the event pages show, the files that go with a registration, and the emails that
follow a change to an event: its time, its cancellation, the day-before reminder."""

import re
from datetime import timedelta
from io import BytesIO

import segno
from django.core.cache import cache
from django.db import transaction
from django.db.models import Count, OuterRef, Subquery
from django.db.models.functions import ExtractYear
from django.utils import timezone
from wagtail.models import PageLogEntry

from club.cards import qr_svg
from events import ics
from events.checkin import registration_payload
from events.models import EventPage, Registration
from events.signup import LIVE, lock_event, promote_waitlist, waitlist_position, why_not
from home.caching import pages_version
from portal.notifications import email_user

Status = Registration.Status


# -- Pages -------------------------------------------------------------------------------------


def _mark_mine(user, events):
    """Set `event.mine` to the user's live registration for each event, in one query."""
    mine = {}
    if user.is_authenticated and events:
        registrations = Registration.objects.filter(
            user=user, event__in=[e.pk for e in events], status__in=LIVE
        )
        mine = {r.event_id: r for r in registrations}
    for event in events:
        event.mine = mine.get(event.pk)
    return events


def index_context(index, request):
    now = timezone.now()
    events = (
        EventPage.objects.live().child_of(index).with_seats_taken().select_related("lead_image")
    )
    year = request.GET.get("year", "")
    if re.fullmatch(r"20\d\d", year):
        plan = _mark_mine(
            request.user, list(events.filter(starts_at__year=int(year)).order_by("starts_at"))
        )
        # Grouped by the month in China, not in UTC: 1 March 06:00 is March.
        months = {}
        for event in plan:
            months.setdefault(timezone.localtime(event.starts_at).month, []).append(event)
        context = {"year": int(year), "months": list(months.values())}
    else:
        upcoming = list(events.filter(starts_at__gte=now).order_by("starts_at"))
        past = list(events.filter(starts_at__lt=now).order_by("-starts_at")[:12])
        _mark_mine(request.user, upcoming + past)
        context = {"upcoming": upcoming, "past": past}
    # The years of the plan change only when an event is published: cached until then.
    context["years"] = cache.get_or_set(
        f"club:event-years:{pages_version()}:{index.pk}",
        lambda: sorted(
            set(
                EventPage.objects.live()
                .child_of(index)
                .annotate(y=ExtractYear("starts_at"))
                .values_list("y", flat=True)
            )
        ),
        60 * 60,
    )
    context["now"] = now
    return context


def event_context(event, request):
    user = request.user
    registration = None
    if user.is_authenticated:
        registration = event.registrations.filter(user=user, status__in=LIVE).first()
    return {
        "seats_left": event.seats_left(),
        "registration": registration,
        "position": waitlist_position(registration)
        if registration and registration.status == Status.WAITLISTED
        else None,
        "qr_svg": registration_qr_svg(registration)
        if registration and registration.status == Status.CONFIRMED
        else "",
        "problem": why_not(event, user) if user.is_authenticated else "",
        "guest_choices": range(event.guests_allowed + 1),
        "now": timezone.now(),
    }


def registration_qr_svg(registration):
    return qr_svg(registration_payload(registration))


def registration_attachments(registration):
    """The confirmation's files: the event for the calendar and the QR to show at the door."""
    event = registration.event
    buffer = BytesIO()
    segno.make(registration_payload(registration), error="m").save(
        buffer, kind="png", scale=8, border=2
    )
    calendar = ics.calendar([event], event.title).encode()
    return [
        (f"event-{event.pk}.ics", calendar, "text/calendar"),
        (f"registration-{registration.pk}.png", buffer.getvalue(), "image/png"),
    ]


# -- Telling registrants -----------------------------------------------------------------------

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
        if not event.is_cancelled:
            promote_waitlist(event)
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
        for registration in event.registrations.filter(
            status__in=(Status.CONFIRMED, Status.WAITLISTED)
        ).select_related("user"):
            email_user(
                registration.user,
                template,
                {"event": event, "before": before, "registration": registration},
                attachments=[
                    (
                        f"event-{event.pk}.ics",
                        ics.calendar([event], event.title).encode(),
                        "text/calendar",
                    )
                ],
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


def fill_rates(limit=6):
    """Upcoming events with seats taken and waitlist length, for the admin dashboard."""
    waiting = (
        Registration.objects.filter(event=OuterRef("pk"), status=Status.WAITLISTED)
        .values("event")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return list(
        EventPage.objects.live()
        .filter(starts_at__gte=timezone.now(), is_cancelled=False)
        .with_seats_taken()
        .annotate(waiting=Subquery(waiting))
        .order_by("starts_at")[:limit]
    )
