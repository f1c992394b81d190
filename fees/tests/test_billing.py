"""出账: a month's bills worked out from the rules and readings, previewed, confirmed once,
adjusted with a reason; payments and late fees; the unit's statement."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied
from django.utils import timezone

from fees import billing, payments
from fees.ledger import statement, with_late_fees
from fees.models import Bill, BillingRun, Reading
from fees.readings import ReadingError, check_reading, previous_month
from fees.tests.conftest import NOV, OCT, SEP, read

pytestmark = pytest.mark.django_db

D = Decimal


def lines_of(run, unit_label):
    bill = next(b for b in run.bills.all() if b.unit.label == unit_label)
    return {line.name: (line.amount, line.detail) for line in bill.lines.all()}


def test_a_month_is_worked_out_from_the_rules_and_readings(priced, fee_desk):
    read(priced, fee_desk, SEP, {"W3-1201": "100", "W3-1202": "50", "E3-公共": "1000"})
    read(priced, fee_desk, OCT, {"W3-1201": "125.5", "W3-1202": "58", "E3-公共": "1600"})

    run = billing.start_run(priced, fee_desk, period=OCT)

    assert run.status == "draft"
    home = lines_of(run, "3栋 1201")
    assert home["住宅物业管理费"] == (D("222.20"), "101.00 m² × 2.20 元")
    assert home["车位管理费"][0] == D("150.00")
    # 25.5 m³: 20 at 2.90 and 5.5 at 3.85 = 58 + 21.175 → 79.18
    assert home["水费"] == (D("79.18"), "W3-1201：100.00 → 125.50，用量 25.50 m³")
    # 3栋's six homes share 600 kWh by area: 101 of 609 m² → 99.51 kWh × 0.568
    assert home["公摊电费"][0] == D("56.52")
    other = lines_of(run, "1栋 0101")
    assert set(other) == {"住宅物业管理费"}  # no meter, no space, not in 3栋
    totals = billing.figures(run)
    assert totals["total"]["bills"] == 18
    assert billing.blockers(run) == []


def test_running_twice_bills_once_and_a_confirmed_run_never_changes(priced, fee_desk):
    first = billing.start_run(priced, fee_desk, period=OCT)
    again = billing.start_run(priced, fee_desk, period=OCT)
    assert again.pk == first.pk and BillingRun.objects.count() == 1
    assert Bill.objects.count() == 18

    billing.confirm_run(first, fee_desk)
    bill = Bill.objects.issued().get(unit__building="3栋", unit__number="1201")
    assert bill.number.startswith(f"{OCT:%Y%m}-")
    # The terms' due day of the month billed, but never less than a week after issue.
    week_after = bill.issued_on + datetime.timedelta(days=7)
    assert bill.due_on == max(OCT.replace(day=25), week_after)
    with pytest.raises(billing.BillingError):
        billing.work_out(first, fee_desk)
    with pytest.raises(billing.BillingError):
        billing.confirm_run(first, fee_desk)
    assert Bill.objects.count() == 18


def test_a_flagged_reading_holds_the_month_back_until_looked_at(priced, fee_desk):
    read(priced, fee_desk, SEP, {"W3-1201": "100"})
    lower = read(priced, fee_desk, OCT, {"W3-1201": "90"})["W3-1201"]
    assert lower.flag == Reading.Flag.LOWER

    run = billing.start_run(priced, fee_desk, period=OCT)
    assert billing.blockers(run)
    with pytest.raises(billing.BillingError):
        billing.confirm_run(run, fee_desk)

    with pytest.raises(ReadingError):
        check_reading(lower, fee_desk, note="  ")
    check_reading(lower, fee_desk, note="换新表，从0起")
    run = billing.work_out(run, fee_desk)
    assert lines_of(run, "3栋 1201")["水费"][0] == D("327.50")  # a new meter: 90 m³ from zero
    billing.confirm_run(run, fee_desk)


def test_a_jump_far_above_the_usual_use_is_flagged(priced, fee_desk):
    months = [SEP]
    for _i in range(3):
        months.insert(0, previous_month(months[0]))
    for month, value in zip(months, (100, 110, 121, 130), strict=True):
        read(priced, fee_desk, month, {"W3-1201": str(value)})
    assert read(priced, fee_desk, OCT, {"W3-1201": "139"})["W3-1201"].flag == ""
    assert read(priced, fee_desk, OCT, {"W3-1201": "200"})["W3-1201"].flag == "jump"
    assert Reading.objects.filter(meter__code="W3-1201", period=OCT).count() == 1


def test_adjustments_payments_late_fees_and_the_statement(priced, fee_desk, settings):
    run = billing.start_run(priced, fee_desk, period=OCT)
    billing.confirm_run(run, fee_desk)
    # As if issued 40 days ago and due 20 days ago.
    today = timezone.localdate()
    Bill.objects.update(
        issued_on=today - datetime.timedelta(days=40), due_on=today - datetime.timedelta(days=20)
    )
    bill = Bill.objects.issued().with_figures().get(unit__building="1栋", unit__number="0101")
    assert bill.charged == D("222.20")  # 101 m² × 2.20
    due = bill.due_on

    with pytest.raises(billing.BillingError):
        billing.adjust(bill, fee_desk, amount="-10", reason="")
    billing.adjust(bill, fee_desk, amount="-22.20", reason="空置房优惠")

    # Ten days late at 0.5‰ a day on 200.00: 1.00 元
    on = due + datetime.timedelta(days=10)
    owed, late = payments.due_on_day(bill, on)
    assert (owed, late) == (D("200.00"), D("1.00"))

    with pytest.raises(payments.PaymentError):
        payments.record_payment(bill, fee_desk, amount="500", method="cash", paid_on=on)
    first = payments.record_payment(bill, fee_desk, amount="101", method="cash", paid_on=on)
    assert (first.late_fee, first.amount) == (D("1.00"), D("100.00"))
    assert first.receipt_number.startswith("SK")

    # Then 100.00 overdue for ten more days: 0.50
    later = on + datetime.timedelta(days=10)
    assert payments.due_on_day(bill, later) == (D("100.00"), D("0.50"))

    rows = statement(bill.unit)
    # The bill, the payment ten days ago, the adjustment made today.
    assert [r.balance for r in rows] == [D("222.20"), D("122.20"), D("100.00")]
    assert [b.owed for b in with_late_fees(Bill.objects.filter(unit=bill.unit), later)] == [
        D("100.00")
    ]


def test_a_bank_reference_is_recorded_once(priced, fee_desk):
    billing.confirm_run(billing.start_run(priced, fee_desk, period=NOV), fee_desk)
    bill = Bill.objects.issued().first()
    one = payments.record_payment(bill, None, amount="10", method="bank", reference="B-1")
    two = payments.record_payment(bill, None, amount="10", method="bank", reference="B-1")
    assert one.pk == two.pk and bill.payments.count() == 1


def test_only_the_fee_desk_bills_and_takes_money(priced, staff):
    service = staff("Customer service")
    with pytest.raises(PermissionDenied):
        billing.start_run(priced, service, period=OCT)
    with pytest.raises(billing.BillingError):
        billing.start_run(priced, staff("Finance"), period=datetime.date(2099, 1, 1))
