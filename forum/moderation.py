"""Moderators' actions. Each checks the permission, locks the row it changes and runs in one
transaction with the audit log entry (Wagtail's), so a failure anywhere leaves nothing half
done; where it touches an owner's post, it tells the owner why once the change is saved."""

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import F
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop
from wagtail.log_actions import log

from forum import access, notify
from forum.counters import refresh_latest, refresh_official_answer
from forum.models import Board, Post, Report, Suspension, Topic
from portal.actions import Refused
from portal.validators import printable


class ModerationError(Refused):
    """Shown to the moderator as it is."""


def _check(user):
    if not access.is_moderator(user):
        raise PermissionDenied


def _need_reason(reason):
    if not reason.strip():
        raise ModerationError(_("Give a reason; the owner will see it."))


def _tell(user, message, url, **values):
    with translation.override(user.language):
        notify.moderated(user, _(message) % values, url)


def hide_post(post, by, reason):
    _check(by)
    _need_reason(reason)
    with transaction.atomic():
        # Two moderators on the same report: the second finds it hidden, and the owner hears once.
        post.refresh_from_db(from_queryset=Post.objects.select_for_update())
        if post.is_hidden:
            return
        post.is_hidden, post.hidden_reason = True, reason.strip()
        post.save(update_fields=["is_hidden", "hidden_reason"])
        Report.objects.filter(post=post, status=Report.Status.OPEN).update(
            status=Report.Status.ACTIONED, handled_by=by, handled_at=timezone.now()
        )
        refresh_official_answer(post.topic)
        refresh_latest(post.topic.board_id)
        log(post, "forum.post.hide", user=by, data={"reason": post.hidden_reason})
        _tell(
            post.author,
            gettext_noop("A moderator hid your post in “%(title)s”. Reason: %(reason)s"),
            post.get_absolute_url(),
            title=post.topic.title,
            reason=post.hidden_reason,
        )


def restore_post(post, by):
    _check(by)
    with transaction.atomic():
        post.refresh_from_db(from_queryset=Post.objects.select_for_update())
        if not post.is_hidden:
            return  # restored already by another moderator
        post.is_hidden, post.hidden_reason = False, ""
        post.save(update_fields=["is_hidden", "hidden_reason"])
        refresh_official_answer(post.topic)
        refresh_latest(post.topic.board_id)
        log(post, "forum.post.restore", user=by)


def dismiss_report(report, by):
    _check(by)
    with transaction.atomic():
        report.refresh_from_db(from_queryset=Report.objects.select_for_update())
        if report.status != Report.Status.OPEN:
            # Another moderator hid the post or dismissed the report first: their decision stands.
            raise ModerationError(_("This report has already been handled."))
        report.status, report.handled_by, report.handled_at = (
            Report.Status.DISMISSED,
            by,
            timezone.now(),
        )
        report.save(update_fields=["status", "handled_by", "handled_at"])
        log(report, "forum.report.dismiss", user=by)


def hide_topic(topic, by, reason):
    _check(by)
    _need_reason(reason)
    with transaction.atomic():
        topic = Topic.objects.select_for_update().get(pk=topic.pk)
        if topic.is_hidden:
            return topic
        take_off_board(topic, reason.strip())
        log(topic, "forum.topic.hide", user=by, data={"reason": topic.hidden_reason})
        _tell(
            topic.author,
            gettext_noop("A moderator hid your topic “%(title)s”. Reason: %(reason)s"),
            topic.board.get_absolute_url(),
            title=topic.title,
            reason=topic.hidden_reason,
        )
    return topic


def restore_topic(topic, by):
    _check(by)
    with transaction.atomic():
        topic = Topic.objects.select_for_update().get(pk=topic.pk)
        if topic.is_hidden:
            topic.is_hidden, topic.hidden_reason = False, ""
            topic.save(update_fields=["is_hidden", "hidden_reason"])
            _count(topic.board_id, 1, topic.post_count)
            log(topic, "forum.topic.restore", user=by)
    return topic


def set_flags(topic, by, **flags):
    """Pin or unpin, lock or unlock: set_flags(topic, by, is_pinned=True). A flag already set
    that way (another moderator was quicker) is left alone and not logged again."""
    _check(by)
    allowed = {"is_pinned", "is_locked"}
    if not flags or set(flags) - allowed:
        raise ValueError(flags)
    with transaction.atomic():
        topic = Topic.objects.select_for_update().get(pk=topic.pk)
        changed = {name: value for name, value in flags.items() if getattr(topic, name) != value}
        if not changed:
            return topic
        for name, value in changed.items():
            setattr(topic, name, value)
        topic.save(update_fields=list(changed))
        for name, value in changed.items():
            action = {"is_pinned": ("pin", "unpin"), "is_locked": ("lock", "unlock")}[name]
            log(topic, f"forum.topic.{action[0] if value else action[1]}", user=by)
    return topic


def rename_topic(topic, by, title):
    """Give a topic a clearer title (an owner's "help!!!" becomes "3 栋电梯停运"); the author is
    told the old and the new title."""
    _check(by)
    title = " ".join(printable(title).split())
    limit = Topic._meta.get_field("title").max_length
    if not title:
        raise ModerationError(_("Enter the new title."))
    if len(title) > limit:
        raise ModerationError(
            _("A title has at most %(limit)d characters; this one has %(count)d.")
            % {"limit": limit, "count": len(title)}
        )
    with transaction.atomic():
        topic = Topic.objects.select_for_update().get(pk=topic.pk)
        old = topic.title
        if title == old:
            return topic
        topic.title = title
        topic.save(update_fields=["title"])
        log(topic, "forum.topic.rename", user=by, data={"from": old, "to": title})
        _tell(
            topic.author,
            gettext_noop("A moderator renamed your topic “%(old)s” to “%(new)s”."),
            topic.get_absolute_url(),
            old=old,
            new=title,
        )
    return topic


def move_topic(topic, by, board):
    _check(by)
    with transaction.atomic():
        topic = Topic.objects.select_for_update().get(pk=topic.pk)
        if board.pk == topic.board_id:
            return topic
        old = topic.board_id
        topic.board = board
        topic.save(update_fields=["board"])
        if not topic.is_hidden:
            _count(old, -1, -topic.post_count)
            _count(board.pk, 1, topic.post_count)
        log(topic, "forum.topic.move", user=by, data={"from": old, "to": board.pk})
    return topic


def warn(user, by, reason, url="/"):
    _check(by)
    _need_reason(reason)
    with transaction.atomic():
        log(user, "forum.user.warn", user=by, data={"reason": reason})
        _tell(user, gettext_noop("A moderator warns you: %(reason)s"), url, reason=reason.strip())


def suspend(user, by, until, reason):
    _check(by)
    _need_reason(reason)
    if until <= timezone.now():
        raise ModerationError(_("The end of the suspension must be in the future."))
    with transaction.atomic():
        suspension = Suspension.objects.create(
            user=user, until=until, reason=reason.strip(), created_by=by
        )
        log(
            user, "forum.user.suspend", user=by, data={"until": until.isoformat(), "reason": reason}
        )
        _tell(
            user,
            gettext_noop("You may not post in the forum until %(until)s. Reason: %(reason)s"),
            "/forum/",
            until=timezone.localtime(until).strftime("%Y-%m-%d %H:%M"),
            reason=suspension.reason,
        )
    return suspension


def take_off_board(topic, reason):
    """Hide a locked, visible `topic` and take it and its posts off its board's counts. No
    check, no log, no message: for the actions that do those (hide_topic, closing the author's
    account)."""
    topic.is_hidden, topic.hidden_reason = True, reason
    topic.save(update_fields=["is_hidden", "hidden_reason"])
    _count(topic.board_id, -1, -topic.post_count)


def _count(board_id, topics, posts):
    Board.objects.filter(pk=board_id).update(
        topic_count=F("topic_count") + topics, post_count=F("post_count") + posts
    )
    refresh_latest(board_id)
