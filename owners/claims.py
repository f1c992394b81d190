"""Ownership claims: an owner claims a unit, staff approve or reject it.

Every change goes through these functions, so the site, the admin and the tests behave alike:
each checks its rules, runs in one transaction, writes Wagtail's audit log and emails the owner
once the transaction commits.
"""

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from wagtail.log_actions import log

from owners.models import OwnershipClaim
from portal.actions import Refused
from portal.notifications import site_link, tell

Status = OwnershipClaim.Status


class ClaimError(Refused):
    """A claim that cannot be made or reviewed; the message is shown to the person as it is."""


def submit_claim(owner, unit, *, role, proof):
    previous = OwnershipClaim.objects.filter(owner=owner, unit=unit).order_by("-created_at").first()
    if previous and previous.status == Status.PENDING:
        raise ClaimError(_("You have already claimed this unit; staff are reviewing your claim."))
    if previous and previous.status == Status.APPROVED:
        raise ClaimError(_("This unit is already one of your verified units."))
    if previous and previous.status == Status.REJECTED:
        raise ClaimError(
            _(
                "Your claim to this unit was rejected: %(reason)s "
                "Please contact customer service if you think this is a mistake."
            )
            % {"reason": previous.reason}
        )
    try:
        with transaction.atomic():
            claim = OwnershipClaim.objects.create(
                owner=owner, unit=unit, role=role, proof=proof.strip()
            )
            log(claim, "owners.claim.submit", user=owner)
    except IntegrityError as error:
        # The same form sent twice at once: the database keeps one live claim.
        raise ClaimError(
            _("You have already claimed this unit; staff are reviewing your claim.")
        ) from error
    return claim


def _review(claim, by, new_status, reason, action):
    if not by.has_perm("owners.review_ownershipclaim"):
        raise PermissionDenied
    with transaction.atomic():
        claim = OwnershipClaim.objects.select_for_update().select_related("owner").get(pk=claim.pk)
        expected = Status.APPROVED if new_status == Status.REVOKED else Status.PENDING
        if claim.status != expected:
            raise ClaimError(
                _("This claim is already %(status)s.") % {"status": claim.get_status_display()}
            )
        claim.status = new_status
        claim.reason = reason.strip()
        claim.reviewed_at = timezone.now()
        claim.reviewed_by = by
        claim.save(update_fields=["status", "reason", "reviewed_at", "reviewed_by"])
        refresh_verified_owner(claim.owner)
        log(claim, action, user=by, data={"reason": claim.reason})
        with translation.override(claim.owner.language or settings.LANGUAGE_CODE):
            words = _("Your claim for %(unit)s: %(decision)s") % {
                "unit": claim.unit,
                "decision": claim.get_status_display(),
            }
        tell(
            claim.owner,
            "account",
            reverse("owners:dashboard"),
            words=words,
            email=("owners/email/claim_reviewed", {"claim": claim}),
            short=("claim_reviewed", _claim_text(claim)),
            key=f"claim:{claim.pk}:{new_status}:{claim.reviewed_at.timestamp()}",
        )
    return claim


def _claim_text(claim):
    with translation.override(settings.LANGUAGE_CODE):
        return {
            "unit": str(claim.unit),
            "decision": str(claim.get_status_display()),
            "url": site_link(reverse("owners:dashboard")),
        }


def approve_claim(claim, by, note=""):
    return _review(claim, by, Status.APPROVED, note, "owners.claim.approve")


def reject_claim(claim, by, reason):
    if not reason.strip():
        raise ClaimError(_("Give the owner a reason for the rejection."))
    return _review(claim, by, Status.REJECTED, reason, "owners.claim.reject")


def revoke_claim(claim, by, reason):
    if not reason.strip():
        raise ClaimError(_("Give the owner a reason for revoking the verification."))
    return _review(claim, by, Status.REVOKED, reason, "owners.claim.revoke")


#: The proof written on a claim the owner archive gave (the desk saw the papers).
ARCHIVE_PROOF = "客户档案"


def grant_from_archive(user, unit, role, by=None):
    """The desk's record has `user` in `unit` as an owner, co-owner or household member: they
    are verified for it (a pending claim of theirs is approved with the archive's role), unless
    staff rejected or revoked their own claim to it."""
    latest = OwnershipClaim.objects.filter(owner=user, unit=unit).order_by("-created_at").first()
    if latest is not None and latest.status == Status.APPROVED:
        return latest
    if (
        latest is not None
        and latest.status in (Status.REJECTED, Status.REVOKED)
        and latest.proof != ARCHIVE_PROOF
    ):
        return None  # staff decided against it: the archive does not overrule them
    now = timezone.now()
    if latest is not None and latest.status == Status.PENDING:
        claim = OwnershipClaim.objects.select_for_update().get(pk=latest.pk)
        claim.status, claim.role, claim.reason = Status.APPROVED, role, ""
        claim.reviewed_at, claim.reviewed_by = now, by
        claim.save(update_fields=["status", "role", "reason", "reviewed_at", "reviewed_by"])
    else:
        claim = OwnershipClaim.objects.create(
            owner=user,
            unit=unit,
            role=role,
            proof=ARCHIVE_PROOF,
            status=Status.APPROVED,
            reviewed_at=now,
            reviewed_by=by,
        )
    refresh_verified_owner(user)
    log(claim, "owners.claim.approve", user=by, data={"reason": ARCHIVE_PROOF})
    return claim


def withdraw_from_archive(user, unit, by=None):
    """The desk's record has `user` leave `unit` (sold, moved out): their verification for it
    ends."""
    now = timezone.now()
    claims = OwnershipClaim.objects.select_for_update().filter(
        owner=user, unit=unit, status=Status.APPROVED
    )
    for claim in claims:
        claim.status, claim.reason = Status.REVOKED, _("Left the unit (owner archive).")
        claim.reviewed_at, claim.reviewed_by = now, by
        claim.save(update_fields=["status", "reason", "reviewed_at", "reviewed_by"])
        log(claim, "owners.claim.revoke", user=by, data={"reason": claim.reason})
    refresh_verified_owner(user)


def refresh_verified_owner(user):
    verified = user.claims.filter(status=Status.APPROVED).exists()
    if user.is_verified_owner != verified:
        user.is_verified_owner = verified
        user.save(update_fields=["is_verified_owner"])
