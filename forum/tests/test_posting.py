"""Starting topics and replying through the site, and the counters that follow."""

import io
from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from PIL import Image
from wagtail.models import ModelLogEntry

from conftest import make_user
from forum import mentions, moderation
from forum import posting as rules
from forum.counters import recount_board, recount_topic
from forum.limits import PostingRefused
from forum.models import Board, Post, PostRevision, Topic
from owners.models import User
from portal.models import Notification

pytestmark = pytest.mark.django_db


def start(
    client, board, title="停车场收费太高", source="停车场收费从今年起涨到每月 **450** 元。", **extra
):
    return client.post(
        reverse("forum:new_topic", args=[board.slug]), {"title": title, "source": source, **extra}
    )


def reply(client, topic, source, **extra):
    return client.post(reverse("forum:reply", args=[topic.pk]), {"source": source, **extra})


def a_minute_passes():
    """Flood control allows one post per 15 seconds; let the clock move on."""
    Post.objects.update(created_at=timezone.now() - timedelta(minutes=1))


def test_a_verified_owner_starts_a_topic(client, alice, boards):
    client.force_login(alice)
    response = start(client, boards["owners"])
    topic = Topic.objects.get()
    assert response.status_code == 302 and response.url == topic.get_absolute_url()
    post = topic.posts.get()
    assert post.position == 1 and "<strong>450</strong>" in post.html
    assert post.search_text == "停车场收费从今年起涨到每月 450 元。"
    board = Board.objects.get(pk=boards["owners"].pk)
    assert (board.topic_count, board.post_count, board.last_post) == (1, 1, post)
    assert (topic.post_count, topic.last_post) == (1, post)
    page = client.get(topic.get_absolute_url()).content.decode()
    assert "停车场收费太高" in page and "<strong>450</strong>" in page


def test_replies_are_numbered_and_counted(client, alice, bob, boards):
    client.force_login(alice)
    start(client, boards["owners"])
    topic = Topic.objects.get()
    client.force_login(bob)
    assert reply(client, topic, "同感。").status_code == 302
    client.force_login(alice)
    a_minute_passes()
    reply(client, topic, "谢谢支持！")
    topic.refresh_from_db()
    assert list(topic.posts.values_list("position", flat=True)) == [1, 2, 3]
    assert topic.post_count == 3 and topic.last_post.position == 3
    assert Board.objects.get(pk=boards["owners"].pk).post_count == 3


def test_unverified_owners_and_visitors_cannot_post(client, owner, boards):
    client.force_login(owner)  # signed in, no verified unit
    refused = start(client, boards["owners"])
    assert refused.status_code == 403
    # The refusal shows the way: verify a home, or see where the claim stands.
    page = refused.content.decode()
    assert reverse("owners:claim_unit") in page and reverse("owners:dashboard") in page
    client.logout()
    assert start(client, boards["owners"]).status_code == 302  # to sign in
    assert not Topic.objects.exists()


def test_only_staff_post_in_a_staff_board(client, alice, spokesperson, boards):
    client.force_login(alice)
    assert start(client, boards["announcements"]).status_code == 403
    client.force_login(spokesperson)
    assert start(client, boards["announcements"]).status_code == 302
    assert list(Topic.objects.values_list("author", flat=True)) == [spokesperson.pk]


def test_preview_shows_the_rendered_text_without_saving(client, alice, boards):
    client.force_login(alice)
    response = start(client, boards["owners"], preview="1")
    assert response.status_code == 200
    assert "<strong>450</strong>" in response.content.decode()
    assert not Topic.objects.exists()


def test_empty_or_too_short_input_is_refused(client, alice, boards):
    client.force_login(alice)
    response = start(client, boards["owners"], title="停车", source="   ")
    assert response.status_code == 200
    assert response.content.decode().count('class="field__error"') == 2
    assert not Topic.objects.exists()


def picture(size=(2400, 1800)):
    out = io.BytesIO()
    exif = Image.Exif()
    exif[0x010F] = "PhoneMaker"
    Image.new("RGB", size, (30, 120, 90)).save(out, "JPEG", exif=exif)
    return SimpleUploadedFile("photo.jpg", out.getvalue(), content_type="image/jpeg")


def test_pictures_are_resized_stripped_and_shown(client, alice, boards):
    client.force_login(alice)
    start(client, boards["owners"], images=[picture(), picture((800, 600))])
    images = list(Post.objects.get().images.all())
    assert len(images) == 2
    with Image.open(images[0].image.open("rb")) as stored:
        assert max(stored.size) == 1600 and not stored.getexif()
    page = client.get(Topic.objects.get().get_absolute_url()).content.decode()
    assert images[0].get_absolute_url() in page


def test_a_file_that_is_not_a_picture_is_refused(client, alice, boards):
    client.force_login(alice)
    fake = SimpleUploadedFile("photo.jpg", b"not an image", content_type="image/jpeg")
    response = start(client, boards["owners"], images=[fake])
    assert response.status_code == 200
    assert not Topic.objects.exists()


def test_editing_keeps_the_history(client, alice, bob, boards):
    client.force_login(alice)
    start(client, boards["owners"])
    post = Post.objects.get()
    response = client.post(
        reverse("forum:edit", args=[post.pk]), {"source": "改成 *每月 400 元*。"}
    )
    assert response.status_code == 302
    post.refresh_from_db()
    assert "<em>每月 400 元</em>" in post.html and post.edited_at
    assert PostRevision.objects.get(post=post).source.startswith("停车场收费从今年起")

    client.force_login(bob)  # not the author
    assert client.post(reverse("forum:edit", args=[post.pk]), {"source": "x"}).status_code == 403


def test_deleting_your_post_hides_it_but_keeps_it(client, alice, boards):
    client.force_login(alice)
    start(client, boards["owners"])
    post = Post.objects.get()
    client.post(reverse("forum:delete", args=[post.pk]))
    post.refresh_from_db()
    assert post.deleted_by_author and post.source
    page = client.get(post.topic.get_absolute_url()).content.decode()
    assert "停车场收费从今年起" not in page


def test_quoting_fills_the_reply_with_the_quote(client, alice, bob, boards):
    client.force_login(alice)
    start(client, boards["owners"])
    post = Post.objects.get()
    client.force_login(bob)
    response = client.get(reverse("forum:reply", args=[post.topic_id]), {"quote": post.pk})
    assert "&gt; 停车场收费从今年起" in response.content.decode()


def test_a_locked_topic_takes_no_replies(client, alice, bob, boards):
    client.force_login(alice)
    start(client, boards["owners"])
    topic = Topic.objects.get()
    Topic.objects.filter(pk=topic.pk).update(is_locked=True)
    client.force_login(bob)
    response = reply(client, topic, "还能回复吗？")
    assert response.status_code == 302 and response.url == topic.get_absolute_url()
    assert topic.posts.count() == 1


def test_likes_count_once(client, alice, bob, boards):
    client.force_login(alice)
    start(client, boards["owners"])
    post = Post.objects.get()
    client.force_login(bob)
    client.post(reverse("forum:like", args=[post.pk]))
    post.refresh_from_db()
    assert post.like_count == 1
    client.post(reverse("forum:like", args=[post.pk]))  # a second press takes it back
    post.refresh_from_db()
    assert post.like_count == 0
    client.force_login(alice)  # one's own post
    client.post(reverse("forum:like", args=[post.pk]))
    post.refresh_from_db()
    assert post.like_count == 0


def test_long_topics_paginate_by_post_number(client, alice, bob, boards):
    client.force_login(alice)
    start(client, boards["owners"])
    topic = Topic.objects.get()
    Post.objects.bulk_create(
        Post(topic=topic, author=bob, position=n, source=f"第{n}楼", html=f"<p>第{n}楼</p>")
        for n in range(2, 46)
    )
    Topic.objects.filter(pk=topic.pk).update(post_count=45)
    page3 = client.get(topic.get_absolute_url(), {"page": 3}).content.decode()
    assert "第41楼" in page3 and "第45楼" in page3 and "第40楼" not in page3
    assert client.get(topic.get_absolute_url(), {"page": 99}).status_code == 200


@pytest.mark.parametrize("page", ["²", "9" * 5000, "-1", "abc", "0"])
def test_odd_page_numbers_show_a_page(client, alice, boards, page):
    client.force_login(alice)
    start(client, boards["owners"])
    topic = Topic.objects.get()
    assert client.get(topic.get_absolute_url(), {"page": page}).status_code == 200
    assert client.get(reverse("forum:reply", args=[topic.pk]), {"quote": page}).status_code == 200


def test_names_never_come_from_email_addresses(client, boards):
    phone_email = make_user("x", email="13812345678@163.com")
    assert "13812345678" not in phone_email.display_name
    client.post(
        reverse("account_signup"),
        {
            "phone": "13900001111",
            "password1": "Long-pass-2026",
            "password2": "Long-pass-2026",
            "real_name": "赵六",
        },
    )

    assert "13900001111" not in User.objects.get(mobile="13900001111").username


def test_at_most_ten_mentions_count(alice, boards):

    for n in range(12):
        make_user(f"m{n}")
    assert len(mentions.find(" ".join(f"@m{n}" for n in range(12)))) == 10


def test_locked_or_hidden_topics_cannot_be_edited_by_their_authors(
    client, alice, boards, moderator
):

    topic = rules.create_topic(alice, boards["owners"], title="锁定话题", source="原文")
    post = topic.posts.get()
    Topic.objects.filter(pk=topic.pk).update(is_locked=True)
    post.refresh_from_db()
    with pytest.raises(PostingRefused):
        rules.edit_post(post, alice, source="改了")
    rules.edit_post(post, moderator, source="版主修改")
    assert ModelLogEntry.objects.filter(action="forum.post.edit", user=moderator).exists()


def test_a_withdrawn_official_answer_no_longer_answers(alice, boards, spokesperson):

    topic = rules.create_topic(alice, boards["questions"], title="物业费问题", source="请解释")
    answer = rules.reply(spokesperson, topic, source="官方解释", official=True)
    rules.delete_own_post(answer, spokesperson)
    topic.refresh_from_db()
    assert topic.official_answer is None and topic.awaits_official_reply


def test_liking_again_does_not_notify_again(alice, bob, boards, django_capture_on_commit_callbacks):

    topic = rules.create_topic(alice, boards["owners"], title="点赞测试", source="内容")
    post = topic.posts.get()
    for _ in range(3):
        with django_capture_on_commit_callbacks(execute=True):
            rules.like(bob, post)
        rules.unlike(bob, post)
    assert Notification.objects.filter(recipient=alice, kind="like").count() == 1


def test_recounting_finds_what_the_actions_kept(alice, bob, spokesperson, moderator, boards):
    """The repair path (forum.counters) and the actions agree on a topic's official answer
    and a board's latest post."""

    notice = rules.create_topic(
        spokesperson, boards["questions"], title="停车新规", source="说明", official=True
    )
    question = rules.create_topic(alice, boards["questions"], title="请问", source="怎么办")
    answer = rules.reply(spokesperson, question, source="官方答复", official=True)
    rules.reply(spokesperson, question, source="补充", official=True)
    moderation.hide_post(rules.reply(bob, question, source="广告"), moderator, "广告")
    kept = {
        "notice": Topic.objects.get(pk=notice.pk).official_answer_id,
        "question": Topic.objects.get(pk=question.pk).official_answer_id,
        "latest": Board.objects.get(pk=boards["questions"].pk).last_post_id,
    }
    assert kept["notice"] == notice.posts.get().pk and kept["question"] == answer.pk
    Topic.objects.update(official_answer=None)
    Board.objects.update(last_post=None, topic_count=0, post_count=0)
    for topic in Topic.objects.all():
        recount_topic(topic)
    recount_board(Board.objects.get(pk=boards["questions"].pk))
    assert {
        "notice": Topic.objects.get(pk=notice.pk).official_answer_id,
        "question": Topic.objects.get(pk=question.pk).official_answer_id,
        "latest": Board.objects.get(pk=boards["questions"].pk).last_post_id,
    } == kept
    board = Board.objects.get(pk=boards["questions"].pk)
    assert (board.topic_count, board.post_count) == (2, 5)
