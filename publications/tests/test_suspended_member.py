"""A suspended member keeps their record and points, and loses what the club gives its members:
"My club" with its card, points and rewards pages, and the members-only magazine (the articles
and the PDF edition). Reinstated, they have it all back."""

import pytest
from django.urls import reverse

from club import membership
from club.models import ClubPage
from home.tests.conftest import publish
from publications.tests.test_publications import pdf_document

pytestmark = pytest.mark.django_db

MEMBERS_PAGES = ["club:home", "club:points", "club:rewards", "club:edit", "club:refer"]


@pytest.fixture
def club_page(home_page):
    return publish(home_page, ClubPage(title="金都会", slug="club"))


def what_the_member_gets(client, club_page, issue, pdf):
    return {
        "members' pages": [client.get(reverse(name)).status_code for name in MEMBERS_PAGES],
        "my club button": "My club" in client.get(club_page.url).content.decode(),
        "articles": "会员专享的正文" in client.get(issue.url).content.decode(),
        "pdf": client.get(pdf.url).status_code,
    }


def test_a_suspended_member_loses_my_club_and_the_members_only_magazine(
    client, member, club_staff, club_page, make_issue
):
    member.user.language = "en"
    member.user.save(update_fields=["language"])
    pdf = pdf_document()
    issue = make_issue(pdf=pdf)
    client.force_login(member.user)
    active = {"members' pages": [200] * 5, "my club button": True, "articles": True, "pdf": 200}
    assert what_the_member_gets(client, club_page, issue, pdf) == active

    membership.suspend(member, club_staff, "违规转借会员卡")

    assert what_the_member_gets(client, club_page, issue, pdf) == {
        "members' pages": [302] * 5,
        "my club button": False,
        "articles": False,
        "pdf": 403,
    }
    # "My club" in the tab bar leads to the club's page, which says why.
    response = client.get(reverse("club:home"), follow=True)
    assert response.redirect_chain[-1][0] == club_page.url
    html = response.content.decode()
    assert "Your membership is suspended" in html and "违规转借会员卡" in html
    assert "Apply to join" not in html
    # The application form does not offer a way round it either.
    assert "Your membership is suspended" in client.get(reverse("club:apply")).content.decode()

    membership.reinstate(member, club_staff)
    assert what_the_member_gets(client, club_page, issue, pdf) == active
