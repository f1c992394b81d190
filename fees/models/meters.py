"""Meters, their monthly readings (抄表), and the parking spaces billed to units.

A unit's use in a month is its reading for that month less the one before. Readings change
only through `fees.readings`, which flags the doubtful ones for a second look before bills are
made.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from owners.models import Estate, Unit


class Meter(models.Model):
    class Kind(models.TextChoices):
        WATER = "water", _("Water")
        ELECTRICITY = "electricity", _("Electricity")

    class Role(models.TextChoices):
        UNIT = "unit", _("Unit meter")
        COMMON = "common", _("Common meter")
        MAIN = "main", _("Main meter")

    estate = models.ForeignKey(
        Estate, on_delete=models.CASCADE, related_name="meters", verbose_name=_("estate")
    )
    #: The building a common or main meter serves; empty for the whole estate.
    building = models.CharField(_("building"), max_length=30, blank=True)
    unit = models.ForeignKey(
        Unit,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="meters",
        verbose_name=_("unit"),
    )
    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices)
    role = models.CharField(
        pgettext_lazy("meter", "role"), max_length=8, choices=Role.choices, default=Role.UNIT
    )
    code = models.CharField(_("meter number"), max_length=30)

    class Meta:
        ordering = ["estate", "building", "code"]
        verbose_name = _("meter")
        verbose_name_plural = _("meters")
        constraints = [
            models.UniqueConstraint(fields=["estate", "code"], name="fees_meter_code_in_estate"),
            models.CheckConstraint(
                condition=Q(role="unit", unit__isnull=False) | ~Q(role="unit") & Q(unit=None),
                name="fees_meter_unit_iff_unit_meter",
            ),
        ]

    def __str__(self):
        return self.code

    @property
    def place(self):
        if self.unit_id:
            return self.unit.label
        return self.building or str(self.estate)


class Reading(models.Model):
    """A meter's reading for a month (`period`, the month's first day)."""

    class Flag(models.TextChoices):
        NONE = "", _("In line")
        LOWER = "lower", _("Lower than last month")
        JUMP = "jump", _("Far above the usual use")

    meter = models.ForeignKey(
        Meter, on_delete=models.CASCADE, related_name="readings", verbose_name=_("meter")
    )
    period = models.DateField(pgettext_lazy("billing", "month"), db_index=True)
    value = models.DecimalField(_("reading"), max_digits=12, decimal_places=2)
    read_on = models.DateField(_("read on"))
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("entered by"),
    )
    entered_at = models.DateTimeField(_("entered"), auto_now_add=True)
    flag = models.CharField(_("check"), max_length=8, choices=Flag.choices, blank=True)
    #: A flagged reading someone looked at again and let stand (a new meter, a leak).
    checked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("checked by"),
    )
    checked_at = models.DateTimeField(_("checked"), null=True, blank=True)
    note = models.CharField(_("note"), max_length=200, blank=True)

    class Meta:
        ordering = ["meter", "-period"]
        verbose_name = _("meter reading")
        verbose_name_plural = _("meter readings")
        constraints = [
            models.UniqueConstraint(fields=["meter", "period"], name="fees_one_reading_a_month")
        ]
        permissions = [("check_reading", _("Can let a flagged meter reading stand"))]

    def __str__(self):
        return f"{self.meter} {self.period:%Y-%m}: {self.value}"

    @property
    def waiting(self):
        """Flagged and not yet looked at again: no bill is made from it."""
        return bool(self.flag) and self.checked_at is None


class ParkingSpace(models.Model):
    """A parking space (车位) and the unit its fee is billed to."""

    estate = models.ForeignKey(
        Estate, on_delete=models.CASCADE, related_name="parking_spaces", verbose_name=_("estate")
    )
    code = models.CharField(_("space"), max_length=30, help_text=_("For example B2-118."))
    unit = models.ForeignKey(
        Unit,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="parking_spaces",
        verbose_name=_("billed to"),
    )

    class Meta:
        ordering = ["estate", "code"]
        verbose_name = _("parking space")
        verbose_name_plural = _("parking spaces")
        constraints = [
            models.UniqueConstraint(fields=["estate", "code"], name="fees_space_code_in_estate")
        ]

    def __str__(self):
        return self.code
