from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class OwnershipClaim(models.Model):
    """An owner's claim to a unit. Approved claims are the owner's verified units.

    State changes go through owners.claims so the badge, the audit log and the email follow.
    """

    class Role(models.TextChoices):
        OWNER = "owner", pgettext_lazy("property", "Owner")
        CO_OWNER = "co_owner", _("Co-owner")
        FAMILY = "family", _("Family member of the owner")

    class Status(models.TextChoices):
        PENDING = "pending", _("Pending review")
        APPROVED = "approved", _("Verified")
        REJECTED = "rejected", _("Rejected")
        REVOKED = "revoked", _("Revoked")

    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="claims",
        verbose_name=pgettext_lazy("property", "owner"),
    )
    unit = models.ForeignKey(
        "owners.Unit", on_delete=models.PROTECT, related_name="claims", verbose_name=_("unit")
    )
    role = models.CharField(_("role"), max_length=20, choices=Role.choices, default=Role.OWNER)
    proof = models.CharField(
        _("proof of ownership"),
        max_length=100,
        help_text=_("Purchase contract number or property certificate number."),
    )
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.PENDING, db_index=True
    )
    reason = models.TextField(_("reason"), blank=True)
    created_at = models.DateTimeField(_("submitted"), auto_now_add=True)
    reviewed_at = models.DateTimeField(_("reviewed"), null=True, blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("reviewed by"),
    )

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("ownership claim")
        verbose_name_plural = _("ownership claims")
        constraints = [
            # One live claim per owner and unit, even when the form is sent twice at once.
            models.UniqueConstraint(
                fields=["owner", "unit"],
                condition=Q(status__in=["pending", "approved"]),
                name="claim_one_live_per_owner_unit",
            )
        ]
        permissions = [("review_ownershipclaim", _("Can approve or reject ownership claims"))]

    def __str__(self):
        return f"{self.owner} · {self.unit}"

    @property
    def is_pending(self):
        return self.status == self.Status.PENDING
