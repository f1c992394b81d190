"""The club's earn rules and points expiry, edited by staff under Settings in the admin."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail.contrib.settings.models import BaseGenericSetting, register_setting


@register_setting(icon="pick")
class ClubSettings(BaseGenericSetting):
    club_name = models.CharField(_("club name"), max_length=30, default="金都会")
    points_for_joining = models.PositiveIntegerField(_("points for joining"), default=200)
    points_for_referral = models.PositiveIntegerField(
        _("points for a confirmed referral of a buyer"), default=2000
    )
    points_for_birthday = models.PositiveIntegerField(_("points on a birthday"), default=100)
    points_for_survey = models.PositiveIntegerField(_("points for answering a survey"), default=50)
    points_expire_after_months = models.PositiveSmallIntegerField(
        _("points expire after (months)"),
        default=24,
        help_text=_(
            "Points expire this many months after they were earned, oldest first. "
            "0: they never expire."
        ),
    )

    class Meta:
        verbose_name = _("club points rules")
