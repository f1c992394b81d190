"""A new owner signs up with a mobile number and the code texted to it, claims a unit; staff
approve it; the badge shows."""

import pytest
from playwright.sync_api import expect

from conftest import OVERFLOW, PASSWORD, sign_in_staff, sms_code
from portal.tests.fake_wechat import WeChat

#: The labels of 我的's links that break over more than one line (a hint beside them wraps
#: instead): [] when every label keeps its line.
BROKEN_LABELS = """() => [...document.querySelectorAll(".link-list a")]
    .filter((link) => link.querySelector(".link-list__hint"))
    .map((link) => {
        const range = document.createRange();
        range.selectNodeContents(link.firstChild);
        return [link.firstChild.textContent.trim(), new Set(
            [...range.getClientRects()].map((box) => Math.round(box.top))).size];
    })
    .filter(([, lines]) => lines > 1)
    .map(([label]) => label)"""

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def test_owner_sign_up_to_verified_badge(live_server, page, browser, estate, staff):
    reviewer = staff("Customer service")
    site = live_server.url

    # Sign up on a phone, with the number as people type it.
    page.goto(f"{site}/accounts/signup/")
    assert page.evaluate(OVERFLOW) == []
    page.fill("input[name=real_name]", "张伟")
    page.fill("input[name=phone]", "138 1234 5678")
    page.fill("input[name=password1]", "Zhang-Wei-2026!")
    page.fill("input[name=password2]", "Zhang-Wei-2026!")
    page.click("form.form button[type=submit]")
    expect(page.locator("h1")).to_contain_text("验证")

    # Enter the code texted to the number; another may be asked for once the minute is over.
    resend = page.locator("button[data-countdown]")
    expect(resend).to_be_disabled()
    expect(resend).to_contain_text("秒后可重新获取")
    assert page.evaluate(OVERFLOW) == []
    page.fill("input[name=code]", sms_code("+8613812345678"))
    page.click("form.form button[type=submit]")
    expect(page).to_have_url(f"{site}/me/")

    # Claim 3栋 1201: choosing the estate brings up its buildings, the building its units;
    # typing part of the number narrows them.
    page.goto(f"{site}/me/units/claim/")
    page.select_option("select[name=estate]", str(estate.pk))
    page.wait_for_selector("select[name=building]")
    page.select_option("select[name=building]", "3栋")
    page.fill("#unit-search", "120")
    expect(page.locator(".unit-picker__units label:visible")).to_have_count(2)
    expect(page.locator(".unit-picker__floor:visible")).to_have_count(1)
    page.click(".unit-picker__units label:has-text('1201')")
    page.fill("input[name=proof]", "HZ-2019-1201")
    page.click("text=提交认证")
    expect(page.locator(".status--pending")).to_be_visible()
    expect(page.locator(".badge--verified")).to_have_count(0)

    # Customer service approves it in the Wagtail admin.
    desk = browser.new_context(viewport={"width": 1280, "height": 900}, locale="zh-CN")
    staff_page = desk.new_page()
    sign_in_staff(staff_page, site, reviewer)
    staff_page.goto(f"{site}/admin/owners/claims/")
    staff_page.click("text=3栋 1201")
    expect(staff_page.locator("text=HZ-2019-1201")).to_be_visible()
    staff_page.click("button[value=approve]")
    expect(staff_page.locator(".messages")).to_contain_text("已认证")

    # The owner sees the badge.
    page.reload()
    expect(page.locator(".badge--verified").first).to_be_visible()
    expect(page.locator(".status--approved")).to_be_visible()


def test_owner_pages_fit_a_phone_screen(live_server, page, verified_owner, estate):
    page.goto(f"{live_server.url}/accounts/login/")
    assert page.evaluate(OVERFLOW) == []
    page.fill("input[name=login]", verified_owner.email)
    page.fill("input[name=password]", PASSWORD)
    page.click("form.form button[type=submit]")
    for path in (
        "/",
        "/me/",
        "/me/profile/",
        f"/me/units/claim/?estate={estate.pk}&building=3栋",
        "/accounts/email/",
    ):
        page.goto(live_server.url + path)
        assert page.evaluate(OVERFLOW) == [], path
        assert page.evaluate(BROKEN_LABELS) == [], path
    expect(page.locator(".tabbar")).to_be_visible()


def test_a_number_signs_in_by_code_changes_and_resets_the_password(live_server, page, owner):
    """On a phone: sign in with a code texted to the number, move the account to a new number,
    then, signed out, replace a forgotten password by SMS and sign in with the new number."""
    site = live_server.url
    page.goto(f"{site}/accounts/login/")
    page.click("text=短信验证码登录")
    page.fill("input[name=phone]", owner.mobile)
    page.click("form.form button[type=submit]")
    expect(page.locator("h1")).to_contain_text("验证码")
    assert page.evaluate(OVERFLOW) == []
    page.fill("input[name=code]", sms_code("+86" + owner.mobile))
    page.click("form.form button[type=submit]")
    expect(page).to_have_url(f"{site}/me/")

    # 我的 → 手机号: the password again first, then a code to the new number.
    page.click("text=手机号")
    page.fill("input[name=password]", PASSWORD)
    page.click("form.form button[type=submit]")
    page.fill("input[name=phone]", "139 8888 7777")
    page.click("text=获取验证码")
    expect(page.locator("h1")).to_contain_text("验证码")
    page.fill("input[name=code]", sms_code("+8613988887777"))
    page.click("form.form button[type=submit]")
    expect(page.locator(".messages, .alert").first).to_contain_text("13988887777")
    page.goto(f"{site}/me/")
    expect(page.locator(".link-list__hint", has_text="13988887777")).to_be_visible()

    # Signed out, the password forgotten: a code to the new number, then a new password.
    page.goto(f"{site}/accounts/logout/")
    page.click("form.form button[type=submit]")
    page.goto(f"{site}/accounts/password/reset/")
    page.click("text=通过短信验证码找回")
    page.fill("input[name=phone]", "13988887777")
    page.click("form.form button[type=submit]")
    expect(page.locator("h1")).to_contain_text("验证码")
    page.fill("input[name=code]", sms_code("+8613988887777"))
    page.click("form.form button[type=submit]")
    expect(page.locator("h1")).to_have_text("设置新密码")
    page.fill("input[name=password1]", "Brand-New-Pass-9")
    page.fill("input[name=password2]", "Brand-New-Pass-9")
    page.click("form.form button[type=submit]")
    expect(page).to_have_url(f"{site}/me/")
    page.goto(f"{site}/accounts/logout/")
    page.click("form.form button[type=submit]")
    page.goto(f"{site}/accounts/login/")
    page.fill("input[name=login]", "139 8888 7777")
    page.fill("input[name=password]", "Brand-New-Pass-9")
    page.click("form.form button[type=submit]")
    expect(page).to_have_url(f"{site}/me/")


def test_wechat_first_sign_in_on_a_phone(live_server, page, settings):
    """微信登录 in Chromium at 360 px against the fake WeChat: the scan brings the owner back to
    a short form (name and number), the texted code, and 我的."""
    wechat = WeChat("wx-test-app", "wechat-secret")
    settings.WECHAT_OPEN_URL = settings.WECHAT_API_URL = wechat.url
    settings.SOCIALACCOUNT_PROVIDERS = {
        "weixin": {
            **settings.SOCIALACCOUNT_PROVIDERS["weixin"],
            "APPS": [{"client_id": "wx-test-app", "secret": "wechat-secret"}],
        }
    }
    # The policy lets the sign-in form lead to WeChat, as it does once WECHAT_APP_ID is set.
    directives = settings.CONTENT_SECURITY_POLICY["DIRECTIVES"]
    settings.CONTENT_SECURITY_POLICY = {
        "DIRECTIVES": {**directives, "form-action": [*directives["form-action"], wechat.url]}
    }
    try:
        site = live_server.url
        page.goto(f"{site}/accounts/login/")
        page.click("text=微信登录")
        page.wait_for_selector("input[name=phone]")
        assert page.evaluate(OVERFLOW) == []
        page.fill("input[name=real_name]", "赵敏")
        page.fill("input[name=phone]", "137 1234 5678")
        page.click("form.form button[type=submit]")
        expect(page.locator("h1")).to_contain_text("验证码")
        page.fill("input[name=code]", sms_code("+8613712345678"))
        page.click("form.form button[type=submit]")
        expect(page).to_have_url(f"{site}/me/")
    finally:
        wechat.close()
