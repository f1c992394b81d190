"""Read and post rules hold on every forum page, feed and search."""

import re

import pytest
from django.urls import reverse

from forum import posting

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
    from forum import moderation

    moderation.hide_post(topic.posts.get(), moderator, "广告")
    assert "普通话题" not in client.get(reverse("forum:search"), {"q": "物业费"}).content.decode()


def test_hidden_posts_and_topics_cannot_be_read_through_side_doors(
    client, alice, bob, boards, moderator
):
    from forum import moderation

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

    from forum.tests.test_query_counts import picture
    from portal.images import clean_image

    image = clean_image(picture(), max_bytes=10**6, max_side=100)
    topic = posting.create_topic(
        alice, boards["members"], title="带图话题", source="看图", images=[image]
    )
    name = topic.posts.get().images.get().image.name
    assert re.fullmatch(r"forum/\d{4}/\d{2}/[0-9a-f]{32}\.jpg", name)


def test_pictures_are_served_only_to_those_who_may_read_the_post(
    client, alice, owner, boards, moderator
):
    from forum import moderation
    from forum.tests.test_query_counts import picture as jpeg
    from portal.images import clean_image

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
    # and the stored file is outside the public media folder
    from django.conf import settings

    assert not public.posts.get().images.get().image.path.startswith(str(settings.MEDIA_ROOT))
