"""Moderation steps sent together act once (PostgreSQL, parallel connections)."""

from datetime import timedelta

import pytest
from django.db import connection
from django.utils import timezone
from wagtail.models import ModelLogEntry

from club.tests.test_concurrency import together
from forum import moderation, posting
from forum.models import Post
from portal.models import Notification

pytestmark = [
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql", reason="needs parallel PostgreSQL writers"
    ),
]


def test_two_moderators_hiding_the_same_post_at_once_tell_the_owner_once(
    alice, bob, boards, moderator, staff
):
    topic = posting.create_topic(alice, boards["owners"], title="装修推荐", source="求推荐师傅")
    Post.objects.update(created_at=timezone.now() - timedelta(minutes=1))
    rude = posting.reply(bob, topic, source="你懂什么！")
    other = staff("Managers")
    other.groups.add(*moderator.groups.all())

    outcomes = together(
        lambda who: moderation.hide_post(Post.objects.get(pk=rude.pk), who, f"不文明 {who.pk}"),
        [moderator, other],
    )

    assert [outcome for outcome in outcomes if isinstance(outcome, Exception)] == []
    assert ModelLogEntry.objects.filter(action="forum.post.hide").count() == 1
    assert Notification.objects.filter(recipient=bob, kind="moderation").count() == 1
    rude.refresh_from_db()
    assert rude.is_hidden
