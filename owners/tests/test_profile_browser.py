"""On a phone, the profile's "other owners see" line follows the form as the owner types, and
says after saving what the server says; without script it shows the saved name."""

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from conftest import make_user
from portal.tests.test_csp_browser import Violations, sign_in

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def test_the_public_name_preview_follows_the_form(live_server, browser, tmp_path):
    owner = make_user("owner", real_name="王建国", mobile="13800138000")
    site = live_server.url
    context = browser.new_context(viewport={"width": 360, "height": 740}, locale="zh-CN")
    violations = Violations(context)
    sign_in(context, site, owner)
    page = context.new_page()
    page.goto(site + reverse("owners:profile"))
    preview = page.locator(".public-name__preview strong")
    nickname, real_name = (
        page.locator("input[name=nickname]"),
        page.locator("input[name=real_name]"),
    )
    show = page.locator("input[name=show_real_name]")

    expect(preview).to_have_text("王**")
    show.check()
    expect(preview).to_have_text("王建国")
    nickname.fill("湖边散步")
    expect(preview).to_have_text("湖边散步")
    nickname.fill("")
    expect(preview).to_have_text("王建国")
    show.uncheck()
    expect(preview).to_have_text("王**")
    # A real name typed anew is masked with the server's mask.
    real_name.fill("欧阳娜娜")
    expect(preview).to_have_text("欧**")
    page.locator(".public-name").screenshot(path=tmp_path / "public-name-360.png")
    page.screenshot(path=tmp_path / "profile-360.png", full_page=True)

    # What the preview said is what others see once saved.
    page.click("form.form button[type=submit]")
    expect(page).to_have_url(site + reverse("owners:dashboard"))
    owner.refresh_from_db()
    assert owner.public_name == "欧**"
    page.goto(site + reverse("owners:profile"))
    expect(preview).to_have_text("欧**")
    show.check()
    expect(preview).to_have_text("欧阳娜娜")
    page.click("form.form button[type=submit]")
    expect(page).to_have_url(site + reverse("owners:dashboard"))
    owner.refresh_from_db()
    assert owner.public_name == "欧阳娜娜"
    assert violations == []

    # Without script: the saved name, whatever is typed.
    still = browser.new_context(
        viewport={"width": 360, "height": 740}, locale="zh-CN", java_script_enabled=False
    )
    sign_in(still, site, owner)
    plain = still.new_page()
    plain.goto(site + reverse("owners:profile"))
    plain.locator("input[name=nickname]").fill("湖边散步")
    expect(plain.locator(".public-name__preview strong")).to_have_text("欧阳娜娜")
    desk = browser.new_context(viewport={"width": 1280, "height": 900}, locale="zh-CN")
    sign_in(desk, site, owner)
    wide = desk.new_page()
    wide.goto(site + reverse("owners:profile"))
    wide.locator("input[name=nickname]").fill("湖边散步")
    expect(wide.locator(".public-name__preview strong")).to_have_text("湖边散步")
    wide.screenshot(path=tmp_path / "profile-desktop.png", full_page=True)
