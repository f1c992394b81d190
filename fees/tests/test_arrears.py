"""催缴: owners told when the month's bill is out, reminders in stages once per bill, the call
list, calls and promises recorded, and the arrears ledger with its spreadsheet."""

import datetime
import io
from decimal import Decimal

import pytest
from django.core import mail
from django.urls import reverse
from openpyxl import load_workbook
from pypdf import PdfReader

from conftest import claims_desk, make_user
from fees import billing, payments, reminders
from fees.models import Bill, CollectionCall, Reminder
from fees.tests.conftest import OCT
from owners import claims
from owners.models import OwnershipClaim
from portal.models import Notification

pytestmark = pytest.mark.django_db
ZH = {"HTTP_ACCEPT_LANGUAGE": "zh-hans"}
DUE = OCT.replace(day=25)


def with_claim(username, unit, role):
    person = make_user(username)
    claim = claims.submit_claim(person, unit, role=role, proof=f"HT-{username}")
    claims.approve_claim(claim, claims_desk())
    return person


@pytest.fixture
def overdue(priced, fee_desk, verified_owner):
    """OCT's bills, issued on the 3rd and due on the 25th; 王建国 owns 3栋 1201."""
    billing.confirm_run(billing.start_run(priced, fee_desk, period=OCT), fee_desk)
    Bill.objects.update(issued_on=OCT.replace(day=3), due_on=DUE)
    return Bill.objects.get(unit__building="3栋", unit__number="1201")


def test_owners_and_co_owners_hear_the_bill_is_out(
    priced, fee_desk, verified_owner, unit, django_capture_on_commit_callbacks
):
    co_owner = with_claim("co-owner", unit, OwnershipClaim.Role.CO_OWNER)
    family = with_claim("family", unit, OwnershipClaim.Role.FAMILY)
    with django_capture_on_commit_callbacks(execute=True):
        billing.confirm_run(billing.start_run(priced, fee_desk, period=OCT), fee_desk)
    bill = Bill.objects.get(unit=unit)
    told = Notification.objects.filter(kind="bill", url=f"/me/bills/{bill.pk}/")
    assert {n.recipient for n in told} == {verified_owner, co_owner}
    assert family not in {n.recipient for n in Notification.objects.filter(kind="bill")}
    assert any(f"{OCT:%Y-%m}" in m.subject for m in mail.outbox)


def test_reminders_come_in_stages_once_each(
    overdue, verified_owner, django_capture_on_commit_callbacks
):
    assert reminders.remind_overdue(on=DUE + datetime.timedelta(days=3)) == 0
    with django_capture_on_commit_callbacks(execute=True):
        reached = reminders.remind_overdue(on=DUE + datetime.timedelta(days=8))
    assert reached == Bill.objects.count()  # every bill is overdue and unpaid
    mine = Reminder.objects.get(bill=overdue)
    assert mine.stage == "friendly" and mine.told == 1
    assert reminders.remind_overdue(on=DUE + datetime.timedelta(days=9)) == 0

    reminders.remind_overdue(on=DUE + datetime.timedelta(days=31))
    assert set(overdue.reminders.values_list("stage", flat=True)) == {"friendly", "notice"}
    told = Notification.objects.filter(recipient=verified_owner, kind="bill")
    assert told.count() == 2  # the reminder and the notice (the issued one was not run here)

    reminders.remind_overdue(on=DUE + datetime.timedelta(days=95))
    assert overdue.reminders.get(stage="call").told == 0
    assert told.count() == 2  # the call is customer service's, not a message


def test_a_bill_found_late_reaches_only_its_latest_stage_and_a_paid_one_none(overdue, fee_desk):
    paid = Bill.objects.with_figures().get(unit__building="1栋", unit__number="0101")
    payments.record_payment(paid, None, amount=paid.owed, method="bank", paid_on=DUE)
    reminders.remind_overdue(on=DUE + datetime.timedelta(days=100))
    assert list(overdue.reminders.values_list("stage", flat=True)) == ["call"]
    assert not paid.reminders.exists()


def test_the_ledger_lists_what_is_overdue_and_the_calls(client, overdue, fee_desk, staff):
    reminders.remind_overdue(on=DUE + datetime.timedelta(days=100))
    service = staff("Customer service")
    client.force_login(service)
    ledger = reverse("arrears:index")
    html = client.get(ledger + "?stage=call", **ZH).content.decode()
    assert "3栋 1201" in html and "王建国" in html

    statement = reverse("bills:statement", args=[overdue.unit_id])
    refused = client.post(statement, {"outcome": "promised", "note": "下周"}, **ZH)
    assert refused.status_code == 200 and not CollectionCall.objects.exists()
    by = (datetime.date.today() + datetime.timedelta(days=5)).isoformat()
    client.post(statement, {"outcome": "promised", "promised_on": by, "note": "月底前交"}, **ZH)
    call = CollectionCall.objects.get()
    assert call.called_by == service and call.promised_on.isoformat() == by
    assert "月底前交" in client.get(statement, **ZH).content.decode()

    sheet = client.get(ledger + "?building=3栋&export=xlsx")
    rows = list(load_workbook(io.BytesIO(sheet.content)).active.iter_rows(values_only=True))
    assert len(rows) == 1 + 6  # the header and 3栋's six homes
    mine = next(row for row in rows if row[1] == "3栋 1201")
    assert Decimal(str(mine[6])) == Bill.objects.with_figures().get(pk=overdue.pk).owed
    assert mine[2] == "王建国" and mine[10] is not None

    assert "3栋 1201" not in client.get(ledger + "?building=1栋", **ZH).content.decode()
    assert "3栋 1201" not in client.get(ledger + "?at_least=100000", **ZH).content.decode()
    assert client.get(ledger + "?months=abc&at_least=x&p=zz", **ZH).status_code == 200

    notices = client.get(ledger + "?building=3栋&export=notices")
    assert notices["Content-Type"] == "application/pdf"
    pages = PdfReader(io.BytesIO(notices.content)).pages
    assert len(pages) == 6 and overdue.number in "".join(p.extract_text() for p in pages)


def test_only_staff_who_chase_arrears_record_calls(client, overdue, staff):
    client.force_login(staff("Club staff"))
    assert client.get(reverse("arrears:index")).status_code in (302, 403)
    client.post(reverse("bills:statement", args=[overdue.unit_id]), {"outcome": "no_answer"})
    assert not CollectionCall.objects.exists()


def test_owners_hear_when_money_arrives(
    priced, fee_desk, verified_owner, unit, django_capture_on_commit_callbacks
):
    billing.confirm_run(billing.start_run(priced, fee_desk, period=OCT), fee_desk)
    bill = Bill.objects.with_figures().get(unit=unit)
    with django_capture_on_commit_callbacks(execute=True):
        payment = payments.record_payment(bill, fee_desk, amount=bill.owed, method="cash")
    told = Notification.objects.get(recipient=verified_owner, kind="bill")
    assert told.url == f"/me/bills/{bill.pk}/" and f"{payment.total:,.2f}" in told.text
