"""Flood limits in the club: a pause between redemptions, a daily number of referrals."""

import pytest
from django.db import connection
from django.urls import reverse

from club import referrals
from club import rewards as reward_rules
from club.models import Redemption, Referral, Reward
from club.tests.test_concurrency import of_type, together

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def limits_on(settings):
    settings.CLUB_SECONDS_BETWEEN_REDEMPTIONS = 10
    settings.CLUB_REFERRALS_PER_DAY = 10
    return settings


@pytest.fixture
def gifts(db):
    return [Reward.objects.create(name=f"礼品{n}", points=10, stock=5) for n in range(12)]


@pytest.fixture
def client(client, settings):
    """Pages in English, whatever the member saved (the messages are checked in English)."""
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


def test_a_second_redemption_within_ten_seconds_waits(client, member, gifts):
    client.force_login(member.user)
    for gift in gifts[:2]:
        client.post(reverse("club:redeem", args=[gift.pk]), {"key": "k" * 32})
    page = client.get(reverse("club:rewards")).content.decode()
    assert "You are sending too fast. Try again in 10 seconds." in page
    assert list(Redemption.objects.values_list("reward", flat=True)) == [gifts[0].pk]
    # The same form pressed twice is not a second redemption: it is the first one, found again.
    client.post(reverse("club:redeem", args=[gifts[0].pk]), {"key": "k" * 32})
    page = client.get(reverse("club:rewards")).content.decode()
    assert "You have already redeemed this" in page

    Redemption.objects.update(created_at=Redemption.objects.get().created_at.replace(year=2020))
    client.post(reverse("club:redeem", args=[gifts[1].pk]), {"key": "j" * 32})
    assert Redemption.objects.count() == 2


def test_a_daily_number_of_referrals(client, member, limits_on):
    limits_on.CLUB_REFERRALS_PER_DAY = 2
    client.force_login(member.user)
    for n in range(3):
        response = client.post(
            reverse("club:refer"),
            {"buyer_name": f"买家{n}", "buyer_mobile": f"1370013700{n}", "development": "滨江府"},
        )
    assert response.status_code == 200
    assert "You have introduced 2 buyers in the last 24 hours. Try again after" in (
        response.content.decode()
    )
    assert Referral.objects.count() == 2


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
@pytest.mark.skipif(connection.vendor != "postgresql", reason="needs parallel PostgreSQL writers")
def test_twelve_redemptions_of_different_rewards_at_once_make_one(member, gifts):
    outcomes = together(
        lambda gift: reward_rules.redeem(member, gift, key=f"tap:{gift.pk}".ljust(16, "x")), gifts
    )

    assert len(of_type(outcomes, tuple)) == 1, outcomes
    assert len(of_type(outcomes, reward_rules.RedemptionError)) == 11
    assert Redemption.objects.count() == 1


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
@pytest.mark.skipif(connection.vendor != "postgresql", reason="needs parallel PostgreSQL writers")
def test_twelve_referrals_at_once_stop_at_the_daily_number(member, limits_on):
    limits_on.CLUB_REFERRALS_PER_DAY = 3

    outcomes = together(
        lambda n: referrals.refer(
            member, buyer_name=f"买家{n}", buyer_mobile=f"137001370{n:02d}", development="滨江府"
        ),
        range(12),
    )

    assert len(of_type(outcomes, Referral)) == 3, outcomes
    assert Referral.objects.count() == 3
