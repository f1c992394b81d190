"""The topic page and the topic list from cached fragments: the same queries for 3 posts or 300,
fragments that follow every change, and each reader's own controls around the same fragments."""

import re

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from forum import fragments, moderation, posting
from forum.models import Post, Topic
from forum.posting import text_fields
from forum.tests.conftest import verified

pytestmark = pytest.mark.django_db


def count(client, url):
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries), [q["sql"] for q in queries]


def long_topic(board, author, others, n):
    """A topic of `n` posts, by turns from `author` and `others`."""
    topic = posting.create_topic(author, board, title=f"话题{n}", source="第一楼")
    people = [author, *others]
    Post.objects.bulk_create(
        Post(topic=topic, author=people[i % len(people)], position=i, **text_fields(f"第{i}楼"))
        for i in range(2, n + 1)
    )
    Topic.objects.filter(pk=topic.pk).update(post_count=n)
    topic.refresh_from_db()
    return topic


def item(html, position):
    """The <li> of post number `position` on a topic page."""
    match = re.search(rf'<li class="post[^"]*" id="post-{position}">.*?</li>', html, re.S)
    assert match, f"no post #{position}"
    return match.group(0)


def page(client, topic):
    response = client.get(topic.get_absolute_url())
    assert response.status_code == 200
    return response.content.decode()


@pytest.mark.parametrize("signed_in", [False, True])
def test_topic_page_costs_the_same_for_3_posts_or_300(client, boards, alice, bob, signed_in):
    small = long_topic(boards["owners"], alice, [bob], 3)
    large = long_topic(boards["owners"], alice, [bob], 300)
    if signed_in:
        client.force_login(bob)
    for topic in (small, large):  # the first visit renders the fragments and sets the marker
        page(client, topic)
    few, _ = count(client, small.get_absolute_url())
    many, sql = count(client, large.get_absolute_url())
    assert few == many <= 8, sql
    # Neither a permission nor the unread count is asked of the database for an owner.
    assert not any("auth_permission" in q or "portal_notification" in q for q in sql), sql
    # The second page of the long topic too.
    page_two = f"{large.get_absolute_url()}?page=2"
    client.get(page_two)
    assert count(client, page_two)[0] == many


def test_topic_list_costs_the_same_for_3_topics_or_300(client, boards, alice, bob):
    for board, n in ((boards["owners"], 3), (boards["questions"], 300)):
        Topic.objects.bulk_create(
            Topic(board=board, author=alice if i % 2 else bob, title=f"话题{i}", post_count=1)
            for i in range(n)
        )
    client.force_login(bob)
    urls = [reverse("forum:board", args=[slug]) for slug in ("owners", "questions")]
    for url in urls:
        client.get(url)
    few, _ = count(client, urls[0])
    many, sql = count(client, urls[1])
    assert few == many <= 7, sql


def test_fragments_are_shared_and_the_controls_are_each_readers_own(
    client, boards, alice, bob, django_capture_on_commit_callbacks
):
    topic = posting.create_topic(alice, boards["owners"], title="停车费", source="**太贵了**")
    reply = posting.reply(bob, topic, source="同意")
    with django_capture_on_commit_callbacks(execute=True):
        posting.like(bob, topic.posts.get(position=1))

    client.force_login(alice)
    as_alice = page(client, topic)
    stored = cache.get(fragments.key(topic.posts.select_related("author").get(position=1)))
    assert stored and "<strong>太贵了</strong>" in stored
    assert "post__actions" not in stored and "csrfmiddlewaretoken" not in stored

    client.force_login(bob)
    with CaptureQueriesContext(connection) as queries:
        as_bob = page(client, topic)
    assert not any("forum_postimage" in q["sql"] for q in queries)  # both fragments were hits

    first_alice, first_bob = item(as_alice, 1), item(as_bob, 1)
    # The author edits and deletes her post, and cannot like or report it.
    assert reverse("forum:edit", args=[topic.posts.get(position=1).pk]) in first_alice
    assert "post__like" not in first_alice and "/report/" not in first_alice
    # Another owner likes (and did like it: shown pressed) or reports it, and cannot edit it.
    assert 'aria-pressed="true"' in first_bob and "/report/" in first_bob
    assert "/edit/" not in first_bob and "/delete/" not in first_bob
    # Bob's own reply: his controls, not Alice's.
    assert reverse("forum:edit", args=[reply.pk]) in item(as_bob, 2)
    assert 'aria-pressed="false"' in item(as_alice, 2)
    assert reverse("forum:edit", args=[reply.pk]) not in item(as_alice, 2)
    # Both pages show the same shared part of each post.
    for position in (1, 2):
        shared = fragments.shared_html(
            list(topic.posts.select_related("author").filter(position=position))
        )
        assert all(str(html) in item(as_alice, position) for html in shared.values())
        assert all(str(html) in item(as_bob, position) for html in shared.values())


def test_an_edit_and_a_new_name_refresh_the_fragment(client, boards, alice, bob):
    topic = posting.create_topic(alice, boards["owners"], title="电梯", source="电梯坏了")
    client.force_login(bob)
    assert "电梯坏了" in page(client, topic)

    posting.edit_post(topic.posts.get(position=1), alice, source="电梯修好了")
    html = page(client, topic)
    assert "电梯修好了" in html and "电梯坏了" not in html

    alice.nickname = "湖畔晨跑"
    alice.save()
    html = page(client, topic)
    assert "湖畔晨跑" in item(html, 1)


def test_hidden_posts_never_leak_from_the_cache(client, boards, alice, bob, moderator):
    topic = posting.create_topic(alice, boards["owners"], title="广告", source="首楼")
    spam = posting.reply(bob, topic, source="加微信买便宜车位")
    carol = verified("carol")
    client.force_login(carol)
    assert "加微信买便宜车位" in page(client, topic)  # cached while shown

    moderation.hide_post(spam, moderator, "广告")
    for reader in (carol, alice, bob, moderator):
        client.force_login(reader)
        html = item(page(client, topic), 2)
        assert "加微信买便宜车位" not in html
        assert "post__removed" in html
        # The reason: to its author and to moderators only.
        assert ("广告" in html) == (reader in (bob, moderator))
    spam.refresh_from_db()
    shared = fragments.shared_html(list(topic.posts.select_related("author").filter(pk=spam.pk)))
    assert "加微信买便宜车位" not in shared[spam.pk]

    moderation.restore_post(spam, moderator)
    client.force_login(carol)
    assert "加微信买便宜车位" in item(page(client, topic), 2)

    posting.delete_own_post(Post.objects.get(pk=spam.pk), bob)
    assert "加微信买便宜车位" not in item(page(client, topic), 2)


def test_without_the_cache_the_page_is_the_same(client, boards, alice, bob, settings):
    topic = posting.create_topic(alice, boards["owners"], title="绿化", source="草坪该修剪了")
    client.force_login(bob)
    cached = page(client, topic)
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.dummy.DummyCache"}}
    uncached = page(client, topic)
    strip = re.compile(r'name="csrfmiddlewaretoken" value="[^"]+"')
    assert strip.sub("", item(cached, 1)) == strip.sub("", item(uncached, 1))


def test_a_visitors_page_sets_no_cookie(client, boards, alice):
    """No form on a visitor's topic page needs a CSRF token, so none is made (a cookie would
    keep the page out of any cache for visitors)."""
    topic = posting.create_topic(alice, boards["owners"], title="公告", source="停水通知")
    response = client.get(topic.get_absolute_url())
    assert response.status_code == 200 and not response.cookies
