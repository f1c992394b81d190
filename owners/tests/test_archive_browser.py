"""The desk serves an owner who has no account: customer service make their record, record
the handover of 3栋 1201 with the unit chosen in Wagtail's chooser, and print the confirmation
slip; weeks later the owner signs up on a phone with the mobile on record and finds the home
already verified."""

import pytest
from playwright.sync_api import expect

from conftest import sms_code
from owners.models import OwnerRecord, UnitEvent
from publications.tests.test_publication_browser import admin_sign_in

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def test_the_desk_records_a_handover_and_the_owner_signs_up_to_a_verified_home(
    live_server, page, browser, estate, staff
):
    site = live_server.url
    desk = admin_sign_in(browser, site, staff("Customer service"))

    # 1. A record for 陈伟, without an account.
    desk.goto(f"{site}/admin/owners/archive/new/")
    desk.fill("input[name=name]", "陈伟")
    desk.fill("input[name=mobile]", "13500135008")
    desk.select_option("select[name=id_type]", "resident")
    desk.fill("input[name=id_number]", "330106198503071238")
    desk.fill("input[name=postal_address]", "杭州市西湖区文三西路 888 号 翠湖苑 3栋1201 室")
    desk.click("button[type=submit]:has-text('创建')")
    expect(desk.locator("h1")).to_contain_text("陈伟")
    expect(desk.locator("main")).to_contain_text("3301**********1238")
    expect(desk.locator("main")).to_contain_text("尚未注册账号")

    # 2. The handover of 3栋 1201, the unit picked in the chooser.
    desk.select_option("select[name=kind]", "handover")
    desk.click("#procedure ~ form [data-chooser-action-choose]")
    modal = desk.locator(".modal-dialog")
    modal.locator("input[name=q]").fill("1201")
    modal.locator("a:has-text('3栋 1201')").first.click()
    expect(desk.locator("#procedure ~ form [data-chooser-title]").first).to_contain_text("1201")
    desk.fill("input[name=on]", "2019-07-02")
    desk.keyboard.press("Escape")  # closes the date picker
    desk.click("button[value=procedure]")
    expect(desk.locator(".messages")).to_contain_text("已登记交房")
    expect(desk.locator("main")).to_contain_text("金都·翠湖苑 3栋 1201")
    event = UnitEvent.objects.get()
    assert event.kind == "handover" and event.unit.handed_over_on.isoformat() == "2019-07-02"

    # 3. The slip opens as a PDF to print.
    slip = desk.locator("a:has-text('打印')").first
    response = desk.request.get(site + slip.get_attribute("href"))
    assert response.headers["content-type"] == "application/pdf"
    assert response.body().startswith(b"%PDF")

    # 4. The owner signs up on a phone with the number on record: the home is verified.
    page.goto(f"{site}/accounts/signup/")
    page.fill("input[name=real_name]", "陈伟")
    page.fill("input[name=phone]", "135 0013 5008")
    page.fill("input[name=password1]", "Chen-Wei-2026!")
    page.fill("input[name=password2]", "Chen-Wei-2026!")
    page.click("form.form button[type=submit]")
    page.fill("input[name=code]", sms_code("+8613500135008"))
    page.click("form.form button[type=submit]")
    expect(page).to_have_url(f"{site}/me/")
    expect(page.locator(".status--approved")).to_be_visible()
    expect(page.locator(".badge--verified").first).to_be_visible()
    expect(page.locator("main")).to_contain_text("3栋 1201")
    assert OwnerRecord.objects.get().user.mobile == "13500135008"

    # The desk sees the account on the record.
    desk.reload()
    expect(desk.locator("main")).to_contain_text("认证业主")
