"""Joining the club: who may apply, what the form refuses, and what approval creates."""

from datetime import date, timedelta

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from wagtail.models import Page

from club import membership
from club.models import ClubPage, ClubSettings, Hobby, Member, MembershipApplication, Tier
from club.tests.conftest import verified
from owners.models import OwnershipClaim

pytestmark = pytest.mark.django_db


def english(user):
    """Messages asserted in English: the owner's saved language decides the page's."""
    user.language = "en"
    user.save(update_fields=["language"])
    return user


def application_data(**overrides):
    hobbies = Hobby.objects.filter(name__in=["摄影", "茶艺"])
    data = {
        "hobbies": [str(h.pk) for h in hobbies],
        "other_hobbies": "钓鱼",
        "birthday": "1980-05-17",
        "wedding": "2008-10-01",
        "move_in": "",
        "other1_label": "孩子生日",
        "other1_date": "2012-06-01",
        "other2_label": "",
        "other2_date": "",
        "publications": "on",
        "event_news": "on",
        "agree": "on",
    }
    data.update(overrides)
    return data


def test_a_verified_owner_applies_with_hobbies_and_dates(client, verified_owner):
    client.force_login(verified_owner)
    response = client.post(reverse("club:apply"), application_data())
    assert response.status_code == 302
    application = MembershipApplication.objects.get(user=verified_owner)
    assert application.status == "pending"
    assert {h.name for h in application.hobbies.all()} == {"摄影", "茶艺"}
    assert application.other_hobbies == "钓鱼"
    assert application.important_dates == [
        {"kind": "birthday", "label": "", "date": "1980-05-17"},
        {"kind": "wedding", "label": "", "date": "2008-10-01"},
        {"kind": "other", "label": "孩子生日", "date": "2012-06-01"},
    ]
    assert (application.publications, application.event_news) == (True, True)
    assert application.birthday_greeting is False


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("agree", "", "agree to the club rules"),
        ("birthday", (date.today() + timedelta(days=2)).isoformat(), "in the future"),
        ("birthday", "17/05/1980x", "Enter a valid date"),
        ("other1_date", "", "Enter the date for"),
        ("other1_label", "", "Say what this date is"),
        ("hobbies", ["999999"], "Select a valid choice"),
    ],
)
def test_bad_input_is_explained_and_changes_nothing(client, verified_owner, field, value, message):
    client.force_login(english(verified_owner))
    response = client.post(reverse("club:apply"), application_data(**{field: value}))
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not MembershipApplication.objects.exists()


def test_owners_without_a_verified_unit_are_told_to_claim_one(client, owner):
    client.force_login(english(owner))
    page = client.get(reverse("club:apply")).content.decode()
    assert "Claim your unit first" in page
    assert reverse("owners:claim_unit") in page
    client.post(reverse("club:apply"), application_data())
    assert not MembershipApplication.objects.exists()


def test_a_second_application_waits_for_the_first(client, verified_owner):
    client.force_login(english(verified_owner))
    client.post(reverse("club:apply"), application_data())
    response = client.post(reverse("club:apply"), application_data())
    assert "is with the club staff" in response.content.decode()
    assert MembershipApplication.objects.count() == 1
    with pytest.raises(membership.MembershipError):
        membership.apply(verified_owner)


def test_approval_makes_a_member_with_number_tier_points_card_and_email(
    verified_owner, club_staff, django_capture_on_commit_callbacks
):
    application = membership.apply(
        verified_owner,
        hobbies=Hobby.objects.filter(name="摄影"),
        dates=[{"kind": "birthday", "date": date(1980, 5, 17)}],
        birthday_greeting=True,
    )
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        member = membership.approve(application, club_staff)

    assert member.number == f"JD{member.pk:08d}"
    assert member.tier == Tier.objects.order_by("min_points").first()
    assert member.points_balance == ClubSettings.load().points_for_joining
    assert member.points.get().key == f"joining:{member.pk}"
    card = member.cards.get()
    assert card.is_active and len(card.number) == 16
    assert [d.date for d in member.dates.all()] == [date(1980, 5, 17)]
    assert [h.name for h in member.hobbies.all()] == ["摄影"]
    assert member.birthday_greeting is True
    application.refresh_from_db()
    assert (application.status, application.reviewed_by) == ("approved", club_staff)
    assert len(mail.outbox) == 1 and member.number in mail.outbox[0].body
    assert card.formatted_number in mail.outbox[0].body

    with pytest.raises(membership.MembershipError):
        membership.approve(application, club_staff)  # only once
    assert Member.objects.count() == 1


def test_approval_checks_the_applicant_is_still_verified(verified_owner, club_staff):
    application = membership.apply(verified_owner)
    OwnershipClaim.objects.filter(owner=verified_owner).update(status="revoked")
    with pytest.raises(membership.MembershipError, match="no longer has a verified unit"):
        membership.approve(application, club_staff)
    assert not Member.objects.exists()


def test_only_club_staff_review(verified_owner, staff):
    application = membership.apply(verified_owner)
    with pytest.raises(PermissionDenied):
        membership.approve(application, staff("Editors"))


def test_rejection_needs_a_reason_and_tells_the_owner(
    verified_owner, club_staff, django_capture_on_commit_callbacks
):
    application = membership.apply(verified_owner)
    with pytest.raises(membership.MembershipError):
        membership.reject(application, club_staff, "  ")
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        membership.reject(application, club_staff, "请先完成交房手续")
    application.refresh_from_db()
    assert (application.status, application.reason) == ("rejected", "请先完成交房手续")
    assert "请先完成交房手续" in mail.outbox[0].body
    # A rejected owner may apply again.
    assert membership.apply(verified_owner).status == "pending"


def test_members_edit_their_own_record(client, member):
    client.force_login(member.user)
    page = client.get(reverse("club:edit"))
    assert page.status_code == 200
    response = client.post(
        reverse("club:edit"),
        {
            "hobbies": [Hobby.objects.get(name="瑜伽").pk],
            "other_hobbies": "",
            "birthday": "1979-02-03",
            "move_in": "2020-01-15",
            "other1_label": "结婚纪念",
            "other1_date": "2005-05-05",
            "birthday_greeting": "on",
        },
    )
    assert response.status_code == 302
    member.refresh_from_db()
    assert [h.name for h in member.hobbies.all()] == ["瑜伽"]
    assert [(d.kind, d.date.isoformat()) for d in member.dates.order_by("date")] == [
        ("birthday", "1979-02-03"),
        ("other", "2005-05-05"),
        ("move_in", "2020-01-15"),
    ]
    assert (member.publications, member.event_news, member.birthday_greeting) == (
        False,
        False,
        True,
    )
    # The form shows what is saved.
    page = client.get(reverse("club:edit")).content.decode()
    assert 'value="1979-02-03"' in page and 'value="结婚纪念"' in page


def test_visitors_and_non_members_are_shown_the_club_page(client, owner):
    assert client.get(reverse("club:home")).url == reverse("club:join")
    assert client.get(reverse("club:join")).url == reverse("club:apply")  # no club page yet
    client.force_login(owner)
    assert client.get(reverse("club:points")).url == reverse("club:join")


def test_the_club_page_leads_each_visitor_onwards(client, member, estate):

    home = Page.objects.get(depth=2)
    page = home.add_child(instance=ClubPage(title="金都会", slug="club", rules="<p>规则</p>"))
    page.save_revision().publish()
    assert client.get(reverse("club:join")).url == page.url
    anonymous = client.get(page.url).content.decode()
    assert f"{reverse('account_login')}?next={reverse('club:apply')}" in anonymous
    assert "钻石卡" in anonymous  # the tiers, from the database
    client.force_login(member.user)
    assert reverse("club:home") in client.get(page.url).content.decode()
    someone = verified("someone", member.user.claims.get().unit)
    client.force_login(someone)
    assert reverse("club:apply") in client.get(page.url).content.decode()


def test_a_tier_change_refreshes_the_cached_club_page(client, db):

    home = Page.objects.get(depth=2)
    page = home.add_child(instance=ClubPage(title="金都会", slug="club"))
    page.save_revision().publish()
    assert "黑金卡" not in client.get(page.url).content.decode()
    Tier.objects.create(name="黑金卡", min_points=50000)
    assert "黑金卡" in client.get(page.url).content.decode()


def test_suspension_needs_a_reason_and_can_be_undone(member, club_staff):
    with pytest.raises(membership.MembershipError):
        membership.suspend(member, club_staff, "")
    membership.suspend(member, club_staff, "违规转借会员卡")
    member.refresh_from_db()
    assert (member.status, member.status_reason) == ("suspended", "违规转借会员卡")
    membership.reinstate(member, club_staff)
    member.refresh_from_db()
    assert member.is_active


def test_an_owner_never_sees_another_members_club(client, make_member):
    first, second = make_member("first", real_name="甲"), make_member("second", real_name="乙")
    client.force_login(second.user)
    page = client.get(reverse("club:home")).content.decode()
    assert second.number in page and first.number not in page
    assert second.cards.get().formatted_number in page
    assert first.cards.get().formatted_number not in page


def test_the_applicant_must_be_signed_in(client):
    response = client.get(reverse("club:apply"))
    assert response.status_code == 302 and reverse("account_login") in response.url
