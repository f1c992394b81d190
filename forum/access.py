"""Who may read and who may post where. Every view, feed, search and notification asks here."""

from django.db.models import Q

from forum.models import Board

Readers, Writers = Board.Readers, Board.Writers


def is_moderator(user):
    return user.is_authenticated and user.has_perm("forum.moderate_topic")


def is_spokesperson(user):
    return user.is_authenticated and user.has_perm("forum.reply_officially")


def is_forum_staff(user):
    return is_moderator(user) or is_spokesperson(user)


def readable_boards(user):
    if is_forum_staff(user):
        return Board.objects.all()
    allowed = Q(readers=Readers.EVERYONE)
    if user.is_authenticated:
        allowed |= Q(readers=Readers.SIGNED_IN)
        if user.is_verified_owner:
            allowed |= Q(readers=Readers.VERIFIED)
    return Board.objects.filter(allowed)


def can_read(user, board):
    if board.readers == Readers.EVERYONE or is_forum_staff(user):
        return True
    if not user.is_authenticated:
        return False
    return board.readers == Readers.SIGNED_IN or user.is_verified_owner


def can_post(user, board):
    if not user.is_authenticated or not can_read(user, board):
        return False
    if is_forum_staff(user):
        return True
    return board.writers == Writers.VERIFIED and user.is_verified_owner
