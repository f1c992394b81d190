"""Who hears about a new post, and how: one notification per person per post, the most specific
reason winning (an official answer beats a mention, which beats a reply)."""

from django.db import transaction
from django.utils import translation
from django.utils.translation import gettext as _

from forum import access
from forum.models import Post, Subscription
from owners.models import User
from portal.models import Notification
from portal.notifications import notify
from portal.outbox import BULK

Kind = Notification.Kind


def new_post(post_id):
    """Every follower's notification and email, written in one transaction: the emails leave
    together when it commits, in one delivery over one SMTP connection (bulk queue)."""
    with transaction.atomic():
        _new_post(post_id)


def _new_post(post_id):
    # Locked, and asked whether it was told already: a job run again (a worker killed after
    # its commit, before the outbox marked it done) tells nobody twice.
    post = (
        Post.objects.select_for_update(of=("self",))
        .select_related("topic__board", "topic__author", "author")
        .get(pk=post_id)
    )
    told = Notification.objects.filter(actor=post.author, url=post.get_absolute_url())
    if told.exclude(kind=Kind.LIKE).exists():
        return
    topic, board = post.topic, post.topic.board
    reasons = {}
    followers = Subscription.objects.filter(topic=topic) | Subscription.objects.filter(board=board)
    for user in User.objects.filter(pk__in=followers.values("user_id")):
        reasons[user] = Kind.REPLY
    for user in post.mentions.all():
        reasons[user] = Kind.MENTION
    if post.is_official and post.position > 1:
        reasons[topic.author] = Kind.OFFICIAL_REPLY
    reasons.pop(post.author, None)

    for user, kind in reasons.items():
        if not access.can_read_post(user, post):
            continue  # a board closed to them, or a post hidden before the news went out
        with translation.override(user.language):
            text = _message(kind, post)
        notify(
            user,
            kind,
            text=text,
            url=post.get_absolute_url(),
            actor=post.author,
            queue=BULK,
            group=f"post:{post.pk}",
        )


def _message(kind, post):
    names = {"name": post.author.public_name, "title": post.topic.title}
    if kind == Kind.OFFICIAL_REPLY:
        return _("An official reply to your topic “%(title)s”") % names
    if kind == Kind.MENTION:
        return _("%(name)s mentioned you in “%(title)s”") % names
    if post.position == 1:
        return _("%(name)s started “%(title)s”") % names
    return _("%(name)s replied in “%(title)s”") % names


def liked(post_id, liker_id):
    post = Post.objects.select_related("topic", "author").get(pk=post_id)
    liker = User.objects.get(pk=liker_id)
    url = post.get_absolute_url()
    if Notification.objects.filter(
        recipient=post.author, kind=Kind.LIKE, actor=liker, url=url
    ).exists():
        return  # liked, unliked and liked again: once is enough
    with translation.override(post.author.language):
        text = _("%(name)s liked your post in “%(title)s”") % {
            "name": liker.public_name,
            "title": post.topic.title,
        }
    notify(post.author, Kind.LIKE, text=text, url=url, actor=liker)


def moderated(user, text, url):
    """Tell an owner what a moderator did and why."""
    notify(user, Kind.MODERATION, text=text, url=url)
