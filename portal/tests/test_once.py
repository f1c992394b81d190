"""One-time steps of the complaint mailbox happen once, however many requests arrive together
(PostgreSQL, parallel connections released at once by a barrier).

A rating link opened in two tabs, a double tap on "confirm", two agents on the same button: the
first request locks the case and acts, the others wait, look again and get a clear answer.
"""

import re

import pytest
from django.core import mail
from django.db import connection
from django.test import Client

from cases import casework
from cases.models import Case, CaseEvent, Category
from club.tests.test_concurrency import of_type, together
from conftest import make_verified_owner
from forum import posting
from forum.models import Board, Topic
from owners import claims
from owners.models import OwnershipClaim, User
from portal.models import Notification
from portal.notifications import NOTIFICATIONS
from portal.tasks import send_notification_digests

pytestmark = [
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql", reason="needs parallel PostgreSQL writers"
    ),
]

ALREADY_RATED = "This case has been rated already. Thank you."


@pytest.fixture
def agent(staff):
    return staff("Customer service")


@pytest.fixture
def resolved(verified_owner, agent):
    case = casework.file_case(
        verified_owner,
        kind="complaint",
        category=Category.objects.get(name="维修报修"),
        subject="卫生间漏水",
        description="楼上卫生间漏水。",
    )
    casework.accept(case, agent)
    casework.set_status(case, agent, "resolved", "已修好")
    return case


def fresh(case):
    """Each request loads the case itself: threads never share one in-memory object."""
    return Case.objects.get(pk=case.pk)


def statuses(case, status):
    return case.events.filter(kind=CaseEvent.Kind.STATUS, status=status).count()


def assert_rated_once(case):
    case.refresh_from_db()
    assert case.status == Case.Status.CLOSED and case.satisfaction in range(1, 6)
    assert case.events.filter(kind=CaseEvent.Kind.FOLLOW_UP).count() == 1
    assert statuses(case, Case.Status.FOLLOWED_UP) == 1
    assert statuses(case, Case.Status.CLOSED) == 1


def test_twelve_submissions_of_the_rating_link_rate_the_case_once(resolved):
    """The link in the "resolved" email, sent twelve times at the same moment, without signing
    in: one rating, one follow-up, one closing; the eleven others are told it is rated."""
    path = f"/me/cases/rate/{casework.rating_token(resolved)}/"
    mail.outbox.clear()

    def submit(score):
        response = Client(HTTP_ACCEPT_LANGUAGE="en").post(
            path, {"score": str(score), "comment": f"评价{score}"}
        )
        return response.status_code, response.content.decode()

    outcomes = together(submit, [1 + n % 5 for n in range(12)])

    assert sorted(status for status, _page in outcomes) == [200] + [400] * 11, outcomes
    refused = [page for status, page in outcomes if status == 400]
    assert all(ALREADY_RATED in page for page in refused)
    assert_rated_once(resolved)
    assert mail.outbox == []  # an owner who rates online is not emailed about it


def test_twelve_ratings_from_the_case_page_at_once_rate_once(resolved, verified_owner):
    """The rating form on the owner's own case page, sent twelve times at once."""
    url = resolved.get_absolute_url()

    def submit(score):
        client = Client()
        client.force_login(verified_owner)
        client.cookies["django_language"] = "en"  # whatever language the owner saved
        client.post(url, {"action": "rate", "score": str(score)})
        return re.findall(r'class="message[^"]*">([^<]*)<', client.get(url).content.decode())

    outcomes = together(submit, [1 + n % 5 for n in range(12)])

    # One is thanked for rating; the eleven others are told it is rated already.
    thanked = [["Thank you for your rating."]]
    assert sorted(outcomes) == sorted([[ALREADY_RATED]] * 11 + thanked), outcomes
    assert_rated_once(resolved)


def test_the_owners_link_and_staffs_follow_up_at_once_record_one_rating(resolved, agent):
    """Staff record the follow-up call while the owner rates by the link: one of them wins, the
    other is told the case is rated already."""
    token = casework.rating_token(resolved)

    def act(who):
        if who == "staff":
            return casework.record_follow_up(fresh(resolved), agent, score=4, method="电话回访")
        return casework.rate_by_token(token, 2)

    outcomes = together(act, ["staff", "owner"])

    assert len(of_type(outcomes, Case)) == 1, outcomes
    assert [str(error) for error in of_type(outcomes, casework.CaseError)] == [ALREADY_RATED]
    assert_rated_once(resolved)


def test_twelve_confirmations_at_once_confirm_once(resolved, verified_owner):
    outcomes = together(
        lambda _n: casework.confirm_resolved(fresh(resolved), verified_owner), range(12)
    )

    assert of_type(outcomes, Exception) == [], outcomes
    assert resolved.events.filter(kind=CaseEvent.Kind.OWNER_MESSAGE).count() == 1
    resolved.refresh_from_db()
    assert resolved.confirmed_at is not None


def test_twelve_reopenings_at_once_reopen_once(resolved, verified_owner):
    outcomes = together(
        lambda n: casework.reopen(fresh(resolved), verified_owner, f"还漏{n}"), range(12)
    )

    assert len(of_type(outcomes, Case)) == 1, outcomes
    errors = {str(error) for error in of_type(outcomes, casework.CaseError)}
    assert errors == {"This case has already been reopened."}
    assert statuses(resolved, Case.Status.REOPENED) == 1


def test_an_agent_pressing_resolve_twelve_times_resolves_once(resolved, agent):
    casework.reopen(resolved, resolved.owner, "还漏")
    mail.outbox.clear()

    outcomes = together(
        lambda _n: casework.set_status(fresh(resolved), agent, "resolved"), range(12)
    )

    assert len(of_type(outcomes, Case)) == 1, outcomes
    assert len(of_type(outcomes, casework.CaseError)) == 11
    assert statuses(resolved, Case.Status.RESOLVED) == 2  # the first resolution and this one
    assert len(mail.outbox) == 1


def test_two_agents_matching_an_email_case_to_owners_at_once_match_one(
    verified_owner, other_owner, agent, staff
):
    case = casework.file_case(
        None,
        kind="complaint",
        category=Category.objects.get(name="维修报修"),
        subject="邮件投诉",
        description="……",
        channel=Case.Channel.EMAIL,
        contact_email="someone@example.net",
    )
    manager = staff("Managers")

    outcomes = together(
        lambda pair: casework.match_owner(fresh(case), *pair),
        [(agent, verified_owner), (manager, other_owner)],
    )

    assert len(of_type(outcomes, Case)) == 1, outcomes
    assert [str(e) for e in of_type(outcomes, casework.CaseError)] == [
        "This case already belongs to an owner."
    ]
    assert case.events.filter(kind=CaseEvent.Kind.NOTE).count() == 1


def test_twelve_presses_of_make_a_case_from_a_topic_make_one_case(agent, unit):
    author = make_verified_owner("poster", unit)
    board = Board.objects.create(slug="q", name="投诉与建议", writers="verified")
    topic = posting.create_topic(author, board, title="电梯又坏了", source="三号楼电梯停了")

    outcomes = together(
        lambda _n: casework.case_from_topic(Topic.objects.get(pk=topic.pk), agent), range(12)
    )

    assert all(isinstance(outcome, Case) for outcome in outcomes), outcomes
    assert len({case.pk for case in outcomes}) == 1
    assert Case.objects.filter(forum_topic=topic).count() == 1


def test_twelve_approvals_of_a_claim_at_once_approve_it_once(owner, unit, staff):
    reviewer = staff("Customer service")
    claim = claims.submit_claim(owner, unit, role="owner", proof="HT-7")
    mail.outbox.clear()

    outcomes = together(
        lambda _n: claims.approve_claim(OwnershipClaim.objects.get(pk=claim.pk), reviewer),
        range(12),
    )

    assert len(of_type(outcomes, OwnershipClaim)) == 1, outcomes
    assert len(of_type(outcomes, claims.ClaimError)) == 11
    assert len(mail.outbox) == 1


def test_twelve_unsubscribe_clicks_at_once_leave_email_off(owner):
    """Unsubscribing is the same whether done once or twelve times: each click answers."""

    path = NOTIFICATIONS.url(owner).split("testserver", 1)[-1]
    outcomes = together(lambda _n: Client().post(path).status_code, range(12))

    assert outcomes == [200] * 12
    owner.refresh_from_db()
    assert owner.email_notifications == User.EmailNotifications.NEVER


def test_two_digest_runs_at_once_send_each_digest_once(owner, other_owner):

    for person in (owner, other_owner):
        person.email_notifications = User.EmailNotifications.DAILY
        person.save(update_fields=["email_notifications"])
        for n in range(3):
            Notification.objects.create(recipient=person, kind="reply", text=f"回复{n}", url="/")

    together(lambda _n: send_notification_digests(), range(2))

    assert sorted(message.to[0] for message in mail.outbox) == sorted(
        [owner.email, other_owner.email]
    )
    assert not Notification.objects.filter(emailed_at=None).exists()
