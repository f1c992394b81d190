"""On a phone: a case too large to send gets the site's 413 page, and "back" returns to the
form with what the owner typed."""

import re

import pytest
from playwright.sync_api import expect

from cases.models import Case
from conftest import PASSWORD

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def test_too_large_then_back_to_the_form(live_server, page, verified_owner, settings, tmp_path):
    site = live_server.url
    settings.MAX_REQUEST_BYTES = 1024 * 1024
    scan = tmp_path / "scan.pdf"
    scan.write_bytes(b"%PDF-1.4\n" + b"%" * (3 * 1024 * 1024))
    page.goto(f"{site}/accounts/login/")
    page.fill("input[name=login]", verified_owner.email)
    page.fill("input[name=password]", PASSWORD)
    page.click("form.form button[type=submit]")
    expect(page).to_have_url(re.compile(r"/me/"))

    page.goto(f"{site}/me/cases/new/")
    page.select_option("select[name=category]", label="维修报修")
    page.fill("input[name=subject]", "卫生间天花板渗水")
    page.set_input_files("input[name=attachments]", str(scan))
    page.click("form.form button[type=submit]")
    expect(page.locator("h1")).to_have_text("内容过大，无法提交")
    expect(page.locator(".site-header .brand")).to_be_visible()
    expect(page.locator(".tabbar")).to_be_visible()

    page.get_by_role("link", name="返回上一页").click()
    expect(page.locator("input[name=subject]")).to_have_value("卫生间天花板渗水")
    assert page.url == f"{site}/me/cases/new/"
    assert not Case.objects.exists()
