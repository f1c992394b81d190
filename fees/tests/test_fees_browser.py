"""A month at the fee desk from end to end: the desk imports the meter readings, previews and
confirms the month's bills, prints 3栋's payment requests and imports the bank's result; the
arrears ledger shows who the bank could not collect from; the owner of 3栋 1201 sees the bill and
its late fee on a phone at 360 px, pays at the desk and downloads the receipt."""

import datetime
import io
import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect
from pypdf import PdfReader

from conftest import OVERFLOW, PASSWORD
from fees.models import Bill, BillingRun
from fees.readings import previous_month
from publications.tests.test_publication_browser import admin_sign_in

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def csv_file(tmp_path, name, text, encoding="utf-8"):
    path = tmp_path / name
    path.write_bytes(text.encode(encoding))
    return str(path)


def test_a_month_at_the_fee_desk_and_an_owner_paying(
    live_server, page, browser, priced, fee_desk, verified_owner, tmp_path
):
    site = live_server.url
    last = previous_month(timezone.localdate().replace(day=1))
    before = previous_month(last)
    desk = admin_sign_in(browser, site, fee_desk)
    homes = ["0101", "0102", "0201", "0202", "1201", "1202"]

    # 1. The readings: the month before (where the meters start) and last month.
    for period, step in ((before, 0), (last, 12)):
        lines = [f"W3-{n},{100 + step + i}" for i, n in enumerate(homes)]
        sheet = "表号,读数\n" + "\n".join([*lines, f"E3-公共,{1000 + step * 50}"])
        desk.goto(f"{site}/admin/fees/read/import/")
        desk.select_option("select[name=estate]", str(priced.pk))
        desk.select_option("select[name=period]", period.isoformat())
        desk.fill("input[name=read_on]", period.replace(day=28).isoformat())
        desk.set_input_files("input[name=sheet]", csv_file(tmp_path, "r.csv", sheet, "gb18030"))
        desk.click("main button[type=submit]")
        expect(desk.locator(".messages")).to_contain_text("已保存 7 个读数")

    # 2. The month's bills, previewed, then confirmed.
    desk.goto(f"{site}/admin/fees/runs/new/")
    desk.select_option("select[name=estate]", str(priced.pk))
    desk.select_option("select[name=period]", last.isoformat())
    desk.click("main button[type=submit]")
    expect(desk.locator("main")).to_contain_text("确认出账前，业主看不到这些账单")
    expect(desk.locator("main")).to_contain_text("水费")
    expect(desk.locator("main")).to_contain_text("公摊电费")
    assert not Bill.objects.issued().exists()
    desk.click("button[value=confirm]")
    expect(desk.locator(".messages")).to_contain_text("已确认出账")
    run = BillingRun.objects.get()
    assert run.is_confirmed and run.bills.count() == 18

    # 3. 3栋's payment requests, one page per home, to print.
    link = desk.locator("a:has-text('打印付款请求书')").nth(2)
    response = desk.request.get(site + link.get_attribute("href"))
    assert response.headers["content-type"] == "application/pdf"
    assert len(PdfReader(io.BytesIO(response.body())).pages) == 6

    # 4. The bank's result: everything collected but 3栋 1201 and 1栋 0101.
    bills = {b.unit.label: b for b in Bill.objects.with_figures().select_related("unit")}
    failed = {"3栋 1201", "1栋 0101"}
    result = "账单号,金额,结果,银行流水号,扣款日期,失败原因\n" + "\n".join(
        f"{b.number},{b.owed},{'失败' if label in failed else '成功'},"
        f"{'' if label in failed else f'B{b.pk}'},"
        f"{timezone.localdate().isoformat()},{'余额不足' if label in failed else ''}"
        for label, b in bills.items()
    )
    desk.goto(f"{site}/admin/fees/bank/import/")
    desk.select_option("select[name=estate]", str(priced.pk))
    desk.set_input_files("input[name=results]", csv_file(tmp_path, "bank.csv", result))
    desk.click("main button[type=submit]")
    expect(desk.locator(".messages")).to_contain_text("扣款成功并入账 16 笔，扣款失败 2 笔")
    expect(desk.locator("main")).to_contain_text("余额不足")

    # 5. Weeks later, past the due date, the arrears ledger lists the two homes.
    Bill.objects.update(due_on=timezone.localdate() - datetime.timedelta(days=12))
    desk.goto(f"{site}/admin/fees/arrears/")
    rows = desk.locator("table.listing tbody tr")
    expect(rows).to_have_count(2)
    expect(desk.locator("table.listing")).to_contain_text("3栋 1201")
    expect(desk.locator("table.listing")).to_contain_text(verified_owner.real_name)

    # 6. The owner, on a phone, sees what is owed and the late fee.
    page.goto(f"{site}/accounts/login/")
    page.fill("input[name=login]", verified_owner.email)
    page.fill("input[name=password]", PASSWORD)
    page.click("form.form button[type=submit]")
    expect(page).to_have_url(re.compile(r"/me/"))
    page.get_by_role("link", name=re.compile("我的账单")).click()
    expect(page).to_have_url(f"{site}/me/bills/")
    expect(page.locator("main")).to_contain_text("已逾期")
    expect(page.locator("main")).to_contain_text("滞纳金")
    assert page.evaluate(OVERFLOW) == []
    mine = bills["3栋 1201"]
    page.get_by_text(f"{last.year}年{last.month}月 账单").first.click()
    expect(page).to_have_url(f"{site}/me/bills/{mine.pk}/")
    assert page.evaluate(OVERFLOW) == []

    # 7. They pay at the desk, late fee and all.
    desk.goto(f"{site}/admin/fees/bills/inspect/{mine.pk}/")
    desk.select_option("select[name=method]", "cash")
    desk.click("button[value=pay]")
    expect(desk.locator(".messages")).to_contain_text("已收款，收据号 SK")

    # 8. … and download the receipt on the phone.
    page.reload()
    expect(page.locator("main")).to_contain_text("本账单已缴清")
    receipt = page.locator("a:has-text('收据')").first
    answer = page.request.get(site + receipt.get_attribute("href"))
    assert answer.headers["content-type"] == "application/pdf"
    assert answer.body().startswith(b"%PDF")
