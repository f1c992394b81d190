"""Club pages cost the same number of queries with a short ledger as with a long one: the
balance is read from the member, never summed, and lists are fetched in one go."""

import csv
import io

import openpyxl
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from club import points, referrals, rewards
from club.models import ClubSettings, Hobby, PointsEntry, Reward, Tier

pytestmark = pytest.mark.django_db


def grow(member, entries, rewards=0):
    for n in range(entries):
        points.post_entry(member, 10, kind="event", key=f"grow:{member.pk}:{n}", reason=f"活动{n}")
    for n in range(rewards):
        Reward.objects.create(name=f"礼品{n}", points=50 + n, stock=5)
    member.hobbies.set(Hobby.objects.all()[: 2 + entries % 5])


def count(client, url):
    client.get(url)  # warm caches (settings, site) the way a second visit would be
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries), [q["sql"] for q in queries]


@pytest.mark.parametrize(
    ("name", "limit"),
    [("club:home", 11), ("club:points", 8), ("club:rewards", 8), ("club:edit", 9)],
)
def test_owner_pages(client, make_member, name, limit):
    small, large = make_member("small"), make_member("large")
    grow(small, 3, rewards=2)
    grow(large, 80, rewards=25)
    client.force_login(small.user)
    few, _ = count(client, reverse(name))
    client.force_login(large.user)
    many, sql = count(client, reverse(name))
    assert few == many <= limit, sql
    assert not any("SUM(" in q.upper() for q in sql)  # the balance is read, never summed


@pytest.mark.parametrize(
    "name",
    [
        "club_members:index",
        "club_applications:index",
        "club_points:index",
        "club_cards:index",
        "club_redemptions:index",
        "club_referrals:index",
        "club_rewards:index",
    ],
)
def test_admin_lists(client, make_member, staff, name):
    client.force_login(staff("Managers"))
    first = make_member("first")
    grow(first, 3, rewards=2)
    few, _ = count(client, reverse(name))
    for n in range(12):
        grow(make_member(f"more{n}"), 5)
    many, sql = count(client, reverse(name))
    assert few == many <= 30, sql


def test_admin_member_screen(client, make_member, club_staff):
    client.force_login(club_staff)
    small, large = make_member("small"), make_member("large")
    grow(small, 3)
    grow(large, 80)
    few, _ = count(client, reverse("club_members:inspect", args=[small.pk]))
    many, sql = count(client, reverse("club_members:inspect", args=[large.pk]))
    assert few == many <= 30, sql


def add_rows(make_member, club_staff, reward, start, count):
    """`count` more members, each with a card issued by staff, a referral, points in the
    ledger and a redemption staff handed over: a row in every club export."""
    for n in range(start, start + count):
        member = make_member(f"export{n}")
        redemption, _created = rewards.redeem(member, reward, key=f"export:{n}")
        rewards.fulfil(redemption, club_staff)
        referrals.refer(
            member, buyer_name="钱女士", buyer_mobile=f"137{n:08d}", development="滨江府"
        )


def export(client, name, export_format):
    """The rows of the admin list's spreadsheet, and the queries it cost."""
    url = reverse(name)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url, {"export": export_format})
        content = b"".join(response.streaming_content) if response.streaming else response.content
    assert response.status_code == 200
    assert f".{export_format}" in response["Content-Disposition"]
    if export_format == "csv":
        rows = list(csv.reader(io.StringIO(content.decode("utf-8-sig"))))
    else:
        rows = list(openpyxl.load_workbook(io.BytesIO(content)).active.iter_rows(values_only=True))
    return rows[1:], len(queries), [q["sql"] for q in queries]


@pytest.mark.parametrize("export_format", ["csv", "xlsx"])
@pytest.mark.parametrize(
    "name",
    [
        "club_members:index",
        "club_cards:index",
        "club_redemptions:index",
        "club_referrals:index",
        "club_points:index",
    ],
)
def test_admin_exports(client, make_member, club_staff, staff, name, export_format):
    """The spreadsheet of 3 records costs the same queries as that of 15: nothing per row."""
    client.force_login(staff("Managers"))
    reward = Reward.objects.create(name="保温杯", points=100, stock=50, limit_per_member=1)
    add_rows(make_member, club_staff, reward, 0, 3)
    export(client, name, export_format)  # warm caches (settings, site) as a second visit would
    few_rows, few, _ = export(client, name, export_format)
    add_rows(make_member, club_staff, reward, 3, 12)
    many_rows, many, sql = export(client, name, export_format)
    assert len(few_rows) >= 3 and len(many_rows) == 5 * len(few_rows), (few_rows, many_rows)
    assert few == many <= 8, sql


@pytest.mark.parametrize(
    ("name", "limit"), [("club:home", 8), ("club:points", 5), ("club:rewards", 7)]
)
def test_owner_pages_for_3_and_300_entries(client, make_member, name, limit):
    """Neither a permission nor the unread count is asked of the database for a member."""
    small, large = make_member("small"), make_member("large")
    for member, n in ((small, 3), (large, 300)):
        PointsEntry.objects.bulk_create(
            PointsEntry(
                member=member, delta=1, balance_after=n, kind="event", key=f"b:{member.pk}:{i}"
            )
            for i in range(n)
        )
    client.force_login(small.user)
    few, _ = count(client, reverse(name))
    client.force_login(large.user)
    many, sql = count(client, reverse(name))
    assert few == many <= limit, sql
    assert not any("portal_notification" in q or "auth_permission" in q for q in sql), sql


def test_my_club_reads_the_tiers_and_rules_kept_yet_shows_a_change_at_once(client, member):
    """The tiers and the points rules are kept with the pages (no query for them on "My
    club"); a tier renamed or a new tier period shows on the next visit."""
    client.force_login(member.user)
    _count, sql = count(client, reverse("club:home"))
    assert not [q for q in sql if 'FROM "club_tier"' in q or 'FROM "club_clubsettings"' in q]
    upcoming = Tier.objects.filter(min_points__gt=member.tier_points).order_by("min_points")[0]
    upcoming.name = "钻石会员"
    upcoming.save()
    rules = ClubSettings.load()
    rules.tier_period_months = 7
    rules.save()
    page = client.get(reverse("club:home")).content.decode()
    assert "钻石会员" in page and "7 个月" in page
