"""A repair from end to end, at 360 px where people are on phones: the owner reports a blocked
drain with a photo, a time and the accepted price; customer service dispatch it to 工程部 from
the case screen; the technician marks arrived and done with a photo, a material and the owner's
signature; the owner confirms it; customer service call from the 回访 list and record the
follow-up; the ledger and the month's figures show it."""

import re
from datetime import date, timedelta

import pytest
from django.utils import timezone
from PIL import Image
from playwright.sync_api import expect

from cases.models import Case, CaseAttachment, Category
from conftest import OVERFLOW, PASSWORD, make_user, sign_in_staff
from owners.models import Unit
from repairs.models import Material, MaterialUse, PriceItem, RepairCategory, Team, WorkOrder

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def test_owner_reports_service_dispatches_technician_finishes_service_follows_up(
    live_server, page, browser, verified_owner, unit, staff, tmp_path
):
    site = live_server.url
    Unit.objects.filter(pk=unit.pk).update(handed_over_on=date(2019, 6, 28))  # out of warranty
    technician = make_user(
        "technician", groups=["Technicians"], real_name="周建华", mobile="13700006601"
    )
    team = Team.objects.create(name="工程部", kind=Team.Kind.DEPARTMENT)
    team.members.add(technician)
    plumbing = RepairCategory.objects.create(
        name="给排水", team=team, case_category=Category.objects.get(name="维修报修")
    )
    PriceItem.objects.create(category=plumbing, name="疏通地漏", unit="次", price="80.00")
    Material.objects.create(name="地漏", unit="个", unit_price="35.00")
    agent = staff("Customer service")
    tomorrow = timezone.localdate() + timedelta(days=1)
    photo = tmp_path / "drain.jpg"
    Image.new("RGB", (64, 48), (90, 90, 200)).save(photo, "JPEG")

    # 1. The owner reports the repair on a phone.
    page.goto(f"{site}/accounts/login/")
    page.fill("input[name=login]", verified_owner.email)
    page.fill("input[name=password]", PASSWORD)
    page.click("form.form button[type=submit]")
    expect(page).to_have_url(re.compile(r"/me/"))
    page.get_by_role("link", name="我要报修").click()
    expect(page).to_have_url(f"{site}/repairs/new/")
    assert page.evaluate(OVERFLOW) == []
    expect(page.locator("select[name=estate]")).to_be_hidden()  # a home, not a common area
    page.select_option("select[name=category]", label="给排水")
    page.fill("textarea[name=description]", "卫生间地漏下水很慢，已经积水两天。")
    page.set_input_files("input[name=attachments]", str(photo))
    page.select_option("select[name=day1]", tomorrow.isoformat())
    page.select_option("select[name=window1]", "evening")
    page.select_option("select[name=price_item]", label="疏通地漏 · ¥80.00/次")
    page.check("input[name=accept_price]")
    with page.expect_navigation():
        page.click("form.repair-form button[type=submit]")
    expect(page.locator(".messages")).to_contain_text("已提交")
    case = Case.objects.get()
    expect(page.locator(".repair-facts")).to_contain_text("疏通地漏：¥80.00/次，已确认")
    expect(page.locator(".repair-facts")).to_contain_text("晚上 18:00–20:00")
    expect(page.locator(".timeline a.attachment")).to_have_count(1)
    assert page.evaluate(OVERFLOW) == []

    # 2. Customer service dispatch it from the case screen, in the owner's time.
    desk = browser.new_context(viewport={"width": 1280, "height": 900}, locale="zh-CN")
    staff_page = desk.new_page()
    sign_in_staff(staff_page, site, agent)
    staff_page.goto(f"{site}/admin/cases/inspect/{case.pk}/")
    with staff_page.expect_navigation():
        staff_page.get_by_role("link", name="派单给维修师傅").click()
    staff_page.select_option("select[name=technician]", label="周建华")
    staff_page.check(f'input[name=slot][value="{tomorrow.isoformat()}|evening"]')
    with staff_page.expect_navigation():
        staff_page.click("main form button[type=submit]")
    expect(staff_page).to_have_url(f"{site}/admin/cases/inspect/{case.pk}/")
    expect(staff_page.locator(".messages")).to_contain_text("已派单给工程部")

    page.reload()
    expect(page.locator(".timeline")).to_contain_text("周师傅")
    expect(page.locator(".timeline")).to_contain_text("137****6601")

    # 3. The technician, on a phone, marks arrived and done with a photo and a material.
    crew = browser.new_context(viewport={"width": 360, "height": 740}, locale="zh-CN")
    phone = crew.new_page()
    sign_in_staff(phone, site, technician, next_url=f"/repairs/jobs/?day={tomorrow.isoformat()}")
    assert phone.evaluate(OVERFLOW) == []
    with phone.expect_navigation():
        phone.locator(".job a").click()
    expect(phone.locator(".facts")).to_contain_text("积水两天")
    with phone.expect_navigation():
        phone.get_by_role("button", name="我已到场").click()
    expect(phone.locator(".messages")).to_contain_text("已登记到场")
    phone.fill("textarea[name=notes]", "已疏通地漏并更换地漏芯。")
    phone.set_input_files("input[name=attachments]", str(photo))
    phone.select_option("select[name=material1]", label="地漏（¥35.00/个）")
    phone.fill("input[name=quantity1]", "1")
    expect(phone.locator("input[name=amount]")).to_have_value("80.00")
    phone.fill("input[name=amount]", "115.00")
    # The owner signs with a finger (a mouse here) on the technician's phone.
    canvas = phone.locator("[data-signature] canvas")
    canvas.scroll_into_view_if_needed()
    pad = canvas.bounding_box()
    phone.mouse.move(pad["x"] + 20, pad["y"] + 40)
    phone.mouse.down()
    phone.mouse.move(pad["x"] + 200, pad["y"] + 90, steps=12)
    phone.mouse.up()
    assert phone.evaluate(OVERFLOW) == []
    with phone.expect_navigation():
        phone.get_by_role("button", name="确认完工").click()
    expect(phone.locator(".messages")).to_contain_text("已完工")
    crew.close()
    order = WorkOrder.objects.get()
    assert order.state == "done" and str(order.amount) == "115.00"
    assert MaterialUse.objects.get().material.name == "地漏"

    # 4. The owner sees what was done and confirms it.
    page.reload()
    expect(page.locator(".topic-header__meta .status")).to_have_text("已解决")
    expect(page.locator(".timeline")).to_contain_text("已疏通地漏并更换地漏芯。")
    expect(page.locator(".timeline")).to_contain_text("应付：¥115.00")
    # The report's photo, the job's photo and the owner's signature.
    expect(page.locator(".timeline a.attachment")).to_have_count(3)
    assert CaseAttachment.objects.filter(name__startswith="signature.").count() == 1
    with page.expect_navigation():
        page.get_by_role("button", name="是的，已解决").click()
    assert page.evaluate(OVERFLOW) == []  # confirmed; the owner leaves the rating

    # 5. Customer service find it on the 回访 list, call, and record the follow-up: closed. The
    #    ledger and the month's figures show it.
    staff_page.goto(f"{site}/admin/repairs/follow-ups/")
    with staff_page.expect_navigation():
        staff_page.get_by_role("link", name=re.compile(case.reference)).first.click()
    staff_page.select_option("select[name=score]", "4")
    staff_page.select_option("select[name=method]", "电话回访")
    with staff_page.expect_navigation():
        staff_page.click("button[name=action][value=follow_up]")
    expect(staff_page.locator(".messages")).to_contain_text("已登记回访")
    staff_page.goto(f"{site}/admin/repairs/follow-ups/")
    expect(staff_page.get_by_role("link", name=re.compile(case.reference))).to_have_count(0)
    staff_page.goto(f"{site}/admin/repairs/ledger/")
    expect(staff_page.get_by_role("row", name=re.compile(case.reference))).to_contain_text("已关闭")
    staff_page.goto(f"{site}/admin/repairs/report/")
    month = staff_page.locator("main")
    expect(month).to_contain_text("一次修复率")
    expect(month).to_contain_text("100%")
    expect(month).to_contain_text("4.0/5")
    expect(month).to_contain_text("115.00")
    desk.close()
    case.refresh_from_db()
    assert case.status == "closed" and case.satisfaction == 4
