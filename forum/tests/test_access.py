"""Read and post rules hold on every forum page, feed and search."""

import re

import pytest
from django.core.files.storage import default_storage
from django.urls import reverse

from forum import moderation, posting
from forum.models import Subscription
from forum.tests.conftest import forum_news
from forum.tests.test_query_counts import picture
from forum.tests.test_query_counts import picture as jpeg
from portal.images import clean_image
from portal.storage import private_storage

pytestmark = pytest.mark.django_db


@pytest.fixture
def secret(alice, boards):
    """A topic in the board only verified owners may read."""
    return posting.create_topic(
        alice, boards["members"], title="专区秘密话题", source="仅认证业主可见的停车讨论"
    )


@pytest.fixture
def signed_in_only(bob, boards):
    return posting.create_topic(
        bob, boards["signed-in"], title="登录可见话题", source="登录用户可见的停车讨论"
    )


def test_visitors_see_only_public_boards(client, boards, secret, signed_in_only):
    index = client.get(reverse("forum:index")).content.decode()
    assert "业主交流" in index and "认证业主专区" not in index and "登录可见" not in index
    for url in (
        reverse("forum:board", args=["members"]),
        secret.get_absolute_url(),
        signed_in_only.get_absolute_url(),
    ):
        response = client.get(url)
        assert response.status_code == 302 and "/accounts/login/" in response.url


def test_signed_in_unverified_owners_see_signed_in_boards_only(
    client, owner, secret, signed_in_only
):
    client.force_login(owner)
    assert client.get(signed_in_only.get_absolute_url()).status_code == 200
    assert client.get(secret.get_absolute_url()).status_code == 403
    assert client.get(reverse("forum:board", args=["members"])).status_code == 403
    assert client.get(reverse("forum:reply", args=[secret.pk])).status_code == 403
    assert client.post(reverse("forum:follow_topic", args=[secret.pk])).status_code == 403


def test_verified_owners_and_staff_read_everything(client, bob, moderator, secret):
    for user in (bob, moderator):
        client.force_login(user)
        assert "专区秘密话题" in client.get(secret.get_absolute_url()).content.decode()


def test_search_only_finds_what_the_searcher_may_read(
    client, owner, bob, secret, signed_in_only, boards, alice
):
    posting.create_topic(alice, boards["owners"], title="公开话题", source="停车场收费调整")
    found = lambda: client.get(reverse("forum:search"), {"q": "停车"}).content.decode()  # noqa: E731
    page = found()
    assert "公开话题" in page and "登录可见话题" not in page and "专区秘密话题" not in page
    client.force_login(owner)
    page = found()
    assert "登录可见话题" in page and "专区秘密话题" not in page
    client.force_login(bob)
    assert "专区秘密话题" in found()


def test_feeds_exist_only_for_public_boards(client, alice, boards, secret):
    posting.create_topic(alice, boards["owners"], title="公开的新话题", source="大家好")
    response = client.get(reverse("forum:board_feed", args=["owners"]))
    assert response.status_code == 200 and response["Content-Type"].startswith(
        "application/atom+xml"
    )
    assert "公开的新话题" in response.content.decode()
    assert client.get(reverse("forum:board_feed", args=["members"])).status_code == 404


def test_a_hidden_post_is_not_found_by_search(client, alice, boards, moderator):
    topic = posting.create_topic(alice, boards["owners"], title="普通话题", source="物业费太贵了")

    moderation.hide_post(topic.posts.get(), moderator, "广告")
    assert "普通话题" not in client.get(reverse("forum:search"), {"q": "物业费"}).content.decode()


def test_hidden_posts_and_topics_cannot_be_read_through_side_doors(
    client, alice, bob, boards, moderator
):

    topic = posting.create_topic(alice, boards["owners"], title="普通话题", source="第一楼")
    secret = posting.reply(bob, topic, source="不该被看到的私人信息")
    moderation.hide_post(secret, moderator, "泄露隐私")
    client.force_login(alice)
    assert client.get(reverse("forum:report", args=[secret.pk])).status_code == 404
    page = client.get(
        reverse("forum:reply", args=[topic.pk]), {"quote": secret.pk}
    ).content.decode()
    assert "不该被看到" not in page
    moderation.hide_topic(topic, moderator, "重复")
    assert client.get(reverse("forum:reply", args=[topic.pk])).status_code == 404


def test_pictures_get_names_nobody_can_guess(alice, boards):

    image = clean_image(picture(), max_bytes=10**6, max_side=100)
    topic = posting.create_topic(
        alice, boards["members"], title="带图话题", source="看图", images=[image]
    )
    name = topic.posts.get().images.get().image.name
    assert re.fullmatch(r"forum/\d{4}/\d{2}/[0-9a-f]{32}\.jpg", name)


def test_pictures_are_served_only_to_those_who_may_read_the_post(
    client, alice, owner, boards, moderator
):

    def image():
        return clean_image(jpeg(), max_bytes=10**6, max_side=100)

    public = posting.create_topic(
        alice, boards["owners"], title="公开的图", source="看", images=[image()]
    )
    secret = posting.create_topic(
        alice, boards["members"], title="专区的图", source="专区里看", images=[image()]
    )
    public_url = public.posts.get().images.get().get_absolute_url()
    secret_url = secret.posts.get().images.get().get_absolute_url()
    response = client.get(public_url)
    assert response.status_code == 200 and response["Content-Type"] == "image/jpeg"
    assert client.get(secret_url).status_code == 302  # sign in first
    client.force_login(owner)  # signed in but not verified
    assert client.get(secret_url).status_code == 403
    moderation.hide_post(public.posts.get(), moderator, "违规图片")
    assert client.get(public_url).status_code == 404
    client.force_login(moderator)
    assert client.get(public_url).status_code == 200
    # and the stored file is in the private store, not the public one
    name = public.posts.get().images.get().image.name
    assert private_storage.exists(name) and not default_storage.exists(name)


# -- Pages offer what the actions allow, by asking forum.access ------------------------------


def test_a_moderator_replies_in_a_locked_topic_from_its_page(client, alice, bob, moderator, boards):

    topic = posting.create_topic(alice, boards["owners"], title="已锁定的话题", source="第一楼")
    moderation.set_flags(topic, moderator, is_locked=True)
    client.force_login(bob)
    page = client.get(topic.get_absolute_url()).content.decode()
    assert "此话题已锁定" in page and 'id="reply"' not in page and "?quote=" not in page
    client.force_login(moderator)
    page = client.get(topic.get_absolute_url()).content.decode()
    assert 'id="reply"' in page and "?quote=" in page and "此话题已锁定" not in page
    response = client.post(reverse("forum:reply", args=[topic.pk]), {"source": "版主说明"})
    assert response.status_code == 302 and topic.posts.count() == 2


def test_the_edit_link_shows_where_an_edit_is_allowed(client, alice, bob, moderator, boards):

    topic = posting.create_topic(alice, boards["owners"], title="能改吗", source="原文")
    post = topic.posts.get()
    edit_url = reverse("forum:edit", args=[post.pk])
    client.force_login(alice)
    assert edit_url in client.get(topic.get_absolute_url()).content.decode()
    client.force_login(bob)
    assert edit_url not in client.get(topic.get_absolute_url()).content.decode()
    assert client.get(edit_url).status_code == 403

    moderation.set_flags(topic, moderator, is_locked=True)
    client.force_login(alice)  # the author, in a locked topic: no link, and no form either
    assert edit_url not in client.get(topic.get_absolute_url()).content.decode()
    response = client.get(edit_url)
    assert response.status_code == 403 and "此帖子已不能编辑" in response.content.decode()
    client.force_login(moderator)
    assert edit_url in client.get(topic.get_absolute_url()).content.decode()
    assert client.get(edit_url).status_code == 200


def test_a_staff_board_does_not_ask_owners_to_verify(client, owner, spokesperson, boards):
    topic = posting.create_topic(
        spokesperson, boards["announcements"], title="停水通知", source="明天停水"
    )
    client.force_login(owner)  # signed in, not verified: verifying would not let them post here
    for url in (topic.get_absolute_url(), reverse("forum:board", args=["announcements"])):
        page = client.get(url).content.decode()
        assert "认证业主可以" not in page and 'id="reply"' not in page
    response = client.get(reverse("forum:reply", args=[topic.pk]))
    assert response.status_code == 403 and "仅限员工发帖" in response.content.decode()
    page = client.get(reverse("forum:board", args=["owners"])).content.decode()
    assert "认证业主可以" in page  # where verifying helps, the page says so


def test_the_feed_link_and_the_feed_follow_one_rule(client, boards):
    for slug in boards:
        page = client.get(reverse("forum:board", args=[slug]))
        feed = client.get(reverse("forum:board_feed", args=[slug]))
        linked = reverse("forum:board_feed", args=[slug]) in page.content.decode()
        assert linked == (feed.status_code == 200), slug
        assert linked == (boards[slug].readers == "everyone"), slug


def test_hidden_topics_cannot_be_followed_liked_or_reported(client, alice, bob, moderator, boards):

    topic = posting.create_topic(alice, boards["owners"], title="将被隐藏", source="内容")
    post = topic.posts.get()
    moderation.hide_topic(topic, moderator, "重复")
    client.force_login(bob)
    assert client.post(reverse("forum:follow_topic", args=[topic.pk])).status_code == 404
    assert client.post(reverse("forum:like", args=[post.pk])).status_code == 403
    assert client.get(reverse("forum:report", args=[post.pk])).status_code == 404
    post.refresh_from_db()
    assert not Subscription.objects.filter(user=bob).exists() and post.like_count == 0
    client.force_login(moderator)  # moderators read it, and find nothing there to like or report
    page = client.get(topic.get_absolute_url()).content.decode()
    assert "内容" in page and reverse("forum:report", args=[post.pk]) not in page


def test_no_news_of_a_post_hidden_before_the_news_goes_out(
    alice, bob, moderator, boards, django_capture_on_commit_callbacks
):

    topic = posting.create_topic(alice, boards["owners"], title="有人关注", source="第一楼")
    with django_capture_on_commit_callbacks() as queued:
        spam = posting.reply(bob, topic, source="广告 @alice")
    moderation.hide_post(spam, moderator, "广告")
    for callback in queued:
        callback()  # the worker gets to the news only now
    assert not forum_news(alice).exists()
