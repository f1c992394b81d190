from django.db import models
from django.utils.translation import gettext_lazy as _


class Estate(models.Model):
    """A development the company built and manages (小区/楼盘)."""

    name = models.CharField(_("name"), max_length=100, unique=True)
    city = models.CharField(_("city"), max_length=50)
    district = models.CharField(_("district"), max_length=50, blank=True)
    address = models.CharField(_("address"), max_length=200, blank=True)
    description = models.TextField(_("description"), blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("estate")
        verbose_name_plural = _("estates")

    def __str__(self):
        return self.name


class Unit(models.Model):
    """One home in an estate: building 3, unit 1201 (or a shop, or an office)."""

    class Use(models.TextChoices):
        RESIDENTIAL = "residential", _("Residential")
        SHOP = "shop", _("Shop")
        OFFICE = "office", _("Office")

    estate = models.ForeignKey(
        Estate, on_delete=models.CASCADE, related_name="units", verbose_name=_("estate")
    )
    building = models.CharField(_("building"), max_length=30)
    number = models.CharField(_("unit number"), max_length=30)
    floor_area = models.DecimalField(
        _("floor area (m²)"), max_digits=7, decimal_places=2, null=True, blank=True
    )
    use = models.CharField(_("use"), max_length=12, choices=Use.choices, default=Use.RESIDENTIAL)
    #: 交房: the day the buyer took the keys, when the builder's warranty periods start.
    handed_over_on = models.DateField(_("handed over on"), null=True, blank=True)

    class Meta:
        ordering = ["estate", "building", "number"]
        verbose_name = _("unit")
        verbose_name_plural = _("units")
        constraints = [
            models.UniqueConstraint(
                fields=["estate", "building", "number"], name="unit_unique_in_estate"
            )
        ]
        permissions = [("import_units", _("Can import units from a CSV file"))]

    def __str__(self):
        return f"{self.estate.name} {self.label}"

    @property
    def label(self):
        return f"{self.building} {self.number}"
