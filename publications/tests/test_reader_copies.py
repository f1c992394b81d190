"""A members-only issue is kept twice for signed-in owners: club members share the copy with
the articles, other owners the one without; neither ever gets the other's, in either order."""

import pytest
from django.test import Client

from club import membership
from club.models import ClubPage
from home.tests.conftest import publish

pytestmark = pytest.mark.django_db

ARTICLE = "会员专享的正文"


def signed_in(user):
    client = Client()
    client.force_login(user)
    return client


@pytest.mark.parametrize("member_first", [True, False])
def test_members_and_other_owners_each_get_their_own_copy(
    make_issue, make_member, other_owner, member_first
):
    issue = make_issue()
    member, owner = signed_in(make_member("reader").user), signed_in(other_owner)
    readers = [(member, True), (owner, False)]
    for client, sees_articles in (readers if member_first else readers[::-1]) * 2:
        assert (ARTICLE in client.get(issue.url).content.decode()) is sees_articles


def test_the_club_page_offers_each_owner_their_own_next_step(
    home_page, make_member, other_owner, club_staff
):
    club = publish(home_page, ClubPage(title="金都会", slug="club"))
    active, suspended = make_member("active"), make_member("suspended")
    membership.suspend(suspended, club_staff, "逾期未缴会费")
    pages = {
        name: signed_in(user).get(club.url).content.decode()
        for name, user in [("active", active.user), ("owner", other_owner)] * 2
        + [("suspended", suspended.user)]
    }
    assert "我的俱乐部" in pages["active"] and "申请入会" not in pages["active"]
    assert "申请入会" in pages["owner"] and "我的俱乐部" not in pages["owner"]
    assert "逾期未缴会费" in pages["suspended"] and "逾期未缴会费" not in pages["owner"]
