"""Signing up for club events, cancelling, and the waitlist.

Every change that moves seats first locks the event's row, so sign-ups, cancellations and
promotions for one event happen one at a time and the seats counted by the database are the
seats really taken: no overbooking, however many press the button at once. Under the lock
there is only the seat decision and its rows: the registration and an outbox job. The email
with its calendar file and QR code is built by that job after the commit (`email_registrant`),
so a crowd signing up at once never waits on rendering and images.

The rules themselves (who may sign up, who may cancel, the seats left, the place in line) are
methods of the models, which the pages ask too; these actions ask them under the lock.
"""

from celery import shared_task
from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.db.models import Count, Q
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from club.models import is_active_member
from events.models import LIVE, EventPage, Registration
from events.models.base import sum_of_seats
from events.tickets import registration_attachments
from portal import outbox
from portal.actions import Refused
from portal.notifications import site_link, tell
from portal.statements import Statement, columns

Status = Registration.Status


#: What the seat decision and the answer's redirect read of the locked event: the page's other
#: columns (its body above all) are not fetched by a crowd queueing on the row.
SEAT_DECISION_FIELDS = (
    "id",
    "page_ptr_id",
    "url_path",
    "live",
    "is_cancelled",
    "starts_at",
    "signup_opens_at",
    "signup_closes_at",
    "audience",
    "guests_allowed",
    "capacity",
)


#: The sign-up's two queries under the lock, built once (portal.statements): a crowd pressing
#: at once queues on the event's row while each is written, and the ORM takes longer to write
#: them than the database to answer. The counts are read in a statement of their own, after
#: the lock is granted, so they include the sign-up that held it before.
_LOCKED_EVENT = Statement(
    lambda event: (
        EventPage.objects.live()
        .for_seat_change()
        .filter(pk=event)
        .values_list(*columns(EventPage, SEAT_DECISION_FIELDS))
    )
)
_COUNTS = Statement(
    lambda event, user: (
        Registration.objects.filter(event_id=event)
        .order_by()
        .values("event")
        .annotate(
            taken=sum_of_seats(),
            waiting=Count("pk", filter=Q(status=Status.WAITLISTED)),
            mine=Count("pk", filter=Q(user_id=user, status__in=LIVE)),
        )
        .values_list("taken", "waiting", "mine")
    )
)


class SignupError(Refused):
    """A sign-up or cancellation that cannot be made; the message is shown as it is."""


def lock_event(event):
    """The row every seat change for this event queues on."""
    return EventPage.objects.for_seat_change().get(pk=event.pk)


def sign_up(event, user, guests=0):
    """Confirm a seat for `user` and their guests, or put them on the waitlist when it is full.

    `event` is the page or its id: the page is read once, under the lock (the sign-up view
    reads nothing before). An event that does not exist or is not live raises
    `EventPage.DoesNotExist`."""
    # Asked before the lock: the event's row does not guard the membership, and every query
    # left out from under the lock is time a crowd pressing at once does not queue for.
    member = is_active_member(user)
    try:
        with transaction.atomic():
            found = _LOCKED_EVENT.objects(
                EventPage, fields=SEAT_DECISION_FIELDS, event=int(getattr(event, "pk", event))
            )
            if not found:
                raise EventPage.DoesNotExist
            event = found[0]
            if not 0 <= guests <= event.guests_allowed:
                raise SignupError(
                    _("You may bring at most %(n)s guests to this event.")
                    % {"n": event.guests_allowed}
                )
            problem = event.signup_refusal(user, member=member)
            if problem:
                raise SignupError(str(problem))
            # One query on the locked event answers all three questions below.
            rows = _COUNTS.rows(event=event.pk, user=user.pk)
            taken, waiting, mine = rows[0] if rows else (0, 0, 0)
            if mine:
                raise SignupError(_("You have already signed up for this event."))
            event.seats_taken_sum = taken  # what seats_taken() answers
            seats = guests + 1
            status = Status.CONFIRMED if event.has_room_for(seats) else Status.WAITLISTED
            registration = Registration.objects.create(
                event=event, user=user, guests=guests, seats=seats, status=status
            )
            if status == Status.CONFIRMED:
                event.seats_taken_sum += seats
            # Ids are handed out under the lock: everyone waiting now is ahead of this one.
            registration.waiting_ahead = waiting  # what waitlist_position() answers
            _queue_email(registration, "event_signed_up")
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
            _queue_email(registration, "event_promoted")
    return promoted


#: The emails a registration's change brings, by the name of their templates.
EMAILS = ("event_signed_up", "event_promoted")


def _queue_email(registration, template):
    """One row under the lock; the job writes the email after the commit. The registration's
    status goes with it: the email tells what this change decided (a place on the waitlist
    stays one even if a seat frees up before the job runs: that brings its own email)."""
    outbox.add_task(
        email_registrant,
        key=f"registration:{registration.pk}:{template}",
        queue=outbox.MAIL,
        registration_id=registration.pk,
        template=template,
        status=registration.status,
    )


@shared_task(verbose_name=gettext_lazy("Email a registrant their seat or place in line"))
def email_registrant(registration_id, template, status):
    """The sign-up's or promotion's email, with the calendar file and the QR code for a seat,
    written once (its key) whenever the job runs again."""
    if template not in EMAILS:
        raise ValueError(f"unknown registration email {template!r}")
    registration = (
        Registration.objects.select_related("event", "user").filter(pk=registration_id).first()
    )
    if registration is None:
        return  # deleted meanwhile (an account closed and erased)
    registration.status = status
    event = registration.event
    if template == "event_promoted":
        short = short_message(event, "event_promoted")
    else:
        with translation.override(settings.LANGUAGE_CODE):
            state = registration.get_status_display()
        short = short_message(event, "event_signed_up", status=str(state))
    tell(
        registration.user,
        "event",
        event.url,
        email=(f"events/email/{template}", {"registration": registration, "event": event}),
        attachments=registration_attachments(registration),
        short=short,
        key=f"registration-email:{registration_id}:{template}",
    )


def short_message(event, name, **values):
    """A text or WeChat message about `event` (portal.sms): its title, start and address."""
    starts = timezone.localtime(event.starts_at)
    url = site_link(event.url)
    return name, {"event": event.title, "time": f"{starts:%m-%d %H:%M}", "url": url, **values}
