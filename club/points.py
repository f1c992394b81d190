"""Points (积分): every change is a ledger entry posted by `post_entry`, never anything else.

The member's row is locked while the entry is written, so concurrent awards and spends queue up
and the balance always equals the sum of the ledger. The database refuses a negative balance
and a second entry with the same idempotency key.
"""

import calendar

from django.db import IntegrityError, transaction
from django.db.models import F, Q, Sum
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from club.models import ClubSettings, Member, PointsEntry, Tier
from portal.actions import Refused
from portal.notifications import tell
from portal.outbox import BULK, MAIL

Kind = PointsEntry.Kind

#: Changes the member hears about as such. The others come with a message of their own: the
#: welcome, the birthday greeting, a referral's decision, a redemption or its cancellation.
TOLD = (Kind.EVENT, Kind.SURVEY, Kind.ADJUSTMENT, Kind.EXPIRY)


class PointsError(Refused):
    """A change the ledger cannot take; the message is shown as it is."""


def add_months(moment, months):
    month = moment.month - 1 + months
    year, month = moment.year + month // 12, month % 12 + 1
    day = min(moment.day, calendar.monthrange(year, month)[1])
    return moment.replace(year=year, month=month, day=day)


def post_entry(member, delta, *, kind, key, reason="", by=None):
    """Add `delta` points (negative to spend) to the ledger and the balance, once per `key`.

    Returns (entry, created). A key already in the ledger returns that entry and changes nothing.
    """
    if delta == 0:
        raise PointsError(_("Enter a number of points other than zero."))
    with transaction.atomic():
        locked = Member.objects.select_for_update().get(pk=member.pk)
        existing = PointsEntry.objects.filter(key=key).first()
        if existing:
            return existing, False
        if locked.points_balance + delta < 0:
            raise PointsError(
                _("Not enough points: the balance is %(balance)s.")
                % {"balance": locked.points_balance}
            )
        expires_at = None
        months = ClubSettings.load().points_expire_after_months
        if delta > 0 and months:
            expires_at = add_months(timezone.now(), months)
        try:
            with transaction.atomic():
                entry = PointsEntry.objects.create(
                    member=locked,
                    delta=delta,
                    balance_after=locked.points_balance + delta,
                    kind=kind,
                    key=key,
                    reason=reason[:200],
                    created_by=by,
                    expires_at=expires_at,
                )
        except IntegrityError:
            # The same key posted for another member at the same moment: that one stands.
            return PointsEntry.objects.get(key=key), False
        Member.objects.filter(pk=locked.pk).update(points_balance=F("points_balance") + delta)
        member.points_balance = locked.points_balance + delta
        if kind in PointsEntry.EARNING:
            refresh_tier(member)
        if kind in TOLD:
            _tell(locked, entry)
    return entry, True


def _tell(member, entry):
    """The member hears of the change on their channels for the club (with its commit); a
    member enrolled at the desk without an account hears at the desk."""
    if member.user_id is None:
        return
    tell(
        member.user,
        "club",
        reverse("club:points"),
        email=("club/email/points", {"entry": entry, "points": abs(entry.delta)}),
        short="club_news",
        key=f"points:{entry.pk}",
        queue=BULK if entry.kind == Kind.EXPIRY else MAIL,
    )


def award(member, rule, *, key, reason="", by=None, points=None):
    """Award the points an earn rule in the club settings gives (or `points`), once per key."""
    if points is None:
        points = getattr(ClubSettings.load(), f"points_for_{rule}")
    if not points:
        return None, False
    return post_entry(member, points, kind=rule, key=key, reason=reason, by=by)


def adjust(member, points, *, reason, by, key):
    """A manual adjustment by staff: always with a reason, kept in the ledger with their name."""
    if not by.has_perm("club.adjust_points"):
        raise PointsError(_("You may not adjust points."))
    if not reason.strip():
        raise PointsError(_("Give a reason for the adjustment; the member sees it."))
    return post_entry(member, points, kind=Kind.ADJUSTMENT, key=key, reason=reason.strip(), by=by)


# -- Tiers -------------------------------------------------------------------------------------


def earned_since(since):
    # Staff corrections (negative adjustments) count against what was earned.
    return Sum(
        "points__delta",
        filter=Q(points__kind__in=PointsEntry.EARNING, points__created_at__gte=since),
    )


def tier_period_start(now=None):
    """Points earned since this moment decide the tier (the club settings' tier period)."""
    return add_months(now or timezone.now(), -ClubSettings.load().tier_period_months)


def tier_for(points, tiers):
    """The highest tier whose threshold `points` reaches; tiers sorted by threshold."""
    chosen = tiers[0]
    for tier in tiers:
        if points >= tier.min_points:
            chosen = tier
    return chosen


def refresh_tier(member, tiers=None, since=None):
    """Set the member's total for the tier period and their tier from the ledger. Called inside
    post_entry, which holds the member's row lock, so the total and the write cannot fall out of
    step."""
    since = since or tier_period_start()
    earned = max(
        PointsEntry.objects.filter(
            member=member, kind__in=PointsEntry.EARNING, created_at__gte=since
        ).aggregate(total=Sum("delta"))["total"]
        or 0,
        0,
    )
    tier = tier_for(earned, tiers or list(Tier.objects.all()))
    Member.objects.filter(pk=member.pk).update(tier_points=earned, tier=tier)
    member.tier_points, member.tier = earned, tier


def recalculate_tiers():
    """Daily: each member's tier from the points earned in the tier period.

    One query reads every member's total to find those whose figures changed (points grow
    old every day); each of those is then recomputed under its row lock, so an award landing
    at the same moment is never overwritten with an older total. Returns how many changed.
    """
    tiers = list(Tier.objects.all())
    if not tiers:
        return 0
    since = tier_period_start()
    members = Member.objects.annotate(earned=earned_since(since)).only(
        "pk", "tier_id", "tier_points"
    )
    changed = [
        member.pk
        for member in members
        if max(member.earned or 0, 0) != member.tier_points
        or tier_for(max(member.earned or 0, 0), tiers).pk != member.tier_id
    ]
    for pk in changed:
        with transaction.atomic():
            refresh_tier(Member.objects.select_for_update().get(pk=pk), tiers, since)
    return len(changed)


def next_tier(member, tiers):
    """(tier, points still to earn) for the tier above the member's, or (None, 0) at the top."""
    for tier in tiers:
        if tier.min_points > member.tier_points:
            return tier, tier.min_points - member.tier_points
    return None, 0


# -- Expiry ------------------------------------------------------------------------------------


def expire_points(now=None):
    """Daily: points expire the configured number of months after they were earned, oldest first.

    Spending takes the oldest points first, so what has expired by now is whatever part of the
    points due by now was never taken out: earned-and-due minus everything taken out so far
    (spends and earlier expiries alike). A second run finds nothing left, and the entry's key
    (member and day) keeps two simultaneous runs from expiring the same points twice.
    Returns the number of points expired.
    """
    now = now or timezone.now()
    # Members with points left to expire, found by the database in one query.
    candidates = (
        Member.objects.alias(
            due=Coalesce(
                Sum("points__delta", filter=Q(points__delta__gt=0, points__expires_at__lte=now)), 0
            ),
            taken=Coalesce(Sum("points__delta", filter=Q(points__delta__lt=0)), 0),
        )
        .filter(due__gt=-F("taken"))
        .values_list("pk", flat=True)
    )
    expired = 0
    for member_id in list(candidates):
        with transaction.atomic():
            member = Member.objects.select_for_update().get(pk=member_id)
            totals = member.points.aggregate(
                due=Sum("delta", filter=Q(delta__gt=0, expires_at__lte=now)),
                taken=Sum("delta", filter=Q(delta__lt=0)),
            )
            amount = (totals["due"] or 0) + (totals["taken"] or 0)
            if amount > 0:
                key = f"expiry:{member.pk}:{timezone.localdate(now):%Y-%m-%d}"
                entry, created = post_entry(member, -amount, kind=Kind.EXPIRY, key=key)
                expired += amount if created else 0
    return expired
