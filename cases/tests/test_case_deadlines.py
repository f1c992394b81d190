"""Overdue cases remind their first responder, then managers: once per case per level."""

from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone

from cases import casework
from cases.models import Case, Category
from cases.tasks import escalate_overdue_cases

pytestmark = pytest.mark.django_db


@pytest.fixture
def case(verified_owner):
    return casework.file_case(
        verified_owner,
        kind="complaint",
        category=Category.objects.get(name="安全与安保"),
        subject="单元门禁坏了",
        description="5 栋单元门禁无法关闭。",
    )


def run(django_capture_on_commit_callbacks, now=None):
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        if now is None:
            escalate_overdue_cases.delay()
        else:
            casework.escalate_overdue(now)
    return sorted(address for message in mail.outbox for address in message.to)


def test_reminders_go_once_per_level(case, staff, django_capture_on_commit_callbacks):
    agent, manager = staff("Customer service"), staff("Managers")
    casework.accept(case, agent)
    assert run(django_capture_on_commit_callbacks) == []  # not due yet

    later = case.first_response_due + timedelta(minutes=5)
    assert run(django_capture_on_commit_callbacks, later) == [agent.email]
    assert run(django_capture_on_commit_callbacks, later) == []  # once

    next_day = case.first_response_due + timedelta(hours=25)
    assert run(django_capture_on_commit_callbacks, next_day) == [manager.email]
    assert run(django_capture_on_commit_callbacks, next_day) == []
    assert Case.objects.get(pk=case.pk).escalation_level == 2


def test_an_unaccepted_case_reminds_every_handler(case, staff, django_capture_on_commit_callbacks):
    agent = staff("Customer service")
    later = case.first_response_due + timedelta(minutes=5)
    assert agent.email in run(django_capture_on_commit_callbacks, later)


def test_a_timely_answer_stops_the_first_reminder(case, staff, django_capture_on_commit_callbacks):
    agent = staff("Customer service")
    casework.accept(case, agent)
    casework.reply(case, agent, "已通知物业维修。")
    assert (
        run(django_capture_on_commit_callbacks, case.first_response_due + timedelta(minutes=5))
        == []
    )
    # …but the resolution deadline still counts.
    assert run(django_capture_on_commit_callbacks, case.resolution_due + timedelta(minutes=5)) == [
        agent.email
    ]


def test_resolved_cases_are_not_chased(case, staff, django_capture_on_commit_callbacks):
    agent = staff("Customer service")
    casework.accept(case, agent)
    casework.set_status(case, agent, "resolved")
    assert run(django_capture_on_commit_callbacks, timezone.now() + timedelta(days=30)) == []
