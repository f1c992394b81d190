"""The points ledger: entries move the balance, keys make awards idempotent, points expire
oldest first, and tiers follow the points earned in the last twelve months."""

from datetime import datetime, timedelta

import pytest
from django.db import IntegrityError, transaction
from django.db.models import Sum
from django.utils import timezone

from club import points
from club.models import ClubSettings, Member, PointsEntry, Tier

pytestmark = pytest.mark.django_db


def ledger_sum(member):
    return member.points.aggregate(total=Sum("delta"))["total"]


def test_an_award_with_a_key_counts_once(member):
    start = member.points_balance
    first, created = points.award(member, "survey", key="survey:7:1")
    again, created_again = points.award(member, "survey", key="survey:7:1")
    member.refresh_from_db()
    assert (created, created_again, first.pk) == (True, False, again.pk)
    assert member.points_balance == start + ClubSettings.load().points_for_survey
    assert ledger_sum(member) == member.points_balance == first.balance_after


def test_a_spend_beyond_the_balance_is_refused_and_changes_nothing(member):
    balance = member.points_balance
    with pytest.raises(points.PointsError, match="Not enough points"):
        points.post_entry(member, -(balance + 1), kind="redemption", key="spend:1")
    member.refresh_from_db()
    assert member.points_balance == balance
    assert not PointsEntry.objects.filter(key="spend:1").exists()


def test_the_database_refuses_a_negative_balance_and_a_zero_entry(member):
    with pytest.raises(IntegrityError), transaction.atomic():
        Member.objects.filter(pk=member.pk).update(points_balance=-1)
    with pytest.raises(IntegrityError), transaction.atomic():
        PointsEntry.objects.create(
            member=member, delta=0, balance_after=0, kind="adjustment", key="z"
        )


def test_staff_adjust_with_a_reason_and_their_name(member, club_staff, staff):
    with pytest.raises(points.PointsError, match="reason"):
        points.adjust(member, 50, reason=" ", by=club_staff, key="a:1")
    with pytest.raises(points.PointsError):
        points.adjust(member, 50, reason="补录", by=staff("Editors"), key="a:2")
    entry, _ = points.adjust(member, -50, reason="误发扣回", by=club_staff, key="a:3")
    assert (entry.delta, entry.kind, entry.created_by, entry.reason) == (
        -50,
        "adjustment",
        club_staff,
        "误发扣回",
    )
    assert entry.expires_at is None  # only points earned expire


def test_earned_points_expire_after_the_configured_months(member):
    settings = ClubSettings.load()
    settings.points_expire_after_months = 6
    settings.save()
    entry, _ = points.award(member, "survey", key="s", points=10)
    assert entry.expires_at.date() == points.add_months(entry.created_at, 6).date()


def test_add_months_keeps_to_the_end_of_short_months():
    assert points.add_months(datetime(2026, 1, 31), 1) == datetime(2026, 2, 28)
    assert points.add_months(datetime(2026, 11, 30), 3) == datetime(2027, 2, 28)
    assert points.add_months(datetime(2024, 2, 29), 24) == datetime(2026, 2, 28)


def _age(entry, expired_days_ago):
    PointsEntry.objects.filter(pk=entry.pk).update(
        expires_at=timezone.now() - timedelta(days=expired_days_ago)
    )


def test_expiry_takes_the_unspent_part_of_the_oldest_points_and_runs_once(member):
    """200 joining + 300 later; 350 spent. Oldest first, the spend used all 200 joining points
    and 150 of the 300, so when both lots are due exactly the 150 left expire."""
    joining = member.points.get()
    later, _ = points.award(member, "survey", key="later", points=300)
    points.post_entry(member, -350, kind="redemption", key="spent")
    _age(joining, 30)
    assert points.expire_points() == 0  # the joining points were all spent
    _age(later, 1)
    assert points.expire_points() == 150
    assert points.expire_points() == 0
    member.refresh_from_db()
    assert member.points_balance == 0 == ledger_sum(member)
    assert member.points.filter(kind="expiry").get().delta == -150


def test_points_not_yet_due_do_not_expire(member):
    points.award(member, "survey", key="fresh", points=100)
    assert points.expire_points() == 0
    member.refresh_from_db()
    assert member.points_balance == 200 + 100


def test_tiers_follow_points_earned_in_twelve_months(member):
    silver, gold = Tier.objects.get(name="银卡"), Tier.objects.get(name="金卡")
    points.award(member, "referral", key="r1", points=1900)
    member.refresh_from_db()
    assert (member.tier, member.tier_points) == (silver, 2100)  # at once, on award
    points.post_entry(member, -2000, kind="redemption", key="spend")
    member.refresh_from_db()
    assert member.tier == silver  # spending never lowers the tier
    big, _ = points.award(member, "referral", key="r2", points=6000)
    assert Member.objects.get(pk=member.pk).tier == gold
    # A year on, the old points no longer count.
    PointsEntry.objects.filter(member=member).update(
        created_at=timezone.now() - timedelta(days=366)
    )
    assert points.recalculate_tiers() == 1
    member.refresh_from_db()
    assert (member.tier.name, member.tier_points) == ("普卡", 0)
    assert points.recalculate_tiers() == 0  # nothing changed the second time


def test_staff_choose_how_far_back_the_tiers_look(member):
    points.award(member, "referral", key="r1", points=7800)
    assert Member.objects.get(pk=member.pk).tier.name == "金卡"
    PointsEntry.objects.filter(member=member).update(
        created_at=timezone.now() - timedelta(days=500)
    )
    assert points.recalculate_tiers() == 1
    assert Member.objects.get(pk=member.pk).tier.name == "普卡"  # 12 months by default
    rules = ClubSettings.load()
    rules.tier_period_months = 24
    rules.save()
    assert points.recalculate_tiers() == 1
    member.refresh_from_db()
    assert (member.tier.name, member.tier_points) == ("金卡", 8000)


def test_next_tier_says_how_far_to_go(member):
    tiers = list(Tier.objects.all())
    tier, to_go = points.next_tier(member, tiers)
    assert (tier.name, to_go) == ("银卡", 2000 - 200)
    member.tier_points = 25000
    assert points.next_tier(member, tiers) == (None, 0)


def test_a_corrected_award_does_not_keep_the_tier(member, club_staff):
    points.adjust(member, 20000, reason="录入错误", by=club_staff, key="wrong")
    assert Member.objects.get(pk=member.pk).tier.name == "钻石卡"
    points.adjust(member, -20000, reason="更正", by=club_staff, key="fix")
    member.refresh_from_db()
    assert (member.tier.name, member.tier_points) == ("普卡", 200)
    assert points.recalculate_tiers() == 0
