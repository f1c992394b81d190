"""Cases stay right when people act on them at once (PostgreSQL, parallel connections).

Every action locks the case and checks who may act and the status on the locked row, so two
different steps racing on one case take turns, and the second sees what the first did.
"""

from concurrent.futures import ThreadPoolExecutor

import pytest
from django.core.exceptions import PermissionDenied
from django.db import connection, connections
from django.test import Client
from django.urls import reverse

from cases import casework
from cases.models import Case, CaseEvent, Category
from club.tests.test_concurrency import of_type, together
from conftest import make_user
from forum import posting
from forum.models import Board

pytestmark = [
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql", reason="needs parallel PostgreSQL writers"
    ),
]

ROUNDS = 5


def test_fifty_concurrent_cases_get_distinct_references(verified_owner):
    category = Category.objects.first()

    def file(n):
        try:
            return casework.file_case(
                verified_owner,
                kind="enquiry",
                category=category,
                subject=f"咨询{n}",
                description="?",
            ).reference
        finally:
            connections.close_all()

    with ThreadPoolExecutor(max_workers=10) as pool:
        references = list(pool.map(file, range(50)))

    assert len(set(references)) == 50
    numbers = sorted(int(reference[-4:]) for reference in references)
    assert numbers == list(range(1, 51))
    assert Case.objects.count() == 50


def new_case(owner, n=0):
    return casework.file_case(
        owner,
        kind="complaint",
        category=Category.objects.first(),
        subject=f"电梯{n}",
        description="停运",
    )


def fresh(case):
    """Each request loads the case itself, as a page would: threads never share one object."""
    return Case.objects.get(pk=case.pk)


def test_a_reply_racing_a_transfer_never_comes_from_someone_no_longer_responsible(
    verified_owner, staff
):
    """The first responder hands the case over while (in another tab) replying: the reply goes
    out before the transfer, or it is refused; never after it, in the old responder's name."""
    agent = staff("Customer service")
    colleague = make_user("agent2", groups=["Customer service"])
    for n in range(ROUNDS):
        case = new_case(verified_owner, n)
        casework.accept(case, agent)

        def act(which, case=case):
            if which == "transfer":
                return casework.transfer(fresh(case), agent, colleague, "片区调整")
            return casework.reply(fresh(case), agent, "已安排维修")

        outcomes = together(act, ["transfer", "reply"])

        assert of_type(outcomes, casework.CaseError) == [], outcomes
        case.refresh_from_db()
        assert case.first_responder == colleague
        transfer = case.events.get(kind=CaseEvent.Kind.TRANSFER)
        replies = list(case.events.filter(kind=CaseEvent.Kind.REPLY))
        if replies:
            assert replies[0].pk < transfer.pk and replies[0].author == agent
        else:
            assert len(of_type(outcomes, PermissionDenied)) == 1, outcomes


def test_an_owner_message_racing_the_follow_up_never_lands_on_a_closed_case(verified_owner, staff):
    """Staff record the follow-up call, which closes the case, while the owner adds a message:
    the message comes before the closing, or the owner is told the case is closed."""
    agent = staff("Customer service")
    for n in range(ROUNDS):
        case = new_case(verified_owner, n)
        casework.accept(case, agent)
        casework.set_status(case, agent, "resolved")

        def act(which, case=case):
            if which == "follow_up":
                return casework.record_follow_up(fresh(case), agent, score=5, method="电话回访")
            return casework.owner_message(fresh(case), verified_owner, "还有一处没修好")

        outcomes = together(act, ["follow_up", "message"])

        case.refresh_from_db()
        assert case.status == Case.Status.CLOSED
        closed = case.events.get(kind=CaseEvent.Kind.STATUS, status=Case.Status.CLOSED)
        messages = list(case.events.filter(kind=CaseEvent.Kind.OWNER_MESSAGE))
        if messages:
            assert messages[0].pk < closed.pk
            assert of_type(outcomes, Exception) == [], outcomes
        else:
            refused = of_type(outcomes, casework.CaseError)
            assert [str(error) for error in refused] == [
                "This case is closed. File a new case if you need more help."
            ]


def test_the_owner_reopening_while_staff_close_the_case_does_one_of_them(verified_owner, staff):
    """Reopen and follow-up at the same moment: exactly one happens, the other is refused."""
    agent = staff("Customer service")
    for n in range(ROUNDS):
        case = new_case(verified_owner, n)
        casework.accept(case, agent)
        casework.set_status(case, agent, "resolved")

        def act(which, case=case):
            if which == "follow_up":
                return casework.record_follow_up(fresh(case), agent, score=3, method="上门回访")
            return casework.reopen(fresh(case), verified_owner, "又漏水了")

        outcomes = together(act, ["follow_up", "reopen"])

        assert len(of_type(outcomes, Case)) == 1, outcomes
        assert len(of_type(outcomes, casework.CaseError)) == 1, outcomes
        case.refresh_from_db()
        statuses = list(
            case.events.filter(kind=CaseEvent.Kind.STATUS).values_list("status", flat=True)
        )
        if case.status == Case.Status.REOPENED:
            assert case.satisfaction is None and Case.Status.CLOSED not in statuses
        else:
            assert case.status == Case.Status.CLOSED and Case.Status.REOPENED not in statuses


def test_accepting_while_a_manager_transfers_leaves_one_first_responder(verified_owner, staff):
    """A new case cannot be transferred before someone accepts it; the accept always wins."""
    agent = staff("Customer service")
    manager = staff("Managers")
    colleague = make_user("agent2", groups=["Customer service"])
    case = new_case(verified_owner)

    outcomes = together(
        lambda which: (
            casework.accept(fresh(case), agent)
            if which == "accept"
            else casework.transfer(fresh(case), manager, colleague, "换人")
        ),
        ["accept", "transfer"],
    )

    case.refresh_from_db()
    assert case.status == Case.Status.ACCEPTED
    assert case.events.filter(kind=CaseEvent.Kind.STATUS, status="accepted").count() == 1
    if case.events.filter(kind=CaseEvent.Kind.TRANSFER).exists():
        assert of_type(outcomes, Exception) == [] and case.first_responder == colleague
    else:
        assert [str(error) for error in of_type(outcomes, casework.CaseError)] == [
            "Accept the case first."
        ]
        assert case.first_responder == agent


def test_twelve_presses_of_turn_into_a_case_over_http_make_one_case(verified_owner, staff):
    """Double clicks and two agents on "turn into a customer service case": one case, and
    every press lands on it."""
    agents = [staff("Customer service"), make_user("agent2", groups=["Customer service"])]
    board = Board.objects.create(slug="q", name="投诉与建议", writers="verified")
    topic = posting.create_topic(
        verified_owner, board, title="地库积水", source="B2 积水严重，车开不进去。"
    )
    url = reverse("cases:from_topic", args=[topic.pk])

    def press(n):
        client = Client()
        client.force_login(agents[n % 2])
        response = client.post(url)
        return response.status_code, response.get("Location")

    outcomes = together(press, range(12))

    case = Case.objects.get(forum_topic=topic)
    assert outcomes == [(302, reverse("case_ledger:inspect", args=[case.pk]))] * 12
    assert case.events.filter(kind=CaseEvent.Kind.STATUS, status="accepted").count() == 1
