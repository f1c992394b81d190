"""银行代扣: the month's file for the bank, and its result file back: collected lines become
payments once, failures are listed, a bad line refuses the whole file, the same file twice
changes nothing."""

import csv
import datetime
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from fees import bank, billing
from fees.models import BankAccount, BankImport, Bill, Payment
from fees.tests.conftest import OCT

pytestmark = pytest.mark.django_db
ZH = {"HTTP_ACCEPT_LANGUAGE": "zh-hans"}


@pytest.fixture
def issued(priced, fee_desk):
    billing.confirm_run(billing.start_run(priced, fee_desk, period=OCT), fee_desk)
    for number, holder in (("0101", "王建国"), ("0102", "李静"), ("0201", "张伟")):
        BankAccount.objects.create(
            unit=priced.units.get(building="1栋", number=number),
            holder=holder,
            bank="杭州银行西湖支行",
            number=f"62284800123456{number}",
            signed_on=datetime.date(2025, 1, 1),
        )
    return {b.unit.label: b for b in Bill.objects.issued().with_figures().select_related("unit")}


def result_file(lines, name="result.csv", encoding="gb18030"):
    text = "账单号,金额,结果,银行流水号,扣款日期,失败原因\n" + "\n".join(lines) + "\n"
    return SimpleUploadedFile(name, text.encode(encoding), "text/csv")


def test_the_file_for_the_bank_lists_what_the_agreed_units_owe(client, priced, fee_desk, issued):
    client.force_login(fee_desk)
    download = client.post(reverse("fees_bank_export"), {"estate": priced.pk})
    assert download["Content-Disposition"].startswith("attachment")
    rows = list(csv.reader(io.StringIO(download.content.decode("utf-8-sig"))))
    assert rows[0] == bank.EXPORT_COLUMNS
    assert {row[2] for row in rows[1:]} == {"1栋 0101", "1栋 0102", "1栋 0201"}
    line = next(row for row in rows[1:] if row[2] == "1栋 0101")
    assert line[1] == issued["1栋 0101"].number and line[6] == f"{issued['1栋 0101'].owed}"
    assert line[5] == "622848001234560101"


def test_results_become_payments_once_and_failures_are_listed(client, priced, fee_desk, issued):
    client.force_login(fee_desk)
    one, two = issued["1栋 0101"], issued["1栋 0102"]
    today = timezone.localdate().isoformat()
    lines = [
        f"{one.number},{one.owed},成功,B0001,{today},",
        f"{two.number},{two.owed},失败,,,余额不足",
    ]
    url = reverse("fees_bank_import")
    answer = client.post(url, {"estate": priced.pk, "results": result_file(lines)}, **ZH)
    batch = BankImport.objects.get()
    assert answer.url == reverse("bank_imports:inspect", args=[batch.pk])
    payment = Payment.objects.get()
    assert (payment.bill, payment.method, payment.reference) == (one, "bank", "B0001")
    assert payment.paid_on == timezone.localdate()
    assert batch.paid == 1 and batch.failures[0]["reason"] == "余额不足"
    assert "余额不足" in client.get(answer.url, **ZH).content.decode()

    again = client.post(url, {"estate": priced.pk, "results": result_file(lines)}, **ZH)
    assert again.status_code == 200 and "未作任何更改" in again.content.decode()
    # Another file repeating the collected line: the bank's number pays once.
    repeat = result_file([lines[0]], name="result-2.csv", encoding="utf-8")
    client.post(url, {"estate": priced.pk, "results": repeat}, **ZH)
    assert Payment.objects.count() == 1 and BankImport.objects.count() == 2


def test_one_bad_line_refuses_the_whole_file(client, priced, fee_desk, issued):
    client.force_login(fee_desk)
    one = issued["1栋 0101"]
    lines = [
        f"{one.number},{one.owed},成功,B0001,,",
        "202610-99-99999,10.00,成功,B0002,,",
        f"{one.number},abc,成功,B0003,,",
        f"{one.number},10.00,成功,,,",
        f"{one.number},10.00,也许,B0004,,",
    ]
    answer = client.post(
        reverse("fees_bank_import"), {"estate": priced.pk, "results": result_file(lines)}, **ZH
    )
    html = answer.content.decode()
    assert answer.status_code == 200
    for line in (3, 4, 5, 6):
        assert f"第 {line} 行" in html or f"Line {line}" in html
    assert not Payment.objects.exists() and not BankImport.objects.exists()


def test_only_the_fee_desk_collects(client, priced, staff, issued):
    client.force_login(staff("Customer service"))
    assert client.get(reverse("fees_bank_export")).status_code in (302, 403)
    assert client.get(reverse("fees_bank_import")).status_code in (302, 403)
