"""Event check-in at the door: scan a registration's QR or a member card, mark the party
attended, award the event's points once (the ledger key is the registration's)."""

import re
from dataclasses import dataclass, field

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from club import cards, points
from club.models import Member, active_member
from events import tickets
from events.models import Registration
from events.signup import lock_event
from portal.actions import Refused
from portal.validators import clean_name, normalise_mobile

Status = Registration.Status


class CheckInError(Refused):
    """Shown at the door as it is."""


#: How the person at the door was found, shown with the result so the desk knows whether a
#: card or QR was shown or someone's word was taken.
HOW = {
    "ticket": gettext_lazy("Scanned registration QR"),
    "card": gettext_lazy("Scanned member card"),
    "card_number": gettext_lazy("Typed card number"),
    "member_number": gettext_lazy("Typed member number"),
    "mobile": gettext_lazy("Typed mobile number"),
    "name": gettext_lazy("Typed name"),
}
#: People offered when a typed name fits several.
MAX_MATCHES = 10
MEMBER_NUMBER = re.compile(r"JD[0-9]{8}", re.IGNORECASE)


@dataclass
class Lookup:
    """What a scanned or typed code found for an event: a registration, or a person without
    one (a walk-in), or a problem; or, for a name that fits several, the people to choose from."""

    registration: Registration | None = None
    person: object = None
    problem: str = ""
    how: str = ""
    matches: list = field(default_factory=list)

    @property
    def how_label(self):
        return HOW.get(self.how, "")


def find(event, code):
    """What a scanned or typed code means for `event`.

    A registration QR names its registration; a member card (scanned or its number typed), a
    member number or a mobile number names a person, whose registration for this event is
    looked up (none: a walk-in, if seats remain); anything else is taken as a name, looked for
    among the event's registrations, then among members of exactly that name."""
    code = code.strip()
    registration_id = tickets.registration_id(code)
    if registration_id is not None:
        return _by_ticket(event, registration_id)
    if ":" in code or _looks_like_card_number(code):
        card, problem = cards.find_card(code)
        how = "card" if ":" in code else "card_number"
        if card is None:
            return Lookup(problem=problem, how=how)
        problem = cards.card_problem(card) or _without_account(card.member)
        if problem:
            return Lookup(person=card.member.user, problem=problem, how=how)
        return _for_person(event, card.member.user, how)
    if MEMBER_NUMBER.fullmatch(code):
        member = Member.objects.select_related("user").filter(number=code.upper()).first()
        if member is None:
            return Lookup(problem=_("No member has the number %(number)s.") % {"number": code})
        if _without_account(member):
            return Lookup(problem=_without_account(member), how="member_number")
        return _for_person(event, member.user, "member_number")
    mobile = normalise_mobile(code)
    if mobile.isdigit() and len(mobile) == 11:
        user = get_user_model().objects.filter(mobile=mobile, is_active=True).first()
        if user is None:
            return Lookup(
                problem=_("Nobody has the mobile number %(mobile)s.") % {"mobile": mobile}
            )
        return _for_person(event, user, "mobile")
    return _by_name(event, clean_name(code))


def _without_account(member):
    """Why a member enrolled at the desk cannot be checked in: events are signed up for on the
    site, with an account."""
    if member.user_id:
        return ""
    return _(
        "Member %(number)s has no account on the site yet, so no registration: sign up on the "
        "site with the mobile number the desk has, then register."
    ) % {"number": member.number}


def _looks_like_card_number(code):
    """Digits that are not a mobile number: a card's 16, or a mistyped number find_card
    explains."""
    digits = "".join(code.split()).replace("-", "")
    return digits.isdigit() and len(normalise_mobile(code)) != 11


def find_person(event, user_id):
    """The person the desk picked among several of one name."""
    user = get_user_model().objects.filter(pk=user_id, is_active=True).first()
    if user is None:
        return Lookup(problem=_("That registration or person was not found."))
    return _for_person(event, user, "name")


def _by_ticket(event, registration_id):
    registration = (
        Registration.objects.select_related("user", "event").filter(pk=registration_id).first()
    )
    if registration is None:
        return Lookup(problem=_("This registration no longer exists."), how="ticket")
    if registration.event_id != event.pk:
        return Lookup(
            problem=_("This QR code is for another event: %(title)s.")
            % {"title": registration.event.title},
            how="ticket",
        )
    return Lookup(registration=registration, person=registration.user, how="ticket")


def _for_person(event, user, how):
    registration = event.registrations.live().select_related("user").filter(user=user).first()
    return Lookup(registration=registration, person=user, how=how)


def _by_name(event, name):
    if len(name) < 2:
        return Lookup(problem=_("Type at least two characters of the name."))
    registrations = list(
        event.registrations.live()
        .select_related("user")
        .filter(user__real_name__icontains=name)
        .order_by("user__real_name")[: MAX_MATCHES + 1]
    )
    people = [registration.user for registration in registrations]
    if not people:
        people = list(
            get_user_model()
            .objects.filter(real_name=name, is_active=True, member__isnull=False)
            .order_by("pk")[: MAX_MATCHES + 1]
        )
    if not people:
        return Lookup(
            problem=_("Nobody of that name is signed up or a member: %(name)s.") % {"name": name},
            how="name",
        )
    if len(people) == 1:
        return Lookup(
            registration=registrations[0] if registrations else None, person=people[0], how="name"
        )
    return Lookup(matches=people[:MAX_MATCHES], how="name")


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
