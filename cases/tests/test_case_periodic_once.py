"""The monthly report and the overdue reminders go once per period and person, whatever runs
them twice at the same moment (two beats)."""

from collections import Counter
from datetime import timedelta

import pytest
from django.core import mail
from django.db import connection

from cases import casework
from cases.models import Category
from cases.tasks import send_monthly_case_report
from portal.tests.services import twice_at_once

pytestmark = [
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="needs parallel writers"),
]


def sent_to():
    return Counter(address for message in mail.outbox for address in message.to)


def test_two_report_runs_at_once_send_each_manager_one_report(staff):
    first, second = staff("Managers"), staff("Customer service")
    mail.outbox.clear()
    written = twice_at_once(send_monthly_case_report)
    send_monthly_case_report()  # a third run later: nothing more
    assert sent_to() == {first.email: 1}
    assert sorted(written) == [0, 1] and second.email not in sent_to()


def test_two_escalation_runs_at_once_remind_once(verified_owner, staff):
    agent = staff("Customer service")
    case = casework.file_case(
        verified_owner,
        kind="complaint",
        category=Category.objects.get(name="安全与安保"),
        subject="单元门禁坏了",
        description="5 栋单元门禁无法关闭。",
    )
    casework.accept(case, agent)
    later = case.first_response_due + timedelta(minutes=5)
    mail.outbox.clear()
    twice_at_once(lambda: casework.escalate_overdue(later))
    casework.escalate_overdue(later)
    assert sent_to() == {agent.email: 1}
