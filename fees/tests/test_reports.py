"""收缴率 and 水电平衡: the month's and the year's collection by building, the twelve months'
trend, the meters' balance per building, in the admin and in the managers' email on the 1st."""

from decimal import Decimal

import pytest
from django.core import mail
from django.urls import reverse

from fees import billing, payments, reports
from fees.models import Bill
from fees.tests.conftest import NOV, OCT, SEP, read

pytestmark = pytest.mark.django_db
ZH = {"HTTP_ACCEPT_LANGUAGE": "zh-hans"}


@pytest.fixture
def billed(priced, fee_desk):
    """October and November billed (management fees only: no readings); in October 3栋 paid
    everything, 1栋 one bill of six."""
    for period in (OCT, NOV):
        billing.confirm_run(billing.start_run(priced, fee_desk, period=period), fee_desk)
    for bill in Bill.objects.with_figures().filter(period=OCT):
        if (
            bill.unit.building == "3栋"
            or bill.unit.number == "0101"
            and bill.unit.building == "1栋"
        ):
            payments.record_payment(bill, fee_desk, amount=bill.owed, method="cash")
    return priced


def test_the_collection_rate_by_building_month_and_year(billed):
    october = reports.collection(billed, OCT)
    rows = {row["building"]: row for row in october["rows"]}
    assert rows["3栋"]["rate"] == Decimal("100.0")
    # 1栋: 609 m² × 2.20 = 1,339.80; 0101 paid 222.20 of it
    assert rows["1栋"]["asked"] == Decimal("1339.80") and rows["1栋"]["paid"] == Decimal("222.20")
    assert rows["1栋"]["rate"] == Decimal("16.6")
    assert rows["2栋"]["rate"] == Decimal("0.0")
    november = reports.collection(billed, NOV)
    three = next(row for row in november["rows"] if row["building"] == "3栋")
    assert three["rate"] == Decimal("0.0") and three["year_rate"] == Decimal("50.0")
    trend = dict(reports.trend(billed, NOV))
    assert trend[OCT] == october["total"]["rate"] and trend[SEP] is None


def test_the_meter_balance_compares_the_main_meter_with_the_homes(priced, fee_desk):
    homes = {f"W3-{n}": "100" for n in ("0101", "0102", "0201", "0202", "1201", "1202")}
    read(priced, fee_desk, SEP, {**homes, "W3-总": "1000"})
    read(
        priced,
        fee_desk,
        OCT,
        {**dict.fromkeys(homes, "110"), "W3-1202": "100", "W3-总": "1064"},
    )
    row = reports.balance(priced, OCT)[0]
    # The main meter: 64 m³; five homes used 10 each, one had no use: 50; 14 lost, 21.9 %
    assert (row["building"], row["main"], row["homes"]) == ("3栋", Decimal("64"), Decimal("50"))
    assert row["loss"] == Decimal("14") and row["share"] == Decimal("21.9")
    assert row["read"] == row["meters"] == 6


def test_the_report_page_and_the_managers_email(
    client, billed, fee_desk, staff, django_capture_on_commit_callbacks
):
    client.force_login(fee_desk)
    page = client.get(
        reverse("fee_report:index") + f"?estate={billed.pk}&period={OCT.isoformat()}", **ZH
    )
    html = page.content.decode()
    assert "16.6%" in html and "100.0%" in html and "<svg" in html

    manager = staff("Managers")
    mail.outbox.clear()
    # On the 1st, about last month (NOV): the manager hears, the fee desk does not.
    with django_capture_on_commit_callbacks(execute=True):
        assert reports.send_monthly_fee_report() >= 1
    sent = [m for m in mail.outbox if manager.email in m.to]
    assert sent and billed.name in sent[0].body
    assert fee_desk.email not in {address for m in mail.outbox for address in m.to}
