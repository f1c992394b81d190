"""报修月报: the month's requests with first-time fixes, timeliness, reopenings, satisfaction,
paid revenue, materials issued and warranty claims per contractor; in the admin, and by email to
managers on the 1st, once."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from cases import casework
from cases.models import Case, Category
from conftest import make_user, verify
from owners.models import Unit
from repairs import reports, requests, tasks, workorders
from repairs.models import Material, PriceItem, RepairCategory, RepairRequest, Team, WorkOrder

pytestmark = pytest.mark.django_db
ZH = {"HTTP_ACCEPT_LANGUAGE": "zh-hans"}
TOMORROW = timezone.localdate() + timedelta(days=1)


@pytest.fixture
def month(estate, staff):
    """Three requests this month: a paid one fixed at the first visit and rated 5, one with
    nothing to pay reopened and fixed again, and a warranty leak the builder owes, not yet done."""
    works = Team.objects.create(name="工程部", kind=Team.Kind.DEPARTMENT)
    builder = Team.objects.create(name="金都建设（保修）", kind=Team.Kind.CONTRACTOR)
    technician = make_user("zhou", real_name="周建华", mobile="13700006601")
    works.members.add(technician)
    repairs = Category.objects.get(name="维修报修")
    plumbing = RepairCategory.objects.create(
        name="给排水", team=works, case_category=repairs, warranty_months=0
    )
    wiring = RepairCategory.objects.create(name="电气", team=works, case_category=repairs)
    waterproofing = RepairCategory.objects.create(
        name="防水", team=builder, case_category=repairs, warranty_months=60
    )
    drain = PriceItem.objects.create(category=plumbing, name="疏通地漏", price="80.00")
    trap = Material.objects.create(name="地漏", unit="个", unit_price="35.00")
    agent = staff("Customer service")

    def report(n, category, **paid):
        owner = make_user(f"o{n}", real_name=f"业主{n}", mobile=f"1370000{n:04d}")
        home = Unit.objects.filter(estate=estate).order_by("pk")[n]
        Unit.objects.filter(pk=home.pk).update(handed_over_on=date(2024, 1, 1))
        verify(owner, home, proof=f"P{n}")
        return requests.report_repair(
            owner,
            category=category,
            place=RepairRequest.Place.HOME,
            unit=Unit.objects.get(pk=home.pk),
            description=f"问题{n}",
            slots=[(TOMORROW, ["morning", "afternoon", "evening"][n])],
            **paid,
        )

    def book(repair, team, person=None, n=0):
        return workorders.dispatch(
            repair.case,
            agent,
            team=team,
            technician=person,
            day=TOMORROW,
            window=["morning", "afternoon", "evening"][n],
            reason="再次上门" if repair.case.work_orders.exists() else "",
        )

    paid = report(0, plumbing, price_item=drain, accept_price=True)
    order = book(paid, works, technician, 0)
    workorders.arrive(order, technician)
    workorders.finish(
        order, technician, notes="已疏通", materials=[(trap, 1)], amount=Decimal("115")
    )
    casework.confirm_resolved(paid.case, paid.case.owner)
    casework.rate(Case.objects.get(pk=paid.case_id), paid.case.owner, 5)

    again = report(1, wiring)  # no price list: quoted on site
    first = book(again, works, technician, 1)
    workorders.finish(first, technician, notes="已处理", materials=[(trap, 2)])
    casework.reopen(Case.objects.get(pk=again.case_id), again.case.owner, "还是漏")
    second = book(again, works, technician, 1)
    workorders.finish(second, technician, notes="更换密封圈")

    leak = report(2, waterproofing)
    book(leak, builder, None, 2)
    return {"agent": agent, "paid": paid, "again": again, "leak": leak}


def test_the_months_figures(month):
    today = timezone.localdate()
    f = reports.monthly_figures(today.year, today.month)
    assert (f["total"], f["resolved"], f["paid"], f["warranty"]) == (3, 2, 1, 1)
    assert f["first_time_fix_share"] == 50  # the paid one; the other took two visits
    assert f["reopen_rate"] == 33
    assert f["satisfaction"] == 5 and f["rated"] == 1
    assert f["jobs_done"] == 3 and f["revenue"] == Decimal("115.00")
    assert f["materials"] == [
        {"name": "地漏", "unit": "个", "quantity": Decimal("3"), "amount": Decimal("105.00")}
    ]
    assert f["materials_by_technician"][0]["name"] == "周建华"
    assert f["materials_total"] == Decimal("105.00")
    # Done before the booked window ended: all on time; hours are from filing.
    assert f["arrival_on_time_share"] == 100 and f["completion_on_time_share"] == 100
    assert f["median_arrival"] is not None and f["median_arrival"] < 1
    assert [(row["label"], row["count"]) for row in f["by_contractor"]] == [("金都建设（保修）", 1)]
    assert {row["label"]: row["count"] for row in f["by_category"]} == {
        "给排水": 1,
        "电气": 1,
        "防水": 1,
    }
    # A month with nothing: zeros and blanks, no error.
    empty = reports.monthly_figures(2020, 2)
    assert empty["total"] == 0 and empty["first_time_fix_share"] is None


def test_late_work_counts_against_the_shares(month):
    order = WorkOrder.objects.filter(case=month["paid"].case, state="done").get()
    WorkOrder.objects.filter(pk=order.pk).update(
        arrived_at=order.arrival_due + timedelta(hours=1),
        done_at=order.arrival_due + timedelta(hours=30),  # the category gives 72 by default
    )
    today = timezone.localdate()
    f = reports.monthly_figures(today.year, today.month)
    assert f["arrival_on_time_share"] == 67 and f["completion_on_time_share"] == 100


def test_the_admin_shows_the_month_in_queries_that_do_not_grow(client, month, staff, estate):
    client.force_login(staff("Managers"))
    url = reverse("repair_report:index")
    client.get(url)  # the first request of a session loads what later ones find cached
    with CaptureQueriesContext(connection) as busy:
        page = client.get(url, **ZH).content.decode()
    assert "一次修复率" in page and "50%" in page and "金都建设（保修）" in page
    assert "105.00" in page and "115.00" in page
    # More requests of every kind in the month: not one query more.
    owner = make_user("o9", mobile="13700009999")
    home = Unit.objects.filter(estate=estate).order_by("pk")[5]
    verify(owner, home, proof="P9")
    for n in range(3):
        repair = requests.report_repair(
            owner,
            category=RepairCategory.objects.get(name="防水"),
            place=RepairRequest.Place.HOME,
            unit=Unit.objects.get(pk=home.pk),
            description=f"渗水{n}",
            slots=[(TOMORROW, "morning")],
        )
        workorders.dispatch(
            repair.case,
            month["agent"],
            team=Team.objects.get(name="金都建设（保修）"),
            day=TOMORROW,
            window="morning",
        )
    with CaptureQueriesContext(connection) as busier:
        client.get(url, **ZH)
    assert len(busier) == len(busy) <= 30
    with CaptureQueriesContext(connection) as quiet:
        assert "2020-02" in client.get(url, {"month": "2020-02"}, **ZH).content.decode()
    assert len(quiet) <= len(busy)
    for odd in ("0000-01", "0001-01", "2026-13", "x"):  # this month, never an error
        assert client.get(url, {"month": odd}).status_code == 200
    client.force_login(make_user("owner9"))
    assert client.get(url).status_code in (302, 403)


def test_managers_get_last_months_report_once(month, staff, django_capture_on_commit_callbacks):
    last_month = timezone.localdate().replace(day=1) - timedelta(days=1)
    Case.objects.update(
        created_at=timezone.now().replace(year=last_month.year, month=last_month.month, day=15)
    )
    WorkOrder.objects.filter(state="done").update(
        done_at=timezone.now().replace(year=last_month.year, month=last_month.month, day=16)
    )
    manager = staff("Managers")
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        assert tasks.send_monthly_repair_report() == 1
        assert tasks.send_monthly_repair_report() == 0
    [message] = [m for m in mail.outbox if m.to == [manager.email]]
    assert f"{last_month:%Y} 年 {last_month.month} 月报修月报" in message.subject
    assert "一次修复率: 50%" in message.body and "金都建设（保修） 1" in message.body
    assert "地漏 3个 ¥105.00" in message.body
