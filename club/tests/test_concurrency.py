"""Points, stock and cards stay right when many people act at once (PostgreSQL, parallel
connections).

Every worker runs on its own database connection and waits at a barrier, so the calls really
reach the database together; what each call returned or raised is kept and counted.
"""

import fcntl
import tempfile
import threading
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta
from pathlib import Path

import pytest
from django.db import IntegrityError, connection, connections, transaction
from django.db.models import Sum
from django.utils import timezone, translation

from club import cards, membership, points, rewards
from club.models import Member, MemberCard, PointsEntry, Redemption, Reward
from club.tests.conftest import verified
from owners.models import Unit

pytestmark = [pytest.mark.django_db(transaction=True, serialized_rollback=True)]

# The database refuses a negative balance anywhere; the rest needs PostgreSQL's row locks.
parallel = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="needs parallel PostgreSQL writers"
)


BURST_LOCK = Path(tempfile.gettempdir()) / "jindu-test-connection-bursts.lock"


def together(work, items, *, workers=None):
    """work(item) for each item, each on its own connection, `workers` at a time, every batch
    released at once by a barrier. Returns what each call returned or the exception it raised."""
    items = list(items)
    workers = workers or len(items)
    assert len(items) % workers == 0, "each batch must fill the barrier"
    barrier = threading.Barrier(workers)

    def run(item):
        try:
            barrier.wait(timeout=60)
            with translation.override("en"):
                return work(item)
        except Exception as error:  # kept, so the test can count the refusals
            return error
        finally:
            connections.close_all()

    # One burst at a time across the parallel test processes: each burst opens up to fifty
    # connections, and two at once could pass PostgreSQL's default limit of a hundred.
    with open(BURST_LOCK, "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        with ThreadPoolExecutor(max_workers=workers) as pool:
            return list(pool.map(run, items))


def make_members(count, by, prefix="m"):
    """`count` members made the way the site makes them; they share a unit, as co-owners may."""
    unit = Unit.objects.order_by("pk").first()
    return [
        membership.approve(membership.apply(verified(f"{prefix}{n}", unit)), by)
        for n in range(count)
    ]


def assert_ledger_adds_up(member):
    """The balance is the sum of the ledger, and each entry's balance_after is the running sum."""
    member.refresh_from_db()
    running = 0
    for entry in member.points.order_by("pk"):
        running += entry.delta
        assert entry.balance_after == running, entry
    assert member.points_balance == running
    assert member.points.aggregate(total=Sum("delta"))["total"] == member.points_balance


def of_type(outcomes, kind):
    return [outcome for outcome in outcomes if isinstance(outcome, kind)]


@parallel
def test_fifty_members_redeem_the_last_ten_items_at_once(estate, club_staff, reward):
    """50 members redeem a reward with 10 in stock at the same moment: exactly 10 get one,
    40 are told it is out of stock, and nobody's points move without a redemption."""
    members = make_members(50, club_staff)
    for member in members:
        points.award(member, "event", key=f"event:{member.pk}", points=reward.points)
    before = {member.pk: member.points_balance for member in members}

    outcomes = together(
        lambda member: rewards.redeem(member, reward, key=f"redeem:{member.pk}"), members
    )

    made = of_type(outcomes, tuple)
    refused = of_type(outcomes, rewards.RedemptionError)
    assert len(made) == 10 and all(created for _redemption, created in made), outcomes
    assert len(refused) == 40, outcomes
    assert {str(error) for error in refused} == {"Sorry, this reward is out of stock."}
    reward.refresh_from_db()
    assert reward.stock == 0
    assert Redemption.objects.filter(reward=reward).count() == 10
    winners = {redemption.member_id for redemption, _created in made}
    for member in members:
        assert_ledger_adds_up(member)
        spent = reward.points if member.pk in winners else 0
        assert member.points_balance == before[member.pk] - spent
    assert PointsEntry.objects.filter(kind="redemption").count() == 10


@parallel
def test_concurrent_spends_never_take_the_balance_below_zero(member):
    """20 spends of 100 against a balance of 500 at once: 5 go through, 15 are refused, and
    the balance ends at exactly 0."""
    points.award(member, "event", key="top-up", points=500 - member.points_balance)
    assert member.points_balance == 500

    outcomes = together(
        lambda n: points.post_entry(member, -100, kind="redemption", key=f"spend:{n}"),
        range(20),
    )

    spent = of_type(outcomes, tuple)
    assert len(spent) == 5 and all(created for _entry, created in spent), outcomes
    assert len(of_type(outcomes, points.PointsError)) == 15, outcomes
    assert_ledger_adds_up(member)
    assert member.points_balance == 0
    assert member.points.filter(kind="redemption").count() == 5


def test_the_database_refuses_a_negative_balance(member):
    """Whatever the code does, the database itself refuses a balance below zero."""
    with pytest.raises(IntegrityError), transaction.atomic():
        Member.objects.filter(pk=member.pk).update(points_balance=-1)
    member.refresh_from_db()
    assert member.points_balance >= 0


@parallel
def test_the_same_key_from_ten_threads_awards_once(member):
    """A retried task or a double click sending the same key ten times at once awards once."""
    before = member.points_balance

    outcomes = together(
        lambda _n: points.award(member, "event", key="event:7:member", points=30), range(10)
    )

    assert all(isinstance(outcome, tuple) for outcome in outcomes), outcomes
    assert sorted(created for _entry, created in outcomes) == [False] * 9 + [True]
    entry = PointsEntry.objects.get(key="event:7:member")
    assert {returned.pk for returned, _created in outcomes} == {entry.pk}
    assert_ledger_adds_up(member)
    assert member.points_balance == before + 30


@parallel
def test_the_same_key_for_different_members_at_once_posts_one_entry(estate, club_staff):
    """The same key posted for ten different members at once (so no member lock keeps them
    apart): the unique key lets one entry stand and the others change nothing."""
    members = make_members(10, club_staff)
    before = {member.pk: member.points_balance for member in members}

    outcomes = together(
        lambda member: points.award(member, "event", key="event:shared", points=30), members
    )

    assert all(isinstance(outcome, tuple) for outcome in outcomes), outcomes
    assert sorted(created for _entry, created in outcomes) == [False] * 9 + [True]
    entry = PointsEntry.objects.get(key="event:shared")
    assert {returned.pk for returned, _created in outcomes} == {entry.pk}
    for member in members:
        assert_ledger_adds_up(member)
        gained = 30 if member.pk == entry.member_id else 0
        assert member.points_balance == before[member.pk] + gained


@parallel
def test_a_hundred_cards_issued_at_once_get_distinct_valid_numbers(estate, club_staff):
    """100 cards issued at the same moment: 100 distinct numbers, each with a good check
    digit, and every member holds exactly one active card."""
    members = make_members(100, club_staff)
    MemberCard.objects.all().delete()

    outcomes = together(lambda member: cards.issue_card(member, by=club_staff), members, workers=20)

    assert all(isinstance(outcome, MemberCard) for outcome in outcomes), outcomes
    numbers = [card.number for card in outcomes]
    assert len(set(numbers)) == 100
    assert all(cards.is_valid_number(number) for number in numbers)
    assert MemberCard.objects.count() == 100
    for member in members:
        assert list(member.cards.values_list("status", flat=True)) == ["active"]


@parallel
def test_two_cards_for_the_same_member_at_once_leave_one_active(member, club_staff):
    """Two staff issue a card to the same member at the same moment: one card is made, the
    other is refused with a CardError instead of a second active card."""
    MemberCard.objects.filter(member=member).delete()

    outcomes = together(lambda _n: cards.issue_card(member, by=club_staff), range(2))

    assert len(of_type(outcomes, MemberCard)) == 1, outcomes
    assert len(of_type(outcomes, cards.CardError)) == 1, outcomes
    assert list(member.cards.values_list("status", flat=True)) == ["active"]


@parallel
def test_two_expiry_runs_at_once_expire_the_points_once(member):
    """The daily expiry started twice at the same moment expires the points that are due
    exactly once, and leaves the points not yet due."""
    points.award(member, "event", key="event:1", points=300)
    points.post_entry(member, -100, kind="redemption", key="spend:1")
    # Everything earned so far (the joining points and these 300) fell due yesterday.
    earned = member.points.filter(delta__gt=0)
    earned.update(expires_at=timezone.now() - timedelta(days=1))
    due = earned.aggregate(total=Sum("delta"))["total"]
    points.award(member, "event", key="event:2", points=50)  # due in two years
    expected = due - 100  # the 100 spent came out of the oldest points first

    outcomes = together(lambda _n: points.expire_points(), range(2))

    assert all(isinstance(outcome, int) for outcome in outcomes), outcomes
    assert sorted(outcomes) == [0, expected]
    expiry = member.points.get(kind="expiry")
    assert expiry.delta == -expected
    assert_ledger_adds_up(member)
    assert member.points_balance == 50
    assert points.expire_points() == 0  # a later run finds nothing more


@parallel
def test_cancelling_a_redemption_twice_at_once_refunds_once(member, reward, club_staff, mailoutbox):
    """Two staff cancel the same redemption at the same moment: one cancels it, the other is
    told it is already cancelled; the points come back once and the item goes back once."""
    before = member.points_balance
    redemption, _created = rewards.redeem(member, reward, key="redeem:1")
    mailoutbox.clear()

    outcomes = together(lambda n: rewards.cancel(redemption, club_staff, f"取消 {n}"), range(2))

    assert len(of_type(outcomes, Redemption)) == 1, outcomes
    assert len(of_type(outcomes, rewards.RedemptionError)) == 1, outcomes
    redemption.refresh_from_db()
    assert redemption.status == Redemption.Status.CANCELLED
    assert PointsEntry.objects.filter(key=f"refund:{redemption.pk}").count() == 1
    assert member.points.filter(kind="refund").count() == 1
    assert Reward.objects.get(pk=reward.pk).stock == 10
    assert_ledger_adds_up(member)
    assert member.points_balance == before
    assert len(mailoutbox) == 1


@parallel
def test_fulfil_and_cancel_at_once_do_one_of_them(member, reward, club_staff):
    """Handing a redemption over and cancelling it at the same moment: exactly one happens, and
    the points come back only if the cancellation won."""
    before = member.points_balance
    redemption, _created = rewards.redeem(member, reward, key="redeem:1")

    outcomes = together(
        lambda action: (
            rewards.fulfil(redemption, club_staff)
            if action == "fulfil"
            else rewards.cancel(redemption, club_staff, "缺货")
        ),
        ["fulfil", "cancel"],
    )

    assert len(of_type(outcomes, Redemption)) == 1, outcomes
    assert len(of_type(outcomes, rewards.RedemptionError)) == 1, outcomes
    redemption.refresh_from_db()
    assert_ledger_adds_up(member)
    stock = Reward.objects.get(pk=reward.pk).stock
    if redemption.status == Redemption.Status.CANCELLED:
        assert (member.points_balance, stock) == (before, 10)
    else:
        assert redemption.status == Redemption.Status.FULFILLED
        assert (member.points_balance, stock) == (before - reward.points, 9)
        assert not member.points.filter(kind="refund").exists()


@parallel
def test_redeeming_while_staff_cancel_an_earlier_redemption_never_deadlocks(member, club_staff):
    """The member redeems again at the moment staff cancel their earlier redemption of the same
    reward: both take the member's row first, so both finish, whatever the order."""
    points.award(member, "survey", key="top-up", points=500)
    reward = Reward.objects.create(name="券", points=50, stock=10, limit_per_member=0)
    for attempt in range(6):
        first, _ = rewards.redeem(member, reward, key=f"first-{attempt}")

        def act(which, first=first, attempt=attempt):
            if which == "redeem":
                return rewards.redeem(member, reward, key=f"again-{attempt}")
            return rewards.cancel(first, club_staff, "缺货")

        outcomes = together(act, ["redeem", "cancel"])
        assert of_type(outcomes, Exception) == [], outcomes
    assert_ledger_adds_up(member)
    reward.refresh_from_db()
    assert reward.stock == 10 - Redemption.objects.exclude(status="cancelled").count()


@parallel
def test_a_double_tap_on_report_lost_replaces_the_card_once(member):
    """Two presses of "report lost" for the same card: one new card, and it stays active."""
    lost = member.cards.get()
    outcomes = together(lambda _: cards.report_lost(member, lost.number), range(2))
    assert len(of_type(outcomes, MemberCard)) == 1
    assert len(of_type(outcomes, cards.CardError)) == 1
    assert list(member.cards.order_by("pk").values_list("status", flat=True)) == ["lost", "active"]
