"""Rewards limited to tiers: staff set the lowest tier in the reward's form, members see it on
the reward, and a member below it is refused with a clear message, even posting directly."""

import pytest
from django.urls import reverse
from django.utils import translation

from club import points
from club import rewards as reward_rules
from club.models import Redemption, Reward, Tier

pytestmark = pytest.mark.django_db


@pytest.fixture
def gold(db):
    return Tier.objects.get(name="金卡")


@pytest.fixture
def yacht(gold):
    return Reward.objects.create(
        name="周末游艇体验", points=100, stock=4, limit_per_member=1, min_tier=gold
    )


def raise_to(member, tier):
    points.award(member, "event", key=f"raise:{member.pk}", points=tier.min_points)
    member.refresh_from_db()
    assert member.tier == tier


def test_staff_limit_a_reward_to_gold_and_above_in_its_form(client, staff, gold):
    client.force_login(staff("Club staff"))
    data = {
        "name": "周末游艇体验",
        "description": "西湖游船下午茶",
        "kind": "gift",
        "points": "12000",
        "stock": "4",
        "limit_per_member": "1",
        "min_tier": str(gold.pk),
        "is_active": "on",
    }
    form = client.get(reverse("club_rewards:add")).content.decode()
    assert 'name="min_tier"' in form and "金卡" in form
    assert client.post(reverse("club_rewards:add"), data).status_code == 302
    reward = Reward.objects.get()
    assert reward.min_tier == gold
    listing = client.get(reverse("club_rewards:index")).content.decode()
    assert "金卡" in listing
    edit = reverse("club_rewards:edit", args=[reward.pk])
    assert client.post(edit, {**data, "min_tier": ""}).status_code == 302
    reward.refresh_from_db()
    assert reward.min_tier is None


def test_a_member_below_the_tier_sees_it_and_is_refused(client, member, yacht):
    client.force_login(member.user)
    page = client.get(reverse("club:rewards")).content.decode()
    assert "金卡及以上会员可兑换" in page
    assert "等级未达到" in page  # the button says why, and is disabled
    before = member.points_balance

    # Posting the form directly changes nothing either.
    response = client.post(reverse("club:redeem", args=[yacht.pk]), {"key": "k" * 32})
    assert response.status_code == 302
    page = client.get(reverse("club:rewards")).content.decode()
    assert "该礼品仅限金卡及以上会员兑换，您目前是普卡会员。" in page
    member.refresh_from_db()
    yacht.refresh_from_db()
    assert not Redemption.objects.exists()
    assert (member.points_balance, yacht.stock) == (before, 4)


def test_a_gold_member_and_a_diamond_member_may_redeem(make_member, yacht, gold):
    for name, tier in (("gold", gold), ("diamond", Tier.objects.get(name="钻石卡"))):
        member = make_member(name)
        raise_to(member, tier)
        assert reward_rules.why_not_tier(member, yacht) == ""
        redemption, created = reward_rules.redeem(member, yacht, key=f"{name}-" * 4)
        assert created and redemption.member == member
    assert Redemption.objects.count() == 2


def test_a_silver_member_is_told_in_chinese(member, yacht):

    raise_to(member, Tier.objects.get(name="银卡"))
    with translation.override("zh-hans"), pytest.raises(reward_rules.RedemptionError) as refused:
        reward_rules.redeem(member, yacht, key="k" * 16)
    assert str(refused.value).startswith("该礼品仅限金卡及以上会员兑换，您目前是银卡会员。")


def test_a_reward_for_everyone_shows_no_tier(client, member, reward):
    client.force_login(member.user)
    page = client.get(reverse("club:rewards")).content.decode()
    assert "及以上会员可兑换" not in page and "等级未达到" not in page
