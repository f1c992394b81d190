"""A unit's statement over any history: each line's balance is the one before plus its charge
less its credit, and the last equals what the unit's bills still owe, summed by the database
(a property-based test over random sequences of bills, adjustments and payments)."""

import contextlib
import datetime
from decimal import Decimal

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from fees import billing, payments
from fees.ledger import statement
from fees.models import Bill, Payment
from fees.tests.conftest import rule
from owners.models import Estate, Unit, User

pytestmark = pytest.mark.django_db

ACTIONS = st.lists(
    st.tuples(
        st.sampled_from(["pay", "adjust", "bill"]),
        st.integers(min_value=-5000, max_value=30000),  # fen
        st.integers(min_value=0, max_value=60),  # days after the first bill
    ),
    min_size=1,
    max_size=12,
)


@settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(actions=ACTIONS)
def test_the_running_balance_adds_up(actions, staff):
    # Hypothesis runs the examples in one test's database: the desk is made once.
    desk = User.objects.filter(username="finance").first() or staff("Finance")
    estate = Estate.objects.create(name=f"金都·对账{Estate.objects.count()}")
    unit = Unit.objects.create(
        estate=estate,
        building="1栋",
        number="0101",
        floor_area=Decimal("98.55"),
        handed_over_on=datetime.date(2025, 1, 1),
    )
    rule(estate, "management", "住宅物业管理费", "area", "2.2000")
    periods = iter([datetime.date(2026, month, 1) for month in range(1, 12)])
    first = datetime.date(2026, 1, 1)
    for kind, fen, days in [("bill", 0, 0), *actions]:
        amount = Decimal(fen) / 100
        bills = list(Bill.objects.issued().filter(unit=unit).with_figures().order_by("period"))
        if kind == "bill":
            period = next(periods, None)
            if period:
                run = billing.start_run(estate, desk, period=period)
                billing.confirm_run(run, desk)
                Bill.objects.filter(run=run).update(
                    issued_on=period, due_on=period + datetime.timedelta(days=24)
                )
        elif kind == "adjust" and bills:
            with contextlib.suppress(billing.BillingError):
                billing.adjust(bills[-1], desk, amount=amount, reason="随机调整")
        elif kind == "pay" and bills and amount > 0:
            on = min(first + datetime.timedelta(days=days), datetime.date.today())
            with contextlib.suppress(payments.PaymentError):
                payments.record_payment(bills[0], desk, amount=amount, method="bank", paid_on=on)
    entries = statement(unit)
    balance = Decimal(0)
    for entry in entries:
        balance += entry.charge - entry.credit
        assert entry.balance == balance
    owed = sum((b.owed for b in Bill.objects.issued().filter(unit=unit).with_figures()), Decimal(0))
    assert balance == owed
    paid = sum((p.amount for p in Payment.objects.filter(bill__unit=unit)), Decimal(0))
    assert sum((e.credit for e in entries if e.reference.startswith("SK")), Decimal(0)) == paid
