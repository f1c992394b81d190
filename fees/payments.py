"""Money received on a bill (收款): at the desk, by the bank, from club points, or (one day) from
a payment provider's confirmation, all through `record_payment`.

A payment first settles the late fee due on its day, then the bill. It may not be more than
both together. With a `reference` (the bank's or the provider's number), the same payment
reported twice is recorded once: the second report returns the first payment.
"""

import datetime
from decimal import Decimal

from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.crypto import get_random_string
from django.utils.translation import gettext as _
from wagtail.log_actions import log

from club.models import Redemption
from club.rewards import credit_to_bill
from fees.ledger import with_late_fees
from fees.models import Bill, Payment
from fees.money import to_fen, yuan
from fees.reminders import queue_paid
from portal.actions import Refused

DESK = (Payment.Method.CASH, Payment.Method.CARD, Payment.Method.TRANSFER)
#: How far back the desk may date money it took (the late fee depends on the day).
BACKDATING = datetime.timedelta(days=31)


class PaymentError(Refused):
    pass


def can_take(user):
    return user.has_perm("fees.record_payment")


def due_on_day(bill, on=None):
    """(owed on the bill, late fee) on day `on`, read afresh."""
    bill = with_late_fees(Bill.objects.filter(pk=bill.pk), on)[0]
    return bill.owed, bill.late_fee


def record_payment(
    bill,
    by,
    *,
    amount,
    method,
    paid_on=None,
    reference="",
    note="",
    late_fee_first=True,
    **links,
):
    """Record `amount` received for `bill`. `by` is the staff member (None for the bank's file
    and other automatic sources, whose caller checked the permission). `late_fee_first`: the
    late fee of the day is settled first (money at the desk); otherwise the bill first and any
    rest the late fee (the bank's debit, asked days before; a club credit).

    The same `reference` for the same bill and amount is the same payment reported again; for
    another bill or amount it is refused (a bank file that repeats one number is wrong)."""
    if by is not None and not can_take(by):
        raise PermissionDenied
    paid_on = paid_on or timezone.localdate()
    if paid_on > timezone.localdate():
        raise PaymentError(_("A payment cannot be dated in the future."))
    if method in DESK and paid_on < timezone.localdate() - BACKDATING:
        raise PaymentError(
            _(
                "Money taken at the desk is recorded within a month; for older money, adjust the bill."
            )
        )
    try:
        amount = to_fen(amount)
    except ArithmeticError as error:
        raise PaymentError(_("Enter the amount received, such as 216.81.")) from error
    if amount <= 0:
        raise PaymentError(_("Enter the amount received, such as 216.81."))
    if reference and (found := _reported(bill, method, reference, amount)):
        return found
    try:
        with transaction.atomic():
            return _record(
                bill, by, amount, method, paid_on, reference, note, late_fee_first, links
            )
    except IntegrityError:
        if reference:  # the same report, recorded by another request in the meantime
            return _reported(bill, method, reference, amount)
        raise


def _reported(bill, method, reference, amount):
    """The payment already recorded under `reference`, if it is this one."""
    found = Payment.objects.filter(method=method, reference=reference).first()
    if found is None:
        return None
    if found.bill_id != bill.pk or found.amount + found.late_fee != amount:
        raise PaymentError(
            _("Reference %(reference)s was used for another payment (receipt %(receipt)s).")
            % {"reference": reference, "receipt": found.receipt_number}
        )
    return found


def _record(bill, by, amount, method, paid_on, reference, note, late_fee_first, links):
    bill = Bill.objects.select_for_update().select_related("run").get(pk=bill.pk)
    if reference and (found := _reported(bill, method, reference, amount)):
        return found  # reported again while this one waited for the bill
    if not bill.run.is_confirmed:
        raise PaymentError(_("This bill is not issued yet."))
    if paid_on < bill.issued_on:
        raise PaymentError(_("A payment cannot be dated before the bill was issued."))
    owed, late = due_on_day(bill, paid_on)
    owed = max(owed, Decimal(0))
    if owed + late <= 0:
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
    late_paid = min(late, amount) if late_fee_first else max(amount - owed, Decimal(0))
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
    queue_paid(payment)
    log(
        bill,
        "fees.payment",
        user=by,
        data={
            "receipt": payment.receipt_number,
            "amount": str(amount),
            "method": method,
            "paid_on": paid_on.isoformat(),
        },
    )
    return payment


def credits_waiting(unit):
    """Property-fee credits members of `unit` redeemed and not yet put on a bill: members whose
    account is verified for the unit, or whose record is in it now."""
    return (
        Redemption.objects.filter(status=Redemption.Status.REQUESTED, reward__kind="fee_credit")
        .filter(
            Q(member__user__claims__unit=unit, member__user__claims__status="approved")
            | Q(member__record__occupancies__unit=unit, member__record__occupancies__until=None)
        )
        .select_related("reward", "member__user", "member__record")
        .distinct()
    )


def credit_points(redemption, bill, by):
    """Put a member's property-fee credit on `bill` as a payment, once: the redemption is
    handed over and the payment names it (`Payment.redemption`, `redemption.fee_payment`)."""
    if not can_take(by):
        raise PermissionDenied
    with transaction.atomic():
        if not credits_waiting(bill.unit).filter(pk=redemption.pk).exists():
            raise PaymentError(_("This credit is not for a member of this unit, or is used."))
        redemption = credit_to_bill(redemption, by)
        credit = redemption.credit or redemption.reward.credit
        owed, _late = due_on_day(bill)
        if credit > owed:
            raise PaymentError(
                _(
                    "The credit (%(credit)s 元) is more than the bill owes (%(owed)s 元); put it "
                    "on a bill that owes at least as much."
                )
                % {"credit": yuan(credit), "owed": yuan(owed)}
            )
        return record_payment(
            bill,
            by,
            amount=credit,
            method=Payment.Method.POINTS,
            reference=f"redemption-{redemption.pk}",
            note=redemption.reward.name,
            late_fee_first=False,
            redemption=redemption,
        )
