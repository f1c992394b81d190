"""Starting topics, replying, editing, deleting and liking: the forum's rules in one place.

Each function checks who may do it, changes the posts and the stored counters in one
transaction (the topic row is locked while a reply takes the next number), and leaves the
notifications to forum.notify once the post exists.
"""

import re

from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _
from wagtail.log_actions import log

from forum import access, tasks
from forum.counters import refresh_latest, refresh_official_answer
from forum.limits import PostingRefused, check_links, check_not_suspended, check_posting_allowed
from forum.markdown import plain_text, render_markdown, sanitize
from forum.models import Board, Post, PostImage, PostRevision, Reaction, Subscription, Topic
from owners.models import User
from portal import outbox

MENTION_RE = re.compile(r"(?<![\w@])@([A-Za-z0-9_][A-Za-z0-9_.\-]{0,149})")
# Text between tags, outside <a>, <code> and <pre>, where a mention may be turned into a link.
SKIP_INSIDE = ("a", "code", "pre")


MAX_MENTIONS = 10


def mentions(source):
    """The usernames of real people @mentioned in `source`: the first ten, so a post cannot
    become a mass mailing."""
    names = list(dict.fromkeys(MENTION_RE.findall(plain_text(source))))[:MAX_MENTIONS]
    if not names:
        return set()
    return set(User.objects.filter(username__in=names).values_list("username", flat=True))


#: A post's text: what its author wrote, and the HTML and search words rendered from it.
TEXT_FIELDS = ["source", "html", "search_text"]


def text_fields(source, *, mentioned=None):
    """The values of TEXT_FIELDS for `source`: sanitised HTML with mentions of real people
    marked up, and the plain words the search reads. Whatever writes a post's text (posting,
    editing, rewriting quotes, erasing a closed account's posts, the demo) writes all three."""
    if mentioned is None:
        mentioned = mentions(source)
    # Sanitised again after the mentions are marked, so the marking can never open a hole.
    html = sanitize(_mark_mentions(render_markdown(source), mentioned))
    return {"source": source, "html": html, "search_text": plain_text(source)}


def set_text(post, source):
    """Give `post` the text `source` and what is rendered from it; the caller saves
    TEXT_FIELDS with whatever else it changes."""
    for name, value in text_fields(source).items():
        setattr(post, name, value)


def _mark_mentions(html, usernames):
    if not usernames:
        return html
    parts, skipping = re.split(r"(<[^>]+>)", html), 0
    for index, part in enumerate(parts):
        if part.startswith("<"):
            name = part.strip("</>").split()[0].lower() if part.strip("</>") else ""
            if name in SKIP_INSIDE:
                skipping += -1 if part.startswith("</") else 1
        elif not skipping:
            parts[index] = MENTION_RE.sub(
                lambda m: f'<span class="mention">@{m[1]}</span>' if m[1] in usernames else m[0],
                part,
            )
    return "".join(parts)


def create_topic(author, board, *, title, source, images=(), official=False):
    if not access.can_post(author, board):
        raise PermissionDenied
    mentioned = mentions(source)
    with transaction.atomic():
        _lock(author)
        check_posting_allowed(author, source, new_topic=True, exempt=access.is_forum_staff(author))
        now = timezone.now()
        topic = Topic.objects.create(
            board=board, author=author, title=title.strip(), last_post_at=now
        )
        post = Post.objects.create(
            topic=topic,
            author=author,
            position=1,
            is_official=official and access.is_spokesperson(author),
            **text_fields(source, mentioned=mentioned),
        )
        _attach(post, author, images)
        topic.post_count, topic.last_post = 1, post
        if post.is_official:
            topic.official_answer = post  # an announcement by a spokesperson answers itself
        topic.save(update_fields=["post_count", "last_post", "official_answer"])
        Board.objects.filter(pk=board.pk).update(
            topic_count=F("topic_count") + 1, post_count=F("post_count") + 1, last_post=post
        )
        Subscription.objects.get_or_create(user=author, topic=topic)
        _queue_notifications(post, mentioned)
    return topic


def reply(author, topic, *, source, images=(), official=False):
    if not access.can_post(author, topic.board):
        raise PermissionDenied
    mentioned = mentions(source)
    with transaction.atomic():
        _lock(author)
        check_posting_allowed(author, source, new_topic=False, exempt=access.is_forum_staff(author))
        topic = (
            Topic.objects.select_for_update(of=("self",)).select_related("board").get(pk=topic.pk)
        )
        if not access.can_reply(author, topic):
            raise PostingRefused(_("This topic is closed to new replies."))
        official = official and access.is_spokesperson(author)
        post = Post.objects.create(
            topic=topic,
            author=author,
            position=topic.post_count + 1,
            is_official=official,
            **text_fields(source, mentioned=mentioned),
        )
        _attach(post, author, images)
        topic.post_count, topic.last_post, topic.last_post_at = post.position, post, post.created_at
        if official and not topic.official_answer_id:
            topic.official_answer = post
        topic.save(update_fields=["post_count", "last_post", "last_post_at", "official_answer"])
        Board.objects.filter(pk=topic.board_id).update(
            post_count=F("post_count") + 1, last_post=post
        )
        Subscription.objects.get_or_create(user=author, topic=topic)
        _queue_notifications(post, mentioned)
    return post


def _queue_notifications(post, mentioned):
    """One job per post, written with the post: it makes every follower's notification and
    sends their emails together (forum/notify.py), on the bulk queue."""
    outbox.add_task(
        tasks.notify_new_post,
        key=f"post:{post.pk}",
        queue=outbox.BULK,
        post_id=post.pk,
        mentioned_usernames=sorted(mentioned),
    )


def edit_post(post, editor, *, source):
    if editor != post.author and not access.is_moderator(editor):
        raise PermissionDenied
    with transaction.atomic():
        # Two edits at once: the second keeps the first one's text as an earlier version.
        post.refresh_from_db(from_queryset=Post.objects.select_for_update())
        if not access.can_edit(editor, post):
            raise PostingRefused(_("This post can no longer be edited."))
        if not access.is_moderator(editor):
            check_not_suspended(editor)
            check_links(editor, source)
        if source.strip() == post.source.strip():
            return post
        PostRevision.objects.create(post=post, source=post.source, editor=editor)
        set_text(post, source)
        post.edited_at = timezone.now()
        post.save(update_fields=[*TEXT_FIELDS, "edited_at"])
        if editor != post.author:
            log(post, "forum.post.edit", user=editor)
    return post


def delete_own_post(post, user):
    """The author withdraws a post: it shows as deleted but is kept for moderators."""
    if not access.can_delete(user, post):
        raise PermissionDenied
    with transaction.atomic():
        post.refresh_from_db(from_queryset=Post.objects.select_for_update())
        if post.deleted_by_author:
            return
        post.deleted_by_author = True
        post.save(update_fields=["deleted_by_author"])
        refresh_official_answer(post.topic)
        refresh_latest(post.topic.board_id)


def like(user, post):
    if not user.is_authenticated or not access.can_read_topic(user, post.topic):
        raise PermissionDenied
    if not access.can_like(user, post):
        return False  # one's own post, or one no longer shown
    try:
        with transaction.atomic():
            Reaction.objects.create(user=user, post=post)
            Post.objects.filter(pk=post.pk).update(like_count=F("like_count") + 1)
    except IntegrityError:
        return False  # liked already: a double tap changes nothing
    outbox.add_task(
        tasks.notify_like, key=f"like:{post.pk}:{user.pk}", post_id=post.pk, liker_id=user.pk
    )
    return True


def unlike(user, post):
    with transaction.atomic():
        deleted, _counts = Reaction.objects.filter(user=user, post=post).delete()
        if deleted:
            Post.objects.filter(pk=post.pk).update(like_count=F("like_count") - 1)
    return bool(deleted)


def _lock(user):
    """Serialise one person's posts, so a double tap cannot slip past the flood checks."""
    User.objects.select_for_update().filter(pk=user.pk).first()


def _attach(post, uploader, images):
    for image in images:
        PostImage.objects.create(post=post, uploader=uploader, image=image)
