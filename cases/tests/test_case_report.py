"""The monthly report: figures by database aggregation, a fixed number of queries, an email."""

from datetime import timedelta

import pytest
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from cases import casework
from cases.models import Case, Category
from cases.reports import monthly_figures
from cases.tasks import send_monthly_case_report
from cases.tests.test_case_admin import bulk_cases

pytestmark = pytest.mark.django_db


def file(owner, kind="complaint", category="物业服务"):
    return casework.file_case(
        owner, kind=kind, category=Category.objects.get(name=category), subject="s", description="d"
    )


@pytest.fixture
def month(verified_owner, unit, staff):
    """Four cases this month: two answered in time, one resolved and rated, one reopened."""
    agent = staff("Customer service")
    quick, slow, rated, reopened = (file(verified_owner) for _ in range(4))
    Case.objects.filter(pk=rated.pk).update(unit=unit, kind="suggestion")
    for case in (quick, rated, reopened):
        casework.accept(case, agent)
        casework.reply(case, agent, "收到")
    casework.accept(slow, agent)
    Case.objects.filter(pk=slow.pk).update(first_response_due=timezone.now() - timedelta(hours=1))
    casework.reply(Case.objects.get(pk=slow.pk), agent, "迟了")
    casework.set_status(rated, agent, "resolved")
    casework.rate(rated, verified_owner, 4)
    casework.set_status(reopened, agent, "resolved")
    casework.reopen(reopened, verified_owner, "没修好")
    today = timezone.localdate()
    return today.year, today.month


def test_the_figures(month):
    f = monthly_figures(*month)
    assert f["total"] == 4
    assert f["on_time_share"] == 75  # 3 of 4 answered before their deadline
    assert f["reopen_rate"] == 25
    assert f["satisfaction"] == 4
    assert {row["label"]: row["count"] for row in f["by_kind"]} == {"投诉": 3, "建议": 1}
    assert {row["label"]: row["count"] for row in f["by_estate"]} == {"金都·翠湖苑": 1, "—": 3}
    assert f["median_first_response"] is not None
    assert monthly_figures(2001, 1)["total"] == 0


def test_the_report_page_costs_the_same_for_few_or_many_cases(client, month, staff, verified_owner):
    client.force_login(staff("Managers"))
    url = reverse("case_report:index")

    def queries():
        with CaptureQueriesContext(connection) as captured:
            assert client.get(url).status_code == 200
        return len(captured)

    queries()
    few = queries()

    bulk_cases(500, verified_owner, Category.objects.get(name="其他"))
    assert queries() == few
    page = client.get(url, {"month": "2001-01"}).content.decode()
    assert "本月没有事项" in page
    assert client.get(url, {"month": "not-a-month"}).status_code == 200


def test_the_report_is_for_case_staff_only(client, staff, month):
    client.force_login(staff("Editors"))
    assert client.get(reverse("case_report:index")).status_code in (302, 403)


def test_the_monthly_email_reaches_managers(month, staff, django_capture_on_commit_callbacks):
    manager = staff("Managers")
    with django_capture_on_commit_callbacks(execute=True):
        send_monthly_case_report.delay()
    assert [m.to for m in mail.outbox] == [[manager.email]]
    assert "客户事项月报" in mail.outbox[0].subject
