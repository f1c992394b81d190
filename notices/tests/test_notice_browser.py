"""An important notice from end to end: an editor writes it for 翠湖苑 3栋 and submits it; a
manager approves it and it goes out; an owner of 3栋 sees it on the home page on a phone and
confirms it; customer service see one confirmed and the rest to call, record a call, and
export the list."""

import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from conftest import OVERFLOW, PASSWORD, add_block, make_user, verify
from home.tests.conftest import publish
from notices.models import Call, NoticeIndexPage, NoticePage, Receipt
from owners.models import Unit
from publications.tests.test_publication_browser import admin_sign_in

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]
TITLE = "3栋停水检修通知"


def test_an_important_notice_is_written_approved_confirmed_and_followed_up(
    live_server, page, browser, home_page, estate, staff, settings
):
    settings.WAGTAIL_AUTOSAVE_INTERVAL = 0  # autosave races the editor's clicks
    site = live_server.url
    index = publish(home_page, NoticeIndexPage(title="通知公告", slug="notices"))
    editor, manager, agent = staff("Editors"), staff("Managers"), staff("Customer service")
    people = {}
    for n, number in enumerate(["1201", "0101", "0202"]):
        unit = Unit.objects.get(estate=estate, building="3栋", number=number)
        people[number] = verify(
            make_user(f"o{n}", real_name=f"业主{n}", mobile=f"1370000{n:04d}"), unit, proof=f"P{n}"
        )
    elsewhere = verify(
        make_user("far", mobile="13700009999"),
        Unit.objects.get(estate=estate, building="1栋", number="0101"),
        proof="PF",
    )
    day = (timezone.localdate() + timezone.timedelta(days=3)).isoformat()

    # 1. The editor writes the notice for 3栋 and submits it.
    desk = admin_sign_in(browser, site, editor)
    desk.goto(f"{site}/admin/pages/add/notices/noticepage/{index.pk}/")
    desk.fill("input[name=title]", TITLE)
    desk.select_option("select[name=kind]", "outage")
    desk.check("input[name=important]")
    desk.fill("input[name=acknowledge_by]", day)
    desk.keyboard.press("Escape")  # closes the date picker
    body = desk.locator("[data-contentpath=body]")
    add_block(desk, body, "pilcrow")  # a paragraph
    body.locator("[contenteditable=true]").click()
    desk.keyboard.type("周五上午 9:00–12:00 停水，请提前储水。")
    expect(desk.locator("input[name=body-0-value]")).to_have_value(re.compile("提前储水"))
    desk.check(f"input[name=estates][value='{estate.pk}']")
    desk.fill("input[name=buildings]", "3栋")
    desk.click("footer .w-dropdown-button .w-dropdown__toggle")
    with desk.expect_navigation():
        desk.click("footer button[name=action-submit]")
    desk.context.close()
    notice = NoticePage.objects.get()
    assert not notice.live and not Receipt.objects.exists()

    # 2. A manager approves it: it goes live and out to 3栋's owners alone.
    desk = admin_sign_in(browser, site, manager)
    with desk.expect_response(re.compile(r"/admin/editing-sessions/ping/")):
        desk.goto(f"{site}/admin/pages/{notice.pk}/edit/")
    desk.click("footer .w-dropdown-button .w-dropdown__toggle")
    approve = (
        "footer button[data-workflow-action-name=approve]:not([data-workflow-action-modal-url])"
    )
    with desk.expect_navigation():
        desk.click(approve)
    desk.context.close()
    notice.refresh_from_db()
    assert notice.live
    assert {r.user for r in Receipt.objects.filter(notice=notice)} == set(people.values())
    assert not Receipt.objects.filter(user=elsewhere).exists()

    # 3. An owner of 3栋, on a phone, finds it on the home page and confirms it.
    page.goto(f"{site}/accounts/login/")
    page.fill("input[name=login]", people["1201"].email)
    page.fill("input[name=password]", PASSWORD)
    page.click("form.form button[type=submit]")
    page.goto(f"{site}/")
    notices = page.locator("section[aria-labelledby=home-notices]")
    expect(notices).to_contain_text(TITLE)
    expect(notices).to_contain_text("待确认")
    assert page.evaluate(OVERFLOW) == []
    with page.expect_navigation():
        notices.get_by_role("link", name=re.compile(TITLE)).click()
    expect(page.locator("article")).to_contain_text("提前储水")
    with page.expect_navigation():
        page.get_by_role("button", name="我已阅读并知悉").click()
    expect(page.locator(".notice-confirm")).to_contain_text("您已于")
    assert page.evaluate(OVERFLOW) == []

    # 4. Customer service see one confirmed, call one of the others, and export the list.
    desk = admin_sign_in(browser, site, agent)
    desk.goto(f"{site}/admin/notices/report/?notice={notice.pk}")
    totals = desk.get_by_role("row", name=re.compile("全部"))
    expect(totals).to_contain_text("3")
    with desk.expect_navigation():
        totals.get_by_role("link", name="未确认名单").click()
    rows = desk.locator("main tbody tr")
    expect(rows).to_have_count(2)
    expect(desk.locator("main")).not_to_contain_text(people["1201"].mobile)
    with desk.expect_navigation():
        desk.get_by_role("link", name=re.compile("业主1")).first.click()
    desk.select_option("select[name=outcome]", "confirmed")
    desk.fill("input[name=note]", "电话中已确认知悉")
    with desk.expect_navigation():
        desk.get_by_role("button", name="记录本次电话").click()
    expect(desk.locator(".messages")).to_contain_text("已记录")
    desk.goto(f"{site}/admin/notices/report/?notice={notice.pk}")
    expect(desk.get_by_role("row", name=re.compile("全部"))).to_contain_text("2")
    with desk.expect_download() as download:
        desk.get_by_role("link", name="下载 Excel").click()
    assert download.value.suggested_filename.endswith(".xlsx")
    desk.context.close()
    [call] = Call.objects.all()
    assert call.made_by == agent and call.receipt.user == people["0101"]
    confirmed = Receipt.objects.filter(notice=notice, acknowledged_at__isnull=False)
    assert confirmed.count() == 2 and confirmed.filter(by_phone=True).count() == 1
