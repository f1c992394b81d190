import pytest
from conftest import PASSWORD
from home.models import MagazineIssuePage

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def test_explore(live_server, browser, staff, magazine):
    editor = staff("Editors")
    site = live_server.url
    desk = browser.new_context(viewport={"width": 1280, "height": 900}, locale="zh-CN")
    p = desk.new_page()
    p.goto(f"{site}/admin/login/")
    p.fill("input[name=username]", editor.username)
    p.fill("input[name=password]", PASSWORD)
    with p.expect_navigation():
        p.click("button[type=submit]")
    p.goto(f"{site}/admin/pages/add/home/magazineissuepage/{magazine.pk}/")
    p.fill("input[name=title]", "第 12 期：冬季特刊")
    p.fill("input[name=issue_number]", "12")
    p.fill("input[name=issue_date]", "2026-12-01")
    p.keyboard.press("Escape")
    p.fill("textarea[name=summary]", "本期导读：冬季活动")
    p.click("[data-contentpath=articles] button.c-sf-add-button")
    p.fill("input[name=articles-0-value-title]", "冬至包饺子")
    p.click("[data-contentpath=articles] [data-contentpath=body] button.c-sf-add-button")
    p.wait_for_timeout(0)
    p.screenshot(path="/tmp/pubexp/chooser2.png")
    open("/tmp/pubexp/ch.html", "w").write(p.content())
    p.click("[role=option]:has(.icon-pilcrow)", timeout=3000)
    editor_box = p.locator("[data-contentpath=articles] [data-contentpath=body] [contenteditable=true]")
    editor_box.click()
    p.keyboard.type("会所一起包饺子。")
    p.screenshot(path="/tmp/pubexp/filled.png", full_page=True)
    p.click("footer .w-dropdown__toggle, .actions .w-dropdown__toggle")
    p.screenshot(path="/tmp/pubexp/menu.png")
    with p.expect_navigation():
        p.click("button[name=action-submit]")
    p.screenshot(path="/tmp/pubexp/after.png")
    open("/tmp/pubexp/after.html", "w").write(p.content())
    print(p.url, list(MagazineIssuePage.objects.values()))
