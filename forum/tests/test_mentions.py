"""@mentions by the name the forum shows, picked from a list of people who may read the topic,
kept by account (forum/mentions.py)."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from conftest import make_user
from forum import posting
from forum.models import Post
from forum.tests.conftest import forum_news
from owners.tests.privacy_data import verify

pytestmark = pytest.mark.django_db


@pytest.fixture
def topic(alice, boards, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        return posting.create_topic(
            alice, boards["members"], title="电梯故障", source="5 栋电梯又停了。"
        )


def reply(client, topic, source, mentions=""):
    return client.post(
        reverse("forum:reply", args=[topic.pk]), {"source": source, "mentions": mentions}
    )


def test_a_neighbour_picked_by_their_masked_name_is_marked_and_told(
    client, topic, alice, bob, django_capture_on_commit_callbacks
):
    client.force_login(bob)
    with django_capture_on_commit_callbacks(execute=True):
        response = reply(client, topic, "请@张** 看看，**急**", mentions=str(alice.pk))
    assert response.status_code == 302
    post = Post.objects.get(position=2)
    # The masked name's stars stay text; the author's own ** ** still make bold.
    assert '<span class="mention">@张**</span>' in post.html
    assert "<strong>急</strong>" in post.html
    assert list(post.mentions.all()) == [alice]
    assert forum_news(alice).get().kind == "mention"


def test_a_pick_counts_only_while_its_name_is_in_the_text(
    client, topic, alice, bob, django_capture_on_commit_callbacks
):
    client.force_login(bob)
    with django_capture_on_commit_callbacks(execute=True):
        reply(client, topic, "算了，不麻烦了。", mentions=f"{alice.pk},abc,999999")
    post = Post.objects.get(position=2)
    assert not post.mentions.exists() and 'class="mention"' not in post.html
    assert forum_news(alice).get().kind == "reply"  # she follows her topic


def test_a_nickname_typed_after_at_is_a_mention_an_email_address_is_not(
    client, topic, alice, bob, django_capture_on_commit_callbacks
):
    alice.nickname = "湖畔小李"
    alice.save()
    client.force_login(bob)
    with django_capture_on_commit_callbacks(execute=True):
        reply(client, topic, "问一下@湖畔小李，发到 help@jindu.example 就行吗？")
    post = Post.objects.get(position=2)
    assert list(post.mentions.all()) == [alice]
    assert '<span class="mention">@湖畔小李</span>，' in post.html
    assert "help@jindu.example" in post.html and "@jindu" not in post.html.replace("help@jindu", "")


def test_a_mention_inside_code_stays_text(client, topic, alice, bob):
    client.force_login(bob)
    reply(client, topic, "`@张**` 是这样写的", mentions=str(alice.pk))
    html = Post.objects.get(position=2).html
    assert "<code>@张**</code>" in html and 'class="mention"' not in html


def test_editing_keeps_the_people_mentioned(client, topic, alice, bob):
    client.force_login(bob)
    reply(client, topic, "@张** 你好", mentions=str(alice.pk))
    post = Post.objects.get(position=2)
    edit = reverse("forum:edit", args=[post.pk])
    form = client.get(edit).content.decode()
    assert f'name="mentions" value="{alice.pk}"' in form
    client.post(edit, {"source": "@张** 你好，补充一下", "mentions": str(alice.pk)})
    post.refresh_from_db()
    assert '<span class="mention">@张**</span>' in post.html and post.mentions.get() == alice


def test_the_list_offers_only_people_who_may_read_the_topic_writers_first(
    client, topic, alice, bob, owner, staff
):
    unverified = owner  # may not read the verified owners' board
    unverified.real_name, unverified.show_real_name = "张三", True
    unverified.save()
    neighbour = verify(make_user("zhang2", real_name="张丽"), alice.claims.get().unit)
    neighbour.last_login = timezone.now() - timedelta(days=1)
    neighbour.save()
    client.force_login(bob)
    url = reverse("forum:people")
    found = client.get(url, {"topic": topic.pk}).json()["people"]
    assert found == [{"id": alice.pk, "name": "张**", "in_topic": True}]
    found = client.get(url, {"topic": topic.pk, "q": "张"}).json()["people"]
    assert [p["id"] for p in found] == [alice.pk, neighbour.pk]
    assert unverified.pk not in [p["id"] for p in found]
    assert bob.pk not in [
        p["id"] for p in client.get(url, {"topic": topic.pk, "q": "刘"}).json()["people"]
    ]
    # A real name nobody chose to show is not searchable beyond its surname.
    assert client.get(url, {"topic": topic.pk, "q": "张丽"}).json()["people"] == []


def test_the_list_is_only_for_those_who_may_read_where_they_write(client, topic, owner):
    url = reverse("forum:people")
    assert client.get(url, {"topic": topic.pk}).status_code == 302  # to sign in
    client.force_login(owner)  # not verified: the board is closed to them
    assert client.get(url, {"topic": topic.pk}).status_code == 404
    assert client.get(url, {"board": "members"}).status_code == 404
    assert client.get(url, {"board": "owners"}).status_code == 200
    assert client.get(url, {"topic": "x"}).status_code == 404


@pytest.mark.parametrize("writers", [1, 12])
def test_the_list_costs_a_fixed_number_of_queries(
    client, topic, bob, writers, django_assert_max_num_queries
):
    for n in range(writers):
        posting.reply(
            verify(make_user(f"w{n}", real_name=f"张{n}号"), bob.claims.get().unit),
            topic,
            source="同感",
        )
    client.force_login(bob)
    url = reverse("forum:people")
    with django_assert_max_num_queries(8):
        found = client.get(url, {"topic": topic.pk, "q": "张"}).json()["people"]
    assert len(found) == min(writers + 1, 8)
