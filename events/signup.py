"""Signing up for club events, cancelling, and the waitlist.

Every change that moves seats first locks the event's row, so sign-ups, cancellations and
promotions for one event happen one at a time and the seats counted by the database are the
seats really taken: no overbooking, however many press the button at once. Emails go after
the transaction commits.

The rules themselves (who may sign up, who may cancel, the seats left, the place in line) are
methods of the models, which the pages ask too; these actions ask them under the lock.
"""

from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from events.models import EventPage, Registration
from events.tickets import registration_attachments
from portal.actions import Refused
from portal.notifications import email_user

Status = Registration.Status


class SignupError(Refused):
    """A sign-up or cancellation that cannot be made; the message is shown as it is."""


def lock_event(event):
    """The row every seat change for this event queues on."""
    return EventPage.objects.for_seat_change().get(pk=event.pk)


def sign_up(event, user, guests=0):
    """Confirm a seat for `user` and their guests, or put them on the waitlist when it is full."""
    if not 0 <= guests <= event.guests_allowed:
        raise SignupError(
            _("You may bring at most %(n)s guests to this event.") % {"n": event.guests_allowed}
        )
    try:
        with transaction.atomic():
            event = lock_event(event)
            problem = event.signup_refusal(user)
            if problem:
                raise SignupError(str(problem))
            if event.registrations.live().filter(user=user).exists():
                raise SignupError(_("You have already signed up for this event."))
            seats = guests + 1
            registration = Registration.objects.create(
                event=event,
                user=user,
                guests=guests,
                seats=seats,
                status=Status.CONFIRMED if event.has_room_for(seats) else Status.WAITLISTED,
            )
            _email(registration, "events/email/event_signed_up")
    except IntegrityError as error:
        raise SignupError(_("You have already signed up for this event.")) from error
    return registration


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
        registration.event = event
        now = timezone.now()
        problem = registration.cancel_refusal(staff=staff, closing_account=closing_account, now=now)
        if problem:
            raise SignupError(str(problem))
        registration.status, registration.cancelled_at = Status.CANCELLED, now
        registration.save(update_fields=["status", "cancelled_at"])
        promote_waitlist(event)
    return registration


def promote_waitlist(event):
    """Give free seats to the waitlist in order: each registration that now fits is confirmed
    and emailed; a party too large for the seats left keeps its place. Call with the event
    locked."""
    if event.is_cancelled or event.has_started():
        return []  # nobody is offered a seat at an event that will not happen or has begun
    left = event.seats_left()
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
    email_user(
        registration.user,
        template,
        {"registration": registration, "event": registration.event},
        attachments=registration_attachments(registration),
    )
