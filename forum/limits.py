"""Spam and flood control for posting, with messages that say when to try again."""

import re
from datetime import timedelta

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from forum.models import Post, Suspension, Topic
from portal.actions import Refused

NEW_ACCOUNT_AGE = timedelta(days=3)
NEW_ACCOUNT_POSTS_PER_DAY = 10
NEW_ACCOUNT_LINKS_PER_POST = 2
TOPICS_PER_HOUR = 5
LINK_RE = re.compile(r"https?://|www\.", re.IGNORECASE)


class PostingRefused(Refused):
    """Shown to the owner as it is."""


def check_not_suspended(user):
    suspension = Suspension.objects.active().filter(user=user).order_by("-until").first()
    if suspension:
        raise PostingRefused(
            _("You may not post until %(until)s. Reason: %(reason)s")
            % {
                "until": timezone.localtime(suspension.until).strftime("%Y-%m-%d %H:%M"),
                "reason": suspension.reason,
            }
        )


def check_links(user, source):
    new = timezone.now() - user.date_joined < NEW_ACCOUNT_AGE
    if new and len(LINK_RE.findall(source)) > NEW_ACCOUNT_LINKS_PER_POST:
        raise PostingRefused(
            _("New accounts may put at most %(count)s links in a post.")
            % {"count": NEW_ACCOUNT_LINKS_PER_POST}
        )


def check_posting_allowed(user, source, *, new_topic, exempt=False):
    """Raise PostingRefused when `user` may not post `source` now. Staff are `exempt` from limits."""
    now = timezone.now()
    check_not_suspended(user)
    if exempt:
        return
    previous = Post.objects.filter(author=user).order_by("-created_at").first()
    if previous:
        wait = settings.FORUM_SECONDS_BETWEEN_POSTS - (now - previous.created_at).total_seconds()
        if wait > 0:
            raise PostingRefused(
                ngettext(
                    "You are posting too fast. Try again in %(seconds)d second.",
                    "You are posting too fast. Try again in %(seconds)d seconds.",
                    int(wait) + 1,
                )
                % {"seconds": int(wait) + 1}
            )
        if previous.source.strip() == source.strip():
            raise PostingRefused(_("This is the same as your previous post."))
    if new_topic:
        hour_ago = now - timedelta(hours=1)
        recent = Topic.objects.filter(author=user, created_at__gt=hour_ago).order_by("created_at")
        if recent.count() >= TOPICS_PER_HOUR:
            next_at = timezone.localtime(recent.first().created_at + timedelta(hours=1))
            raise PostingRefused(
                _("You have started %(count)s topics in the last hour. Try again after %(time)s.")
                % {"count": TOPICS_PER_HOUR, "time": next_at.strftime("%H:%M")}
            )
    check_links(user, source)
    if now - user.date_joined < NEW_ACCOUNT_AGE:
        day_ago = now - timedelta(days=1)
        today = Post.objects.filter(author=user, created_at__gt=day_ago).order_by("created_at")
        if today.count() >= NEW_ACCOUNT_POSTS_PER_DAY:
            next_at = timezone.localtime(today.first().created_at + timedelta(days=1))
            raise PostingRefused(
                _("New accounts may post %(count)s times a day. Try again after %(time)s.")
                % {"count": NEW_ACCOUNT_POSTS_PER_DAY, "time": next_at.strftime("%m-%d %H:%M")}
            )
