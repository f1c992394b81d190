"""The line on 我的 that leads to 我的账单, registered with the page's parts (`portal.framing`)
when the app loads."""

from decimal import Decimal

from django.db.models import DecimalField, OuterRef, Subquery, Sum, Value
from django.db.models.functions import Coalesce
from django.template.loader import render_to_string

from fees.access import paying_claims, since_change_of_owner
from fees.models import Adjustment, BillingRun, BillLine, Payment
from fees.money import to_fen, yuan
from portal import framing
from portal.statements import Statement

ZERO = Decimal("0.00")


def _per_unit(model):
    """The sum of `model`'s amounts over the issued bills of the claim's unit that are the
    owner's (since the latest change of owner, as `fees.access.owners_bills`)."""
    rows = (
        since_change_of_owner(
            model.objects.filter(
                bill__unit=OuterRef("unit"), bill__run__status=BillingRun.Status.CONFIRMED
            ),
            bill="bill__",
        )
        .order_by()
        .values("bill__unit")
        .annotate(total=Sum("amount"))
        .values("total")
    )
    money = DecimalField(max_digits=12, decimal_places=2)
    return Coalesce(Subquery(rows, output_field=money), Value(ZERO), output_field=money)


#: What each unit the reader pays for still owes on its bills, as one query built once
#: (portal.statements): building its three subqueries cost the ORM more than 我的's other
#: queries together.
_OWED = Statement(
    lambda user: (
        paying_claims(user)
        .annotate(owed=_per_unit(BillLine) + _per_unit(Adjustment) - _per_unit(Payment))
        .values_list("owed")
    )
)


@framing.part("my_bills")
def dashboard_link(request):
    """我的账单 on 我的, for an owner who pays for a unit, with what the bills still ask (the
    late fee is on the bills' page): one query."""
    user = framing.reader(request)
    if not user.is_authenticated:
        return ""
    owed = [row[0] for row in _OWED.rows(user=user.pk)]
    if not owed:
        return ""
    owed = to_fen(sum(owed, ZERO))
    return render_to_string(
        "fees/includes/dashboard_link.html",
        {"owed": yuan(owed) if owed > 0 else ""},
    )
