"""Who may act on a case, asked once (cases.rules): the admin case screen shows exactly the
buttons the actions accept, and the owner's page exactly the forms the actions accept."""

from datetime import timedelta

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext

from cases import casework
from cases.models import Case, Category
from conftest import make_user

pytestmark = pytest.mark.django_db

REPLY = 'value="reply"'
ACCEPT = 'value="accept"'
MATCH = 'value="match"'
FOLLOW_UP = 'value="follow_up"'
#: Wagtail answers a refused admin request with a redirect to the dashboard (or a 403).
DENIED = (302, 403)


def zh(text):
    """A message as the site shows it (in Chinese)."""
    with translation.override("zh-hans"):
        return gettext(text)


@pytest.fixture
def agent(staff):
    return staff("Customer service")


@pytest.fixture
def colleague(db):
    return make_user("agent2", groups=["Customer service"], real_name="李客服")


@pytest.fixture
def manager(staff):
    return staff("Managers")


@pytest.fixture
def case(verified_owner):
    return casework.file_case(
        verified_owner,
        kind="complaint",
        category=Category.objects.get(name="维修报修"),
        subject="电梯停运",
        description="3 栋电梯停了。",
    )


def screen(case):
    return reverse("case_ledger:inspect", args=[case.pk])


def page(client, user, case):
    client.force_login(user)
    response = client.get(screen(case))
    assert response.status_code == 200
    return response.content.decode()


def status_options(html):
    start = html.index('name="status"')
    return html[start : html.index("</select>", start)]


def test_a_new_case_offers_accept_to_every_handler_and_nothing_else(client, case, agent, colleague):
    for person in (agent, colleague):
        html = page(client, person, case)
        assert ACCEPT in html and REPLY not in html and FOLLOW_UP not in html
    client.post(screen(case), {"action": "reply", "text": "未受理先回复"})
    assert not case.events.filter(kind="reply").exists()


def test_only_the_first_responder_and_managers_see_and_use_the_reply_form(
    client, case, agent, colleague, manager
):
    casework.accept(case, agent)
    html = page(client, agent, case)
    assert REPLY in html and ACCEPT not in html

    html = page(client, colleague, case)
    assert REPLY not in html and ACCEPT not in html
    for action in ("reply", "note"):
        response = client.post(screen(case), {"action": action, "text": "我也来"})
        assert response.status_code in DENIED
    response = client.post(
        screen(case), {"action": "transfer", "to": colleague.pk, "text": "我接手"}
    )
    assert response.status_code in DENIED
    assert not case.events.filter(kind__in=["reply", "note", "transfer"]).exists()

    assert REPLY in page(client, manager, case)
    client.post(screen(case), {"action": "note", "text": "经理备注"})
    assert case.events.filter(kind="note", author=manager).count() == 1


def test_a_first_responder_who_no_longer_handles_cases_cannot_act(client, case, agent, colleague):
    casework.accept(case, agent)
    agent.groups.remove(Group.objects.get(name="Customer service"))
    agent.groups.add(Group.objects.get(name="Club staff"))
    client.force_login(agent)
    response = client.post(
        screen(case), {"action": "transfer", "to": colleague.pk, "text": "调岗移交"}
    )
    assert response.status_code in DENIED
    case.refresh_from_db()
    assert case.first_responder == agent and not case.events.filter(kind="transfer").exists()


def test_the_status_list_offers_only_the_moves_the_action_takes(client, case, agent):
    casework.accept(case, agent)
    options = status_options(page(client, agent, case))
    assert 'value="in_progress"' in options and 'value="resolved"' in options
    assert 'value="closed"' not in options
    response = client.post(screen(case), {"action": "status", "status": "closed"})
    assert response.status_code == 200
    case.refresh_from_db()
    assert case.status == "accepted"

    casework.set_status(case, agent, "resolved")
    html = page(client, agent, case)
    assert status_options(html).count("<option") == 2  # "—" and closed
    assert 'value="closed"' in status_options(html) and FOLLOW_UP in html


def test_a_closed_case_offers_no_action_and_refuses_a_late_reply(client, case, agent, manager):
    casework.accept(case, agent)
    casework.set_status(case, agent, "resolved")
    casework.record_follow_up(case, agent, score=4, method="电话回访")
    for person in (agent, manager):
        html = page(client, person, case)
        assert REPLY not in html and FOLLOW_UP not in html and ACCEPT not in html
    response = client.post(screen(case), {"action": "reply", "text": "补充说明"})
    assert response.status_code == 200
    assert zh("This case is closed.") in response.content.decode()
    assert not case.events.filter(kind="reply").exists()


def test_the_match_form_is_only_for_a_case_without_an_owner(client, agent, verified_owner):
    email_case = casework.file_case(
        None,
        kind="complaint",
        category=Category.objects.first(),
        subject="邮件投诉",
        description="……",
        channel=Case.Channel.EMAIL,
        contact_email="someone@example.org",
    )
    assert MATCH in page(client, agent, email_case)
    client.post(screen(email_case), {"action": "match", "owner": verified_owner.pk})
    assert MATCH not in page(client, agent, email_case)


# -- The owner's page -----------------------------------------------------------------------


def owner_page(client, owner, case):
    client.force_login(owner)
    return client.get(case.get_absolute_url()).content.decode()


def test_the_owner_page_shows_what_the_owner_may_do_now(
    client, case, agent, verified_owner, settings
):
    html = owner_page(client, verified_owner, case)
    assert 'value="message"' in html and 'value="rate"' not in html

    casework.accept(case, agent)
    casework.set_status(case, agent, "resolved")
    html = owner_page(client, verified_owner, case)
    assert all(f'value="{a}"' in html for a in ("confirm", "rate", "reopen", "message"))

    client.post(case.get_absolute_url(), {"action": "confirm"})
    html = owner_page(client, verified_owner, case)
    assert 'value="confirm"' not in html and 'value="rate"' in html

    Case.objects.filter(pk=case.pk).update(
        resolved_at=timezone.now() - timedelta(days=settings.CASE_REOPEN_DAYS + 1)
    )
    html = owner_page(client, verified_owner, case)
    assert 'value="reopen"' not in html and 'value="rate"' in html


def test_a_closed_case_takes_no_message_from_the_owner(client, case, agent, verified_owner):
    casework.accept(case, agent)
    casework.set_status(case, agent, "resolved")
    casework.rate(case, verified_owner, 5)
    html = owner_page(client, verified_owner, case)
    assert 'value="message"' not in html
    response = client.post(
        case.get_absolute_url(), {"action": "message", "text": "再补充一句"}, follow=True
    )
    assert zh("This case is closed. File a new case if you need more help.") in (
        response.content.decode()
    )
    assert not case.events.filter(kind="owner_message").exists()
