"""A gate pass from end to end, at 360 px where owners and guards are on phones: the owner asks
to move goods out today; customer service approve it from the case screen; the owner's case
shows the pass's QR code; the guard opens it, checks the plate and lets the goods out; a second
scan says it was used."""

import re

import pytest
import segno
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect

from cases.models import Case
from conftest import OVERFLOW, PASSWORD, make_user, sign_in_staff
from portal.notifications import site_link
from repairs.models import SpecialService

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def test_owner_asks_service_approves_guard_lets_out_once(
    live_server, page, browser, verified_owner, unit, staff, settings
):
    site = live_server.url
    settings.WAGTAILADMIN_BASE_URL = site
    agent = staff("Customer service")
    guard = make_user("guard", groups=["Gate guards"], real_name="李卫")
    today = timezone.localdate()

    # 1. The owner asks for a gate pass for today, on a phone.
    page.goto(f"{site}/accounts/login/")
    page.fill("input[name=login]", verified_owner.email)
    page.fill("input[name=password]", PASSWORD)
    page.click("form.form button[type=submit]")
    expect(page).to_have_url(re.compile(r"/me/"))
    page.get_by_role("link", name=re.compile("特约服务")).click()
    expect(page).to_have_url(f"{site}/repairs/services/")
    assert page.evaluate(OVERFLOW) == []
    page.get_by_role("link", name=re.compile("物资放行")).click()
    page.fill("input[name=day]", today.isoformat())
    page.fill("textarea[name=items]", "三人沙发 1 张\n纸箱 12 个")
    page.fill("input[name=plate]", "浙a 3k729")
    assert page.evaluate(OVERFLOW) == []
    with page.expect_navigation():
        page.click("main form button[type=submit]")
    expect(page.locator(".messages")).to_contain_text("已提交")
    case = Case.objects.get()
    expect(page.locator(".repair-facts")).to_contain_text("浙A3K729")
    expect(page.locator(".repair-facts")).to_contain_text("待审批")

    # 2. Customer service approve it from the case screen, at a desk.
    desk = browser.new_context(viewport={"width": 1280, "height": 900}, locale="zh-CN")
    staff_page = desk.new_page()
    sign_in_staff(staff_page, site, agent)
    staff_page.goto(f"{site}/admin/cases/inspect/{case.pk}/")
    with staff_page.expect_navigation():
        staff_page.get_by_role("link", name="审批").click()
    staff_page.fill("textarea[name=note]", "请走南门")
    with staff_page.expect_navigation():
        staff_page.get_by_role("button", name="批准", exact=True).click()
    expect(staff_page.locator(".messages")).to_contain_text("已批准")
    desk.close()

    # 3. The owner's case shows the pass, its QR code opening the pass's page.
    page.reload()
    expect(page.locator(".gate-pass svg")).to_be_visible()
    expect(page.locator(".timeline")).to_contain_text("请走南门")
    assert page.evaluate(OVERFLOW) == []
    service = SpecialService.objects.get()
    address = site_link(reverse("repairs:pass", args=[service.pass_token]))
    qr = segno.make(address, error="m").svg_inline(scale=6, border=2)
    drawn = page.locator(".gate-pass svg path").get_attribute("d")
    assert f'd="{drawn}"' in qr  # the code is the pass's address, nothing else

    # 4. The guard scans it on a phone: good today; lets the goods out; a second scan refuses.
    gate = browser.new_context(viewport={"width": 360, "height": 740}, locale="zh-CN")
    phone = gate.new_page()
    sign_in_staff(phone, site, guard, next_url=f"/repairs/pass/{service.pass_token}/")
    expect(phone.locator(".gate-verdict--good")).to_contain_text("今日有效")
    expect(phone.locator(".gate-pass__plate")).to_have_text("浙A3K729")
    assert phone.evaluate(OVERFLOW) == []
    with phone.expect_navigation():
        phone.get_by_role("button", name="确认放行").click()
    expect(phone.locator(".messages")).to_contain_text("已放行")
    expect(phone.locator(".gate-verdict--bad")).to_contain_text("已使用")
    expect(phone.get_by_role("button", name="确认放行")).to_have_count(0)
    phone.goto(address)  # scanned again
    expect(phone.locator(".gate-verdict--bad")).to_contain_text("李卫")
    gate.close()
    service.refresh_from_db()
    assert service.state == "used" and service.used_by == guard

    page.reload()
    expect(page.locator(".repair-facts")).to_contain_text("已放行")
