"""Event seats stay right when many people act at once (PostgreSQL, parallel connections).

Sign-ups, cancellations with their promotions, check-ins and walk-ins at the door all run on
their own database connections and are released together by a barrier (`together`), so they
really reach the event's row lock at the same moment. What each call returned or raised is kept
and counted: no overbooking, no lost or doubled waitlist places, no points awarded twice.
"""

from datetime import timedelta

import pytest
from django.db import OperationalError, transaction
from django.db.models import Sum
from django.utils import timezone
from wagtail.models import Page

from club.models import ClubPage, PointsEntry
from club.tests.conftest import verified
from club.tests.test_concurrency import of_type, parallel, together
from events import checkin, signup
from events.models import EventIndexPage, EventPage, Registration
from owners.models import Unit

pytestmark = [pytest.mark.django_db(transaction=True, serialized_rollback=True)]

Status = Registration.Status


@pytest.fixture
def events(db):
    """The club's event list, where the events of each test are published."""
    home = Page.objects.get(depth=2)
    club = home.add_child(instance=ClubPage(title="金都会", slug="club"))
    club.save_revision().publish()
    index = club.add_child(instance=EventIndexPage(title="会员活动", slug="events"))
    index.save_revision().publish()
    return index


def make_event(index, *, capacity, guests_allowed=0, audience="owners", points=0, **fields):
    """A published event ten days from now."""
    starts = timezone.now() + timedelta(days=10)
    event = EventPage(
        title=fields.pop("title", "邻里茶话会"),
        slug=fields.pop("slug", "tea"),
        starts_at=starts,
        ends_at=starts + timedelta(hours=2),
        place="会所多功能厅",
        capacity=capacity,
        guests_allowed=guests_allowed,
        audience=audience,
        points=points,
        **fields,
    )
    index.add_child(instance=event)
    event.save_revision().publish()
    return EventPage.objects.get(pk=event.pk)


def make_owners(count, prefix="o"):
    """`count` verified owners (not members); they share a unit, as co-owners may."""
    unit = Unit.objects.order_by("pk").first()
    return [verified(f"{prefix}{n}", unit) for n in range(count)]


def registrations(event, status):
    return list(Registration.objects.filter(event=event, status=status).order_by("pk"))


def assert_seats_add_up(event):
    """The seats the code counts are the seats of the seated registrations, within capacity."""
    seated = Registration.objects.filter(event=event, status__in=(Status.CONFIRMED, "attended"))
    taken = event.seats_taken()
    assert taken == (seated.aggregate(n=Sum("seats"))["n"] or 0)
    assert taken <= event.capacity
    return taken


@parallel
def test_two_hundred_sign_ups_for_fifty_seats(estate, events):
    """200 owners sign up for 50 seats at once: 50 confirmed, 150 waitlisted at positions
    1..150 in sign-up (id) order, and nobody sees an error."""
    event = make_event(events, capacity=50)
    people = make_owners(200)

    outcomes = together(lambda user: signup.sign_up(event, user), people, workers=20)

    assert of_type(outcomes, Exception) == [], outcomes
    assert all(isinstance(outcome, Registration) for outcome in outcomes)
    confirmed = registrations(event, Status.CONFIRMED)
    waitlisted = registrations(event, Status.WAITLISTED)
    assert (len(confirmed), len(waitlisted)) == (50, 150)
    assert Registration.objects.filter(event=event).count() == 200
    assert {r.user_id for r in confirmed + waitlisted} == {user.pk for user in people}
    assert {outcome.pk for outcome in outcomes} == {r.pk for r in confirmed + waitlisted}
    assert event.seats_taken() == 50
    assert assert_seats_add_up(event) == 50
    # Ids are handed out under the lock: the first 50 through it are the 50 confirmed.
    assert max(r.pk for r in confirmed) < min(r.pk for r in waitlisted)
    assert [r.waitlist_position() for r in waitlisted] == list(range(1, 151))


@parallel
def test_parties_with_guests_never_overbook(estate, events):
    """120 parties of 1 to 3 sign up for 50 seats at once: the seats are never exceeded, the
    outcome is the one the sign-ups would have had one after another in id order, and every
    party left waiting is larger than the seats left."""
    event = make_event(events, capacity=50, guests_allowed=2)
    people = make_owners(120)
    guests = {user.pk: n % 3 for n, user in enumerate(people)}

    outcomes = together(
        lambda user: signup.sign_up(event, user, guests=guests[user.pk]), people, workers=20
    )

    assert of_type(outcomes, Exception) == [], outcomes
    taken = assert_seats_add_up(event)
    left = event.capacity - taken
    everyone = list(Registration.objects.filter(event=event).order_by("pk"))
    assert len(everyone) == 120
    assert all(r.seats == guests[r.user_id] + 1 for r in everyone)
    # Replaying the sign-ups one at a time in id order gives exactly the statuses they got.
    free = event.capacity
    for registration in everyone:
        expected = Status.CONFIRMED if registration.seats <= free else Status.WAITLISTED
        assert registration.status == expected, registration.pk
        free -= registration.seats if expected == Status.CONFIRMED else 0
    assert free == left
    waitlisted = registrations(event, Status.WAITLISTED)
    assert waitlisted, "demand (240 seats) is far above capacity"
    assert all(r.seats > left for r in waitlisted), (left, [r.seats for r in waitlisted])
    # So a promotion run now has nobody to let in.
    with transaction.atomic():
        assert signup.promote_waitlist(signup.lock_event(event)) == []


@parallel
def test_twenty_cancellations_at_once_promote_the_first_twenty_waiting(estate, events):
    """20 of 50 confirmed registrants cancel at the same moment, with 30 waiting: the 20
    earliest waiting are promoted in order, the seats are full again, 10 still wait at 1..10."""
    event = make_event(events, capacity=50, cancel_by=timezone.now() + timedelta(days=5))
    people = make_owners(80)
    for user in people:
        signup.sign_up(event, user)
    confirmed = registrations(event, Status.CONFIRMED)
    waiting = registrations(event, Status.WAITLISTED)
    assert (len(confirmed), len(waiting)) == (50, 30)
    leaving = confirmed[::2][:20]

    outcomes = together(lambda r: signup.cancel(r, r.user), leaving)

    assert of_type(outcomes, Exception) == [], outcomes
    assert {outcome.pk for outcome in outcomes} == {r.pk for r in leaving}
    cancelled = registrations(event, Status.CANCELLED)
    assert [r.pk for r in cancelled] == [r.pk for r in leaving]
    assert all(r.cancelled_at for r in cancelled)
    assert event.seats_taken() == 50
    assert assert_seats_add_up(event) == 50
    promoted = list(
        Registration.objects.filter(event=event, promoted_at__isnull=False).order_by("pk")
    )
    assert [r.pk for r in promoted] == [r.pk for r in waiting[:20]]
    assert all(r.status == Status.CONFIRMED for r in promoted)
    # Each cancellation let the next in line in: promotion times follow the waitlist order.
    assert sorted(promoted, key=lambda r: r.promoted_at) == promoted
    still = registrations(event, Status.WAITLISTED)
    assert [r.pk for r in still] == [r.pk for r in waiting[20:]]
    assert [r.waitlist_position() for r in still] == list(range(1, 11))


@parallel
def test_ten_presses_of_sign_up_make_one_registration(estate, events):
    """The same owner presses sign-up ten times at once: one live registration, and the nine
    other presses are told they have already signed up."""
    event = make_event(events, capacity=50)
    (owner,) = make_owners(1)

    outcomes = together(lambda _n: signup.sign_up(event, owner), range(10))

    made = of_type(outcomes, Registration)
    refused = of_type(outcomes, signup.SignupError)
    assert len(made) == 1 and len(refused) == 9, outcomes
    assert {str(error) for error in refused} == {"You have already signed up for this event."}
    live = Registration.objects.live().filter(event=event, user=owner)
    assert [r.pk for r in live] == [made[0].pk]
    assert Registration.objects.filter(event=event).count() == 1
    assert event.seats_taken() == 1


@parallel
def test_five_check_ins_of_one_registration_award_the_points_once(events, member, club_staff):
    """Five door scanners check in the same registration at once: it is marked attended once,
    the four others are told it is already checked in, and the 300 points come once."""
    event = make_event(events, capacity=20, audience="members", points=300)
    registration = signup.sign_up(event, member.user)
    assert registration.status == Status.CONFIRMED
    member.refresh_from_db()
    before = member.points_balance

    outcomes = together(lambda _n: checkin.check_in(registration, club_staff), range(5))

    assert len(of_type(outcomes, Registration)) == 1, outcomes
    refused = of_type(outcomes, checkin.CheckInError)
    assert len(refused) == 4, outcomes
    assert all(str(error).startswith("Already checked in at ") for error in refused)
    registration.refresh_from_db()
    assert registration.status == Status.ATTENDED
    assert registration.checked_in_by_id == club_staff.pk
    entries = PointsEntry.objects.filter(key=f"event-attendance:{registration.pk}")
    assert entries.count() == 1
    assert entries.get().delta == 300
    member.refresh_from_db()
    assert member.points_balance == before + 300
    assert event.seats_taken() == 1


@parallel
def test_six_walk_ins_race_for_the_last_two_seats(estate, events, club_staff):
    """Six people arrive at the door at once for the last two seats: two are admitted, four
    are told there are no seats left, and the event is exactly full."""
    event = make_event(events, capacity=10)
    for user in make_owners(8, prefix="early"):
        signup.sign_up(event, user)
    assert event.seats_taken() == 8
    walk_ins = make_owners(6, prefix="door")

    outcomes = together(lambda user: checkin.admit_walk_in(event, user, 0, club_staff), walk_ins)

    admitted = of_type(outcomes, Registration)
    refused = of_type(outcomes, checkin.CheckInError)
    assert len(admitted) == 2 and len(refused) == 4, outcomes
    assert {str(error) for error in refused} == {"No seats left for a party of 1."}
    assert all(r.walk_in and r.status == Status.ATTENDED for r in admitted)
    assert Registration.objects.filter(event=event, walk_in=True).count() == 2
    assert event.seats_taken() == 10
    assert assert_seats_add_up(event) == 10


@parallel
def test_check_in_and_cancel_of_the_same_registrations_at_once_never_deadlock(
    estate, events, club_staff
):
    """Registrants cancel at the moment the door checks them in, ten at a time: each
    registration ends either attended or cancelled, the other call is refused, none deadlocks."""
    event = make_event(events, capacity=100, cancel_by=timezone.now() + timedelta(days=5))
    people = make_owners(50)

    def act(item):
        registration, action = item
        if action == "check in":
            return checkin.check_in(registration, club_staff)
        return signup.cancel(registration, registration.user)

    for start in range(0, 50, 10):
        batch = [signup.sign_up(event, user) for user in people[start : start + 10]]
        work = [(r, action) for r in batch for action in ("check in", "cancel")]

        outcomes = together(act, work)

        deadlocks = of_type(outcomes, OperationalError)
        if deadlocks:
            raise deadlocks[0]
        for n, registration in enumerate(batch):
            checked_in, cancelled = outcomes[2 * n : 2 * n + 2]
            registration.refresh_from_db()
            if registration.status == Status.ATTENDED:
                assert isinstance(checked_in, Registration), checked_in
                assert isinstance(cancelled, signup.SignupError), cancelled
            else:
                assert registration.status == Status.CANCELLED
                assert isinstance(cancelled, Registration), cancelled
                assert isinstance(checked_in, checkin.CheckInError), checked_in
    assert_seats_add_up(event)
