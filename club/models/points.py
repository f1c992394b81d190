"""The points ledger (积分): append-only; the member's balance moves only with a new entry."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class PointsEntry(models.Model):
    class Kind(models.TextChoices):
        JOINING = "joining", _("Joining the club")
        REFERRAL = "referral", _("Referral of a buyer")
        EVENT = "event", _("Event attendance")
        BIRTHDAY = "birthday", _("Birthday")
        SURVEY = "survey", _("Survey answered")
        ADJUSTMENT = "adjustment", _("Adjustment by staff")
        REDEMPTION = "redemption", _("Reward redeemed")
        REFUND = "refund", _("Redemption cancelled")
        EXPIRY = "expiry", _("Points expired")

    #: Kinds that count as earning, for the tier; a refund only gives back what was spent.
    EARNING = ("joining", "referral", "event", "birthday", "survey", "adjustment")

    member = models.ForeignKey(
        "club.Member", on_delete=models.PROTECT, related_name="points", verbose_name=_("member")
    )
    delta = models.IntegerField(_("points"))
    balance_after = models.PositiveIntegerField(_("balance after"))
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    reason = models.CharField(_("reason"), max_length=200, blank=True)
    #: Unique: a retried task, a double click or a second run never posts the same change twice.
    key = models.CharField(_("idempotency key"), max_length=100, unique=True)
    created_at = models.DateTimeField(_("when"), auto_now_add=True, db_index=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("by"),
    )
    expires_at = models.DateTimeField(_("expires"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("points entry")
        verbose_name_plural = _("points entries")
        indexes = [
            models.Index(fields=["member", "-created_at", "-id"], name="club_points_member_recent")
        ]
        constraints = [
            models.CheckConstraint(condition=~Q(delta=0), name="club_points_entry_not_zero"),
        ]

    def __str__(self):
        return f"{self.delta:+d} {self.get_kind_display()}"
