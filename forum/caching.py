"""The forum's pages for anonymous visitors, kept by the shared page cache (portal/pagecache.py).

The board list, a board's topics and a topic's posts look the same to every visitor who is not
signed in; `shared_with_anonymous` lets the shared cache keep them. Every write that shows on
them — a post, a topic, a board, a like, a picture, a moderator's hiding or moving, and a
person's public name or badge — bumps the forum's version, so a reply shows at once and a
hidden post is gone at once.
"""

from functools import wraps

from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from forum.models import Board, Post, PostImage, Reaction, Topic
from owners.models import User
from portal import pagecache

FORUM = pagecache.Scope("forum")
#: A page that says how long ago a topic was answered (刚刚, 5分钟前: the boards and a board's
#: list) is kept this long at most, by the shared cache and as owners' copies: the words
#: change with time alone, which bumps nothing.
SAYS_AGO = 60


def shared_with_anonymous(view, says_ago=False):
    @wraps(view)
    def wrapped(request, *args, **kwargs):
        response = view(request, *args, **kwargs)
        if not request.user.is_authenticated:
            pagecache.share(request, FORUM, SAYS_AGO if says_ago else pagecache.TIMEOUT)
        return response

    return wrapped


@receiver(post_save, sender=Post)
@receiver(post_delete, sender=Post)
@receiver(post_save, sender=Topic)
@receiver(post_delete, sender=Topic)
@receiver(post_save, sender=Board)
@receiver(post_delete, sender=Board)
@receiver(post_save, sender=Reaction)
@receiver(post_delete, sender=Reaction)
@receiver(post_save, sender=PostImage)
@receiver(post_delete, sender=PostImage)
def refresh_forum_pages(**kwargs):
    FORUM.bump()


@receiver(post_save, sender=User)
def refresh_when_a_name_changes(update_fields=None, **kwargs):
    # Signing in saves the time of it, which no forum page shows.
    if update_fields is None or set(update_fields) - {"last_login"}:
        FORUM.bump()
