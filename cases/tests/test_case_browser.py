"""A complaint from end to end: an owner files it on a phone with a photo, customer service
accepts, replies and resolves it in the admin, the owner confirms and rates it, the ledger shows
it closed, and the owner was emailed at each step."""

import re

import pytest
from django.core import mail
from PIL import Image
from playwright.sync_api import expect

from cases.models import Case
from conftest import OVERFLOW, PASSWORD, sign_in_staff

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

REFERENCE = re.compile(r"TS-\d{6}-\d{4}")


def test_owner_complaint_to_rated_and_closed(
    live_server, page, browser, verified_owner, unit, staff, tmp_path
):
    agent = staff("Customer service")
    mail.outbox.clear()  # the owner's "claim approved" email; the complaint's come below
    site = live_server.url
    photo = tmp_path / "leak.jpg"
    Image.new("RGB", (64, 48), (180, 40, 40)).save(photo, "JPEG")

    # 1. The owner signs in on a phone and files a complaint about their home, with a photo.
    page.goto(f"{site}/accounts/login/")
    page.fill("input[name=login]", verified_owner.email)
    page.fill("input[name=password]", PASSWORD)
    page.click("form.form button[type=submit]")
    expect(page).to_have_url(re.compile(r"/me/"))

    page.goto(f"{site}/me/cases/new/")
    assert page.evaluate(OVERFLOW) == []
    page.select_option("select[name=kind]", "complaint")
    page.select_option("select[name=category]", label="维修报修")
    page.select_option("select[name=unit]", str(unit.pk))
    expect(page.locator("select[name=unit] option:checked")).to_contain_text("1201")
    page.fill("input[name=subject]", "卫生间天花板渗水")
    page.fill("textarea[name=description]", "楼上卫生间漏水，天花板已经发霉，请尽快派人查看。")
    page.set_input_files("input[name=attachments]", str(photo))
    with page.expect_navigation():
        page.click("form.form button[type=submit]")

    expect(page).to_have_url(re.compile(r"/me/cases/TS-\d{6}-\d{4}/$"))
    reference = REFERENCE.search(page.url).group(0)
    case = Case.objects.get(reference=reference)
    assert (case.owner, case.unit, case.kind, case.category.name) == (
        verified_owner,
        unit,
        "complaint",
        "维修报修",
    )
    expect(page.locator(".messages")).to_contain_text(f"您的报事已提交，编号 {reference}")
    expect(page.locator("h1")).to_have_text("卫生间天花板渗水")
    expect(page.locator(".topic-header__meta .badge").first).to_have_text(reference)
    expect(page.locator(".topic-header__meta .status")).to_have_text("待受理")
    expect(page.locator(".topic-header__meta")).to_contain_text("投诉 · 维修报修")
    expect(page.locator(".topic-header")).to_contain_text("3栋")
    attachment = page.locator(".timeline a.attachment")
    expect(attachment).to_have_count(1)
    expect(attachment.locator("img")).to_have_attribute("alt", re.compile("leak"))
    expect(attachment).to_be_visible()
    assert page.evaluate(OVERFLOW) == []
    served = page.request.get(site + attachment.get_attribute("href"))
    assert served.ok and served.headers["content-type"].startswith("image/")
    assert case.attachments.count() == 1

    # 2. Customer service, at a desk, finds it in the ledger, accepts, replies and resolves it.
    desk = browser.new_context(viewport={"width": 1280, "height": 900}, locale="zh-CN")
    staff_page = desk.new_page()
    sign_in_staff(staff_page, site, agent)
    staff_page.goto(f"{site}/admin/cases/")
    row = staff_page.locator("table tbody tr", has_text=reference)
    expect(row).to_have_count(1)
    expect(row).to_contain_text("待受理")
    with staff_page.expect_navigation():
        row.get_by_role("link", name=reference).click()
    expect(staff_page).to_have_url(f"{site}/admin/cases/inspect/{case.pk}/")
    expect(staff_page.locator("main")).to_contain_text("天花板已经发霉")

    with staff_page.expect_navigation():
        staff_page.click("button[name=action][value=accept]")
    expect(staff_page.locator(".messages")).to_contain_text(reference)
    case.refresh_from_db()
    assert case.status == "accepted" and case.first_responder == agent

    reply = "您好，维修师傅明天上午十点上门检查楼上卫生间防水。"
    staff_page.fill("textarea[name=text]", reply)
    with staff_page.expect_navigation():
        staff_page.click("button[name=action][value=reply]")
    expect(staff_page.locator(".messages")).to_contain_text("已回复业主")

    staff_page.select_option("select[name=status]", "resolved")
    with staff_page.expect_navigation():
        staff_page.click("button[name=action][value=status]")
    expect(staff_page.locator(".messages")).to_contain_text("已解决")
    case.refresh_from_db()
    assert case.status == "resolved" and case.first_responded_at and case.resolved_at

    # 3. The owner sees the reply and the new status, confirms and rates it: the case closes.
    page.reload()
    expect(page.locator(".topic-header__meta .status")).to_have_text("已解决")
    expect(page.locator(".timeline__item--reply")).to_contain_text(reply)
    expect(page.locator(".timeline__item--reply")).to_contain_text("客服回复")

    with page.expect_navigation():
        page.get_by_role("button", name="是的，已解决").click()
    expect(page.locator(".messages")).to_contain_text("感谢您的确认")
    expect(page.locator(".timeline")).to_contain_text("业主确认问题已解决")

    assert page.evaluate(OVERFLOW) == []
    page.check('input[name=score][value="4"]')
    page.fill("textarea[name=comment]", "师傅很专业，就是等得有点久。")
    with page.expect_navigation():
        page.click("button[name=action][value=rate]")
    expect(page.locator(".topic-header__meta .status")).to_have_text("已关闭")
    expect(page.locator(".alert")).to_contain_text("已关闭。您的评价为 4/5")
    expect(page.locator("textarea[name=text]")).to_have_count(0)
    case.refresh_from_db()
    assert case.status == "closed" and case.satisfaction == 4 and case.closed_at

    # 4. The ledger shows it closed; the owner was emailed, the reference in each subject.
    staff_page.goto(f"{site}/admin/cases/?status=closed")
    row = staff_page.locator("table tbody tr", has_text=reference)
    expect(row).to_have_count(1)
    expect(row).to_contain_text("已关闭")
    staff_page.goto(f"{site}/admin/cases/?status=new")
    expect(staff_page.locator("table tbody tr", has_text=reference)).to_have_count(0)
    desk.close()

    to_owner = [m for m in mail.outbox if m.to == [verified_owner.email]]
    assert len(to_owner) >= 3
    assert all(f"[{reference}]" in m.subject for m in to_owner)
    subjects = " | ".join(m.subject for m in to_owner)
    for said in ("我们已收到", "已受理", "客服已回复", "已解决"):
        assert said in subjects, subjects
