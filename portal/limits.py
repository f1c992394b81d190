"""Flood control for what owners send: cases, added information, referrals, redemptions, and
the bytes of their attachments.

Counted from the person's own recent rows in the database rather than from cache counters: the
count is exact across any number of web processes, needs no clean-up, and keeps working while
Redis is down. `lock_person` makes requests sent together by one person wait for each other, so
twelve taps at once are counted one after another, not all against the same empty past.
"""

import math
from datetime import timedelta

from django.contrib.auth import get_user_model
from django.db.models import Sum
from django.utils import timezone
from django.utils.translation import ngettext

DAY = timedelta(days=1)


def lock_person(user):
    """Serialise one person's sends until the transaction ends (call inside one)."""
    get_user_model().objects.select_for_update().filter(pk=user.pk).first()


def wait_message(recent, *, seconds_between=0, per_day=0, daily_message=None, now=None):
    """Why the person must wait before adding another row to `recent`, or "" when they may.

    `recent`: their own rows, with a `created_at`. `daily_message`: a lazy ngettext taking
    %(count)s (the limit) and %(time)s (when a slot frees up). A limit of 0 is no limit.
    """
    now = now or timezone.now()
    if seconds_between:
        last = recent.order_by("-created_at").values_list("created_at", flat=True).first()
        wait = seconds_between - (now - last).total_seconds() if last else 0
        if wait > 0:
            seconds = math.ceil(wait)
            return ngettext(
                "You are sending too fast. Try again in %(seconds)d second.",
                "You are sending too fast. Try again in %(seconds)d seconds.",
                seconds,
            ) % {"seconds": seconds}
    if per_day:
        today = list(
            recent.filter(created_at__gt=now - DAY)
            .order_by("-created_at")
            .values_list("created_at", flat=True)[:per_day]
        )
        if len(today) >= per_day:
            # A place frees up when the oldest of the last `per_day` is a day old.
            frees = timezone.localtime(today[-1] + DAY)
            return daily_message % {"count": per_day, "time": frees.strftime("%m-%d %H:%M")}
    return ""


def quota_message(recent, adding, *, per_day, message, now=None):
    """`message` when `adding` more bytes would take the person's last 24 hours past `per_day`
    bytes, or "" when they fit (or nothing is added, or `per_day` is 0: no limit).

    `recent`: their own rows, with a `created_at` and a `size` in bytes.
    """
    if not per_day or not adding:
        return ""
    now = now or timezone.now()
    used = recent.filter(created_at__gt=now - DAY).aggregate(total=Sum("size"))["total"] or 0
    return message if used + adding > per_day else ""
