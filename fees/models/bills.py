"""Bills (账单) and what settles them.

A billing run (`BillingRun`) makes one bill per unit and month for an estate. While it is a
draft it can be worked out again; once confirmed its bills and their lines never change:
corrections are `Adjustment`s with a reason and a name, and money received is a `Payment`.
What a bill still owes is always summed from these rows in the database
(`BillQuerySet.with_figures`), never kept as a number that could drift.

Online payment is not built; a provider's confirmation would be one more `Payment` with method
`online` and the provider's transaction number as its `reference`, recorded through
`fees.payments.record_payment`, which makes the same confirmation received twice count once
(the unique method and reference).
"""

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models import DecimalField, OuterRef, Q, Subquery, Sum, Value
from django.db.models.functions import Coalesce, Round
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from owners.models import Estate, Unit

ZERO = Decimal("0.00")
FEN = Decimal("0.01")
MONEY = {"max_digits": 12, "decimal_places": 2}


class BillingRun(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", _("Preview")
        CONFIRMED = "confirmed", _("Confirmed")

    estate = models.ForeignKey(
        Estate, on_delete=models.PROTECT, related_name="billing_runs", verbose_name=_("estate")
    )
    period = models.DateField(pgettext_lazy("billing", "month"))
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.DRAFT
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("started by"),
    )
    created_at = models.DateTimeField(_("started"), auto_now_add=True)
    worked_out_at = models.DateTimeField(_("worked out"), null=True)
    #: What held a line back when it was last worked out: [[unit or meter, message], …].
    problems = models.JSONField(_("problems"), default=list, blank=True)
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("confirmed by"),
    )
    confirmed_at = models.DateTimeField(_("confirmed"), null=True, blank=True)

    class Meta:
        ordering = ["-period", "estate"]
        verbose_name = _("billing run")
        verbose_name_plural = _("billing runs")
        constraints = [
            # Two runs started at once for one estate and month make one run.
            models.UniqueConstraint(fields=["estate", "period"], name="fees_one_run_a_month")
        ]
        permissions = [
            ("run_billing", _("Can work out and confirm the month's bills")),
            ("receive_fee_report", _("Receives the monthly fee report by email")),
        ]

    def __str__(self):
        return f"{self.estate} {self.period:%Y-%m}"

    @property
    def is_confirmed(self):
        return self.status == self.Status.CONFIRMED


def _sum_of(model, field="amount", **filters):
    """The sum of `field` over `model`'s rows for the outer bill, 0.00 when there are none."""
    rows = (
        model.objects.filter(bill=OuterRef("pk"), **filters)
        .order_by()
        .values("bill")
        .annotate(total=Sum(field))
        .values("total")
    )
    return Coalesce(
        Subquery(rows, output_field=DecimalField(**MONEY)),
        Value(ZERO),
        output_field=DecimalField(**MONEY),
    )


class BillQuerySet(models.QuerySet):
    def issued(self):
        """Bills of confirmed runs: the only ones owners, the ledger and reminders see."""
        return self.filter(run__status=BillingRun.Status.CONFIRMED)

    def with_figures(self):
        """Each bill with `charged` (its lines), `adjusted`, `paid` and `late_fees_paid`,
        summed by the database, one subquery each; `billed` and `owed` follow from them
        (`Bill.billed`, `Bill.owed`)."""
        if "charged" in self.query.annotations:
            return self
        return self.annotate(
            charged=_sum_of(BillLine),
            adjusted=_sum_of(Adjustment),
            paid=_sum_of(Payment),
            late_fees_paid=_sum_of(Payment, "late_fee"),
        )

    def _balance(self):
        # Rounded in the query: SQLite adds decimals as floats (0.1 + 0.2 - 0.3 ≠ 0).
        return self.alias(
            balance=Round(
                _sum_of(BillLine) + _sum_of(Adjustment) - _sum_of(Payment),
                2,
                output_field=DecimalField(**MONEY),
            )
        )

    def owing(self):
        """Bills that still owe something, with their figures."""
        return self._balance().filter(balance__gt=0).with_figures()

    def settled(self):
        """Bills paid in full, with their figures."""
        return self._balance().filter(balance__lte=0).with_figures()


class Bill(models.Model):
    run = models.ForeignKey(
        BillingRun, on_delete=models.CASCADE, related_name="bills", verbose_name=_("billing run")
    )
    unit = models.ForeignKey(
        Unit, on_delete=models.PROTECT, related_name="bills", verbose_name=_("unit")
    )
    period = models.DateField(pgettext_lazy("billing", "month"))
    number = models.CharField(_("bill number"), max_length=20, blank=True, db_index=True)
    issued_on = models.DateField(_("issued on"), null=True, blank=True)
    due_on = models.DateField(_("due on"), null=True, blank=True)

    objects = BillQuerySet.as_manager()

    class Meta:
        ordering = ["-period", "unit"]
        verbose_name = _("bill")
        verbose_name_plural = _("bills")
        constraints = [
            models.UniqueConstraint(fields=["run", "unit"], name="fees_one_bill_per_unit_run")
        ]
        permissions = [("adjust_bill", _("Can adjust an issued bill"))]

    def __str__(self):
        return self.number or f"{self.unit.label} {self.period:%Y-%m}"

    @property
    def billed(self):
        """What the bill asks: its lines and adjustments (needs `with_figures`)."""
        return (self.charged + self.adjusted).quantize(FEN)

    @property
    def owed(self):
        """What it still asks, late fees apart (needs `with_figures`)."""
        # Quantized: SQLite hands sums back as 222.200000000000.
        return (self.charged + self.adjusted - self.paid).quantize(FEN)


class BillLine(models.Model):
    """One charge on a bill, worked out from a rule: its quantity, price and amount."""

    bill = models.ForeignKey(
        Bill, on_delete=models.CASCADE, related_name="lines", verbose_name=_("bill")
    )
    fee_item = models.ForeignKey(
        "fees.FeeItem",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("fee rule"),
    )
    name = models.CharField(_("item"), max_length=50)
    #: m², spaces, months, kWh or m³: what the price was multiplied by.
    quantity = models.DecimalField(_("quantity"), max_digits=12, decimal_places=2)
    #: How it was worked out, as the bill prints it: "98.55 m² × 2.20 元 × 1 月".
    detail = models.CharField(_("worked out as"), max_length=200)
    amount = models.DecimalField(_("amount (元)"), **MONEY)

    class Meta:
        ordering = ["bill", "pk"]
        verbose_name = _("bill line")
        verbose_name_plural = _("bill lines")

    def __str__(self):
        return f"{self.name} {self.amount}"


class Adjustment(models.Model):
    """A correction to an issued bill (调账): plus or minus, with the reason and who made it."""

    bill = models.ForeignKey(
        Bill, on_delete=models.PROTECT, related_name="adjustments", verbose_name=_("bill")
    )
    amount = models.DecimalField(
        _("amount (元)"), help_text=_("Below zero to take off the bill."), **MONEY
    )
    reason = models.CharField(_("reason"), max_length=200)
    made_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("made by"),
    )
    made_at = models.DateTimeField(_("made"), auto_now_add=True)

    class Meta:
        ordering = ["made_at"]
        verbose_name = _("adjustment")
        verbose_name_plural = _("adjustments")

    def __str__(self):
        return f"{self.bill} {self.amount:+}"


class Payment(models.Model):
    class Method(models.TextChoices):
        CASH = "cash", _("Cash")
        CARD = "card", _("Bank card")
        TRANSFER = "transfer", pgettext_lazy("payment", "Transfer")
        BANK = "bank", _("Bank collection")
        POINTS = "points", _("Club points")
        ONLINE = "online", _("Online")

    bill = models.ForeignKey(
        Bill, on_delete=models.PROTECT, related_name="payments", verbose_name=_("bill")
    )
    #: What it paid of the bill, and of the late fee due on the day (shown apart).
    amount = models.DecimalField(_("paid on the bill (元)"), **MONEY)
    late_fee = models.DecimalField(_("late fee (元)"), default=ZERO, **MONEY)
    method = models.CharField(_("paid by"), max_length=10, choices=Method.choices)
    paid_on = models.DateField(_("paid on"))
    receipt_number = models.CharField(_("receipt number"), max_length=24, unique=True)
    #: The bank's or a provider's number for it: the same one twice is one payment.
    reference = models.CharField(_("reference"), max_length=64, blank=True)
    redemption = models.OneToOneField(
        "club.Redemption",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="fee_payment",
        verbose_name=_("redemption"),
    )
    taken_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("taken by"),
    )
    recorded_at = models.DateTimeField(_("recorded"), auto_now_add=True)
    note = models.CharField(_("note"), max_length=200, blank=True)

    class Meta:
        ordering = ["paid_on", "pk"]
        verbose_name = _("payment")
        verbose_name_plural = _("payments")
        constraints = [
            models.UniqueConstraint(
                fields=["method", "reference"],
                condition=~Q(reference=""),
                name="fees_payment_reference_once",
            ),
            models.CheckConstraint(
                condition=Q(amount__gte=0, late_fee__gte=0), name="fees_payment_not_negative"
            ),
        ]
        permissions = [("record_payment", _("Can record payments at the desk"))]

    def __str__(self):
        return self.receipt_number

    @property
    def total(self):
        return self.amount + self.late_fee
