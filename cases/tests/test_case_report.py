"""The monthly report: figures by database aggregation, a fixed number of queries, an email."""

import io
from datetime import date, datetime, timedelta

import pytest
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook
from pptx import Presentation

from cases import casework
from cases.models import Case, Category
from cases.reports import Period, figures, monthly_figures
from cases.tasks import send_monthly_case_report, send_weekly_case_summary
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
    assert "本期没有工单" in page
    assert client.get(url, {"month": "not-a-month"}).status_code == 200


def test_the_report_is_for_case_staff_only(client, staff, month):
    client.force_login(staff("Editors"))
    assert client.get(reverse("case_report:index")).status_code in (302, 403)


def test_the_monthly_email_reaches_managers(month, staff, django_capture_on_commit_callbacks):
    manager = staff("Managers")
    with django_capture_on_commit_callbacks(execute=True):
        send_monthly_case_report.delay()
    assert [m.to for m in mail.outbox] == [[manager.email]]
    assert "客服工单月报" in mail.outbox[0].subject


def test_the_report_downloads_as_a_workbook_and_a_slide_deck(client, month, staff):
    client.force_login(staff("Managers"))
    url = reverse("case_report:index")
    chosen = f"{month[0]}-{month[1]:02d}"
    page = client.get(url, {"month": chosen}).content.decode()
    assert "下载 Excel" in page and "下载演示文稿" in page
    assert page.count('class="case-trend__bar"') == 12 and f"{month[1]}月" in page

    response = client.get(url, {"month": chosen, "download": "xlsx"})
    assert response["Content-Disposition"] == f'attachment; filename="case-report-{chosen}.xlsx"'
    book = load_workbook(io.BytesIO(response.content))
    assert book.sheetnames == [
        "摘要",
        "按类型",
        "按分类",
        "按小区",
        "按渠道",
        "近12个月",
        "重点工单",
    ]
    summary = {row[0]: row[1] for row in book["摘要"].iter_rows(min_row=2, values_only=True)}
    assert (summary["工单总数"], summary["按时响应"], summary["已重新打开"]) == ("4", "75%", "25%")
    trend = list(book["近12个月"].iter_rows(min_row=2, values_only=True))
    assert len(trend) == 12 and trend[-1][:2] == (chosen, 4)
    top = list(book["重点工单"].iter_rows(min_row=2, values_only=True))
    assert len(top) == 4 and top[0][4] == "已重新打开"  # the reopened case first, in its words

    response = client.get(url, {"month": chosen, "download": "pptx"})
    deck = Presentation(io.BytesIO(response.content))
    titles = [slide.shapes.title.text for slide in deck.slides]
    assert titles == [f"{chosen} 客服工单月报", "主要数据", "按分类", "近12个月", "重点工单"]
    assert any(shape.has_chart for shape in deck.slides[2].shapes)
    table = next(shape.table for shape in deck.slides[4].shapes if shape.has_table)
    assert len(table.rows) == 5 and table.cell(0, 0).text == "编号"


def test_the_monthly_email_carries_the_workbook_and_the_deck(
    month, staff, django_capture_on_commit_callbacks
):
    staff("Managers")
    with django_capture_on_commit_callbacks(execute=True):
        send_monthly_case_report.delay()
    (email,) = mail.outbox
    names = [name for name, _content, _mime in email.attachments]
    assert names[0].endswith(".xlsx") and names[1].endswith(".pptx")
    assert load_workbook(io.BytesIO(email.attachments[0][1])).sheetnames[0] == "摘要"
    assert len(Presentation(io.BytesIO(email.attachments[1][1])).slides) == 5


def test_the_files_are_for_case_staff_only(client, staff, month):
    client.force_login(staff("Editors"))
    response = client.get(reverse("case_report:index"), {"download": "xlsx"})
    assert response.status_code in (302, 403) and "spreadsheetml" not in response["Content-Type"]


# -- Daily and weekly service reports ----------------------------------------------------------


def test_a_report_week_runs_friday_to_thursday_in_shanghai(verified_owner):
    shanghai = timezone.get_current_timezone()
    thursday_night = datetime(2026, 11, 26, 23, 30, tzinfo=shanghai)  # 15:30 UTC
    friday_morning = datetime(2026, 11, 27, 0, 10, tzinfo=shanghai)  # Thursday 16:10 UTC
    for moment in (thursday_night, friday_morning):
        Case.objects.filter(pk=file(verified_owner).pk).update(created_at=moment)
    week = Period(Period.WEEK, date(2026, 11, 24))  # a Tuesday
    assert (week.first, week.last) == (date(2026, 11, 20), date(2026, 11, 26))
    assert figures(week)["total"] == 1
    assert figures(Period(Period.WEEK, date(2026, 11, 27)))["total"] == 1
    assert figures(Period(Period.DAY, date(2026, 11, 26)))["total"] == 1


def test_the_daily_report_counts_calls_follow_ups_and_overdue_cases(
    client, month, staff, verified_owner
):
    agent = Case.objects.exclude(first_responder=None).first().first_responder  # the month's
    casework.file_case(
        verified_owner,
        kind="enquiry",
        category=Category.objects.get(name="物业服务"),
        subject="来电",
        description="d",
        channel="phone",
        recorded_by=agent,
    )
    late = file(verified_owner)
    Case.objects.filter(pk=late.pk).update(resolution_due=timezone.now() - timedelta(hours=1))
    client.force_login(agent)
    page = client.get(reverse("case_report:index"), {"period": "day"}).content.decode()
    f = figures(Period(Period.DAY, timezone.localdate()))
    assert (f["total"], f["calls"], f["overdue"]) == (6, 1, 1)
    assert "日报" in page and "来电受理" in page and "当前逾期" in page
    # Each first responder's figures are for managers only.
    assert "按首问负责人" not in page
    client.force_login(staff("Managers"))
    page = client.get(reverse("case_report:index"), {"period": "week"}).content.decode()
    assert "按首问负责人" in page and agent.display_name in page


def test_per_agent_figures(month, staff):
    (row,) = figures(Period(Period.MONTH, timezone.localdate()), by_agent=True)["by_agent"]
    assert (row["accepted"], row["on_time_share"], row["reopen_rate"]) == (4, 75, 25)
    assert row["satisfaction"] == 4 and row["rated"] == 1


@pytest.mark.parametrize("period", ["day", "week"])
def test_the_daily_and_weekly_pages_cost_the_same_for_few_or_many_cases(
    client, month, staff, verified_owner, period
):
    client.force_login(staff("Managers"))
    url = reverse("case_report:index")

    def queries():
        with CaptureQueriesContext(connection) as captured:
            assert client.get(url, {"period": period}).status_code == 200
        return len(captured)

    queries()
    few = queries()
    bulk_cases(300, verified_owner, Category.objects.get(name="其他"))
    assert queries() == few
    assert client.get(url, {"period": period, "date": "2026-02-30"}).status_code == 200


def test_the_friday_summary_reaches_managers_once_with_each_agents_figures(
    month, staff, django_capture_on_commit_callbacks, settings, monkeypatch
):
    manager = staff("Managers")  # the month's agent, in customer service, gets no summary
    # It runs on the first Friday after today: the week it reports (Friday to Thursday) is the
    # one with today's cases in it, whatever day the suite runs.
    today = timezone.localdate()
    friday = today + timedelta(days=(4 - today.weekday()) % 7 or 7)
    monkeypatch.setattr(timezone, "localdate", lambda *args: friday)
    with django_capture_on_commit_callbacks(execute=True):
        send_weekly_case_summary.delay()
        send_weekly_case_summary.delay()  # run twice (a retry, two beats): one email each
    (email,) = mail.outbox
    assert email.to == [manager.email] and "周报" in email.subject
    week = Period(Period.WEEK, friday - timedelta(days=1))
    assert week.first <= today <= week.last
    assert f"{week.first:%Y-%m-%d}" in email.subject and "按首问负责人" in email.body
    schedule = settings.CELERY_BEAT_SCHEDULE["case-weekly-summary"]["schedule"]
    assert schedule.day_of_week == {5} and schedule.hour == {9}
