"""Other owners and visitors see the name an owner chose to show, never the real name unless the
owner opts in; staff see real names in the admin."""

from datetime import timedelta

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from forum import posting
from forum.models import Topic
from forum.tests.conftest import verified
from portal.models import Notification

pytestmark = pytest.mark.django_db


@pytest.fixture
def conversation(alice, bob, spokesperson, boards, django_capture_on_commit_callbacks):
    """张伟 (alice) asks, 刘洋 (bob, nickname 老刘) replies and quotes, a spokesperson answers."""
    bob.nickname = "老刘"
    bob.save()
    spokesperson.real_name, spokesperson.nickname = "李晓梅", "金都客服小李"
    spokesperson.save()
    with django_capture_on_commit_callbacks(execute=True):
        topic = posting.create_topic(
            alice, boards["questions"], title="地下车库漏水", source="B2 层 35 号车位漏水。"
        )
        posting.reply(bob, topic, source="@alice 我家车位也是。")
        posting.reply(spokesperson, topic, source="已安排维修，周五前处理完毕。", official=True)
    return Topic.objects.get(pk=topic.pk)


def page(client, url, **params):
    response = client.get(url, params)
    assert response.status_code == 200
    return response.content.decode()


def everywhere(client, topic):
    """Every public place in the forum and the site that names the people of `topic`."""
    board = topic.board
    return {
        "topic": page(client, topic.get_absolute_url()),
        "board": page(client, board.get_absolute_url()),
        "index": page(client, reverse("forum:index")),
        "feed": page(client, reverse("forum:board_feed", args=[board.slug])),
        "forum search": page(client, reverse("forum:search"), q="车位"),
        "site search": page(client, reverse("search:search"), q="车位"),
    }


def test_public_pages_show_masked_names_and_nicknames_never_real_names(client, conversation, alice):
    for where, html in everywhere(client, conversation).items():
        assert "张伟" not in html and "刘洋" not in html and "李晓梅" not in html, where
    pages = everywhere(client, conversation)
    assert "张**" in pages["topic"] and "张**" in pages["board"] and "张**" in pages["feed"]
    assert "老刘" in pages["topic"] and "老刘" in pages["forum search"]
    assert "老刘" in pages["site search"] and "金都客服小李" in pages["index"]  # the last post
    # The official reply link names the spokesperson by the name chosen for them.
    assert "金都客服小李" in pages["topic"].split('class="official-answer-link"')[1][:400]


def test_signed_in_owners_see_the_same_public_names(client, conversation, owner):
    client.force_login(owner)
    html = page(client, conversation.get_absolute_url())
    assert "张**" in html and "张伟" not in html and "刘洋" not in html


def test_an_owner_who_opts_in_shows_their_real_name(client, conversation, alice):
    alice.show_real_name = True
    alice.save()
    pages = everywhere(client, conversation)
    assert "张伟" in pages["topic"] and "张伟" in pages["feed"] and "张伟" in pages["board"]
    assert "张**" not in pages["topic"]


def test_a_nickname_wins_over_the_real_name_even_when_shown(client, conversation, bob):
    bob.show_real_name = True
    bob.save()
    html = page(client, conversation.get_absolute_url())
    assert "老刘" in html and "刘洋" not in html


def test_avatars_show_the_first_letter_of_the_public_name(client, conversation):
    html = page(client, conversation.get_absolute_url())
    assert '<span class="avatar avatar--md avatar--verified" aria-hidden="true">老</span>' in html


def test_notifications_and_their_emails_use_the_public_name(
    conversation, alice, django_capture_on_commit_callbacks
):
    texts = list(Notification.objects.filter(recipient=alice).values_list("text", flat=True))
    assert texts and all("刘洋" not in text and "李晓梅" not in text for text in texts)
    assert any("老刘" in text for text in texts)
    bodies = [message.body for message in mail.outbox if message.to == [alice.email]]
    assert bodies and all("刘洋" not in body for body in bodies)
    # The email is addressed to alice herself, by her surname as the glossary says.
    assert all(body.startswith("尊敬的张先生/女士：") for body in bodies)


def test_likes_tell_the_author_the_public_name(
    conversation, alice, bob, django_capture_on_commit_callbacks
):
    opening = conversation.posts.get(position=1)
    with django_capture_on_commit_callbacks(execute=True):
        posting.like(bob, opening)
    like = Notification.objects.get(recipient=alice, kind=Notification.Kind.LIKE)
    assert "老刘" in like.text and "刘洋" not in like.text


def test_a_quote_names_the_quoted_owner_by_the_public_name(client, conversation, bob):
    client.force_login(bob)
    opening = conversation.posts.get(position=1)
    html = page(client, reverse("forum:reply", args=[conversation.pk]), quote=opening.pk)
    assert "&gt; **张\\*\\***:" in html and "张伟" not in html


def test_the_owner_sees_their_own_real_name_on_their_dashboard(client, alice):
    client.force_login(alice)
    html = page(client, reverse("owners:dashboard"))
    assert "张伟" in html


def test_staff_see_real_names_in_the_admin(client, conversation, moderator):
    client.force_login(moderator)
    html = page(client, reverse("topics:inspect", args=[conversation.pk]))
    assert "张伟" in html


def test_a_closed_account_shows_as_closed(client, conversation, alice):
    alice.closed_at = timezone.now()
    alice.save()
    html = page(client, conversation.get_absolute_url())
    assert "已注销用户" in html and "张**" not in html


@pytest.mark.parametrize("url_name", ["topic", "board"])
def test_public_names_cost_no_query(
    client, alice, bob, boards, url_name, django_assert_max_num_queries
):
    """The name is read from the author row the page already joins: many people, same count."""
    board = boards["owners"]
    topic = posting.create_topic(alice, board, title="小区绿化", source="草坪该修剪了。")
    url = topic.get_absolute_url() if url_name == "topic" else board.get_absolute_url()
    url += "?fresh=1"  # rendered afresh, never answered from the shared page cache
    client.get(url)
    with django_assert_max_num_queries(100) as few:
        client.get(url)
    few = len(few.captured_queries)
    people = [bob]
    for n in range(8):
        joined = timezone.now() - timedelta(days=30)
        people.append(
            verified(f"p{n}", real_name=f"赵{n}号", nickname=f"邻居{n}", date_joined=joined)
        )
    for person in people:
        posting.reply(person, topic, source=f"同意，{person.pk}。")
        posting.create_topic(person, board, title=f"话题{person.pk}", source="内容内容")
    client.get(url)  # the new posts' fragments are rendered (their pictures read) once
    with django_assert_max_num_queries(few):
        html = client.get(url).content.decode()
    assert "邻居3" in html and "赵3号" not in html
