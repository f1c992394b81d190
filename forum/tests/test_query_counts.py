"""Board list, topic list and topic page cost the same number of queries for 3 items or 60."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from PIL import Image

from forum.models import Board, Post, PostImage, Reaction, ReadState, Topic
from forum.posting import text_fields
from forum.tests.conftest import verified

pytestmark = pytest.mark.django_db


def picture():
    out = io.BytesIO()
    Image.new("RGB", (40, 30), (10, 90, 70)).save(out, "JPEG")
    return SimpleUploadedFile("p.jpg", out.getvalue(), content_type="image/jpeg")


def fill(board, n):
    """n topics by n authors, and one topic with n posts, each liked, with a picture."""
    authors = [verified(f"u{board.pk}-{i}") for i in range(n)]
    for i, author in enumerate(authors):
        topic = Topic.objects.create(board=board, author=author, title=f"话题{i}")
        post = Post.objects.create(
            topic=topic, author=author, position=1, **text_fields(f"内容{i}")
        )
        Topic.objects.filter(pk=topic.pk).update(
            post_count=1, last_post=post, last_post_at=post.created_at
        )
    long = Topic.objects.filter(board=board).first()
    for i in range(2, min(n, 20) + 1):
        post = Post.objects.create(
            topic=long, author=authors[i - 1], position=i, **text_fields(f"回复{i}")
        )
        Reaction.objects.create(post=post, user=authors[0])
        PostImage.objects.create(post=post, uploader=authors[i - 1], image=picture())
    Topic.objects.filter(pk=long.pk).update(post_count=min(n, 20))
    last = Post.objects.filter(topic__board=board).order_by("-pk").first()
    Board.objects.filter(pk=board.pk).update(topic_count=n, post_count=n, last_post=last)
    return long


def count(client, url):
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


@pytest.mark.parametrize("signed_in", [False, True])
def test_same_queries_for_few_and_many(client, bob, signed_in):
    small, large = (
        Board.objects.create(name=n, slug=n, sort_order=i) for i, n in enumerate(("small", "large"))
    )
    small_topic, large_topic = fill(small, 3), fill(large, 60)
    if signed_in:
        client.force_login(bob)
        ReadState.objects.create(user=bob, topic=small_topic, last_position=1)
        ReadState.objects.create(user=bob, topic=large_topic, last_position=1)
    for url_small, url_large in [
        (reverse("forum:board", args=["small"]), reverse("forum:board", args=["large"])),
        (small_topic.get_absolute_url(), large_topic.get_absolute_url()),
    ]:
        # The first visit warms caches and moves the read marker; compare the second visits.
        count(client, url_small), count(client, url_large)
        assert count(client, url_small) == count(client, url_large)
    index = count(client, reverse("forum:index"))
    fill(Board.objects.create(name="more", slug="more", sort_order=3), 30)
    assert count(client, reverse("forum:index")) == index
    assert count(client, large_topic.get_absolute_url()) <= 12
