"""Who may read, post, reply and edit where. Every view, feed, search, picture, notification and
template asks here; the actions in forum.posting check the same functions."""

from django.contrib.auth.models import AnonymousUser

from forum.models import Board

Readers, Writers = Board.Readers, Board.Writers

#: Why someone may not post, for the page to say so (why_not_post).
LOCKED, SIGN_IN, VERIFY = "locked", "sign_in", "verify"


def _has(user, perm):
    """user.has_perm, remembered on the user object for the rest of the request, as Django
    remembers the permissions themselves: a topic page asks it for every post."""
    known = getattr(user, "_forum_perms", None)
    if known is None:
        known = user._forum_perms = {}
    if perm not in known:
        known[perm] = user.has_perm(perm)
    return known[perm]


def is_moderator(user):
    return user.is_authenticated and _has(user, "forum.moderate_topic")


def is_spokesperson(user):
    return user.is_authenticated and _has(user, "forum.reply_officially")


def is_forum_staff(user):
    return is_moderator(user) or is_spokesperson(user)


#: The boards each kind of reader (reader_kind) may read; forum staff read every board.
_READ_BY = {
    "anyone": (Readers.EVERYONE,),
    "signed_in": (Readers.EVERYONE, Readers.SIGNED_IN),
    "verified": (Readers.EVERYONE, Readers.SIGNED_IN, Readers.VERIFIED),
}
STAFF = "staff"


def reader_kind(user):
    """What decides which boards `user` may read: readers of the same kind read the same
    boards, so what they find is the same (the forum's search keeps it per kind)."""
    if is_forum_staff(user):
        return STAFF
    if not user.is_authenticated:
        return "anyone"
    return "verified" if user.is_verified_owner else "signed_in"


def readable_boards(user):
    kind = reader_kind(user)
    if kind == STAFF:
        return Board.objects.all()
    return Board.objects.filter(readers__in=_READ_BY[kind])


def can_read(user, board):
    if board.readers == Readers.EVERYONE or is_forum_staff(user):
        return True
    if not user.is_authenticated:
        return False
    return board.readers == Readers.SIGNED_IN or user.is_verified_owner


def has_feed(board):
    """Feed readers cannot sign in: a board has a feed when anyone may read it."""
    return can_read(AnonymousUser(), board)


def visible_topics(user, board):
    """The topics listed on `board` for `user`: moderators see the hidden ones too."""
    topics = board.topics.all()
    return topics if is_moderator(user) else topics.visible()


def can_read_topic(user, topic):
    return can_read(user, topic.board) and (not topic.is_hidden or is_moderator(user))


def can_read_post(user, post):
    """A post, its pictures and the news of it: for those who may read its topic, while it is
    shown (moderators read hidden and deleted posts too)."""
    return can_read_topic(user, post.topic) and (post.is_visible or is_moderator(user))


def can_post(user, board):
    if not user.is_authenticated or not can_read(user, board):
        return False
    if is_forum_staff(user):
        return True
    return board.writers == Writers.VERIFIED and user.is_verified_owner


def can_reply(user, topic):
    """Posting on the topic's board, in a topic that takes replies: a moderator replies in a
    locked topic too, nobody in a hidden one."""
    if topic.is_hidden or (topic.is_locked and not is_moderator(user)):
        return False
    return can_post(user, topic.board)


def why_not_post(user, board, topic=None):
    """Why `user` may not start a topic on `board` (or reply in `topic`): LOCKED, SIGN_IN or
    VERIFY, which the page explains; None when they may, or when only staff post there."""
    if topic is not None and topic.is_locked and not is_moderator(user):
        return LOCKED
    if can_post(user, board) or board.writers != Writers.VERIFIED:
        return None
    if not user.is_authenticated:
        return SIGN_IN
    return None if user.is_verified_owner else VERIFY


def can_edit(user, post):
    """Moderators edit any post. An author edits their own while it is shown, in a topic that
    still takes replies, on a board they may still post on."""
    if is_moderator(user):
        return True
    if not user.is_authenticated or post.author_id != user.pk or not post.is_visible:
        return False
    return can_reply(user, post.topic)


def can_delete(user, post):
    """Authors withdraw their own posts, whatever became of the topic."""
    return user.is_authenticated and post.author_id == user.pk


def can_report(user, post):
    """Anyone signed in who reads a shown post, except its author, may report it."""
    if not user.is_authenticated or post.author_id == user.pk or not post.is_visible:
        return False
    return can_read(user, post.topic.board) and not post.topic.is_hidden


def sees_why_hidden(user, post):
    """A moderator's reason for hiding a post is shown to its author and to moderators."""
    return is_moderator(user) or (user.is_authenticated and post.author_id == user.pk)


def can_like(user, post):
    """Liking: the same people as reporting (a like of one's own post would count for nothing)."""
    return can_report(user, post)
