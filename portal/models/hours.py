"""When the customer-service desk answers: its daily hours and the days it is closed, which
staff keep under Settings. Deadlines count these hours only (portal.hours), so an answer is
never due in the middle of the night or on a closed day."""

from datetime import time

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey
from modelcluster.models import ClusterableModel
from wagtail.admin.panels import FieldPanel, FieldRowPanel, InlinePanel
from wagtail.contrib.settings.models import BaseGenericSetting, register_setting
from wagtail.models import Orderable


@register_setting(icon="time")
class ServiceHours(ClusterableModel, BaseGenericSetting):
    opens_at = models.TimeField(_("opens at"), default=time(8, 30))
    closes_at = models.TimeField(_("closes at"), default=time(20, 30))

    panels = [
        FieldRowPanel(
            [FieldPanel("opens_at"), FieldPanel("closes_at")],
            heading=_("Every day"),
            help_text=_(
                "Response and resolution deadlines count only these hours: a case filed at "
                "night is due counted from the next opening."
            ),
        ),
        InlinePanel("closures", heading=_("Closed days"), label=_("Closed days")),
    ]

    class Meta:
        verbose_name = _("service hours")

    def clean(self):
        known = self.opens_at is not None and self.closes_at is not None
        if known and self.closes_at <= self.opens_at:
            raise ValidationError(
                {"closes_at": _("The desk must close later in the day than it opens.")}
            )


class Closure(Orderable):
    """Days the desk is closed (a holiday, as the estate's service centre announces it)."""

    hours = ParentalKey(ServiceHours, on_delete=models.CASCADE, related_name="closures")
    name = models.CharField(_("name"), max_length=40, help_text=_("For example 春节."))
    first_day = models.DateField(_("first day"))
    last_day = models.DateField(_("last day"))

    panels = [FieldRowPanel([FieldPanel("name"), FieldPanel("first_day"), FieldPanel("last_day")])]

    class Meta(Orderable.Meta):
        verbose_name = _("closed days")
        verbose_name_plural = _("closed days")

    def __str__(self):
        return self.name

    def clean(self):
        if self.first_day and self.last_day and self.last_day < self.first_day:
            raise ValidationError({"last_day": _("The last day cannot come before the first.")})
