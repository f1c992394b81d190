"""The technician's day on a phone: today's jobs in time order; arrived; done with notes,
photos, materials and, for a paid job, the amount; the owner confirms or reopens."""

import base64
import re
from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from cases import casework
from cases.models import Case, CaseAttachment, Category
from conftest import make_user, verify
from owners.models import Unit
from portal.tests.samples import picture_bytes
from repairs import requests, workorders
from repairs.models import Material, MaterialUse, PriceItem, RepairCategory, RepairRequest, Team

pytestmark = pytest.mark.django_db
ZH = {"HTTP_ACCEPT_LANGUAGE": "zh-hans"}
TODAY = timezone.localdate()


@pytest.fixture
def team(db):
    team = Team.objects.create(name="工程部", kind=Team.Kind.DEPARTMENT)
    team.members.add(make_user("zhou", real_name="周建华", mobile="13700006601"))
    return team


@pytest.fixture
def technician(team):
    return team.members.get()


@pytest.fixture
def plumbing(team):
    category = RepairCategory.objects.create(
        name="给排水", team=team, case_category=Category.objects.get(name="维修报修")
    )
    PriceItem.objects.create(category=category, name="疏通地漏", unit="次", price="80.00")
    return category


@pytest.fixture
def tap(db):
    return Material.objects.create(name="水龙头", unit="个", unit_price="68.00")


def current_step(client, case):
    """The step of the repair the owner's case page marks as reached last."""
    page = client.get(case.get_absolute_url(), **ZH).content.decode()
    return re.search(r'aria-current="step">.*?steps__label">([^<]+)<', page).group(1)


def booked(owner, home, plumbing, team, technician, agent, window="evening", paid=True):
    Unit.objects.filter(pk=home.pk).update(
        handed_over_on=date(2019, 6, 28) if paid else TODAY - timedelta(days=30)
    )
    case = requests.report_repair(
        owner,
        category=plumbing,
        place=RepairRequest.Place.HOME,
        unit=Unit.objects.get(pk=home.pk),
        description="地漏堵塞",
        slots=[(TODAY, window)],
        price_item=plumbing.prices.get() if paid else None,
        accept_price=paid,
    ).case
    return workorders.dispatch(
        case, agent, team=team, technician=technician, day=TODAY, window=window
    )


def test_the_day_lists_only_the_technicians_own_jobs_in_time_order(
    client, verified_owner, unit, plumbing, team, technician, staff, django_assert_max_num_queries
):
    agent = staff("Customer service")
    evening = booked(verified_owner, unit, plumbing, team, technician, agent, "evening")
    neighbour = make_user("n2", mobile="13700000002")
    verify(neighbour, Unit.objects.exclude(pk=unit.pk).first())
    morning = booked(
        neighbour, neighbour.claims.get().unit, plumbing, team, technician, agent, "morning"
    )
    client.force_login(technician)
    with django_assert_max_num_queries(8):
        page = client.get(reverse("repairs:jobs"), **ZH).content.decode()
    assert page.index(morning.get_window_display()) < page.index(evening.get_window_display())
    assert "3栋 1201" in page and "地漏堵塞" in page

    colleague = make_user("wu", mobile="13700006602")
    team.members.add(colleague)
    client.force_login(colleague)
    assert "地漏堵塞" not in client.get(reverse("repairs:jobs"), **ZH).content.decode()
    assert client.get(reverse("repairs:job", args=[evening.pk])).status_code == 404
    client.force_login(verified_owner)  # owners have no day of jobs
    assert client.get(reverse("repairs:jobs")).status_code == 403


@pytest.mark.parametrize("jobs", [1, 3])
def test_the_day_costs_the_same_queries_for_one_job_or_a_full_day(
    client, estate, plumbing, team, technician, staff, jobs, django_assert_max_num_queries
):
    agent = staff("Customer service")
    windows = RepairRequest.Window.values
    for n in range(jobs):
        owner = make_user(f"o{n}", mobile=f"1370000{n:04d}")
        home = Unit.objects.filter(estate=estate).order_by("pk")[n]
        verify(owner, home, proof=f"P{n}")
        booked(owner, home, plumbing, team, technician, agent, windows[n])
    client.force_login(technician)
    client.get(reverse("repairs:jobs"))
    with django_assert_max_num_queries(8):
        page = client.get(reverse("repairs:jobs"), **ZH).content.decode()
    assert page.count('class="list__item job"') == jobs


def test_arrived_then_done_with_photos_materials_and_the_amount(
    client, verified_owner, unit, plumbing, team, technician, staff, tap
):
    order = booked(verified_owner, unit, plumbing, team, technician, staff("Customer service"))
    client.force_login(verified_owner)
    assert current_step(client, order.case) == "已预约"
    assert "已预约：" in client.get(order.case.get_absolute_url(), **ZH).content.decode()
    client.force_login(technician)
    url = reverse("repairs:job", args=[order.pk])
    page = client.get(url, **ZH).content.decode()
    assert "13800138000" in page and "疏通地漏 ¥80.00/次" in page

    client.post(url, {"action": "arrive"}, **ZH)
    order.refresh_from_db()
    assert order.state == "arrived" and Case.objects.get().status == "in_progress"
    client.force_login(verified_owner)
    assert current_step(client, order.case) == "维修中"
    client.force_login(technician)

    refused = client.post(url, {"action": "finish", "notes": "已疏通"}, **ZH)
    assert (
        refused.status_code == 302
        and "请填写业主需支付的金额" in client.get(url, **ZH).content.decode()
    )
    order.refresh_from_db()
    assert order.state == "arrived"

    client.post(
        url,
        {
            "action": "finish",
            "notes": "已疏通地漏，更换水龙头",
            "material1": tap.pk,
            "quantity1": "1",
            "amount": "148.00",
            "attachments": [
                SimpleUploadedFile("完工.png", picture_bytes(), content_type="image/png")
            ],
        },
        **ZH,
    )
    order.refresh_from_db()
    assert order.state == "done" and order.amount == Decimal("148.00")
    [used] = MaterialUse.objects.all()
    assert (used.material, used.quantity, used.unit_price) == (tap, 1, Decimal("68.00"))

    case = Case.objects.get()
    assert case.status == "resolved"
    client.force_login(verified_owner)
    owner_page = client.get(case.get_absolute_url(), **ZH).content.decode()
    assert "已疏通地漏，更换水龙头" in owner_page and "水龙头 × 1个" in owner_page
    assert "应付：¥148.00" in owner_page and 'class="attachment attachment--image"' in owner_page
    assert current_step(client, case) == "已完成"
    casework.confirm_resolved(case, verified_owner)
    case.refresh_from_db()
    assert case.is_confirmed
    casework.rate(case, verified_owner, 5)
    assert current_step(client, case) == "已评价"


def test_free_work_costs_nothing_whatever_is_typed(
    client, verified_owner, unit, plumbing, team, technician, staff
):
    order = booked(
        verified_owner, unit, plumbing, team, technician, staff("Customer service"), paid=False
    )
    workorders.finish(order, technician, notes="已处理", amount=Decimal("99"))
    order.refresh_from_db()
    assert order.amount is None and order.state == "done"
    client.force_login(technician)
    page = client.get(reverse("repairs:job", args=[order.pk]), **ZH).content.decode()
    assert "已处理" in page and 'name="amount"' not in page


def test_the_owners_signature_is_kept_with_the_jobs_photos(
    client, verified_owner, unit, plumbing, team, technician, staff
):
    order = booked(
        verified_owner, unit, plumbing, team, technician, staff("Customer service"), paid=False
    )
    client.force_login(technician)
    url = reverse("repairs:job", args=[order.pk])
    assert "data-signature" in client.get(url, **ZH).content.decode()
    forged = "data:image/png;base64," + base64.b64encode(b"<script>").decode()
    refused = client.post(url, {"action": "finish", "notes": "已处理", "signature": forged}, **ZH)
    assert refused.status_code == 200 and "请重新签字" in refused.content.decode()
    order.refresh_from_db()
    assert order.state == "booked"

    drawn = "data:image/png;base64," + base64.b64encode(picture_bytes()).decode()
    client.post(url, {"action": "finish", "notes": "已处理", "signature": drawn}, **ZH)
    order.refresh_from_db()
    assert order.state == "done"
    [signature] = CaseAttachment.objects.filter(case=order.case)
    assert signature.name.startswith("signature.") and signature.is_image
