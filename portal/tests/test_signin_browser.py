"""Staff on a phone: setting up the authenticator app in a real browser, with Wagtail's user bar
clear of the tab bar and of the page's last button."""

import re

import pytest
from allauth.mfa.models import Authenticator
from playwright.sync_api import expect

from conftest import PASSWORD, make_user, totp_code

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

# The user bar's button lives in a shadow root that Wagtail's script attaches.
BIRD = """() => {
    const host = document.querySelector("wagtail-userbar");
    const trigger = host?.shadowRoot?.querySelector(".w-userbar-trigger");
    if (!trigger) return null;
    const r = trigger.getBoundingClientRect();
    return {x: r.left, y: r.top, width: r.width, height: r.height};
}"""


def bird(page):
    page.wait_for_function(BIRD)
    return page.evaluate(BIRD)


def overlap(a, b):
    return (
        a["x"] < b["x"] + b["width"]
        and b["x"] < a["x"] + a["width"]
        and a["y"] < b["y"] + b["height"]
        and b["y"] < a["y"] + a["height"]
    )


def test_staff_set_up_the_app_on_a_phone_and_the_user_bar_stays_clear(live_server, page):
    editor = make_user("new-editor", groups=["Editors"], real_name="新编辑")
    Authenticator.objects.filter(user=editor).delete()
    site = live_server.url

    page.goto(f"{site}/accounts/login/")
    page.fill("input[name=login]", editor.email)
    page.fill("input[name=password]", PASSWORD)
    with page.expect_navigation():
        page.press("input[name=password]", "Enter")
    # Sent to set-up, without the password again; the key survives a reload.
    expect(page).to_have_url(f"{site}/accounts/2fa/totp/activate/")
    key = page.locator("code.totp-key").inner_text().replace(" ", "")
    page.reload()
    assert page.locator("code.totp-key").inner_text().replace(" ", "") == key
    assert not overlap(bird(page), page.locator(".tabbar").bounding_box())

    page.fill("input[name=code]", totp_code(key))
    with page.expect_navigation():
        page.click("form.form button[type=submit]")
    expect(page).to_have_url(f"{site}/accounts/2fa/recovery-codes/")
    expect(page.locator("#recovery_codes")).to_be_visible()
    done = page.get_by_role("link", name="完成，进入管理后台")
    page.evaluate("window.scrollTo(0, document.body.scrollHeight)")
    for other in (page.locator(".tabbar"), done):
        assert not overlap(bird(page), other.bounding_box()), other
    done.click()
    expect(page).to_have_url(re.compile(rf"{re.escape(site)}/admin/$"))
