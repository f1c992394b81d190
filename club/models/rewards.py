"""The rewards catalogue (礼品) and members' redemptions."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class RewardQuerySet(models.QuerySet):
    def available(self, now=None):
        now = now or timezone.now()
        return self.filter(
            Q(available_from__isnull=True) | Q(available_from__lte=now),
            Q(available_until__isnull=True) | Q(available_until__gt=now),
            is_active=True,
        )


class Reward(models.Model):
    name = models.CharField(_("name"), max_length=60)
    description = models.TextField(_("description"), blank=True)
    image = models.ForeignKey(
        settings.WAGTAILIMAGES_IMAGE_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("image"),
    )
    kind = models.CharField(
        _("kind"),
        max_length=20,
        choices=[("gift", _("Gift")), ("fee_credit", _("Property-fee credit"))],
        default="gift",
    )
    points = models.PositiveIntegerField(_("points cost"))
    #: What a property-fee credit takes off a bill (the fee desk puts it on the member's bill).
    credit = models.DecimalField(
        _("credit (元)"),
        max_digits=8,
        decimal_places=2,
        null=True,
        blank=True,
        help_text=_("For a property-fee credit: what it takes off the member's bill."),
    )
    stock = models.PositiveIntegerField(_("stock"))
    limit_per_member = models.PositiveSmallIntegerField(
        _("limit per member"), default=1, help_text=_("0 for no limit.")
    )
    min_tier = models.ForeignKey(
        "club.Tier",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("for tiers from"),
        help_text=_("Only members of this tier and above may redeem it. Empty: every member."),
    )
    available_from = models.DateTimeField(_("available from"), null=True, blank=True)
    available_until = models.DateTimeField(_("available until"), null=True, blank=True)
    is_active = models.BooleanField(_("shown to members"), default=True)
    sort_order = models.PositiveIntegerField(_("order"), default=0)

    objects = RewardQuerySet.as_manager()

    class Meta:
        ordering = ["sort_order", "points", "pk"]
        verbose_name = _("reward")
        verbose_name_plural = _("rewards")
        constraints = [
            models.CheckConstraint(condition=Q(points__gt=0), name="club_reward_costs_points"),
            models.CheckConstraint(
                condition=~Q(kind="fee_credit") | Q(credit__gt=0),
                name="club_fee_credit_has_an_amount",
            ),
            models.CheckConstraint(
                condition=Q(stock__gte=0), name="club_reward_stock_not_negative"
            ),
        ]

    def __str__(self):
        return self.name

    def clean(self):
        if self.kind == "fee_credit" and not (self.credit and self.credit > 0):
            raise ValidationError({"credit": _("Say what the credit takes off the bill.")})
        if self.kind != "fee_credit":
            self.credit = None


class Redemption(models.Model):
    class Status(models.TextChoices):
        REQUESTED = "requested", _("Waiting to be handed over")
        FULFILLED = "fulfilled", _("Handed over")
        CANCELLED = "cancelled", _("Cancelled")

    member = models.ForeignKey(
        "club.Member",
        on_delete=models.PROTECT,
        related_name="redemptions",
        verbose_name=_("member"),
    )
    reward = models.ForeignKey(
        Reward, on_delete=models.PROTECT, related_name="redemptions", verbose_name=_("reward")
    )
    points = models.PositiveIntegerField(_("points"))
    #: A property-fee credit's amount when it was redeemed (the reward's may change later).
    credit = models.DecimalField(
        _("credit (元)"), max_digits=8, decimal_places=2, null=True, blank=True
    )
    status = models.CharField(
        _("status"),
        max_length=20,
        choices=Status.choices,
        default=Status.REQUESTED,
        db_index=True,
    )
    reason = models.CharField(_("reason"), max_length=200, blank=True)
    #: From the redeem form: a double click or a resent form redeems once.
    key = models.CharField(max_length=64, unique=True, editable=False)
    created_at = models.DateTimeField(_("redeemed"), auto_now_add=True)
    handled_at = models.DateTimeField(_("handled"), null=True, blank=True)
    handled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("handled by"),
    )

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("redemption")
        verbose_name_plural = _("redemptions")
        permissions = [("handle_redemption", _("Can hand over or cancel redemptions"))]

    def __str__(self):
        return f"{self.reward} · {self.member}"
