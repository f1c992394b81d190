"""Redeeming rewards and referring buyers: points and stock move together or not at all."""

import re
from datetime import timedelta

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from django.utils import timezone

from club import membership, points, referrals
from club import rewards as reward_rules
from club.models import Member, Redemption, Referral, Reward

pytestmark = pytest.mark.django_db


def refreshed(*objects):
    for obj in objects:
        obj.refresh_from_db()


def test_a_redemption_spends_points_and_takes_one_from_stock(member, reward):
    redemption, created = reward_rules.redeem(member, reward, key="k" * 16)
    refreshed(member, reward)
    assert created and redemption.status == "requested"
    assert (member.points_balance, reward.stock) == (100, 9)
    entry = member.points.get(kind="redemption")
    assert (entry.delta, entry.key, entry.reason) == (-100, f"redemption:{redemption.pk}", "保温杯")


def test_the_same_form_sent_twice_redeems_once(member, reward):
    first, _ = reward_rules.redeem(member, reward, key="k" * 16)
    again, created = reward_rules.redeem(member, reward, key="k" * 16)
    refreshed(member, reward)
    assert (again, created) == (first, False)
    assert (member.points_balance, reward.stock) == (100, 9)


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"points": 5000}, "costs 5000 points"),
        ({"stock": 0}, "out of stock"),
        ({"is_active": False}, "not available"),
        ({"available_until": timezone.now() - timedelta(days=1)}, "not available"),
        ({"available_from": timezone.now() + timedelta(days=1)}, "not available"),
    ],
)
def test_a_redemption_that_cannot_be_made_changes_nothing(member, reward, change, message):
    Reward.objects.filter(pk=reward.pk).update(**change)
    stock = Reward.objects.get(pk=reward.pk).stock
    with pytest.raises(reward_rules.RedemptionError, match=message):
        reward_rules.redeem(member, reward, key="k" * 16)
    refreshed(member, reward)
    assert (member.points_balance, reward.stock) == (200, stock)
    assert not Redemption.objects.exists()


def test_the_limit_per_member(member, reward):
    reward_rules.redeem(member, reward, key="a" * 16)
    with pytest.raises(reward_rules.RedemptionError, match="most times allowed"):
        reward_rules.redeem(member, reward, key="b" * 16)


def test_suspended_members_cannot_redeem(member, reward, club_staff):

    membership.suspend(member, club_staff, "调查中")
    with pytest.raises(reward_rules.RedemptionError, match="suspended"):
        reward_rules.redeem(member, reward, key="k" * 16)


def test_cancelling_refunds_the_points_and_returns_the_stock(
    member, reward, club_staff, django_capture_on_commit_callbacks
):
    redemption, _ = reward_rules.redeem(member, reward, key="k" * 16)
    with pytest.raises(reward_rules.RedemptionError):
        reward_rules.cancel(redemption, club_staff, "")
    with django_capture_on_commit_callbacks(execute=True):
        reward_rules.cancel(redemption, club_staff, "礼品缺货")
    refreshed(member, reward, redemption)
    assert (member.points_balance, reward.stock, redemption.status) == (200, 10, "cancelled")
    assert member.points.filter(kind="refund").get().delta == 100
    assert "礼品缺货" in mail.outbox[-1].body
    with pytest.raises(reward_rules.RedemptionError):
        reward_rules.fulfil(redemption, club_staff)  # a cancelled redemption stays cancelled


def test_only_club_staff_hand_over(member, reward, staff):

    redemption, _ = reward_rules.redeem(member, reward, key="k" * 16)
    with pytest.raises(PermissionDenied):
        reward_rules.fulfil(redemption, staff("Editors"))


def test_the_rewards_page_redeems_with_a_fresh_key(client, member, reward):
    client.force_login(member.user)
    page = client.get(reverse("club:rewards")).content.decode()
    assert "保温杯" in page and 'name="key"' in page
    url = reverse("club:redeem", args=[reward.pk])
    client.post(url, {"key": "x" * 32})
    client.post(url, {"key": "x" * 32})  # a double click
    refreshed(member, reward)
    assert (member.points_balance, reward.stock) == (100, 9)
    client.post(url, {"key": "short"})  # a tampered form changes nothing
    assert Redemption.objects.count() == 1
    assert client.post(reverse("club:redeem", args=[999])).status_code == 404


def test_redeeming_asks_first_naming_the_reward_and_the_points(client, member, settings):
    Reward.objects.create(name="中秋月饼礼盒", points=800, stock=5)
    client.force_login(member.user)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "zh-hans"
    page = client.get(reverse("club:rewards")).content.decode()
    # site.js asks this before the form is sent: the reward, its cost and the balance after.
    after = member.points_balance - 800
    assert f'data-confirm="确定用 800 积分兑换“中秋月饼礼盒”吗？兑换后余额 {after} 积分。"' in page
    ids = re.findall(r'\bid="([^"]+)"', page)
    assert len(ids) == len(set(ids))  # each reward's form once, without repeating an id


def test_referrals_earn_points_once_staff_confirm_the_purchase(
    client, member, club_staff, django_capture_on_commit_callbacks
):
    client.force_login(member.user)
    data = {"buyer_name": "赵先生", "buyer_mobile": "137 0013 7000", "development": "金都·滨江府"}
    assert client.post(reverse("club:refer"), data).status_code == 302
    again = client.post(reverse("club:refer"), data)
    assert again.status_code == 200 and Referral.objects.count() == 1
    bad = client.post(reverse("club:refer"), {**data, "buyer_mobile": "123"})
    assert bad.status_code == 200 and Referral.objects.count() == 1
    referral = Referral.objects.get()
    assert referral.buyer_mobile == "13700137000"
    with django_capture_on_commit_callbacks(execute=True):
        referrals.confirm(referral, club_staff)
    with pytest.raises(referrals.ReferralError):
        referrals.confirm(referral, club_staff)
    member = Member.objects.get(pk=member.pk)
    assert member.points.filter(kind="referral").get().delta == 2000
    assert member.points_balance == 2200
    assert "赵先生" in mail.outbox[-1].subject


def test_a_referral_not_confirmed_needs_a_reason(member, club_staff):
    referral = referrals.refer(
        member, buyer_name="钱女士", buyer_mobile="13700137001", development="翠湖苑"
    )
    with pytest.raises(referrals.ReferralError):
        referrals.reject(referral, club_staff, "")
    referrals.reject(referral, club_staff, "未在销售系统中找到该客户")
    referral.refresh_from_db()
    assert referral.status == "rejected"
    assert not member.points.filter(kind="referral").exists()


def test_two_rewards_from_one_page_are_two_redemptions(client, member):

    points.award(member, "survey", key="top", points=1000)
    cup = Reward.objects.create(name="杯", points=100, stock=5)
    tea = Reward.objects.create(name="茶", points=100, stock=5)
    client.force_login(member.user)
    key = "p" * 32  # the key every form on one page carries
    client.post(reverse("club:redeem", args=[cup.pk]), {"key": key})
    client.post(reverse("club:redeem", args=[tea.pk]), {"key": key})
    assert set(Redemption.objects.values_list("reward__name", flat=True)) == {"杯", "茶"}


def test_another_members_key_changes_nothing(make_member, reward):
    first, second = make_member("a"), make_member("b")
    reward_rules.redeem(first, reward, key="k" * 20)
    with pytest.raises(reward_rules.RedemptionError):
        reward_rules.redeem(second, reward, key="k" * 20)
    assert Redemption.objects.count() == 1


def test_editing_a_reward_never_writes_back_a_stale_stock(client, member, reward, staff):
    manager = staff("Managers")
    client.force_login(manager)
    url = reverse("club_rewards:edit", args=[reward.pk])
    form = client.get(url)
    assert form.status_code == 200 and 'name="stock"' not in form.content.decode()
    reward_rules.redeem(member, reward, key="k" * 16)  # meanwhile, stock 10 -> 9
    data = {
        "name": "保温杯（新款）",
        "description": "",
        "kind": "gift",
        "points": "100",
        "limit_per_member": "1",
        "is_active": "on",
        "restock": "5",
    }
    assert client.post(url, data).status_code == 302
    reward.refresh_from_db()
    assert (reward.name, reward.stock) == ("保温杯（新款）", 14)
    assert client.post(url, {**data, "restock": "-100"}).status_code == 200
    reward.refresh_from_db()
    assert reward.stock == 14


def test_a_redeemed_reward_cannot_be_deleted_but_can_be_withdrawn(client, member, reward, staff):
    reward_rules.redeem(member, reward, key="k" * 16)
    client.force_login(staff("Managers"))
    response = client.post(reverse("club_rewards:delete", args=[reward.pk]))
    assert response.status_code == 302 and Reward.objects.filter(pk=reward.pk).exists()
