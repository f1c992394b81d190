"""After the work: a contractor's job is recorded by the case's first responder (its people have
no account); repairs done and waiting for the owner's word are the 回访 list, oldest first, with
the owner to call; warranty work a contractor owes is a claim against it until the case closes."""

import csv
import io
from datetime import date, timedelta

import pytest
from django.core.exceptions import PermissionDenied
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from cases import casework
from cases.models import Case, Category
from conftest import make_user, verify
from owners.models import Unit
from portal.models import Outgoing
from repairs import requests, workorders
from repairs.models import RepairCategory, RepairRequest, Team, WorkOrder
from repairs.requests import RepairError

pytestmark = pytest.mark.django_db
ZH = {"HTTP_ACCEPT_LANGUAGE": "zh-hans"}
TOMORROW = timezone.localdate() + timedelta(days=1)


@pytest.fixture
def world(estate, staff):
    builder = Team.objects.create(
        name="金都建设（保修）", kind=Team.Kind.CONTRACTOR, phone="0571-1"
    )
    lifts = Team.objects.create(name="迅达电梯维保", kind=Team.Kind.CONTRACTOR)
    works = Team.objects.create(name="工程部", kind=Team.Kind.DEPARTMENT)
    technician = make_user("zhou", real_name="周建华", mobile="13700006601")
    works.members.add(technician)
    repairs = Category.objects.get(name="维修报修")
    return {
        "builder": builder,
        "lifts": lifts,
        "works": works,
        "technician": technician,
        "waterproofing": RepairCategory.objects.create(
            name="防水", team=builder, case_category=repairs, warranty_months=60
        ),
        "plumbing": RepairCategory.objects.create(
            name="给排水", team=works, case_category=repairs, warranty_months=24
        ),
        "agent": staff("Customer service"),
    }


def report(n, estate, category, handed_over=date(2023, 9, 26)):
    owner = make_user(f"o{n}", real_name=f"业主{n}", mobile=f"1370000{n:04d}")
    home = Unit.objects.filter(estate=estate).order_by("pk")[n]
    Unit.objects.filter(pk=home.pk).update(handed_over_on=handed_over)
    verify(owner, home, proof=f"P{n}")
    return requests.report_repair(
        owner,
        category=category,
        place=RepairRequest.Place.HOME,
        unit=Unit.objects.get(pk=home.pk),
        description=f"卫生间渗水{n}",
        slots=[(TOMORROW, "morning")],
    )


def booked(repair, world, team, technician=None):
    return workorders.dispatch(
        repair.case,
        world["agent"],
        team=team,
        technician=technician,
        day=TOMORROW,
        window="morning",
    )


def test_the_first_responder_records_a_contractors_work(client, world, estate):
    repair = report(0, estate, world["waterproofing"])
    order = booked(repair, world, world["builder"])
    client.force_login(world["agent"])
    screen = client.get(reverse("repairs_dispatch", args=[repair.case_id]), **ZH)
    url = reverse("repairs_contractor_work", args=[order.pk])
    assert url in screen.content.decode()

    refused = client.post(url, {"notes": " "}, **ZH)
    assert refused.status_code == 200 and WorkOrder.objects.get().state == "booked"
    response = client.post(url, {"notes": "重做卫生间防水层，闭水试验 48 小时无渗漏。"}, **ZH)
    assert response.url == reverse("case_ledger:inspect", args=[repair.case_id])
    order.refresh_from_db()
    assert order.state == "done" and order.amount is None  # warranty work: the owner pays nothing
    case = Case.objects.get()
    assert case.status == "resolved"
    assert case.events.filter(text__contains="闭水试验").exists()
    # Someone else's case, or an in-house job: not theirs to record.
    with pytest.raises(PermissionDenied):
        workorders.record_contractor_work(
            order, make_user("x", groups=["Customer service"]), notes="x"
        )
    inhouse = booked(
        report(1, estate, world["plumbing"]), world, world["works"], world["technician"]
    )
    with pytest.raises(RepairError):
        workorders.record_contractor_work(inhouse, world["agent"], notes="修好了")


def test_repairs_waiting_for_the_follow_up_are_listed_oldest_first(client, world, estate):
    done = []
    for n in range(3):
        repair = report(n, estate, world["plumbing"])
        order = booked(repair, world, world["works"], world["technician"])
        workorders.finish(order, world["technician"], notes=f"已修复{n}")
        done.append(repair)
    Case.objects.filter(pk=done[2].case_id).update(resolved_at=timezone.now() - timedelta(days=5))
    # The owner of the second rated it online: no call needed.
    casework.confirm_resolved(done[1].case, done[1].case.owner)
    casework.rate(Case.objects.get(pk=done[1].case_id), done[1].case.owner, 5)
    report(5, estate, world["plumbing"])  # not done yet: not on the list

    client.force_login(world["agent"])
    page = client.get(reverse("repair_follow_ups:index"), **ZH).content.decode()
    first, last = done[2].case.reference, done[0].case.reference
    assert "待回访" in page and first in page and last in page
    assert page.index(first) < page.index(last)
    assert done[1].case.reference not in page
    assert "业主2 13700000002" in page  # who to call
    export = client.get(reverse("repair_follow_ups:index"), {"export": "csv"})
    rows = list(csv.reader(io.StringIO(b"".join(export.streaming_content).decode("utf-8-sig"))))
    assert [row[0] for row in rows[1:]] == [first, last]
    assert rows[1][rows[0].index("等待天数")] == "5"

    # Recording the call on the case screen takes it off the list.
    casework.record_follow_up(
        Case.objects.get(pk=done[2].case_id), world["agent"], score=4, method="电话"
    )
    page = client.get(reverse("repair_follow_ups:index"), **ZH).content.decode()
    assert first not in page and last in page


def test_warranty_work_a_contractor_owes_is_a_claim_until_the_case_closes(client, world, estate):
    leak = report(0, estate, world["waterproofing"])  # the builder's, under warranty
    lift = report(1, estate, world["plumbing"], handed_over=date(2025, 6, 1))
    booked(lift, world, world["lifts"])  # dispatched to the lift company: theirs
    out_of_warranty = report(2, estate, world["waterproofing"], handed_over=date(2015, 1, 1))
    in_house = report(3, estate, world["plumbing"], handed_over=date(2025, 6, 1))
    client.force_login(world["agent"])
    url = reverse("repair_defects:index")
    page = client.get(url, **ZH).content.decode()
    assert leak.case.reference in page and lift.case.reference in page
    assert out_of_warranty.case.reference not in page and in_house.case.reference not in page
    assert "保修索赔" in page and "金都建设（保修）" in page and "迅达电梯维保" in page

    by_builder = client.get(url, {"contractor": world["builder"].pk}, **ZH).content.decode()
    assert leak.case.reference in by_builder and lift.case.reference not in by_builder
    # Reassigned from the lift company to 工程部: not the lift company's any more.
    workorders.dispatch(
        lift.case,
        world["agent"],
        team=world["works"],
        technician=world["technician"],
        day=TOMORROW,
        window="morning",
        reason="维保单位无法按时上门",
    )
    by_lifts = client.get(url, {"contractor": world["lifts"].pk}, **ZH).content.decode()
    assert lift.case.reference not in by_lifts
    Case.objects.filter(pk=leak.case_id).update(status=Case.Status.CLOSED)
    still_open = client.get(url, {"open": "true"}, **ZH).content.decode()
    assert leak.case.reference not in still_open and lift.case.reference not in still_open


def test_both_lists_ask_the_same_queries_for_one_or_many(client, world, estate):
    def add(n):
        repair = report(n, estate, world["waterproofing"])
        workorders.record_contractor_work(
            booked(repair, world, world["builder"]), world["agent"], notes="已处理"
        )

    def queries():
        counts = []
        for name in ("repair_follow_ups:index", "repair_defects:index"):
            client.get(reverse(name))  # what the writes since cleared from the caches, again
            with CaptureQueriesContext(connection) as seen:
                assert client.get(reverse(name)).status_code == 200
            counts.append(len(seen))
        return counts

    add(0)
    client.force_login(world["agent"])
    few = queries()
    for n in range(1, 7):
        add(n)
    assert queries() == few and max(few) <= 24


def test_a_contractor_learns_the_place_the_problem_and_a_masked_number_alone(
    client, world, estate, django_capture_on_commit_callbacks
):
    world["lifts"].phone = "139 0571 0001"  # a mobile
    world["lifts"].save(update_fields=["phone"])
    repair = report(0, estate, world["waterproofing"])
    Case.objects.filter(pk=repair.case_id).update(description="卫生间渗水0，请联系13712345678")
    with django_capture_on_commit_callbacks(execute=True):
        order = booked(repair, world, world["lifts"])
        booked(report(1, estate, world["waterproofing"]), world, world["builder"])  # a landline
    [text] = Outgoing.objects.filter(kind="sms", payload__template="contractor_job")
    assert text.recipient == "+8613905710001"
    facts = text.payload["params"]
    assert facts["reference"] == repair.case.reference and facts["phone"] == "137****0000"
    assert (
        facts["place"] == "金都·翠湖苑 1栋 0101" and facts["problem"] == "卫生间渗水0，请联系****"
    )
    owner = repair.case.owner
    assert owner.real_name not in str(facts) and owner.mobile not in str(facts)

    client.force_login(world["agent"])
    sheet = client.get(reverse("repairs_job_sheet", args=[order.pk]), **ZH).content.decode()
    assert "137****0000" in sheet and "卫生间渗水0" in sheet and "1栋 0101" in sheet
    assert "13712345678" not in sheet
    assert owner.real_name not in sheet and owner.mobile not in sheet
    inhouse = booked(
        report(2, estate, world["plumbing"]), world, world["works"], world["technician"]
    )
    assert client.get(reverse("repairs_job_sheet", args=[inhouse.pk])).status_code == 404
