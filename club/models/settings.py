"""The club's rules staff edit under Settings in the admin: what each earn rule gives, when
points expire and how far back the tiers look. (Tier thresholds are the tiers themselves, and
each reward and event carries its own points; see docs/architecture.md, "The club in detail".)"""

from django.core.validators import MaxValueValidator, MinValueValidator
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
    tier_period_months = models.PositiveSmallIntegerField(
        _("tier period (months)"),
        default=12,
        validators=[MinValueValidator(1), MaxValueValidator(60)],
        help_text=_(
            "A member's tier follows the points earned in this many months, counted back from "
            "today. Members move to their new tier the next night."
        ),
    )

    class Meta:
        verbose_name = _("club points rules")
