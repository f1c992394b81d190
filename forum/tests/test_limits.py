"""Spam and flood control: clear messages that say when to try again; staff are exempt."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from forum import posting
from forum.limits import PostingRefused
from forum.models import Post, Topic
from forum.tests.conftest import verified

pytestmark = pytest.mark.django_db


@pytest.fixture
def topic(alice, boards):
    return posting.create_topic(alice, boards["owners"], title="小区绿化", source="草坪该修剪了")


def test_posting_again_within_15_seconds_is_refused_with_the_wait(client, settings, alice, topic):
    settings.FORUM_SECONDS_BETWEEN_POSTS = 15
    client.force_login(alice)
    response = client.post(reverse("forum:reply", args=[topic.pk]), {"source": "补充一下"})
    assert response.status_code == 200
    assert "发帖太快了，请 15 秒后再试。" in response.content.decode()
    assert topic.posts.count() == 1


def test_the_same_text_twice_is_refused(alice, topic):
    with pytest.raises(PostingRefused):
        posting.reply(alice, topic, source="草坪该修剪了")


def test_topics_per_hour_are_limited(alice, boards):
    for n in range(5):
        posting.create_topic(alice, boards["owners"], title=f"话题{n}号", source=f"内容{n}")
    with pytest.raises(PostingRefused):
        posting.create_topic(alice, boards["owners"], title="第六个话题", source="内容")
    Topic.objects.update(created_at=timezone.now() - timedelta(hours=2))
    posting.create_topic(alice, boards["owners"], title="两小时后", source="可以了")


def test_new_accounts_are_limited_in_links_and_posts(boards, topic):
    newcomer = verified("newcomer")
    with pytest.raises(PostingRefused):
        posting.reply(newcomer, topic, source="http://a.example http://b.example http://c.example")
    for n in range(10):
        posting.reply(newcomer, topic, source=f"第{n}条")
    with pytest.raises(PostingRefused):
        posting.reply(newcomer, topic, source="第十一条")
    Post.objects.filter(author=newcomer).update(created_at=timezone.now() - timedelta(days=2))
    posting.reply(newcomer, topic, source="第二天可以了")


def test_staff_are_not_rate_limited(settings, spokesperson, topic):
    settings.FORUM_SECONDS_BETWEEN_POSTS = 15
    for n in range(3):
        posting.reply(spokesperson, topic, source=f"官方说明{n}", official=True)
    assert topic.posts.filter(author=spokesperson, is_official=True).count() == 3
