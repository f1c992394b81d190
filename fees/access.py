"""Who sees and pays a unit's bills: its verified owners and co-owners. Household members live
there but do not pay, and see none. After a change of owner (更名, recorded in the owner archive)
the new owners see the bills from the month of the change on; the ones before stay with the
desk's ledger. 我的账单, the line on 我的, and the messages about bills all ask here."""

from django.db.models import F, OuterRef, Q, Subquery
from django.db.models.functions import TruncMonth

from fees.models import Bill
from owners.models import OwnershipClaim, UnitEvent

PAYING = (OwnershipClaim.Role.OWNER, OwnershipClaim.Role.CO_OWNER)


def paying_claims(user):
    """`user`'s approved claims as owner or co-owner: the units whose bills they see."""
    return OwnershipClaim.objects.filter(
        owner=user, status=OwnershipClaim.Status.APPROVED, role__in=PAYING
    )


def paying_units(user):
    """The units whose bills `user` sees, as a subquery of ids."""
    return paying_claims(user).values("unit")


def since_change_of_owner(rows, bill=""):
    """`rows` (bills, or rows of a bill when `bill` is their path to it, "bill__") of months
    since the latest change of owner of the bill's unit, or all when it never changed."""
    transfers = UnitEvent.objects.filter(
        unit=OuterRef(f"{bill}unit"), kind=UnitEvent.Kind.TRANSFER
    ).order_by("-happened_on")
    return rows.alias(owned_from=TruncMonth(Subquery(transfers.values("happened_on")[:1]))).filter(
        Q(owned_from__isnull=True) | Q(**{f"{bill}period__gte": F("owned_from")})
    )


def owners_bills(user):
    """The issued bills `user` may see: their units' since the latest change of owner."""
    return since_change_of_owner(Bill.objects.issued().filter(unit__in=paying_units(user)))


def payers(unit_ids):
    """{unit id: [accounts that see and pay its bills]}, in one query."""
    found = {}
    claims = OwnershipClaim.objects.filter(
        unit_id__in=unit_ids,
        status=OwnershipClaim.Status.APPROVED,
        role__in=PAYING,
        owner__is_active=True,
    ).select_related("owner")
    for claim in claims:
        found.setdefault(claim.unit_id, []).append(claim.owner)
    return found
