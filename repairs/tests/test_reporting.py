"""我要报修: an owner reports a repair in their home or a common area of their estate, with the
times they can be there; a paid job needs the price accepted first; warranty makes it free."""

import io
import zipfile
from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from cases.models import Case, Category
from conftest import make_user, verify
from owners import archive, privacy
from owners.models import Estate, OwnerRecord, Unit
from repairs.models import PriceItem, RepairCategory, RepairRequest, Team

pytestmark = pytest.mark.django_db
ZH = {"HTTP_ACCEPT_LANGUAGE": "zh-hans"}


@pytest.fixture
def plumbing(db):
    team = Team.objects.create(name="工程部", kind=Team.Kind.DEPARTMENT)
    category = RepairCategory.objects.create(
        name="给排水",
        team=team,
        case_category=Category.objects.get(name="维修报修"),
        warranty_months=24,
    )
    PriceItem.objects.create(category=category, name="疏通地漏", unit="次", price="80.00")
    return category


@pytest.fixture
def drain(plumbing):
    return plumbing.prices.get()


@pytest.fixture
def home(verified_owner, unit):
    Unit.objects.filter(pk=unit.pk).update(handed_over_on=date(2019, 6, 28))  # long out
    unit.refresh_from_db()
    return unit


def days(n):
    return (timezone.localdate() + timedelta(days=n)).isoformat()


def form(category, **fields):
    return {
        "place": "home",
        "category": category.pk,
        "description": "卫生间地漏下水很慢",
        "day1": days(1),
        "window1": "evening",
        **fields,
    }


def test_a_paid_repair_is_filed_once_its_price_is_accepted(client, home, plumbing, drain):
    client.force_login(home.claims.get().owner)
    data = form(plumbing, unit=home.pk, price_item=drain.pk, day2=days(2), window2="morning")

    refused = client.post(reverse("repairs:new"), data, **ZH)
    assert "请先确认价格" in refused.content.decode()
    assert not Case.objects.exists() and not RepairRequest.objects.exists()

    response = client.post(reverse("repairs:new"), {**data, "accept_price": "on"}, **ZH)
    repair = RepairRequest.objects.select_related("case").get()
    assert response.url == repair.case.get_absolute_url()
    assert repair.case.kind == "repair" and repair.case.unit == home
    assert repair.case.subject == "给排水 · 3栋 1201"
    assert repair.accepted_price == Decimal("80.00") and repair.price_accepted_at
    assert repair.slots == [
        {"date": days(1), "window": "evening"},
        {"date": days(2), "window": "morning"},
    ]
    assert not repair.under_warranty

    page = client.get(response.url, **ZH).content.decode()
    assert "疏通地漏：¥80.00/次，已确认" in page and "18:00–20:00" in page


def test_under_warranty_it_is_free_whatever_was_picked(client, home, plumbing, drain):
    Unit.objects.filter(pk=home.pk).update(
        handed_over_on=timezone.localdate() - timedelta(days=300)
    )
    client.force_login(home.claims.get().owner)
    client.post(reverse("repairs:new"), form(plumbing, unit=home.pk, price_item=drain.pk), **ZH)
    repair = RepairRequest.objects.get()
    assert repair.under_warranty and repair.price_item is None and repair.accepted_price is None
    page = client.get(repair.case.get_absolute_url(), **ZH).content.decode()
    assert "免费：保修期内" in page


def test_a_common_area_of_the_owners_estate_is_free(client, home, plumbing, drain):
    owner = home.claims.get().owner
    elsewhere = Estate.objects.create(name="金都·云栖府", city="杭州")
    client.force_login(owner)
    data = form(plumbing, place="common", common_area="lift", price_item=drain.pk)

    refused = client.post(reverse("repairs:new"), {**data, "estate": elsewhere.pk}, **ZH)
    assert refused.status_code == 200 and not RepairRequest.objects.exists()

    client.post(reverse("repairs:new"), {**data, "estate": home.estate.pk}, **ZH)
    repair = RepairRequest.objects.get()
    assert repair.place == "common" and repair.estate == home.estate and repair.case.unit is None
    assert repair.price_item is None and repair.case.subject == "给排水 · 金都·翠湖苑 电梯"


@pytest.mark.parametrize(
    "slots, message",
    [
        ({"day1": "", "window1": ""}, "必需字段"),
        ({"day1": days(1), "window1": ""}, "必需字段"),
        ({"day2": days(3)}, "请同时选择日期和时段"),
        ({"day1": days(20)}, "选择一个有效的选项"),
    ],
)
def test_times_must_be_whole_and_within_two_weeks(client, home, plumbing, drain, slots, message):
    client.force_login(home.claims.get().owner)
    data = {**form(plumbing, unit=home.pk, price_item=drain.pk, accept_price="on"), **slots}
    response = client.post(reverse("repairs:new"), data, **ZH)
    assert message in response.content.decode()
    assert not RepairRequest.objects.exists()


def test_only_verified_owners_report_repairs_and_only_for_their_homes(
    client, owner, unit, plumbing, drain
):
    client.force_login(owner)
    page = client.get(reverse("repairs:new"), **ZH).content.decode()
    assert "请先认证房产" in page and 'name="description"' not in page
    client.post(reverse("repairs:new"), form(plumbing, unit=unit.pk), **ZH)
    assert not RepairRequest.objects.exists()

    # Someone else's home is not among the choices.
    neighbour = make_user("neighbour2", mobile="13700000001")
    verify(neighbour, Unit.objects.exclude(pk=unit.pk).first())
    client.force_login(neighbour)
    client.post(
        reverse("repairs:new"),
        form(plumbing, unit=unit.pk, price_item=drain.pk, accept_price="on"),
        **ZH,
    )
    assert not RepairRequest.objects.exists()


def test_another_owner_never_sees_the_request(client, home, plumbing, drain, other_owner):
    client.force_login(home.claims.get().owner)
    client.post(
        reverse("repairs:new"),
        form(plumbing, unit=home.pk, price_item=drain.pk, accept_price="on"),
        **ZH,
    )
    url = RepairRequest.objects.get().case.get_absolute_url()
    client.force_login(other_owner)
    assert client.get(url).status_code == 404


@pytest.mark.parametrize(
    "handed_over, day, covered",
    [
        (date(2024, 1, 31), date(2026, 1, 30), True),
        (date(2024, 1, 31), date(2026, 1, 31), False),
        (date(2024, 2, 29), date(2026, 2, 27), True),  # no 29 Feb in 2026: the 28th ends it
        (date(2024, 2, 29), date(2026, 2, 28), False),
        (None, date(2026, 1, 1), False),
    ],
)
def test_warranty_runs_whole_months_from_the_handover(plumbing, handed_over, day, covered):
    assert plumbing.covers(handed_over, day) is covered


@pytest.mark.parametrize("categories", [1, 12])
def test_the_form_and_the_price_list_cost_the_same_queries(
    client, home, plumbing, categories, django_assert_max_num_queries
):
    for n in range(categories):
        extra = RepairCategory.objects.create(
            name=f"类别{n}", case_category=plumbing.case_category, sort_order=n + 1
        )
        PriceItem.objects.bulk_create(
            PriceItem(category=extra, name=f"服务{k}", price="10.00") for k in range(5)
        )
    client.force_login(home.claims.get().owner)
    client.get(reverse("repairs:new"))
    with django_assert_max_num_queries(9):
        assert client.get(reverse("repairs:new")).status_code == 200
    with django_assert_max_num_queries(4):
        page = client.get(reverse("repairs:prices")).content.decode()
    assert page.count('class="price"') == 1 + 5 * categories


def test_managers_keep_the_price_list_in_the_admin(client, staff, plumbing):
    client.force_login(staff("Managers"))
    response = client.post(
        reverse("repair_prices:add"),
        {"category": plumbing.pk, "name": "更换水龙头", "unit": "个", "price": "50", "note": ""},
    )
    assert response.status_code == 302
    assert PriceItem.objects.filter(name="更换水龙头", price=Decimal("50")).exists()
    client.force_login(staff("Customer service"))
    assert client.get(reverse("repair_prices:index")).status_code == 200
    assert client.get(reverse("repair_prices:add")).status_code == 302  # may look, not change


def test_my_data_lists_the_repair_with_its_times_and_price(
    client, home, plumbing, drain, django_capture_on_commit_callbacks
):
    owner = home.claims.get().owner
    client.force_login(owner)
    client.post(
        reverse("repairs:new"),
        form(plumbing, unit=home.pk, price_item=drain.pk, accept_price="on"),
        **ZH,
    )
    with django_capture_on_commit_callbacks(execute=True):
        export = privacy.request_export(owner)
    export.refresh_from_db()
    with zipfile.ZipFile(io.BytesIO(export.file.read())) as archive:
        rows = archive.read("cases/repairs.csv").decode("utf-8-sig")
    reference = RepairRequest.objects.get().case.reference
    assert reference in rows and "3栋 1201" in rows and "疏通地漏 ¥80.00" in rows


def test_the_desk_reports_a_repair_for_a_tenant_without_an_account(client, plumbing, estate, staff):
    desk = staff("Customer service")
    owner = archive.save_record(OwnerRecord(name="陈伟"), desk)
    tenant = archive.save_record(OwnerRecord(name="赵磊", mobile="13500135009"), desk)
    flat = Unit.objects.get(estate=estate, building="3栋", number="0201")
    archive.hand_over(flat, desk, owners=[owner], on=date(2019, 7, 2))
    archive.let(flat, desk, tenants=[tenant], on=date(2024, 3, 1))
    client.force_login(desk)
    url = reverse("repairs_desk", args=[tenant.pk])
    page = client.get(url, **ZH).content.decode()
    assert "3栋 0201" in page and "3栋 1201" not in page  # their home only

    elsewhere = Unit.objects.get(estate=estate, building="3栋", number="1201")
    refused = client.post(url, {**form(plumbing, unit=elsewhere.pk), "came": "call"}, **ZH)
    assert refused.status_code == 200 and not Case.objects.exists()

    paid = {"price_item": plumbing.prices.get().pk, "accept_price": "on", "came": "call"}
    response = client.post(url, {**form(plumbing, unit=flat.pk), **paid}, **ZH)
    repair = RepairRequest.objects.select_related("case").get()
    assert response["Location"] == reverse("case_ledger:inspect", args=[repair.case_id])
    case = repair.case
    assert case.owner is None and case.channel == "phone" and case.unit == flat
    assert case.first_responder == desk and case.status == "accepted"
    assert "赵磊" not in case.description  # the contractor's text quotes the description
    assert case.events.filter(kind="note", text__contains="赵磊 13500135009").exists()
    visit = tenant.visits.get()
    assert visit.kind == "call" and case.reference in visit.outcome

    # Someone who does not handle cases cannot.
    client.force_login(staff("Club staff"))
    assert client.get(url)["Location"] == "/admin/"
