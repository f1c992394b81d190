"""Who sees and pays a unit's bills: its verified owners and co-owners. Household members live
there but do not pay, and see none. 我的账单, the line on 我的, and the messages about bills all
ask here."""

from fees.models import Bill
from owners.models import OwnershipClaim

PAYING = (OwnershipClaim.Role.OWNER, OwnershipClaim.Role.CO_OWNER)


def paying_claims(user):
    """`user`'s approved claims as owner or co-owner: the units whose bills they see."""
    return OwnershipClaim.objects.filter(
        owner=user, status=OwnershipClaim.Status.APPROVED, role__in=PAYING
    )


def paying_units(user):
    """The units whose bills `user` sees, as a subquery of ids."""
    return paying_claims(user).values("unit")


def owners_bills(user):
    """The issued bills `user` may see."""
    return Bill.objects.issued().filter(unit__in=paying_units(user))


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
