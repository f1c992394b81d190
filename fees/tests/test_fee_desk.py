"""The fee desk's admin: reading a building's meters, importing a month's sheet, previewing and
confirming the month's bills, taking money and adjusting at the desk, the unit's statement; who
may do what; and the pages' queries, the same for a few units or thousands."""

import datetime
import io
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from pypdf import PdfReader

from fees import billing, reminders
from fees.models import Bill, BillingRun, FeeItem, Meter, Payment, Reading
from fees.tests.conftest import OCT, SEP, read, rule
from owners.models import Estate, Unit

pytestmark = pytest.mark.django_db
ZH = {"HTTP_ACCEPT_LANGUAGE": "zh-hans"}


def text_of(response):
    content = b"".join(response.streaming_content) if response.streaming else response.content
    return content.decode()


def pdf_text(response):
    return "".join(page.extract_text() for page in PdfReader(io.BytesIO(response.content)).pages)


def test_a_building_s_meters_are_read_on_one_screen(client, priced, fee_desk):
    client.force_login(fee_desk)
    read(priced, fee_desk, SEP, {"W3-1201": "100", "W3-1202": "50"})
    sheet = reverse("fees_read")
    day = OCT.replace(day=28)
    query = f"?estate={priced.pk}&building=3栋&period={OCT.isoformat()}&read_on={day}"

    page = client.get(sheet + query, **ZH)
    assert page.status_code == 200
    html = text_of(page)
    assert "3栋 1201" in html and "W3-1201" in html and "100.00" in html  # last month's

    m1201 = Meter.objects.get(code="W3-1201")
    m1202 = Meter.objects.get(code="W3-1202")
    answer = client.post(
        sheet + query, {f"meter-{m1201.pk}": "112", f"meter-{m1202.pk}": "4x"}, follow=True, **ZH
    )
    saved = Reading.objects.get(meter=m1201, period=OCT)
    assert saved.value == Decimal("112") and saved.read_on == day
    assert not Reading.objects.filter(meter=m1202, period=OCT).exists()
    assert "W3-1202" in text_of(answer)  # named in the error


def test_an_import_with_one_bad_line_saves_nothing(client, priced, fee_desk):
    client.force_login(fee_desk)
    url = reverse("fees_import_readings")

    def send(text):
        upload = SimpleUploadedFile("readings.csv", text.encode("gb18030"), "text/csv")
        form = {"estate": priced.pk, "period": SEP.isoformat(), "read_on": f"{SEP:%Y-%m}-28"}
        return client.post(url, {**form, "sheet": upload}, **ZH)

    bad = send(f"表号,读数,抄表日期\nW3-1201,100,{SEP:%Y-%m}-27\nW9-9999,50,\nW3-0101,abc,\n")
    assert bad.status_code == 200
    html = text_of(bad)
    assert "第 3 行" in html or "Line 3" in html
    assert "W9-9999" in html
    assert not Reading.objects.exists()

    good = send(f"表号,读数,抄表日期\nW3-1201,100,{SEP:%Y-%m}-27\nW3-1202,50,\n")
    assert good.status_code == 302
    assert Reading.objects.get(meter__code="W3-1201").read_on == SEP.replace(day=27)
    assert Reading.objects.get(meter__code="W3-1202").read_on == SEP.replace(day=28)


def test_the_month_is_previewed_confirmed_and_paid_at_the_desk(client, priced, fee_desk):
    client.force_login(fee_desk)
    read(priced, fee_desk, SEP, {"W3-1201": "100", "E3-公共": "1000"})
    read(priced, fee_desk, OCT, {"W3-1201": "112", "E3-公共": "1600"})

    started = client.post(
        reverse("fees_start_run"), {"estate": priced.pk, "period": OCT.isoformat()}, **ZH
    )
    run = BillingRun.objects.get()
    assert started.url == reverse("billing_runs:inspect", args=[run.pk])
    preview = text_of(client.get(started.url, **ZH))
    assert "住宅物业管理费" in preview and "公摊电费" in preview and "3栋" in preview
    assert not Bill.objects.issued().exists()
    # Pressed twice: the same run.
    client.post(reverse("fees_start_run"), {"estate": priced.pk, "period": OCT.isoformat()})
    assert BillingRun.objects.count() == 1

    client.post(started.url, {"action": "confirm"}, **ZH)
    run.refresh_from_db()
    assert run.is_confirmed
    pdf = client.get(reverse("billing_runs:requests", args=[run.pk]) + "?building=3栋")
    assert pdf["Content-Type"] == "application/pdf"
    assert len(PdfReader(io.BytesIO(pdf.content)).pages) == 6  # one page per home of 3栋

    bill = Bill.objects.issued().with_figures().get(unit__building="3栋", unit__number="1201")
    page = reverse("bills:inspect", args=[bill.pk])
    assert bill.number in text_of(client.get(page, **ZH))

    refused = client.post(page, {"action": "pay", "amount": "99999", "method": "cash"}, **ZH)
    assert refused.status_code == 200 and not Payment.objects.exists()

    client.post(
        page,
        {"action": "pay", "amount": str(bill.owed), "method": "card", "note": "刷卡"},
        **ZH,
    )
    payment = Payment.objects.get()
    assert payment.amount == bill.owed and payment.method == "card"
    assert payment.taken_by == fee_desk
    receipt = client.get(reverse("bills:receipt", args=[payment.pk]))
    assert payment.receipt_number in pdf_text(receipt)

    client.post(page, {"action": "adjust", "amount": "-10", "reason": ""}, **ZH)
    assert not bill.adjustments.exists()  # a reason is required
    client.post(page, {"action": "adjust", "amount": "5", "reason": "补收装修垃圾清运"}, **ZH)
    assert bill.adjustments.get().amount == Decimal("5.00")

    statement = text_of(client.get(reverse("bills:statement", args=[bill.unit_id]), **ZH))
    assert bill.number in statement and payment.receipt_number in statement
    assert "5.00" in statement  # owed now: the adjustment


def test_customer_service_reads_bills_and_changes_nothing(client, priced, fee_desk, staff):
    billing.confirm_run(billing.start_run(priced, fee_desk, period=OCT), fee_desk)
    bill = Bill.objects.issued().first()
    service = staff("Customer service")
    client.force_login(service)
    page = reverse("bills:inspect", args=[bill.pk])
    html = text_of(client.get(page, **ZH))
    assert bill.number in html and 'value="pay"' not in html and 'value="adjust"' not in html
    client.post(page, {"action": "pay", "amount": "10", "method": "cash"})
    client.post(page, {"action": "adjust", "amount": "-10", "reason": "试试"})
    assert not bill.payments.exists() and not bill.adjustments.exists()
    assert client.get(reverse("fees_start_run")).status_code in (302, 403)
    assert client.get(reverse("fees_read")).status_code in (302, 403)
    assert client.get(reverse("bills:statement", args=[bill.unit_id])).status_code == 200

    client.force_login(staff("Editors"))
    assert client.get(page).status_code in (302, 403)


def big_estate(count):
    estate = Estate.objects.create(name=f"金都·{count}户", city="杭州")
    Unit.objects.bulk_create(
        Unit(
            estate=estate,
            building=f"{i % 10 + 1}栋",
            number=f"{i:04d}",
            floor_area=Decimal("90") + i % 7,
            handed_over_on=datetime.date(2025, 1, 1),
        )
        for i in range(count)
    )
    rule(estate, "management", "住宅物业管理费", "area", "2.2000")
    rule(
        estate,
        "one_off",
        "装修保证金",
        "unit",
        "100.0000",
        cycle=FeeItem.Cycle.ONCE,
        effective_from=OCT,
    )
    return estate


def queries(client, url):
    with CaptureQueriesContext(connection) as context:
        response = client.get(url, **ZH)
    assert response.status_code == 200
    return len(context)


@pytest.mark.parametrize("many", [2000])
def test_the_ledger_the_preview_and_the_statement_ask_the_same_queries(client, fee_desk, many):
    client.force_login(fee_desk)
    client.get(reverse("wagtailadmin_home"))  # the admin's menus, built on the first screen
    counts = []
    for size in (10, many):
        estate = big_estate(size)
        run = billing.start_run(estate, fee_desk, period=SEP)
        preview = reverse("billing_runs:inspect", args=[run.pk])
        draft = queries(client, preview)
        billing.confirm_run(run, fee_desk)
        billing.confirm_run(billing.start_run(estate, fee_desk, period=OCT), fee_desk)
        unit = estate.units.first()
        for bill in Bill.objects.filter(unit=unit):
            billing.adjust(bill, fee_desk, amount="-1", reason="优惠")
        Bill.objects.filter(unit__estate=estate).update(due_on=datetime.date(2026, 10, 25))
        reminders.remind_overdue(on=datetime.date(2026, 11, 30))
        reminders.record_call(unit, fee_desk, outcome="no_answer")
        counts.append(
            (
                draft,
                queries(client, preview),
                queries(client, reverse("bills:index") + f"?estate={estate.pk}"),
                queries(client, reverse("bills:index") + f"?estate={estate.pk}&state=owing"),
                queries(client, reverse("billing_runs:index")),
                queries(client, reverse("bills:statement", args=[unit.pk])),
                queries(client, reverse("readings:index")),
                queries(client, reverse("arrears:index") + f"?estate={estate.pk}"),
                queries(client, reverse("arrears:index") + "?months=1&stage=notice"),
            )
        )
    assert counts[0] == counts[1]
