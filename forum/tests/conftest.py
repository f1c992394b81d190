"""Boards and people for the forum tests."""

from datetime import timedelta

import pytest
from django.utils import timezone

from conftest import make_verified_owner
from forum.models import Board
from owners.models import Unit
from portal.models import Notification


@pytest.fixture(autouse=True)
def _no_flood_wait(settings):
    """Tests post in quick succession; test_limits puts the wait back."""
    settings.FORUM_SECONDS_BETWEEN_POSTS = 0


@pytest.fixture
def boards(db):
    """One board of each kind, keyed by slug."""
    specs = [
        ("announcements", "公告", "everyone", "staff", False),
        ("owners", "业主交流", "everyone", "verified", False),
        ("questions", "投诉与建议", "everyone", "verified", True),
        ("members", "认证业主专区", "verified", "verified", False),
        ("signed-in", "登录可见", "signed_in", "verified", False),
    ]
    return {
        slug: Board.objects.create(
            slug=slug,
            name=name,
            readers=readers,
            writers=writers,
            is_question_board=questions,
            sort_order=order,
        )
        for order, (slug, name, readers, writers, questions) in enumerate(specs)
    }


def verified(username, **fields):
    """An owner whose claim to the first unit (of the `unit` fixture's estate) staff approved."""
    return make_verified_owner(username, Unit.objects.order_by("pk").first(), **fields)


@pytest.fixture
def alice(unit):
    """A verified owner who has been around for a while (no new-account limits)."""
    return verified("alice", real_name="张伟", date_joined=timezone.now() - timedelta(days=30))


@pytest.fixture
def bob(unit):
    return verified("bob", real_name="刘洋", date_joined=timezone.now() - timedelta(days=30))


@pytest.fixture
def spokesperson(staff):
    return staff("Spokespersons")


@pytest.fixture
def moderator(staff):
    return staff("Forum moderators")


def forum_news(user):
    """The forum's notifications of `user` (the claim that verified them left one of its own)."""
    return Notification.objects.filter(recipient=user).exclude(kind=Notification.Kind.ACCOUNT)
