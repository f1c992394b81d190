"""The club desk in the Wagtail admin: the review queue, the member list and record with its
actions, hand-overs and referrals, all through the admin's own pages."""

import csv
import io
from datetime import date, timedelta

import pytest
from django.contrib.auth import get_user
from django.urls import reverse
from django.utils import timezone

from club import cards, membership
from club import rewards as reward_rules
from club.models import (
    ClubSettings,
    Hobby,
    ImportantDate,
    Member,
    MembershipApplication,
    PointsEntry,
    Tier,
)
from club.reminders import month_days_ahead
from club.tests.conftest import verified
from owners.models import Estate, Unit
from portal.tests.actions_only import assert_no_raw_admin_views

pytestmark = pytest.mark.django_db


@pytest.fixture
def desk(client, club_staff):
    client.force_login(club_staff)
    return client


def test_the_queue_puts_waiting_applications_first_and_approval_works(
    desk, verified_owner, make_member
):
    make_member("earlier")
    application = membership.apply(verified_owner)
    listing = desk.get(reverse("club_applications:index")).content.decode()
    inspect = reverse("club_applications:inspect", args=[application.pk])
    assert inspect in listing
    approved = MembershipApplication.objects.get(status="approved")
    later = reverse("club_applications:inspect", args=[approved.pk])
    assert listing.index(inspect) < listing.index(later)  # waiting first
    # Rejecting without a reason is refused on the form.
    page = desk.post(inspect, {"action": "reject", "reason": ""})
    assert page.status_code == 200 and "help-critical" in page.content.decode()
    assert MembershipApplication.objects.get(pk=application.pk).status == "pending"
    response = desk.post(inspect, {"action": "approve", "reason": ""})
    assert response.status_code == 302
    assert Member.objects.filter(user=verified_owner).exists()


def test_no_add_or_edit_forms_for_records_kept_by_the_rules(client, member, staff):
    admin = staff("Managers")
    admin.is_superuser = True
    admin.save()
    client.force_login(admin)
    for name in ("club_cards", "club_applications"):
        assert client.get(reverse(f"{name}:add")).status_code != 200


def test_points_entries_and_redemptions_have_no_raw_admin_forms(client, member, reward):
    """They change through the ledger and the redemption actions only."""
    redemption, _created = reward_rules.redeem(member, reward, key="admin-check")
    assert_no_raw_admin_views(client, "/admin/club/points/", member.points.first())
    assert_no_raw_admin_views(client, "/admin/club/redemptions/", redemption)


def test_the_member_list_filters_and_exports(desk, make_member, estate):
    gold = Tier.objects.get(name="金卡")
    photographer, golfer = make_member("photo", real_name="摄影师"), make_member("golf")
    photographer.hobbies.add(Hobby.objects.get(name="摄影"))
    Member.objects.filter(pk=golfer.pk).update(tier=gold)
    soon = timezone.localdate() + timedelta(days=3)
    ImportantDate(member=golfer, kind="birthday", date=soon.replace(year=1980)).save()
    elsewhere = Estate.objects.create(name="金都·滨江府", city="杭州")
    far = verified("far", Unit.objects.create(estate=elsewhere, building="1栋", number="0101"))
    far_member = membership.approve(membership.apply(far), desk_user(desk))

    def listed(**query):
        html = desk.get(reverse("club_members:index"), query).content.decode()
        return {m.number for m in (photographer, golfer, far_member) if m.number in html}

    assert listed() == {photographer.number, golfer.number, far_member.number}
    assert listed(tier=gold.pk) == {golfer.number}
    assert listed(hobby=Hobby.objects.get(name="摄影").pk) == {photographer.number}
    assert listed(upcoming="7") == {golfer.number}
    assert listed(estate=elsewhere.pk) == {far_member.number}
    assert listed(estate=estate.pk) == {photographer.number, golfer.number}
    assert listed(status="suspended") == set()

    export = desk.get(reverse("club_members:index"), {"export": "csv", "tier": gold.pk})
    rows = list(csv.reader(io.StringIO(b"".join(export.streaming_content).decode("utf-8-sig"))))
    assert len(rows) == 2 and rows[1][0] == golfer.number


def desk_user(client):

    return get_user(client)


def test_adjusting_points_from_the_member_record_posts_once(desk, member):
    url = reverse("club_members:inspect", args=[member.pk])
    form = {"action": "adjust", "points": "300", "reason": "社区志愿服务", "key": "f" * 32}
    assert desk.post(url, form).status_code == 302
    assert desk.post(url, form).status_code == 302  # the same form again: no second entry
    member.refresh_from_db()
    assert member.points_balance == 500
    assert member.points.filter(kind="adjustment").count() == 1
    # No reason: refused, nothing changes.
    page = desk.post(url, {**form, "reason": "", "key": "g" * 32})
    assert page.status_code == 200 and "help-critical" in page.content.decode()
    assert PointsEntry.objects.filter(member=member).count() == 2


def test_card_and_status_actions_on_the_member_record(desk, member):
    url = reverse("club_members:inspect", args=[member.pk])
    old = member.cards.get()
    desk.post(url, {"action": "replace_card", "reason": "卡片损坏", "key": "a" * 32})
    assert member.cards.get(status="active").replaces == old
    desk.post(url, {"action": "revoke_card", "reason": "退会", "key": "b" * 32})
    assert not member.cards.filter(status="active").exists()
    desk.post(url, {"action": "issue_card", "reason": "", "key": "c" * 32})
    assert member.cards.filter(status="active").count() == 1
    desk.post(url, {"action": "suspend", "reason": "违规", "key": "d" * 32})
    assert Member.objects.get(pk=member.pk).status == "suspended"
    page = desk.get(url).content.decode()
    assert "卡片损坏" in page and "违规" in page


def test_card_actions_need_the_card_right(member, staff, club_staff):
    """The right is checked by the card actions themselves, whoever calls them."""
    clerk = staff("Customer service")  # may sign in to the admin, may not touch cards
    old = member.cards.get()
    for attempt in (
        lambda: cards.replace_card(member, by=clerk, reason="卡片损坏"),
        lambda: cards.revoke_card(old, by=clerk, reason="退会"),
        lambda: cards.issue_card(member, by=None),
    ):
        with pytest.raises(cards.CardError, match="may not issue or change"):
            attempt()
    old.refresh_from_db()
    assert old.status == "active" and member.cards.count() == 1
    # Replacing without a reason is refused with a message, and changes nothing either.
    with pytest.raises(cards.CardError, match="reason"):
        cards.replace_card(member, by=club_staff, reason="  ")
    assert member.cards.get().status == "active"


def test_hand_over_and_cancel_in_the_admin(desk, member, reward):
    handed, _ = reward_rules.redeem(member, reward, key="h" * 16)
    url = reverse("club_redemptions:inspect", args=[handed.pk])
    assert desk.post(url, {"action": "fulfil", "reason": ""}).status_code == 302
    handed.refresh_from_db()
    assert handed.status == "fulfilled"
    assert desk.post(url, {"action": "cancel", "reason": "x"}).status_code == 200  # too late


def test_the_dashboard_shows_the_club_desk(desk, verified_owner):
    membership.apply(verified_owner)
    html = desk.get(reverse("wagtailadmin_home")).content.decode()
    assert 'id="club-desk' in html and reverse("club_applications:index") in html


def test_the_points_ledger_filters_by_member(desk, make_member):
    first, second = make_member("first"), make_member("second")
    html = desk.get(reverse("club_points:index"), {"member": first.pk}).content.decode()
    assert first.number in html and second.number not in html


def test_upcoming_dates_cross_new_year():

    assert month_days_ahead(3, date(2026, 12, 30)) == [1230, 1231, 101, 102]


def test_club_staff_edit_the_earn_rules(desk):

    url = desk.get(reverse("wagtailsettings:edit", args=["club", "clubsettings"])).url
    assert desk.get(url).status_code == 200
    form = {
        "club_name": "金都会",
        "points_for_joining": "300",
        "points_for_referral": "2500",
        "points_for_birthday": "88",
        "points_for_survey": "20",
        "points_expire_after_months": "36",
        "tier_period_months": "24",
    }
    assert desk.post(url, form).status_code == 302
    rules = ClubSettings.load()
    assert (rules.points_for_joining, rules.points_expire_after_months) == (300, 36)
    assert rules.tier_period_months == 24
    # A period the tiers cannot use is refused on the form.
    assert desk.post(url, {**form, "tier_period_months": "0"}).status_code == 200
    assert ClubSettings.load().tier_period_months == 24
