"""Every way a post's text changes renders it: the page shows the new HTML and the search finds
the new words, never the old ones. The model saves what it is given; the actions render."""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.urls import reverse

from forum import posting
from forum.searching import POSTS

pytestmark = pytest.mark.django_db


def found(words):
    """The posts the index finds for `words`, each reply on its own (not one row per topic)."""
    hits, _more = POSTS.hits(words, AnonymousUser())
    return {hit.pk for hit in hits}


@pytest.fixture
def topic(alice, boards):
    return posting.create_topic(alice, boards["owners"], title="电梯维修", source="三号楼电梯坏了")


def test_a_reply_sent_through_the_site_is_rendered_and_found(client, bob, alice, topic):
    client.force_login(bob)
    source = "同感，**电梯**已经停了三天 @alice"
    response = client.post(reverse("forum:reply", args=[topic.pk]), {"source": source})
    assert response.status_code == 302
    post = topic.posts.get(position=2)
    assert (
        "<strong>电梯</strong>" in post.html and '<span class="mention">@alice</span>' in post.html
    )
    assert post.search_text == "同感，电梯已经停了三天 @alice"
    assert found("停了三天") == {post.pk}
    page = client.get(topic.get_absolute_url()).content.decode()
    assert "<strong>电梯</strong>已经停了三天" in page


def test_a_quote_is_rendered_as_a_quote(client, bob, topic):
    opening = topic.posts.get()
    client.force_login(bob)
    url = reverse("forum:reply", args=[topic.pk])
    quoted = client.get(url, {"quote": opening.pk}).context["form"]["source"].value()
    client.post(url, {"source": quoted + "我也遇到了"})
    post = topic.posts.get(position=2)
    assert "<blockquote>" in post.html and "三号楼电梯坏了" in post.html
    assert found("我也遇到了") == {post.pk}


@pytest.mark.parametrize("by", ["author", "moderator"])
def test_an_edit_renders_the_new_text_and_the_search_forgets_the_old(
    client, topic, alice, moderator, by
):
    post = topic.posts.get()
    client.force_login(alice if by == "author" else moderator)
    response = client.post(reverse("forum:edit", args=[post.pk]), {"source": "已修好，*谢谢*物业"})
    assert response.status_code == 302
    post.refresh_from_db()
    assert (
        post.html.strip() == "<p>已修好，<em>谢谢</em>物业</p>"
        and post.search_text == "已修好，谢谢物业"
    )
    assert found("谢谢物业") == {post.pk} and not found("电梯坏了")
    assert "<em>谢谢</em>" in client.get(topic.get_absolute_url()).content.decode()


def test_an_edit_to_the_same_text_keeps_no_earlier_version(alice, topic):
    post = topic.posts.get()
    posting.edit_post(post, alice, source="三号楼电梯坏了  ")
    assert not post.revisions.exists() and post.edited_at is None
