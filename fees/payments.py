"""Money received on a bill (收款): at the desk, by the bank, from club points, or (one day) from
a payment provider's confirmation, all through `record_payment`.

A payment first settles the late fee due on its day, then the bill. It may not be more than
both together. With a `reference` (the bank's or the provider's number), the same payment
reported twice is recorded once: the second report returns the first payment.
"""

from decimal import Decimal

from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.crypto import get_random_string
from django.utils.translation import gettext as _
from wagtail.log_actions import log

from fees.ledger import with_late_fees
from fees.models import Bill, Payment
from fees.money import to_fen, yuan
from portal.actions import Refused

DESK = (Payment.Method.CASH, Payment.Method.CARD, Payment.Method.TRANSFER)


class PaymentError(Refused):
    pass


def can_take(user):
    return user.has_perm("fees.record_payment")


def due_on_day(bill, on=None):
    """(owed on the bill, late fee) on day `on`, read afresh."""
    bill = with_late_fees(Bill.objects.filter(pk=bill.pk), on)[0]
    return bill.owed, bill.late_fee


def record_payment(bill, by, *, amount, method, paid_on=None, reference="", note="", **links):
    """Record `amount` received for `bill`. `by` is the staff member (None for the bank's file
    and other automatic sources, whose caller checked the permission)."""
    if by is not None and not can_take(by):
        raise PermissionDenied
    paid_on = paid_on or timezone.localdate()
    if paid_on > timezone.localdate():
        raise PaymentError(_("A payment cannot be dated in the future."))
    try:
        amount = to_fen(amount)
    except ArithmeticError as error:
        raise PaymentError(_("Enter the amount received, such as 216.81.")) from error
    if amount <= 0:
        raise PaymentError(_("Enter the amount received, such as 216.81."))
    if reference and (found := Payment.objects.filter(method=method, reference=reference)):
        return found.get()
    try:
        with transaction.atomic():
            return _record(bill, by, amount, method, paid_on, reference, note, links)
    except IntegrityError:
        if reference:  # the same report, recorded by another request in the meantime
            return Payment.objects.get(method=method, reference=reference)
        raise


def _record(bill, by, amount, method, paid_on, reference, note, links):
    bill = Bill.objects.select_for_update().select_related("run").get(pk=bill.pk)
    if not bill.run.is_confirmed:
        raise PaymentError(_("This bill is not issued yet."))
    owed, late = due_on_day(bill, paid_on)
    if owed <= 0:
        raise PaymentError(_("Bill %s is paid in full.") % bill.number)
    if amount > owed + late:
        raise PaymentError(
            _(
                "Bill %(number)s asks %(owed)s 元 (with the late fee %(late)s 元); %(amount)s 元 "
                "is more than that."
            )
            % {
                "number": bill.number,
                "owed": yuan(owed + late),
                "late": yuan(late),
                "amount": yuan(amount),
            }
        )
    late_paid = min(late, amount)
    payment = Payment.objects.create(
        bill=bill,
        amount=amount - late_paid,
        late_fee=late_paid,
        method=method,
        paid_on=paid_on,
        reference=reference,
        receipt_number=get_random_string(24),
        taken_by=by,
        note=(note or "")[:200],
        **links,
    )
    payment.receipt_number = f"SK{paid_on:%Y%m%d}{payment.pk:06d}"
    payment.save(update_fields=["receipt_number"])
    log(
        bill,
        "fees.payment",
        user=by,
        data={"receipt": payment.receipt_number, "amount": str(amount), "method": method},
    )
    return payment


def owing_in_full(bill, on=None):
    owed, late = due_on_day(bill, on)
    return max(owed + late, Decimal(0))
