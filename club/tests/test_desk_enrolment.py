"""办理入会 at the club desk: an owner in the owner archive joins without an account, gets a
number, the joining points and a card; signing up later with the mobile on record makes the
membership theirs on the site."""

import datetime
import io

import openpyxl
import pytest
from django.urls import reverse

from club import membership
from club.models import Member
from conftest import make_user, verify
from events import checkin
from owners import archive, privacy
from owners.models import OwnerRecord, Unit
from portal.adapters import AccountAdapter

pytestmark = pytest.mark.django_db
ZH = {"HTTP_ACCEPT_LANGUAGE": "zh-hans"}
DAY = datetime.date(2019, 7, 2)


@pytest.fixture
def desk(staff):
    return staff("Customer service")


@pytest.fixture
def chen(desk, estate):
    """An owner of 3栋 1201 the desk knows, without an account."""
    person = archive.save_record(OwnerRecord(name="陈伟", mobile="13500135008"), desk)
    unit = Unit.objects.get(estate=estate, building="3栋", number="1201")
    archive.hand_over(unit, desk, owners=[person], on=DAY)
    return person


def test_club_staff_enrol_an_owner_without_an_account_and_print_the_card(client, chen, club_staff):
    client.force_login(club_staff)
    url = reverse("club_members:enrol")
    form = client.get(url, {"record": chen.pk}, **ZH)
    assert form.status_code == 200 and form.context["form"].initial["record"] == str(chen.pk)
    response = client.post(
        url, {"record": chen.pk, "birthday": "1985-03-07", "publications": "on"}, **ZH
    )
    member = Member.objects.get()
    assert response.status_code == 302 and response["Location"].endswith(f"/{member.pk}/")
    assert member.user is None and member.record == chen and member.number.startswith("JD")
    assert member.points_balance > 0 and member.points.get().kind == "joining"
    assert member.cards.get().is_active
    assert member.dates.get().date == datetime.date(1985, 3, 7)
    assert not member.event_news  # unticked

    screen = client.get(reverse("club_members:inspect", args=[member.pk]), **ZH).content.decode()
    assert "陈伟" in screen and "13500135008" in screen
    listing = client.get(reverse("club_members:index"), {"q": "陈伟"}, **ZH).content.decode()
    assert member.number in listing

    today = datetime.date.today().isoformat()
    sheet = client.post(reverse("club_cards:sheet"), {"issued_from": today, "issued_to": today})
    assert sheet["Content-Type"] == "application/pdf"

    # Once only, and only owners and their households.
    again = client.post(url, {"record": chen.pk}, **ZH)
    assert again.status_code == 200 and "已是俱乐部会员" in again.content.decode()
    tenant = archive.save_record(OwnerRecord(name="赵磊"), records_desk())
    refused = client.post(url, {"record": tenant.pk}, **ZH)
    assert "没有以产权人、共有人或家庭成员身份登记的房屋" in refused.content.decode()
    assert Member.objects.count() == 1


def records_desk():
    """Records are made by customer service; the club staff only read them."""
    return make_user("records-desk", groups=["Customer service"])


def test_customer_service_does_not_enrol(client, chen, desk):
    client.force_login(desk)
    response = client.post(reverse("club_members:enrol"), {"record": chen.pk})
    assert response.status_code == 302 and response["Location"] == "/admin/"
    assert not Member.objects.exists()


def test_signing_up_with_the_mobile_on_record_makes_the_membership_theirs(client, chen, club_staff):
    member = membership.enrol_at_desk(chen, club_staff)
    # At an event's door the card says why it cannot be checked in yet.
    assert "no account" in checkin._without_account(member)

    account = make_user("chenwei", mobile="13500135008", mobile_verified=False)
    AccountAdapter().set_phone_verified(account, "+8613500135008")
    member.refresh_from_db()
    assert member.user == account and member.record == chen
    account.refresh_from_db()
    assert account.is_verified_owner
    client.force_login(account)
    home = client.get(reverse("club:home"), **ZH).content.decode()
    assert member.number in home


def test_a_member_who_joined_online_gets_their_record_when_it_is_linked(make_member, desk, estate):
    member = make_member("wang", real_name="王建国", mobile="13800138001")
    person = archive.save_record(OwnerRecord(name="王建国", mobile="13800138001"), desk)
    member.refresh_from_db()
    assert person.user == member.user and member.record == person


def test_a_member_approved_online_with_a_record_already_linked_keeps_it(make_member, desk):
    account = make_user("liufang", mobile="13800138011")
    person = archive.save_record(OwnerRecord(name="刘芳", mobile="13800138011"), desk)
    assert person.user == account
    verify(account, Unit.objects.filter(building="2栋").first())
    member = membership.approve(membership.apply(account), make_user("c", groups=["Club staff"]))
    assert member.record == person


def test_the_members_export_and_a_closure_with_a_desk_member(
    client, chen, club_staff, make_member, staff
):
    membership.enrol_at_desk(chen, club_staff)
    make_member("wang", real_name="王建国", mobile="13800138001")
    client.force_login(club_staff)
    sheet = client.get(reverse("club_members:index"), {"export": "xlsx"})
    rows = list(openpyxl.load_workbook(io.BytesIO(b"".join(sheet.streaming_content))).active.values)
    assert {row[1] for row in rows[1:]} == {"陈伟", "王建国"}
    assert "13500135008" in {row[3] for row in rows[1:]}

    # The account closes: the membership no longer names the desk's record of the person.
    account = make_user("chenwei", mobile="13500135008", mobile_verified=False)
    AccountAdapter().set_phone_verified(account, "+8613500135008")
    member = Member.objects.get(record=chen)
    assert member.user == account
    closure = privacy.request_closure(account, posts="keep")
    privacy.carry_out_closure(closure, staff("Managers"))
    member.refresh_from_db()
    assert member.record is None and member.status == "suspended"
    assert membership.why_not_enrol(OwnerRecord.objects.get(pk=chen.pk)) == ""
