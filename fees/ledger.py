"""What is owed: late fees on the day, and a unit's statement with its running balance.

Late fee (滞纳金), by the estate's terms: from the day after the due date and the days of grace,
each day's late fee is the amount then overdue × the daily rate (‰). A payment counts from the
day after it (its own day's late fee is asked for with it); an adjustment that takes off the bill counts from the start (it corrects a charge that
was wrong), one that adds to it from the day it was made. The late fee on a bill never exceeds the cap's
share of the bill; what was paid of it already is taken off. It is rounded once, to the fen, on
the day it is asked for, and is never part of the bill's own balance.
"""

import datetime
from dataclasses import dataclass
from decimal import Decimal

from django.utils import timezone
from django.utils.translation import gettext as _

from fees.billing import terms_for
from fees.models import Adjustment, Bill, Payment
from fees.money import to_fen

ZERO = Decimal("0.00")


def _day(moment):
    return timezone.localdate(moment) if isinstance(moment, datetime.datetime) else moment


def late_fee(bill, terms, on, *, adjustments, payments):
    """The late fee `bill` carries on day `on`, given its adjustments and payments (any order).

    `bill` has its `charged` figure (`Bill.objects.with_figures()`)."""
    rate = Decimal(terms.late_fee_rate) / 1000
    if not rate or bill.due_on is None:
        return ZERO
    start = bill.due_on + datetime.timedelta(days=terms.late_fee_grace_days)
    if on <= start:
        return ZERO
    changes = sorted(
        [(_day(a.made_at) if a.amount > 0 else bill.due_on, a.amount) for a in adjustments]
        + [(p.paid_on + datetime.timedelta(days=1), -p.amount) for p in payments]
    )
    balance, accrued, day = bill.charged, Decimal(0), start + datetime.timedelta(days=1)
    for when, change in changes:
        if when > day:
            end = min(when, on + datetime.timedelta(days=1))
            if end > day:
                accrued += max(balance, 0) * (end - day).days * rate
                day = end
        balance += change
    if on >= day:
        accrued += max(balance, 0) * ((on - day).days + 1) * rate
    principal = bill.charged + sum((a.amount for a in adjustments), Decimal(0))
    accrued = min(accrued, max(principal, 0) * terms.late_fee_cap / 100)
    paid = sum((p.late_fee for p in payments), Decimal(0))
    return max(to_fen(accrued) - paid, ZERO)


def with_late_fees(bills, on=None):
    """`bills` (a queryset of issued bills) as a list, each with its `late_fee` on day `on`:
    three queries whatever their number."""
    on = on or timezone.localdate()
    bills = list(bills.with_figures().select_related("unit__estate__billing_terms", "run"))
    adjustments, payments = _by_bill(Adjustment, bills), _by_bill(Payment, bills)
    for bill in bills:
        bill.late_fee = late_fee(
            bill,
            terms_for(bill.unit.estate),
            on,
            adjustments=adjustments.get(bill.pk, []),
            payments=payments.get(bill.pk, []),
        )
        bill.adjustment_rows = adjustments.get(bill.pk, [])
        bill.payment_rows = payments.get(bill.pk, [])
        bill.overdue = bill.owed > 0 and bill.due_on is not None and bill.due_on < on
    return bills


def _by_bill(model, bills):
    found = {}
    rows = model.objects.filter(bill__in=[b.pk for b in bills]).order_by("pk")
    related = "made_by" if model is Adjustment else "taken_by"
    for row in rows.select_related(related):
        found.setdefault(row.bill_id, []).append(row)
    return found


@dataclass
class Entry:
    """A line of a unit's statement: a bill, an adjustment or a payment."""

    day: datetime.date
    what: str
    reference: str
    charge: Decimal
    credit: Decimal
    late_fee: Decimal = ZERO
    balance: Decimal = ZERO


def statement(unit):
    """Every issued bill of `unit`, each adjustment and each payment in the order they happened,
    with the running balance of what the unit owes (late fees paid are shown apart)."""
    bills = list(Bill.objects.issued().filter(unit=unit).with_figures().order_by("period"))
    entries = []
    for bill in bills:
        entries.append(
            Entry(
                bill.issued_on,
                _("Bill for %s") % f"{bill.period:%Y-%m}",
                bill.number,
                bill.charged,
                ZERO,
            )
        )
    for adjustment in Adjustment.objects.filter(bill__in=bills).select_related("bill"):
        amount = adjustment.amount
        entries.append(
            Entry(
                _day(adjustment.made_at),
                _("Adjustment: %s") % adjustment.reason,
                adjustment.bill.number,
                max(amount, ZERO),
                max(-amount, ZERO),
            )
        )
    for payment in Payment.objects.filter(bill__in=bills).select_related("bill"):
        entries.append(
            Entry(
                payment.paid_on,
                _("Payment: %s") % payment.get_method_display(),
                payment.receipt_number,
                ZERO,
                payment.amount,
                payment.late_fee,
            )
        )
    entries.sort(key=lambda e: (e.day, e.credit > 0))
    balance = ZERO
    for entry in entries:
        balance += entry.charge - entry.credit
        entry.balance = balance
    return entries
