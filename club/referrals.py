"""老带新: members introduce buyers; staff confirm the purchase and the referral points follow."""

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext_lazy
from wagtail.log_actions import log

from club import points
from club.models import Member, Referral
from portal import limits
from portal.actions import Refused
from portal.notifications import tell


class ReferralError(Refused):
    pass


REFERRALS_DAILY = ngettext_lazy(
    "You have introduced %(count)s buyer in the last 24 hours. Try again after %(time)s.",
    "You have introduced %(count)s buyers in the last 24 hours. Try again after %(time)s.",
    "count",
)


def refer(member, *, buyer_name, buyer_mobile, development, note=""):
    if not member.is_active:
        raise ReferralError(_("Your membership is suspended; please contact the club."))
    try:
        with transaction.atomic():
            # The member's row: referrals sent together are counted one after another.
            member = Member.objects.select_for_update().get(pk=member.pk)
            if (
                member.referrals.filter(buyer_mobile=buyer_mobile)
                .exclude(status=Referral.Status.REJECTED)
                .exists()
            ):
                raise ReferralError(
                    _("You have already introduced the buyer with this mobile number.")
                )
            problem = limits.wait_message(
                member.referrals.all(),
                per_day=settings.CLUB_REFERRALS_PER_DAY,
                daily_message=REFERRALS_DAILY,
            )
            if problem:
                raise ReferralError(problem)
            return Referral.objects.create(
                member=member,
                buyer_name=buyer_name.strip(),
                buyer_mobile=buyer_mobile,
                development=development.strip(),
                note=note.strip(),
            )
    except IntegrityError as error:
        raise ReferralError(
            _("You have already introduced the buyer with this mobile number.")
        ) from error


def _review(referral, by, status, reason):
    if not by.has_perm("club.change_referral"):
        raise PermissionDenied
    referral = (
        Referral.objects.select_for_update(of=("self",))
        .select_related("member__user")
        .get(pk=referral.pk)
    )
    if referral.status != Referral.Status.PENDING:
        raise ReferralError(
            _("This referral is already %(status)s.") % {"status": referral.get_status_display()}
        )
    referral.status, referral.reason = status, reason.strip()
    referral.reviewed_by, referral.reviewed_at = by, timezone.now()
    referral.save(update_fields=["status", "reason", "reviewed_by", "reviewed_at"])
    log(referral, f"club.referral.{status}", user=by, data={"reason": referral.reason})
    tell(
        referral.member.user,
        "club",
        reverse("club:refer"),
        email=("club/email/referral_reviewed", {"referral": referral}),
        short="club_news",
        key=f"referral:{referral.pk}:{status}",
    )
    return referral


def confirm(referral, by):
    """The buyer has bought: the member earns the referral points, once."""
    with transaction.atomic():
        referral = _review(referral, by, Referral.Status.CONFIRMED, "")
        points.award(
            referral.member,
            "referral",
            key=f"referral:{referral.pk}",
            reason=referral.buyer_name,
            by=by,
        )
    return referral


def reject(referral, by, reason):
    if not reason.strip():
        raise ReferralError(_("Give the member a reason."))
    with transaction.atomic():
        return _review(referral, by, Referral.Status.REJECTED, reason)
