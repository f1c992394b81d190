"""Telling owners about their bills, and chasing the overdue ones (催缴).

- Money recorded on a bill (at the desk, from the bank, a club credit) tells the owners it
  arrived, with the receipt number (`tell_paid`, an outbox job per payment).

- A confirmed run tells each unit's owners and co-owners with an account that the month's bill
  is out, on their channels for "Bills and arrears", in batches after the commit
  (`tell_issued`, an outbox job).
- Every morning `remind_overdue` walks the overdue bills. By the estate's terms a bill reaches
  the friendly reminder (7 days after due), the arrears notice (30) and the call (90); each stage
  is reached once per bill (`Reminder`, unique per bill and stage), and only the latest stage a
  bill has reached is acted on, so a bill found 100 days late is not sent three messages at once.
  The first two stages tell the owners; the call stage puts the unit on customer service's call
  list (催缴电话), where the call and any promise to pay are recorded (`record_call`).

Who hears: the accounts that see the unit's bills (`fees.access.payers`).
"""

import datetime

from celery import shared_task
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from wagtail.log_actions import log

from fees.access import payers
from fees.models import Bill, BillingRun, CollectionCall, Payment, Reminder, terms_for
from fees.money import yuan
from portal import outbox
from portal.actions import Refused
from portal.notifications import tell

BATCH = 200


def queue_issued(run):
    """After a run is confirmed (in its transaction): the owners are told by a job."""
    outbox.add_task(tell_issued, key=f"fees:issued:{run.pk}", queue=outbox.BULK, run_id=run.pk)


@shared_task
def tell_issued(run_id, after=0):
    """Tell the owners of a batch of the run's bills, then queue the next batch."""
    run = BillingRun.objects.select_related("estate").get(pk=run_id)
    bills = list(
        Bill.objects.filter(run=run, pk__gt=after)
        .with_figures()
        .select_related("unit")
        .order_by("pk")[:BATCH]
    )
    people = payers([b.unit_id for b in bills])
    for bill in bills:
        for user in people.get(bill.unit_id, ()):
            _tell(user, bill, "issued", key=f"fees:issued:{bill.pk}:{user.pk}")
    if len(bills) == BATCH:
        outbox.add_task(
            tell_issued,
            key=f"fees:issued:{run.pk}:{bills[-1].pk}",
            queue=outbox.BULK,
            run_id=run.pk,
            after=bills[-1].pk,
        )
    return len(bills)


def queue_paid(payment):
    """After money is recorded (in its transaction): the owners hear it arrived, by a job."""
    outbox.add_task(
        tell_paid, key=f"fees:paid:{payment.pk}", queue=outbox.BULK, payment_id=payment.pk
    )


@shared_task
def tell_paid(payment_id):
    """Tell the unit's payers that a payment arrived, with its receipt number."""
    payment = Payment.objects.select_related("bill__unit").get(pk=payment_id)
    bill = Bill.objects.with_figures().select_related("unit").get(pk=payment.bill_id)
    people = payers([bill.unit_id]).get(bill.unit_id, ())
    for user in people:
        _tell(
            user,
            bill,
            "paid",
            key=f"fees:paid:{payment.pk}:{user.pk}",
            extra={"payment": payment, "paid": yuan(payment.total)},
        )
    return len(people)


def _tell(user, bill, kind, *, key, days=0, extra=None):
    context = {"bill": bill, "amount": yuan(bill.owed), "days": days, **(extra or {})}
    return tell(
        user,
        "bill",
        reverse("fees:bill", args=[bill.pk]),
        email=(f"fees/email/{kind}", context),
        short="bill",
        key=key,
        queue=outbox.BULK,
    )


def stage_reached(terms, days_late):
    """The latest stage a bill `days_late` after its due date has reached, or None."""
    for stage, after in (
        (Reminder.Stage.CALL, terms.call_after),
        (Reminder.Stage.NOTICE, terms.notice_after),
        (Reminder.Stage.FRIENDLY, terms.remind_after),
    ):
        if days_late >= after:
            return stage
    return None


@shared_task
def remind_overdue(on=None):
    """Reach each overdue bill's latest stage, once. Returns how many stages were reached."""
    today = on or timezone.localdate()
    bills = (
        Bill.objects.issued()
        .owing()
        .filter(due_on__lt=today)
        .select_related("unit__estate__billing_terms")
        .order_by("pk")
    )
    reached, after = 0, 0
    while batch := list(bills.filter(pk__gt=after)[:BATCH]):
        after = batch[-1].pk
        done = set(Reminder.objects.filter(bill__in=batch).values_list("bill_id", "stage"))
        people = payers([b.unit_id for b in batch])
        for bill in batch:
            stage = stage_reached(terms_for(bill.unit.estate), (today - bill.due_on).days)
            if stage is None or (bill.pk, stage) in done:
                continue
            reached += _reach(bill, stage, people.get(bill.unit_id, ()), today)
    return reached


def _reach(bill, stage, users, today):
    try:
        with transaction.atomic():
            reminder = Reminder.objects.create(bill=bill, stage=stage)
            if stage != Reminder.Stage.CALL:
                kind = "reminder" if stage == Reminder.Stage.FRIENDLY else "arrears_notice"
                days = (today - bill.due_on).days
                for user in users:
                    _tell(user, bill, kind, key=f"fees:{stage}:{bill.pk}:{user.pk}", days=days)
                reminder.told = len(users)
                reminder.save(update_fields=["told"])
    except IntegrityError:  # reached by another worker just now
        return 0
    return 1


class CallError(Refused):
    pass


def can_call(user):
    return user.has_perm("fees.record_collection_call")


def record_call(unit, by, *, outcome, promised_on=None, note=""):
    """What came of a call about the unit's arrears."""
    if not can_call(by):
        raise PermissionDenied
    if outcome == CollectionCall.Outcome.PROMISED:
        if promised_on is None:
            raise CallError(_("Give the day they promised to pay by."))
        if promised_on < timezone.localdate():
            raise CallError(_("The promised day has passed already."))
        if promised_on > timezone.localdate() + datetime.timedelta(days=180):
            raise CallError(_("A promise more than six months away is not a promise."))
    else:
        promised_on = None
    with transaction.atomic():
        call = CollectionCall.objects.create(
            unit=unit, called_by=by, outcome=outcome, promised_on=promised_on, note=note[:200]
        )
        log(unit, "fees.collection_call", user=by, data={"outcome": outcome, "note": note})
    return call
