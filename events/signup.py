"""Signing up for club events, cancelling, and the waitlist.

Every change that moves seats first locks the event's row, so sign-ups, cancellations and
promotions for one event happen one at a time and the seats counted by the database are the
seats really taken: no overbooking, however many press the button at once. Emails go after
the transaction commits.
"""

from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.db.models import Sum
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from club.models import is_active_member
from events.models import SEATED, EventPage, Registration
from portal.actions import Refused
from portal.notifications import email_user

Status = Registration.Status
LIVE = (Status.CONFIRMED, Status.WAITLISTED, Status.ATTENDED)


class SignupError(Refused):
    """A sign-up or cancellation that cannot be made; the message is shown as it is."""


def _when(moment):
    return date_format(timezone.localtime(moment), "Y-m-d H:i")


def why_not(event, user, now=None):
    """Why `user` may not sign up for `event` now, or "" when they may."""
    state = event.signup_state(now)
    if state == "cancelled":
        return _("This event is cancelled.")
    if state == "past":
        return _("This event has already started.")
    if state == "not_yet":
        return _("Sign-up opens on %(when)s.") % {"when": _when(event.signup_opens_at)}
    if state == "closed":
        return _("Sign-up closed on %(when)s.") % {"when": _when(event.signup_closes_at)}
    if event.audience == EventPage.Audience.MEMBERS:
        if not is_active_member(user):
            return _("This event is for club members. Join the club to sign up.")
    elif not user.is_verified_owner:
        return _("This event is for verified owners. Claim your unit to sign up.")
    return ""


def lock_event(event):
    """The row every seat change for this event queues on."""
    return EventPage.objects.select_for_update(of=("self",)).get(pk=event.pk)


def seats_taken(event):
    return event.registrations.filter(status__in=SEATED).aggregate(n=Coalesce(Sum("seats"), 0))["n"]


def sign_up(event, user, guests=0):
    """Confirm a seat for `user` and their guests, or put them on the waitlist when it is full."""
    if not 0 <= guests <= event.guests_allowed:
        raise SignupError(
            _("You may bring at most %(n)s guests to this event.") % {"n": event.guests_allowed}
        )
    try:
        with transaction.atomic():
            event = lock_event(event)
            problem = why_not(event, user)
            if problem:
                raise SignupError(problem)
            if event.registrations.filter(user=user, status__in=LIVE).exists():
                raise SignupError(_("You have already signed up for this event."))
            seats = guests + 1
            fits = seats_taken(event) + seats <= event.capacity
            registration = Registration.objects.create(
                event=event,
                user=user,
                guests=guests,
                seats=seats,
                status=Status.CONFIRMED if fits else Status.WAITLISTED,
            )
            _email(registration, "events/email/event_signed_up")
    except IntegrityError as error:
        raise SignupError(_("You have already signed up for this event.")) from error
    return registration


def waitlist_position(registration):
    """1 for the first in line. Order is sign-up order (ids are handed out under the lock)."""
    return (
        Registration.objects.filter(
            event_id=registration.event_id, status=Status.WAITLISTED, pk__lt=registration.pk
        ).count()
        + 1
    )


def cancel(registration, by, *, closing_account=False):
    """The registrant cancels before the deadline (staff at any time before the event); the
    seats go to the first on the waitlist who now fit. An account being closed gives its seats
    back after the deadline too: nobody will come for them."""
    # Staff may cancel other people's registrations after the deadline, never their own.
    staff = registration.user_id != by.pk and by.has_perm("events.check_in")
    if registration.user_id != by.pk and not staff:
        raise PermissionDenied
    with transaction.atomic():
        event = lock_event(registration.event)
        registration = Registration.objects.select_for_update().get(pk=registration.pk)
        if registration.status not in (Status.CONFIRMED, Status.WAITLISTED):
            raise SignupError(
                _("This registration is already %(status)s.")
                % {"status": registration.get_status_display()}
            )
        now = timezone.now()
        if now >= event.starts_at:
            raise SignupError(_("The event has started; it can no longer be cancelled."))
        deadline = event.cancellation_deadline()
        late = now >= deadline and not (staff or closing_account)
        if registration.status == Status.CONFIRMED and late:
            raise SignupError(
                _(
                    "The cancellation deadline was %(when)s. Please call the club desk if you "
                    "cannot come, so we can offer your seat to someone else."
                )
                % {"when": _when(deadline)}
            )
        registration.status, registration.cancelled_at = Status.CANCELLED, now
        registration.save(update_fields=["status", "cancelled_at"])
        promote_waitlist(event)
    return registration


def promote_waitlist(event):
    """Give free seats to the waitlist in order: each registration that now fits is confirmed
    and emailed; a party too large for the seats left keeps its place. Call with the event
    locked."""
    if event.is_cancelled or event.starts_at <= timezone.now():
        return []  # nobody is offered a seat at an event that will not happen or has begun
    left = event.capacity - seats_taken(event)
    promoted = []
    for registration in event.registrations.filter(status=Status.WAITLISTED).order_by("pk"):
        if left <= 0:
            break
        if registration.seats <= left:
            registration.status, registration.promoted_at = Status.CONFIRMED, timezone.now()
            registration.save(update_fields=["status", "promoted_at"])
            left -= registration.seats
            promoted.append(registration)
            _email(registration, "events/email/event_promoted")
    return promoted


def _email(registration, template):
    from events.pages import registration_attachments

    attachments = registration_attachments(registration)
    email_user(
        registration.user,
        template,
        {"registration": registration, "event": registration.event},
        attachments=attachments if registration.status == Status.CONFIRMED else (),
    )
