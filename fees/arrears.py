"""欠费台账: every unit with an overdue bill, how long and how much, what was done about it.

One row per unit: the overdue bills (those past their due date that still owe something), the
oldest one's month, the months overdue (whole months since that bill fell due), what they owe
and their late fees on the day, who pays (the verified owners and co-owners), the latest
reminder stage reached and the latest call with any promise to pay. Read in a fixed number of
queries whatever the number of units.
"""

from dataclasses import dataclass, field
from decimal import Decimal

from django.utils import timezone

from fees.access import payers
from fees.ledger import with_late_fees
from fees.models import Bill, CollectionCall, Reminder

STAGE_ORDER = {Reminder.Stage.FRIENDLY: 1, Reminder.Stage.NOTICE: 2, Reminder.Stage.CALL: 3}


@dataclass
class Row:
    unit: object
    bills: list = field(default_factory=list)
    owed: Decimal = Decimal("0.00")
    late_fee: Decimal = Decimal("0.00")
    payers: list = field(default_factory=list)
    stage: str = ""
    call: object = None

    @property
    def oldest(self):
        return min(b.due_on for b in self.bills)

    @property
    def months(self):
        """Whole months since the oldest bill fell due (a bill one day late: 0)."""
        today, due = timezone.localdate(), self.oldest
        months = (today.year - due.year) * 12 + today.month - due.month
        return months - (today.day < due.day)

    @property
    def asked(self):
        return self.owed + self.late_fee

    @property
    def stage_label(self):
        return str(Reminder.Stage(self.stage).label) if self.stage else ""


def ledger(*, estate=None, building="", months=0, stage="", at_least=0, on=None):
    """The rows, most owed first."""
    today = on or timezone.localdate()
    bills = Bill.objects.issued().owing().filter(due_on__lt=today)
    if estate:
        bills = bills.filter(unit__estate=estate)
    if building:
        bills = bills.filter(unit__building=building)
    rows = {}
    for bill in with_late_fees(bills.order_by("due_on"), today):
        row = rows.setdefault(bill.unit_id, Row(unit=bill.unit))
        row.bills.append(bill)
        row.owed += bill.owed
        row.late_fee += bill.late_fee
    units = list(rows)
    for unit_id, people in payers(units).items():
        rows[unit_id].payers = people
    overdue = [b.pk for r in rows.values() for b in r.bills]
    for unit_id, reached in Reminder.objects.filter(bill__in=overdue).values_list(
        "bill__unit_id", "stage"
    ):
        row = rows[unit_id]
        if STAGE_ORDER[reached] > STAGE_ORDER.get(row.stage, 0):
            row.stage = reached
    for call in (
        CollectionCall.objects.filter(unit_id__in=units)
        .select_related("called_by")
        .order_by("unit_id", "-called_at")
    ):
        rows[call.unit_id].call = rows[call.unit_id].call or call
    found = [
        row
        for row in rows.values()
        if row.months >= months and row.owed >= at_least and (not stage or row.stage == stage)
    ]
    return sorted(found, key=lambda r: (-r.owed, r.unit.estate_id, r.unit.building, r.unit.number))


def totals(rows):
    return {
        "units": len(rows),
        "bills": sum(len(r.bills) for r in rows),
        "owed": sum((r.owed for r in rows), Decimal("0.00")),
        "late_fee": sum((r.late_fee for r in rows), Decimal("0.00")),
    }
