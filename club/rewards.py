"""Redeeming rewards: points and stock change together, in one transaction, or not at all."""

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import F
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from wagtail.log_actions import log

from club.models import Member, PointsEntry, Redemption, Reward
from club.points import post_entry
from portal import limits
from portal.actions import Refused
from portal.notifications import tell


class RedemptionError(Refused):
    """A redemption that cannot be made or changed; the message is shown as it is."""


def redeem(member, reward, *, key):
    """Spend the member's points on one `reward`. `key` comes from the form, so a double click
    or a resent form redeems once; the member's row lock serialises their spends, and the
    conditional stock update hands out the last item exactly once."""
    with transaction.atomic():
        member = Member.objects.select_for_update().get(pk=member.pk)
        earlier = Redemption.objects.filter(key=key).first()
        if earlier and earlier.member_id == member.pk:
            return earlier, False
        if earlier:  # someone else's form: nothing to do with this member
            raise RedemptionError(_("The form has expired; please try again."))
        if not member.is_active:
            raise RedemptionError(_("Your membership is suspended; please contact the club."))
        # Under the member's lock, so taps sent together are counted one after another.
        problem = limits.wait_message(
            member.redemptions.all(), seconds_between=settings.CLUB_SECONDS_BETWEEN_REDEMPTIONS
        )
        if problem:
            raise RedemptionError(problem)
        reward = Reward.objects.available().select_related("min_tier").filter(pk=reward.pk).first()
        if reward is None:
            raise RedemptionError(_("This reward is not available any more."))
        problem = why_not_tier(member, reward)
        if problem:
            raise RedemptionError(problem)
        if reward.limit_per_member:
            taken = member.redemptions.filter(reward=reward).exclude(
                status=Redemption.Status.CANCELLED
            )
            if taken.count() >= reward.limit_per_member:
                raise RedemptionError(
                    _("You have already redeemed this reward the most times allowed (%(n)s).")
                    % {"n": reward.limit_per_member}
                )
        if member.points_balance < reward.points:
            raise RedemptionError(
                _("This reward costs %(cost)s points; you have %(balance)s.")
                % {"cost": reward.points, "balance": member.points_balance}
            )
        if not Reward.objects.filter(pk=reward.pk, stock__gt=0).update(stock=F("stock") - 1):
            raise RedemptionError(_("Sorry, this reward is out of stock."))
        redemption = Redemption.objects.create(
            member=member, reward=reward, points=reward.points, credit=reward.credit, key=key
        )
        post_entry(
            member,
            -reward.points,
            kind=PointsEntry.Kind.REDEMPTION,
            key=f"redemption:{redemption.pk}",
            reason=reward.name,
            by=member.user,
        )
    return redemption, True


def why_not_tier(member, reward):
    """Why `member`'s tier may not redeem `reward`, or "" when it may (or anyone may)."""
    if reward.min_tier_id is None:
        return ""
    if member.tier.min_points >= reward.min_tier.min_points:
        return ""
    return _(
        "This reward is for %(tier)s members and above; you are a %(yours)s member. "
        "Earn more points to move up."
    ) % {"tier": reward.min_tier.name, "yours": member.tier.name}


def _handle(redemption, by):
    if not by.has_perm("club.handle_redemption"):
        raise PermissionDenied
    redemption = Redemption.objects.select_for_update().get(pk=redemption.pk)
    if redemption.status != Redemption.Status.REQUESTED:
        raise RedemptionError(
            _("This redemption is already %(status)s.")
            % {"status": redemption.get_status_display()}
        )
    return redemption


def fulfil(redemption, by):
    with transaction.atomic():
        redemption = _handle(redemption, by)
        if redemption.reward.kind == "fee_credit":
            raise RedemptionError(
                _("A property-fee credit is handed over by the fee desk, on the member's bill.")
            )
        redemption.status = Redemption.Status.FULFILLED
        redemption.handled_by, redemption.handled_at = by, timezone.now()
        redemption.save(update_fields=["status", "handled_by", "handled_at"])
        log(redemption, "club.redemption.fulfil", user=by)
    return redemption


def cancel(redemption, by, reason):
    """Cancel before hand-over: the points come back as a new entry and the item goes back
    into stock."""
    if not reason.strip():
        raise RedemptionError(_("Give the member a reason for the cancellation."))
    with transaction.atomic():
        # Locks in the order redeem takes them (member, then reward), so the two never deadlock.
        Member.objects.select_for_update().get(pk=redemption.member_id)
        redemption = _handle(redemption, by)
        redemption.status, redemption.reason = Redemption.Status.CANCELLED, reason.strip()
        redemption.handled_by, redemption.handled_at = by, timezone.now()
        redemption.save(update_fields=["status", "reason", "handled_by", "handled_at"])
        Reward.objects.filter(pk=redemption.reward_id).update(stock=F("stock") + 1)
        post_entry(
            redemption.member,
            redemption.points,
            kind=PointsEntry.Kind.REFUND,
            key=f"refund:{redemption.pk}",
            reason=redemption.reward.name,
            by=by,
        )
        log(redemption, "club.redemption.cancel", user=by, data={"reason": redemption.reason})
        tell(
            redemption.member.user,
            "club",
            reverse("club:points"),
            email=("club/email/redemption_cancelled", {"redemption": redemption}),
            short="club_news",
            key=f"redemption-cancelled:{redemption.pk}",
        )
    return redemption


def credit_to_bill(redemption, by):
    """A property-fee credit handed over as a payment on the member's bill: the fee desk's
    `fees.payments.credit_points` calls it in its own transaction, which then records the
    payment linked to this redemption."""
    if not by.has_perm("fees.record_payment"):
        raise PermissionDenied
    redemption = (
        Redemption.objects.select_for_update(of=("self",))
        .select_related("reward", "member__user", "member__record")
        .get(pk=redemption.pk)
    )
    if redemption.status != Redemption.Status.REQUESTED:
        raise RedemptionError(
            _("This redemption is already %(status)s.")
            % {"status": redemption.get_status_display()}
        )
    if redemption.reward.kind != "fee_credit":
        raise RedemptionError(_("Only a property-fee credit goes on a bill."))
    redemption.status = Redemption.Status.FULFILLED
    redemption.handled_by, redemption.handled_at = by, timezone.now()
    redemption.save(update_fields=["status", "handled_by", "handled_at"])
    log(redemption, "club.redemption.fulfil", user=by)
    return redemption
