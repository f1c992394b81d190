"""特约服务: an owner asks for the lift kept for a move, air conditioning after hours or a gate
pass for goods, filed as a case; the person responsible approves or declines it; an approved
pass is good at the gate once, on its day, for guards alone."""

import io
import zipfile
from datetime import time, timedelta

import pytest
import segno
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from cases.models import Case
from club.tests.test_concurrency import of_type, together
from conftest import make_user, verify
from owners import privacy
from owners.models import Unit
from portal.models import Notification
from portal.notifications import site_link
from repairs import services
from repairs.models import SpecialService

pytestmark = pytest.mark.django_db
ZH = {"HTTP_ACCEPT_LANGUAGE": "zh-hans"}
TODAY = timezone.localdate()
TOMORROW = TODAY + timedelta(days=1)


@pytest.fixture
def guard(db):
    return make_user("guard", groups=["Gate guards"], real_name="李卫")


def release(owner, unit, day=TOMORROW, **fields):
    return services.request_service(
        owner,
        type="release",
        unit=unit,
        day=day,
        items=fields.pop("items", "沙发 1 张\n\n纸箱 12 个\n"),
        plate=fields.pop("plate", "粤b 12345"),
        **fields,
    )


def approved_pass(owner, unit, agent, day=TOMORROW):
    service = release(owner, unit, day=day)
    return services.decide(service, agent, approve=True, note="请走东门")


def test_a_gate_pass_request_is_filed_as_a_case_and_bad_input_changes_nothing(
    client, verified_owner, unit
):
    client.force_login(verified_owner)
    url = reverse("repairs:new_service", args=["release"])
    form = client.get(url, **ZH).content.decode()
    assert "放行" in form and 'name="plate"' in form and 'name="starts"' not in form
    base = {"unit": unit.pk, "day": TOMORROW.isoformat(), "items": "沙发 1 张"}

    refused = client.post(url, {**base, "plate": "ABC123"}, **ZH)
    assert "车牌" in refused.content.decode()
    refused = client.post(url, {**base, "plate": "粤B12345", "items": " \n "}, **ZH)
    assert refused.status_code == 200
    far = (TODAY + timedelta(days=services.DAYS_AHEAD + 1)).isoformat()
    refused = client.post(url, {**base, "plate": "粤B12345", "day": far}, **ZH)
    assert "30" in refused.content.decode()
    assert not Case.objects.exists() and not SpecialService.objects.exists()

    response = client.post(url, {**base, "plate": "粤b·12345", "items": "沙发 1 张\n\n纸箱 12 个"})
    service = SpecialService.objects.select_related("case").get()
    assert response.url == service.case.get_absolute_url()
    assert (service.type, service.state, service.plate) == ("release", "requested", "粤B12345")
    assert service.item_list == ["沙发 1 张", "纸箱 12 个"]
    assert service.case.kind == "service" and service.case.category.name == "特约服务"
    assert service.case.unit == unit
    page = client.get(service.case.get_absolute_url(), **ZH).content.decode()
    assert "纸箱 12 个" in page and "粤B12345" in page and "待审批" in page


def test_the_lift_and_air_conditioning_need_sensible_hours(client, verified_owner, unit):
    client.force_login(verified_owner)
    lift = reverse("repairs:new_service", args=["lift"])
    base = {"unit": unit.pk, "day": TOMORROW.isoformat()}
    too_long = client.post(lift, {**base, "starts": "08:00", "ends": "17:30"}, **ZH)
    assert "最多 8 小时" in too_long.content.decode()
    backwards = client.post(lift, {**base, "starts": "12:00", "ends": "09:00"}, **ZH)
    assert "结束时间" in backwards.content.decode()
    aircon = reverse("repairs:new_service", args=["aircon"])
    # 空调加时 is for shops and offices: a home's owner is told, and refused.
    assert "商铺和写字楼" in client.get(aircon, **ZH).content.decode()
    with pytest.raises(services.ServiceError):
        services.request_service(
            verified_owner, type="aircon", unit=unit, day=TOMORROW, starts=time(19), ends=time(22)
        )
    Unit.objects.filter(pk=unit.pk).update(use=Unit.Use.OFFICE)
    no_area = client.post(aircon, {**base, "starts": "19:00", "ends": "22:00"}, **ZH)
    assert no_area.status_code == 200 and not SpecialService.objects.exists()

    client.post(lift, {**base, "starts": "09:00", "ends": "12:00", "lift": "2号梯"})
    client.post(aircon, {**base, "starts": "19:00", "ends": "22:00", "area": "3楼东区"})
    made = {s.type: s for s in SpecialService.objects.all()}
    assert made["lift"].hours == "09:00–12:00" and made["lift"].lift == "2号梯"
    assert made["aircon"].area == "3楼东区" and made["aircon"].ends == time(22, 0)
    assert client.get(reverse("repairs:new_service", args=["party"])).status_code == 404


def test_only_a_verified_home_of_ones_own(client, verified_owner, unit, other_owner):
    with pytest.raises(services.ServiceError):
        release(other_owner, unit)
    client.force_login(other_owner)
    page = client.get(reverse("repairs:new_service", args=["release"]), **ZH).content.decode()
    assert "认证房产" in page and 'name="plate"' not in page


def test_approval_answers_resolves_and_tells_the_owner_and_gives_the_pass(
    client, verified_owner, unit, staff, django_capture_on_commit_callbacks
):
    service = release(verified_owner, unit)
    agent = staff("Customer service")
    client.force_login(agent)
    screen = client.get(reverse("case_ledger:inspect", args=[service.case_id]), **ZH)
    assert "审批" in screen.content.decode() and "粤B12345" in screen.content.decode()
    url = reverse("repairs_service_decide", args=[service.case_id])
    refused = client.post(url, {"decision": "decline", "note": ""}, **ZH)
    assert "原因" in refused.content.decode()
    assert SpecialService.objects.get().state == "requested"

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, {"decision": "approve", "note": "请走东门"}, **ZH)
    assert response.url == reverse("case_ledger:inspect", args=[service.case_id])
    service.refresh_from_db()
    case = service.case
    assert service.state == "approved" and service.decided_by == agent and service.pass_token
    assert case.status == "resolved" and case.first_responder == agent
    assert case.first_responded_at is not None
    told = Notification.objects.filter(recipient=verified_owner, kind="repair").latest("pk")
    assert told.url == case.get_absolute_url()
    # Decided once: a second press is refused.
    again = client.post(url, {"decision": "decline", "note": "改期"}, **ZH)
    assert again.status_code == 200 and SpecialService.objects.get().state == "approved"

    client.force_login(verified_owner)
    page = client.get(case.get_absolute_url(), **ZH).content.decode()
    assert "放行条" in page and "请走东门" in page
    qr = segno.make(site_link(reverse("repairs:pass", args=[service.pass_token])), error="m")
    assert qr.svg_inline(scale=6, border=2) in page  # the code opens the pass, nothing else


def test_a_decline_says_why(verified_owner, unit, staff):
    service = release(verified_owner, unit)
    services.decide(service, staff("Customer service"), approve=False, note="当天小区封闭施工")
    service.refresh_from_db()
    assert service.state == "declined" and service.pass_token is None
    assert service.case.events.filter(text__contains="当天小区封闭施工").exists()


def test_the_guard_lets_goods_out_once_on_the_day(client, verified_owner, unit, staff, guard):
    service = approved_pass(verified_owner, unit, staff("Customer service"), day=TODAY)
    url = reverse("repairs:pass", args=[service.pass_token])
    client.force_login(guard)
    page = client.get(url, **ZH).content.decode()
    assert "今日有效" in page and "粤B12345" in page and "纸箱 12 个" in page
    assert "确认放行" in page
    assert "王**" in page and "王建国" not in page  # the guard sees the surname alone
    assert client.post(url, **ZH).url == url
    service.refresh_from_db()
    assert service.state == "used" and service.used_by == guard
    page = client.get(url, **ZH).content.decode()
    assert "已使用" in page and "李卫" in page and "确认放行" not in page
    client.post(url, **ZH)
    assert SpecialService.objects.get().used_at == service.used_at  # not twice


def test_a_pass_is_not_good_on_another_day_nor_for_anyone_but_guards(
    client, verified_owner, unit, staff, guard, other_owner
):
    service = approved_pass(verified_owner, unit, staff("Customer service"))  # tomorrow
    url = reverse("repairs:pass", args=[service.pass_token])
    client.force_login(guard)
    assert "不是今天的放行条" in client.get(url, **ZH).content.decode()
    client.post(url, **ZH)
    assert SpecialService.objects.get().state == "approved"
    client.force_login(verified_owner)
    assert client.get(url).url == service.case.get_absolute_url()
    client.force_login(other_owner)
    assert client.get(url).status_code == 404
    client.logout()
    assert "/accounts/login/" in client.get(url).url
    client.force_login(guard)
    assert client.get(reverse("repairs:pass", args=["x" * 24])).status_code == 404
    with pytest.raises(services.PermissionDenied):
        services.let_out(service, other_owner)


def test_after_its_day_a_pass_is_void(client, verified_owner, unit, staff, guard):
    service = approved_pass(verified_owner, unit, staff("Customer service"), day=TODAY)
    assert services.close_past_days(today=TOMORROW) == 1
    assert services.close_past_days(today=TOMORROW) == 0
    client.force_login(guard)
    page = client.get(reverse("repairs:pass", args=[service.pass_token]), **ZH).content.decode()
    assert "无效" in page and "确认放行" not in page


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
@pytest.mark.skipif(connection.vendor != "postgresql", reason="row locks need PostgreSQL")
def test_two_guards_scanning_at_once_let_out_once(verified_owner, unit, staff, guard):
    service = approved_pass(verified_owner, unit, staff("Customer service"), day=TODAY)
    other = make_user("guard2", groups=["Gate guards"], real_name="赵卫")
    outcomes = together(lambda n: services.let_out(service, [guard, other][n % 2]), range(6))
    assert len(of_type(outcomes, SpecialService)) == 1
    assert len(of_type(outcomes, services.ServiceError)) == 5


def test_pages_ask_the_same_queries_for_one_pass_or_many(
    client, verified_owner, unit, staff, guard, django_assert_max_num_queries
):
    agent = staff("Customer service")
    first = approved_pass(verified_owner, unit, agent, day=TODAY)
    client.force_login(guard)
    with django_assert_max_num_queries(8):
        client.get(reverse("repairs:pass", args=[first.pass_token]))
    for _n in range(5):
        approved_pass(verified_owner, unit, agent, day=TODAY)
    with django_assert_max_num_queries(8):
        client.get(reverse("repairs:pass", args=[first.pass_token]))
    client.force_login(verified_owner)
    with django_assert_max_num_queries(12):
        client.get(reverse("repairs:new_service", args=["release"]))
    with django_assert_max_num_queries(20):
        client.get(first.case.get_absolute_url())


def test_my_data_holds_the_services_and_a_closure_erases_goods_and_plate(
    verified_owner, unit, staff, django_capture_on_commit_callbacks
):
    token = approved_pass(verified_owner, unit, staff("Customer service")).pass_token
    with django_capture_on_commit_callbacks(execute=True):
        export = privacy.request_export(verified_owner)
    export.refresh_from_db()
    with zipfile.ZipFile(io.BytesIO(export.file.read())) as archive:
        rows = archive.read("cases/special_services.csv").decode("utf-8-sig")
    assert "粤B12345" in rows and "纸箱 12 个" in rows and "3栋 1201" in rows
    with django_capture_on_commit_callbacks(execute=True):
        closure = privacy.carry_out_closure(
            privacy.request_closure(verified_owner, posts="keep"), staff("Managers")
        )
    assert closure.counts["special_services"] == 1
    assert SpecialService.objects.filter(plate="", items="").count() == 1
    # The pass it had is void: its QR code opens nothing.
    assert SpecialService.objects.get().state == "past" and services.find_pass(token) is None


def test_an_owner_with_two_homes_picks_among_them(client, owner, unit, estate):
    second = Unit.objects.get(estate=estate, building="1栋", number="0101")
    verify(owner, unit)
    verify(owner, second, proof="P2")
    client.force_login(owner)
    page = client.get(reverse("repairs:new_service", args=["lift"]), **ZH).content.decode()
    assert unit.label in page and second.label in page
