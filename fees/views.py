"""我的账单: the owner's bills, one bill with how it was worked out, and its payment request and
receipts as PDF (the line on 我的 that leads here is `fees.home_parts`).

Who sees a unit's bills: its verified owners and co-owners (`fees.access`); family members live
there but do not pay, and see none. Only issued bills (of confirmed runs) are shown. Every
figure comes from the ledger (`fees.ledger.with_late_fees`): the bill's own balance, and the
late fee on the day shown apart from it.
"""

from decimal import Decimal

from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import get_object_or_404, render

from fees import paper
from fees.access import owners_bills, paying_units
from fees.billing import terms_for
from fees.ledger import with_late_fees
from fees.models import BillLine, Payment
from fees.money import yuan
from owners.models import Unit
from portal.links import addresses

ZERO = Decimal("0.00")
#: Settled bills shown per unit on 我的账单 before "show all"; unsettled ones are always shown.
SETTLED_SHOWN = 12


def _status(bill):
    if bill.owed <= 0 and bill.late_fee <= 0:
        return "settled"
    if bill.paid > 0 or bill.late_fees_paid > 0:
        return "partly"
    return "unpaid"


def _shown(bill):
    """The bill's figures as the page writes them ("1,234.50"), and its state."""
    owed = max(bill.owed, ZERO)
    bill.status = _status(bill)
    bill.due_now = owed + bill.late_fee
    bill.money = {
        "total": yuan(bill.charged + bill.adjusted),
        "charged": yuan(bill.charged),
        "paid": yuan(bill.paid),
        "owed": yuan(owed),
        "late_fee": yuan(bill.late_fee),
        "due_now": yuan(bill.due_now),
    }
    return bill


@login_required
def mine(request):
    """Each unit the owner pays for: what is owed now (the bills' balance and the late fees
    today), then its bills, newest first. Four queries, however many bills."""
    units = list(
        Unit.objects.filter(pk__in=paying_units(request.user))
        .select_related("estate")
        .order_by("estate__name", "building", "number")
    )
    bills = with_late_fees(owners_bills(request.user).order_by("-period", "pk")) if units else []
    show_all = request.GET.get("all") == "1"
    detail = addresses("fees:bill")
    by_unit = {unit.pk: [] for unit in units}
    for bill in bills:
        bill.url = detail(bill.pk)
        by_unit[bill.unit_id].append(_shown(bill))
    homes, hidden = [], 0
    for unit in units:
        rows = by_unit[unit.pk]
        open_rows = [b for b in rows if b.status != "settled"]
        settled = [b for b in rows if b.status == "settled"]
        shown_settled = settled if show_all else settled[:SETTLED_SHOWN]
        hidden += len(settled) - len(shown_settled)
        owed = sum((max(b.owed, ZERO) for b in rows), ZERO)
        late = sum((b.late_fee for b in rows), ZERO)
        homes.append(
            {
                "unit": unit,
                "bills": sorted(open_rows + shown_settled, key=lambda b: (b.period, b.pk))[::-1],
                "overdue": sum(1 for b in open_rows if b.overdue),
                "has_bills": bool(rows),
                "due_now": owed + late,
                "money": {"owed": yuan(owed), "late_fee": yuan(late), "due_now": yuan(owed + late)},
            }
        )
    return render(request, "fees/mine.html", {"homes": homes, "hidden": hidden})


def _owners_bill(user, pk):
    found = with_late_fees(owners_bills(user).filter(pk=pk))
    if not found:
        raise Http404
    return found[0]


@login_required
def bill(request, pk):
    """One bill: its lines with how each was worked out, adjustments with their reasons,
    payments with their receipts, the late fee today, the due date and how to pay."""
    found = _shown(_owners_bill(request.user, pk))
    lines = list(BillLine.objects.filter(bill=found).order_by("pk"))
    for line in lines:
        line.money = yuan(line.amount)
    for adjustment in found.adjustment_rows:
        adjustment.money = ("+" if adjustment.amount > 0 else "-") + yuan(abs(adjustment.amount))
    receipt_of = addresses("fees:receipt")
    for payment in found.payment_rows:
        payment.money = yuan(payment.amount)
        payment.late_money = yuan(payment.late_fee)
        payment.total_money = yuan(payment.total)
        payment.receipt_url = receipt_of(payment.pk)
    terms = terms_for(found.unit.estate)
    rate = terms.late_fee_rate
    return render(
        request,
        "fees/bill.html",
        {
            "bill": found,
            "lines": lines,
            "terms": terms,
            "late_fee_rate": f"{rate.normalize():f}" if rate else "",
        },
    )


@login_required
def request_pdf(request, pk):
    """The bill's payment request, as the desk prints it."""
    found = _owners_bill(request.user, pk)
    return paper.response(paper.payment_requests([found]), f"payment-request-{found.number}.pdf")


@login_required
def receipt_pdf(request, pk):
    """A receipt for a payment on one of the owner's issued bills."""
    payment = get_object_or_404(
        Payment.objects.select_related(
            "bill__unit__estate__billing_terms", "bill__run", "taken_by"
        ).filter(bill__in=owners_bills(request.user)),
        pk=pk,
    )
    return paper.response(paper.receipt(payment), f"receipt-{payment.receipt_number}.pdf")
