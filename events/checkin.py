"""Event check-in at the door: scan a registration's QR or a member card, mark the party
attended, award the event's points once (the ledger key is the registration's)."""

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from club import cards, points
from club.models import active_member
from events import tickets
from events.models import Registration
from events.signup import lock_event
from portal.actions import Refused

Status = Registration.Status


class CheckInError(Refused):
    """Shown at the door as it is."""


def find(event, code):
    """What a scanned or typed code means for `event`: (registration, user, problem).

    A registration QR names its registration; a member card names a member, whose
    registration for this event is looked up (none: a walk-in, if seats remain)."""
    code = code.strip()
    registration_id = tickets.registration_id(code)
    if registration_id is not None:
        registration = (
            Registration.objects.select_related("user", "event").filter(pk=registration_id).first()
        )
        if registration is None:
            return None, None, _("This registration no longer exists.")
        if registration.event_id != event.pk:
            return (
                None,
                None,
                _("This QR code is for another event: %(title)s.")
                % {"title": registration.event.title},
            )
        return registration, registration.user, ""
    card, problem = cards.find_card(code)
    if card is None:
        return None, None, problem
    problem = cards.card_problem(card)
    if problem:
        return None, card.member.user, problem
    user = card.member.user
    registration = event.registrations.live().select_related("user").filter(user=user).first()
    return registration, user, ""


def _award(registration, event, by):
    member = active_member(registration.user)
    if member and event.points:
        points.award(
            member,
            "event",
            key=f"event-attendance:{registration.pk}",
            points=event.points,
            reason=event.title,
            by=by,
        )


def check_in(registration, by):
    if not by.has_perm("events.check_in"):
        raise PermissionDenied
    with transaction.atomic():
        # The event first, then the registration: the order cancel and sign-up lock in.
        event = lock_event(registration.event)
        registration = Registration.objects.select_for_update(of=("self",)).get(pk=registration.pk)
        if event.is_cancelled:
            raise CheckInError(_("This event is cancelled."))
        if registration.status == Status.ATTENDED:
            raise CheckInError(
                _("Already checked in at %(time)s.")
                % {"time": timezone.localtime(registration.checked_in_at).strftime("%H:%M")}
            )
        if registration.status == Status.WAITLISTED:
            raise CheckInError(
                _(
                    "This registration is on the waitlist, not confirmed. Admit them as a walk-in "
                    "if seats remain."
                )
            )
        if registration.status == Status.CANCELLED:
            raise CheckInError(_("This registration was cancelled."))
        registration.status = Status.ATTENDED
        registration.checked_in_at, registration.checked_in_by = timezone.now(), by
        registration.save(update_fields=["status", "checked_in_at", "checked_in_by"])
        _award(registration, event, by)
    return registration


def admit_walk_in(event, user, guests, by):
    """Someone who did not sign up (or is on the waitlist) arrives: admit them if seats remain."""
    if not by.has_perm("events.check_in"):
        raise PermissionDenied
    with transaction.atomic():
        event = lock_event(event)
        if event.is_cancelled:
            raise CheckInError(_("This event is cancelled."))
        there = event.registrations.filter(
            user=user, status__in=(Status.CONFIRMED, Status.ATTENDED)
        ).first()
        if there and there.status == Status.ATTENDED:
            raise CheckInError(
                _("Already checked in at %(time)s.")
                % {"time": timezone.localtime(there.checked_in_at).strftime("%H:%M")}
            )
        if there:
            raise CheckInError(_("This person is already registered; check them in instead."))
        seats = guests + 1
        if not event.has_room_for(seats):
            raise CheckInError(_("No seats left for a party of %(n)s.") % {"n": seats})
        waiting = event.registrations.filter(user=user, status=Status.WAITLISTED).first()
        now = timezone.now()
        if waiting:
            waiting.status, waiting.cancelled_at = Status.CANCELLED, now
            waiting.save(update_fields=["status", "cancelled_at"])
        registration = Registration.objects.create(
            event=event,
            user=user,
            guests=guests,
            seats=seats,
            status=Status.ATTENDED,
            walk_in=True,
            checked_in_at=now,
            checked_in_by=by,
        )
        _award(registration, event, by)
    return registration
