"""Starting topics, replying, editing, deleting and liking: the forum's rules in one place.

Each function checks who may do it, changes the posts and the stored counters in one
transaction (the topic row is locked while a reply takes the next number), and leaves the
notifications to forum.notify once the post exists.
"""

from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _
from wagtail.log_actions import log

from forum import access, mentions, tasks
from forum.counters import refresh_latest, refresh_official_answer
from forum.limits import PostingRefused, check_links, check_not_suspended, check_posting_allowed
from forum.markdown import plain_text, render_markdown, sanitize
from forum.models import Board, Post, PostImage, PostRevision, Reaction, Subscription, Topic
from owners.models import User
from portal import outbox

#: A post's text: what its author wrote, and the HTML and search words rendered from it.
TEXT_FIELDS = ["source", "html", "search_text"]


def text_fields(source, *, mentioned=None):
    """The values of TEXT_FIELDS for `source`: sanitised HTML with its mentions (a list of
    forum.mentions.Mention; found from the text when not given) marked up, and the plain
    words the search reads. Whatever writes a post's text (posting, editing, rewriting quotes,
    erasing a closed account's posts, the demo) writes all three."""
    if mentioned is None:
        mentioned = mentions.find(source)
    # Sanitised again after the mentions are put back, so the marking can never open a hole.
    html = sanitize(mentions.put_back(render_markdown(mentions.hold(source, mentioned)), mentioned))
    return {"source": source, "html": html, "search_text": plain_text(source)}


def set_text(post, source, picked=None):
    """Give `post` the text `source`, what is rendered from it and whom it mentions; the caller
    saves TEXT_FIELDS with whatever else it changes. `picked`: the accounts chosen from the
    list as the text was written; by default those the post mentions already."""
    if picked is None:
        picked = list(post.mentions.values_list("pk", flat=True))
    mentioned = mentions.find(source, picked)
    for name, value in text_fields(source, mentioned=mentioned).items():
        setattr(post, name, value)
    post.mentions.set([mention.user for mention in mentioned])


def create_topic(author, board, *, title, source, images=(), official=False, picked=()):
    """`picked`: the accounts the author chose from the mention list (forum.mentions)."""
    if not access.can_post(author, board):
        raise PermissionDenied
    mentioned = mentions.find(source, picked)
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
        post.mentions.set([mention.user for mention in mentioned])
        _attach(post, author, images)
        topic.post_count, topic.last_post = 1, post
        if post.is_official:
            topic.official_answer = post  # an announcement by a spokesperson answers itself
        topic.save(update_fields=["post_count", "last_post", "official_answer"])
        Board.objects.filter(pk=board.pk).update(
            topic_count=F("topic_count") + 1, post_count=F("post_count") + 1, last_post=post
        )
        Subscription.objects.get_or_create(user=author, topic=topic)
        _queue_notifications(post)
    return topic


def reply(author, topic, *, source, images=(), official=False, picked=()):
    if not access.can_post(author, topic.board):
        raise PermissionDenied
    mentioned = mentions.find(source, picked)
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
        post.mentions.set([mention.user for mention in mentioned])
        _attach(post, author, images)
        topic.post_count, topic.last_post, topic.last_post_at = post.position, post, post.created_at
        if official and not topic.official_answer_id:
            topic.official_answer = post
        topic.save(update_fields=["post_count", "last_post", "last_post_at", "official_answer"])
        Board.objects.filter(pk=topic.board_id).update(
            post_count=F("post_count") + 1, last_post=post
        )
        Subscription.objects.get_or_create(user=author, topic=topic)
        _queue_notifications(post)
    return post


def _queue_notifications(post):
    """One job per post, written with the post: it makes every follower's and every mentioned
    person's notification and sends their emails together (forum/notify.py), on the bulk
    queue."""
    outbox.add_task(
        tasks.notify_new_post, key=f"post:{post.pk}", queue=outbox.BULK, post_id=post.pk
    )


def edit_post(post, editor, *, source, picked=None):
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
        set_text(post, source, picked)
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
