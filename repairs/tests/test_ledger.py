"""报修台账: every request with who does it and what it costs, filtered and exported; each row
opens its case."""

import csv
import io
from datetime import date, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from cases.models import Category
from conftest import make_user, verify
from owners.models import Unit
from repairs import requests, workorders
from repairs.models import PriceItem, RepairCategory, RepairRequest, Team

pytestmark = pytest.mark.django_db
ZH = {"HTTP_ACCEPT_LANGUAGE": "zh-hans"}
TOMORROW = timezone.localdate() + timedelta(days=1)


@pytest.fixture
def world(estate, staff):
    team = Team.objects.create(name="工程部", kind=Team.Kind.DEPARTMENT)
    technician = make_user("zhou", real_name="周建华", mobile="13700006601")
    team.members.add(technician)
    plumbing = RepairCategory.objects.create(
        name="给排水", team=team, case_category=Category.objects.get(name="维修报修")
    )
    PriceItem.objects.create(category=plumbing, name="疏通地漏", unit="次", price="80.00")
    Unit.objects.filter(estate=estate).update(handed_over_on=date(2019, 6, 28))
    return {
        "team": team,
        "technician": technician,
        "plumbing": plumbing,
        "agent": staff("Customer service"),
    }


def requests_for(world, estate, count, *, paid_every=2):
    made = []
    for n in range(count):
        owner = make_user(f"o{n}", mobile=f"1370000{n:04d}")
        home = Unit.objects.filter(estate=estate).order_by("pk")[n]
        verify(owner, home, proof=f"P{n}")
        paid = n % paid_every == 0
        repair = (
            requests.report_repair(
                owner,
                category=world["plumbing"],
                place=RepairRequest.Place.HOME,
                unit=Unit.objects.get(pk=home.pk),
                description=f"地漏堵塞{n}",
                slots=[(TOMORROW, ["morning", "afternoon", "evening"][n % 3])],
                price_item=world["plumbing"].prices.get() if paid else None,
                accept_price=paid,
            )
            if paid
            else requests.report_repair(
                owner,
                category=world["plumbing"],
                place=RepairRequest.Place.COMMON,
                estate=estate,
                common_area="lift",
                description=f"电梯异响{n}",
                slots=[(TOMORROW, "morning")],
            )
        )
        made.append(repair)
    return made


def test_the_ledger_shows_who_does_it_and_what_it_costs(client, world, estate):
    paid, common = requests_for(world, estate, 2)
    workorders.dispatch(
        paid.case,
        world["agent"],
        team=world["team"],
        technician=world["technician"],
        day=TOMORROW,
        window="morning",
    )
    client.force_login(world["agent"])
    page = client.get(reverse("repair_ledger:index"), **ZH).content.decode()
    assert paid.case.reference in page and common.case.reference in page
    assert "<td>工程部</td><td>周建华</td><td>¥80.00</td>" in page and "免费" in page
    assert reverse("case_ledger:inspect", args=[paid.case.pk]) in page

    only_paid = client.get(reverse("repair_ledger:index") + "?paid=true", **ZH).content.decode()
    assert paid.case.reference in only_paid and common.case.reference not in only_paid
    by_team = client.get(
        reverse("repair_ledger:index") + f"?team={world['team'].pk}", **ZH
    ).content.decode()
    assert paid.case.reference in by_team and common.case.reference not in by_team

    export = client.get(reverse("repair_ledger:index") + "?export=csv", **ZH)
    text = b"".join(export.streaming_content).decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text)))
    assert rows[0][:3] == ["编号", "提交时间", "地点"]
    by_reference = {row[0]: row for row in rows[1:]}
    assert by_reference[paid.case.reference][5:8] == ["工程部", "周建华", "¥80.00"]
    assert by_reference[common.case.reference][2] == f"{estate.name} 电梯"


@pytest.mark.parametrize("count", [2, 12])
def test_the_ledger_costs_the_same_queries_for_few_or_many(
    client, world, estate, count, django_assert_max_num_queries
):
    requests_for(world, estate, count)
    client.force_login(world["agent"])
    client.get(reverse("repair_ledger:index"))
    with django_assert_max_num_queries(22):
        page = client.get(reverse("repair_ledger:index"), **ZH).content.decode()
    assert page.count("TS-") >= count


def test_owners_and_technicians_have_no_ledger(client, world, verified_owner):
    client.force_login(verified_owner)
    assert client.get(reverse("repair_ledger:index")).status_code == 302
