"""What the forum holds about an owner: their topics, posts and pictures, likes, what they
follow, moderators' suspensions. Put into their "my data" export, and kept or removed when the
account is closed (owners.privacy)."""

from django.conf import settings
from django.db.models import F
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from forum.counters import refresh_latest, refresh_official_answer
from forum.models import (
    Post,
    PostImage,
    PostRevision,
    Reaction,
    ReadState,
    Subscription,
    Suspension,
    Topic,
)
from forum.moderation import take_off_board
from forum.posting import TEXT_FIELDS, set_text
from forum.quotes import forget_quotes
from owners import privacy
from portal.storage import private_storage


class ForumPart(privacy.Part):
    labels = {
        "posts_kept": gettext_lazy("forum posts kept, shown as by a closed account"),
        "posts_removed": gettext_lazy("forum posts removed"),
        "topics_hidden": gettext_lazy("forum topics hidden (no one else had replied)"),
        "topics_retitled": gettext_lazy("forum topics kept for others' replies, title removed"),
        "pictures": gettext_lazy("forum pictures deleted"),
        "likes": gettext_lazy("likes withdrawn"),
        "subscriptions": gettext_lazy("follows deleted"),
        "read_markers": gettext_lazy("read markers deleted"),
        "quotes": gettext_lazy("others' posts quoting the owner rewritten without their name"),
    }

    def export(self, user, out):
        topics = Topic.objects.filter(author=user).select_related("board").order_by("created_at")
        out.csv(
            "forum/topics.csv",
            [_("Number"), _("Board"), _("Title"), _("Created"), _("Posts"), _("Hidden"), _("Link")],
            [
                (
                    t.pk,
                    t.board.name,
                    t.title,
                    t.created_at,
                    t.post_count,
                    t.is_hidden,
                    settings.WAGTAILADMIN_BASE_URL + t.get_absolute_url(),
                )
                for t in topics
            ],
            gettext_lazy("The topics you started."),
        )
        posts = (
            Post.objects.filter(author=user)
            .select_related("topic")
            .prefetch_related("images")
            .order_by("created_at", "pk")
        )
        records = []
        for post in posts:
            pictures = [
                out.file(f"forum/pictures/{image.image.name.rsplit('/', 1)[-1]}", image.image)
                for image in post.images.all()
            ]
            records.append(
                {
                    "topic": post.topic.title,
                    "topic_number": post.topic_id,
                    "number": post.position,
                    "text": post.source,
                    "posted": post.created_at,
                    "edited": post.edited_at,
                    "official_reply": post.is_official,
                    "hidden_by_a_moderator": post.is_hidden,
                    "reason_for_hiding": post.hidden_reason,
                    "deleted_by_you": post.deleted_by_author,
                    "likes": post.like_count,
                    "pictures": [p for p in pictures if p],
                }
            )
        out.json(
            "forum/posts.json",
            records,
            gettext_lazy("Everything you posted in the forum, as you wrote it (Markdown)."),
        )
        if any(r["pictures"] for r in records):
            out.folder("forum/pictures/", gettext_lazy("The pictures in your posts."))
        likes = Reaction.objects.filter(user=user).select_related("post__topic").order_by("pk")
        out.csv(
            "forum/likes.csv",
            [_("Topic"), _("Post"), _("Liked")],
            [(r.post.topic.title, f"#{r.post.position}", r.created_at) for r in likes],
            gettext_lazy("The posts you liked."),
        )
        following = (
            Subscription.objects.filter(user=user)
            .select_related("topic", "board")
            .order_by("created_at")
        )
        out.csv(
            "forum/following.csv",
            [_("Kind"), _("Name"), _("Since")],
            [
                (_("Topic") if s.topic_id else _("Board"), s.topic or s.board, s.created_at)
                for s in following
            ],
            gettext_lazy("The topics and boards you follow."),
        )
        out.csv(
            "forum/suspensions.csv",
            [_("Until"), _("Reason"), _("Created")],
            Suspension.objects.filter(user=user)
            .order_by("created_at")
            .values_list("until", "reason", "created_at"),
            gettext_lazy("Times a moderator stopped you from posting, and why."),
        )

    def summary(self, user):
        return [(_("Forum posts"), Post.objects.filter(author=user).count())]

    def named_in_log(self, user):
        # A moderated topic's entries are labelled with its title, which a removal replaces.
        return list(Topic.objects.filter(author=user))

    def erase(self, user, closure, by):
        counts = {
            "subscriptions": Subscription.objects.filter(user=user).delete()[0],
            "read_markers": ReadState.objects.filter(user=user).delete()[0],
        }
        # Likes withdrawn as `unlike` does it: the row goes, the post's count follows.
        liked = Reaction.objects.filter(user=user)
        Post.objects.filter(pk__in=liked.values("post_id")).update(like_count=F("like_count") - 1)
        counts["likes"] = liked.delete()[0]
        # Quoting copied the owner's words and name into others' posts: first, while the
        # owner's posts and name are still there to recognise them by.
        counts["quotes"] = forget_quotes(user, remove=closure.posts == closure.Posts.REMOVE)
        if closure.posts == closure.Posts.KEEP:
            counts["posts_kept"] = Post.objects.filter(author=user).count()
        else:
            counts.update(remove_posts(user))
        return counts


def remove_posts(user):
    """Every post of `user` is emptied and shows as deleted, as when an author deletes a post
    (positions and counters stay), with its pictures and earlier versions. Their topics lose
    their titles; a topic nobody else answered is hidden, as a moderator hides one."""
    posts = list(Post.objects.filter(author=user).select_related("topic"))
    pictures = PostImage.objects.filter(post__author=user)
    names = list(pictures.values_list("image", flat=True))
    counts = {"pictures": pictures.delete()[0], "posts_removed": len(posts)}
    privacy.delete_files_on_commit(private_storage, names)
    PostRevision.objects.filter(post__author=user).delete()
    for post in posts:
        # Saved one by one: the HTML and the search index follow the emptied text.
        set_text(post, "")
        post.deleted_by_author = True
        post.save(update_fields=[*TEXT_FIELDS, "deleted_by_author"])

    hidden = retitled = 0
    boards = {post.topic.board_id for post in posts}
    with translation.override(settings.LANGUAGE_CODE):
        title, reason = _("Topic by a closed account"), _("The author closed their account.")
    for topic in Topic.objects.select_for_update().filter(author=user):
        answered = topic.posts.visible().exclude(author=user).exists()
        topic.title = title
        topic.save(update_fields=["title"])
        if answered:
            retitled += 1
        else:
            hidden += 1
            if not topic.is_hidden:
                take_off_board(topic, reason)  # as a moderator hides it
        boards.add(topic.board_id)
    for topic in {post.topic for post in posts}:
        refresh_official_answer(topic)
    for board_id in boards:
        refresh_latest(board_id)
    counts.update(topics_hidden=hidden, topics_retitled=retitled)
    return counts


privacy.register(ForumPart())
