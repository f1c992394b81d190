"""Fee rules per estate (收费标准): what each kind of fee costs, on what basis, from when.

A rule is never edited into the past: a new price is a new rule from its date, and the old one
ends the day before, so a bill for any month finds the price of its time (`FeeItem.objects.
in_force`).
"""

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from owners.models import Estate, Unit


class FeeItemQuerySet(models.QuerySet):
    def in_force(self, on):
        """The rules that apply on the day `on`."""
        return self.filter(
            Q(effective_to__isnull=True) | Q(effective_to__gte=on), effective_from__lte=on
        )


class FeeItem(models.Model):
    class Kind(models.TextChoices):
        MANAGEMENT = "management", _("Property management fee")
        PARKING = "parking", _("Parking fee")
        WATER = "water", _("Water")
        ELECTRICITY = "electricity", _("Electricity")
        SHARED_ELECTRICITY = "shared_electricity", _("Shared electricity")
        ONE_OFF = "one_off", _("One-off charge")

    class Basis(models.TextChoices):
        AREA = "area", _("Per m² of floor area")
        SPACE = "space", _("Per parking space")
        READING = "reading", _("Per unit metered")
        UNIT = "unit", _("Per unit, fixed")
        SHARED_BY_AREA = "shared_by_area", _("Shared by floor area")
        SHARED_BY_UNIT = "shared_by_unit", _("Shared equally by unit")

    class Cycle(models.TextChoices):
        MONTHLY = "monthly", pgettext_lazy("billing", "Monthly")
        QUARTERLY = "quarterly", pgettext_lazy("billing", "Quarterly")
        YEARLY = "yearly", pgettext_lazy("billing", "Yearly")
        ONCE = "once", pgettext_lazy("billing", "Once")

    #: Which bases each kind may use.
    BASES = {
        Kind.MANAGEMENT: {Basis.AREA, Basis.UNIT},
        Kind.PARKING: {Basis.SPACE},
        Kind.WATER: {Basis.READING},
        Kind.ELECTRICITY: {Basis.READING},
        Kind.SHARED_ELECTRICITY: {Basis.SHARED_BY_AREA, Basis.SHARED_BY_UNIT},
        Kind.ONE_OFF: {Basis.UNIT},
    }

    estate = models.ForeignKey(
        Estate, on_delete=models.PROTECT, related_name="fee_items", verbose_name=_("estate")
    )
    kind = models.CharField(_("fee"), max_length=20, choices=Kind.choices)
    name = models.CharField(
        _("name on the bill"), max_length=50, help_text=_("For example 住宅物业管理费.")
    )
    basis = models.CharField(_("charged"), max_length=20, choices=Basis.choices)
    #: Empty: every unit; else only units of that use (shops pay another management fee).
    use = models.CharField(
        _("for units used as"), max_length=12, choices=Unit.Use.choices, blank=True
    )
    price = models.DecimalField(
        _("price (元)"),
        max_digits=10,
        decimal_places=4,
        null=True,
        blank=True,
        help_text=_("Per m², space, unit metered or unit; empty for a tiered price."),
    )
    #: 阶梯价: [{"up_to": "180", "price": "0.5380"}, {"up_to": null, "price": "0.8380"}].
    tiers = models.JSONField(_("tiered prices"), default=list, blank=True)
    cycle = models.CharField(
        _("billed"),
        max_length=10,
        choices=Cycle.choices,
        default=Cycle.MONTHLY,
        help_text=_(
            "Prices are per month; quarterly and yearly fees bill three or twelve months at the "
            "start of each calendar quarter or year."
        ),
    )
    effective_from = models.DateField(_("in force from"))
    effective_to = models.DateField(
        _("in force until"), null=True, blank=True, help_text=_("Empty: until a new rule.")
    )
    note = models.CharField(_("note"), max_length=200, blank=True)

    objects = FeeItemQuerySet.as_manager()

    class Meta:
        ordering = ["estate", "kind", "use", "-effective_from"]
        verbose_name = _("fee rule")
        verbose_name_plural = _("fee rules")

    def __str__(self):
        return f"{self.estate} · {self.name}"

    def clean(self):
        problems = {}
        if self.kind and self.basis and self.basis not in self.BASES.get(self.kind, ()):
            problems["basis"] = _("This fee is not charged that way.")
        tiers = self.tiers or []
        if tiers:
            try:
                self.tiers = clean_tiers(tiers)
            except ValueError as error:
                problems["price"] = str(error)
            if self.basis != self.Basis.READING:
                problems["price"] = _("Only metered fees have tiered prices.")
            if self.price is not None:
                problems["price"] = _("Give either a price or tiered prices, not both.")
        elif self.price is None:
            problems["price"] = _("Give the price.")
        elif self.price < 0:
            problems["price"] = _("A price cannot be below zero.")
        once = self.cycle == self.Cycle.ONCE
        if self.kind and self.cycle and (self.kind == self.Kind.ONE_OFF) != once:
            problems["cycle"] = (
                _("A one-off charge is billed once.")
                if self.kind == self.Kind.ONE_OFF
                else _("Only a one-off charge is billed once.")
            )
        if self.effective_from and self.cycle and not once:
            start = self.effective_from
            first = {
                self.Cycle.MONTHLY: start.day == 1,
                self.Cycle.QUARTERLY: start.day == 1 and start.month in (1, 4, 7, 10),
                self.Cycle.YEARLY: start.day == 1 and start.month == 1,
            }[self.cycle]
            if not first:
                problems["effective_from"] = {
                    self.Cycle.MONTHLY: _("A monthly fee starts on the first day of a month."),
                    self.Cycle.QUARTERLY: _(
                        "A quarterly fee starts on the first day of a quarter (1 January, "
                        "1 April, 1 July or 1 October)."
                    ),
                    self.Cycle.YEARLY: _("A yearly fee starts on 1 January."),
                }[self.cycle]
        if self.effective_to and self.effective_from and self.effective_to < self.effective_from:
            problems["effective_to"] = _("The rule cannot end before it starts.")
        if not problems and self.estate_id and self.effective_from:
            clash = self.overlapping().first()
            if clash:
                problems["effective_from"] = _(
                    "%(rule)s already applies then (from %(start)s). End it the day before "
                    "this one starts."
                ) % {"rule": clash.name, "start": clash.effective_from.isoformat()}
        if problems:
            raise ValidationError(problems)

    def overlapping(self):
        """Other rules for the same fee and units whose dates meet this one's."""
        others = FeeItem.objects.filter(
            estate_id=self.estate_id, kind=self.kind, use=self.use
        ).exclude(pk=self.pk)
        if self.kind == self.Kind.ONE_OFF:
            others = others.filter(name=self.name)
        others = others.filter(
            Q(effective_to__isnull=True) | Q(effective_to__gte=self.effective_from)
        )
        if self.effective_to:
            others = others.filter(effective_from__lte=self.effective_to)
        return others

    @property
    def tier_pairs(self):
        return [(t["up_to"], t["price"]) for t in self.tiers]


def clean_tiers(tiers):
    """Tiers as typed, checked: rising limits, prices not below zero, the last one open."""
    cleaned, last = [], Decimal(0)
    for index, tier in enumerate(tiers):
        up_to, price = tier.get("up_to"), tier.get("price")
        try:
            price = Decimal(str(price))
            up_to = None if up_to in (None, "") else Decimal(str(up_to))
        except ArithmeticError as error:
            raise ValueError(_("Each tier needs a number for its limit and its price.")) from error
        if price < 0:
            raise ValueError(_("A price cannot be below zero."))
        if up_to is None and index != len(tiers) - 1:
            raise ValueError(_("Only the last tier is open-ended."))
        if up_to is not None and up_to <= last:
            raise ValueError(_("Each tier's limit must be above the one before."))
        cleaned.append({"up_to": None if up_to is None else str(up_to), "price": str(price)})
        last = up_to if up_to is not None else last
    if cleaned and cleaned[-1]["up_to"] is not None:
        raise ValueError(_("The last tier has no limit: leave it empty."))
    return cleaned


class BillingTerms(models.Model):
    """An estate's terms of payment (缴费约定): who is paid, when bills fall due, the late fee
    (滞纳金) and how to pay, printed on every payment request."""

    estate = models.OneToOneField(
        Estate, on_delete=models.CASCADE, related_name="billing_terms", verbose_name=_("estate")
    )
    payee = models.CharField(
        _("payee"), max_length=80, help_text=_("For example 金都物业服务有限公司翠湖苑管理处.")
    )
    due_day = models.PositiveSmallIntegerField(
        _("due on day"),
        default=25,
        validators=[MinValueValidator(1), MaxValueValidator(28)],
        help_text=_(
            "Bills fall due on this day of the month billed, and never less than a week after "
            "they are issued."
        ),
    )
    late_fee_rate = models.DecimalField(
        _("late fee per day (‰)"),
        max_digits=5,
        decimal_places=3,
        default=Decimal("0.5"),
        validators=[MinValueValidator(0), MaxValueValidator(10)],
        help_text=_("Per thousand of the amount overdue, per day: 0.5 is 万分之五. 0: none."),
    )
    late_fee_grace_days = models.PositiveSmallIntegerField(
        _("days of grace"), default=0, help_text=_("Late fees start this many days after due.")
    )
    late_fee_cap = models.PositiveSmallIntegerField(
        _("late fee cap (%)"),
        default=100,
        validators=[MaxValueValidator(100)],
        help_text=_("The late fee on a bill never exceeds this share of the amount overdue."),
    )
    remind_after = models.PositiveSmallIntegerField(
        _("friendly reminder after (days)"),
        default=7,
        help_text=_("Days after the due date: a reminder on the owner's channels."),
    )
    notice_after = models.PositiveSmallIntegerField(
        _("arrears notice after (days)"),
        default=30,
        help_text=_("Days after the due date: the arrears notice (欠费通知单)."),
    )
    call_after = models.PositiveSmallIntegerField(
        _("call after (days)"),
        default=90,
        help_text=_("Days after the due date: customer service call the owner."),
    )
    how_to_pay = models.TextField(
        _("how to pay"),
        blank=True,
        help_text=_("Printed on the payment request: the desk's hours, the bank account."),
    )

    class Meta:
        verbose_name = _("terms of payment")
        verbose_name_plural = _("terms of payment")

    def __str__(self):
        return str(self.estate)

    def clean(self):
        if not self.remind_after < self.notice_after < self.call_after:
            raise ValidationError(
                {"notice_after": _("The stages come one after another: reminder, notice, call.")}
            )


def terms_for(estate):
    """The estate's terms of payment, or the defaults while none are written down."""
    try:
        return estate.billing_terms
    except BillingTerms.DoesNotExist:
        return BillingTerms(estate=estate, payee=estate.name)
