"""Bills and money stay right when the desk acts twice at once (PostgreSQL, parallel
connections): one run per estate and month, one payment per bank reference, never more taken
than a bill asks."""

from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection

from club.tests.test_concurrency import together
from fees import bank, billing, payments
from fees.models import BankImport, Bill, BillingRun, Payment
from fees.tests.conftest import OCT

pytestmark = [
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql", reason="needs parallel PostgreSQL writers"
    ),
]


def test_two_runs_started_at_once_make_one(priced, fee_desk):
    runs = together(lambda _i: billing.start_run(priced, fee_desk, period=OCT), range(4))
    assert all(isinstance(run, BillingRun) for run in runs), runs
    assert len({run.pk for run in runs}) == 1
    assert BillingRun.objects.count() == 1
    assert Bill.objects.count() == priced.units.count()


def test_one_bank_reference_is_one_payment_and_a_bill_is_never_overpaid(priced, fee_desk):
    billing.confirm_run(billing.start_run(priced, fee_desk, period=OCT), fee_desk)
    bill = Bill.objects.issued().with_figures().get(unit__building="1栋", unit__number="0101")

    same = together(
        lambda _i: payments.record_payment(
            bill, None, amount=bill.owed, method="bank", reference="BANK-202610-0001"
        ),
        range(4),
    )
    assert all(isinstance(p, Payment) for p in same), same
    assert Payment.objects.count() == 1

    other = Bill.objects.issued().with_figures().get(unit__building="1栋", unit__number="0102")
    half = (other.owed / 2).quantize(Decimal("0.01"))
    taken = together(
        lambda _i: payments.record_payment(other, fee_desk, amount=half + 1, method="cash"),
        range(3),
    )
    assert sum(isinstance(p, Payment) for p in taken) == 1
    assert all(isinstance(p, (Payment, payments.PaymentError)) for p in taken), taken
    assert Bill.objects.with_figures().get(pk=other.pk).owed >= 0


def test_one_bank_file_sent_twice_at_once_is_applied_once(priced, fee_desk):
    billing.confirm_run(billing.start_run(priced, fee_desk, period=OCT), fee_desk)
    bills = list(Bill.objects.issued().with_figures().order_by("number")[:5])
    text = "账单号,金额,结果,银行流水号\n" + "\n".join(
        f"{b.number},{b.owed},成功,B{i}" for i, b in enumerate(bills)
    )

    def send(_i):
        upload = SimpleUploadedFile("result.csv", text.encode(), "text/csv")
        return bank.import_results(priced, fee_desk, upload=upload)

    outcomes = together(send, range(3))
    assert sum(isinstance(o, BankImport) for o in outcomes) == 1, outcomes
    assert all(isinstance(o, (BankImport, bank.BankError)) for o in outcomes), outcomes
    assert Payment.objects.count() == 5 and BankImport.objects.count() == 1
