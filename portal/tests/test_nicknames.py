"""Owners choose the name others see on their profile; staff edit it in the admin."""

import pytest
from django.urls import reverse

from conftest import make_user
from portal.models import User

pytestmark = pytest.mark.django_db

PROFILE = {"real_name": "王建国", "mobile": "13800138000", "language": "zh-hans"}


def save_profile(client, **fields):
    data = {**PROFILE, "email_notifications": "immediately", **fields}
    return client.post(reverse("portal:profile"), data)


def test_the_profile_previews_the_name_others_see(owner_client, owner):
    html = owner_client.get(reverse("portal:profile")).content.decode()
    assert "王**" in html.split('class="public-name__preview"')[1][:200]
    save_profile(owner_client, show_real_name="on")
    html = owner_client.get(reverse("portal:profile")).content.decode()
    assert "王建国" in html.split('class="public-name__preview"')[1][:200]
    save_profile(owner_client, nickname="湖边散步")
    owner.refresh_from_db()
    assert owner.nickname == "湖边散步" and not owner.show_real_name
    assert owner.public_name == "湖边散步"


@pytest.mark.parametrize(
    "nickname, message",
    [
        ("王", "2 to 20"),
        ("一二三四五六七八九十一二三四五六七八九十一", "at most 20"),
        ("老 王", "spaces"),
        ("@老王", "spaces"),
        ("老王\u200b", "invisible"),
        ("金都客服", "kept for"),
        ("官方回复", "kept for"),
        ("小区管理员", "kept for"),
        ("ＡＤＭＩＮ", "kept for"),
        ("发言人老王", "kept for"),
    ],
)
def test_bad_nicknames_get_a_clear_message_and_change_nothing(
    owner_client, owner, nickname, message
):
    owner_client.cookies["django_language"] = "en"
    response = save_profile(owner_client, nickname=nickname)
    assert response.status_code == 200
    errors = " ".join(response.context["form"].errors["nickname"])
    assert message in errors
    owner.refresh_from_db()
    assert owner.nickname == ""


def test_a_nickname_is_taken_whatever_its_case(owner_client, owner, other_owner):
    other_owner.nickname = "LakeView"
    other_owner.save()
    response = save_profile(owner_client, nickname="lakeview")
    assert response.status_code == 200
    assert response.context["form"].errors["nickname"]
    owner.refresh_from_db()
    assert owner.nickname == ""
    # Keeping one's own nickname while saving the profile is fine.
    assert save_profile(owner_client, nickname="").status_code == 302
    other = owner_client
    other.force_login(other_owner)
    assert save_profile(other, nickname="LakeView", real_name="李静").status_code == 302


def test_control_characters_are_dropped(owner_client, owner):
    assert save_profile(owner_client, nickname="\x07老王\x1b").status_code == 302
    owner.refresh_from_db()
    assert owner.nickname == "老王"


def test_a_refused_form_does_not_change_the_header(owner_client, owner, other_owner):
    other_owner.nickname = "老李"
    other_owner.save()
    response = save_profile(owner_client, nickname="老李", real_name="王大锤")
    html = response.content.decode()
    assert "王大锤" not in html.split("</header>")[0]


@pytest.fixture
def admin_client(client):
    admin = make_user("root", is_superuser=True)
    client.force_login(admin)
    return client


def test_staff_give_a_spokesperson_an_official_nickname_in_the_admin(admin_client, staff):
    spokesperson = staff("Spokespersons")
    url = reverse("wagtailusers_users:edit", args=[spokesperson.pk])
    html = admin_client.get(url).content.decode()
    assert 'name="nickname"' in html and 'name="show_real_name"' in html
    data = {
        "username": spokesperson.username,
        "email": spokesperson.email,
        "real_name": "李晓梅",
        "nickname": "金都客服小李",
        "mobile": "",
        "language": "zh-hans",
        "first_name": "",
        "last_name": "",
        "is_active": "on",
        "groups": [g.pk for g in spokesperson.groups.all()],
    }
    response = admin_client.post(url, data)
    assert response.status_code == 302, response.context["form"].errors
    spokesperson.refresh_from_db()
    assert spokesperson.nickname == "金都客服小李" and spokesperson.public_name == "金都客服小李"
    # Uniqueness still holds for staff.
    make_user("copycat", nickname="客服小王")
    response = admin_client.post(url, {**data, "nickname": "客服小王"})
    assert response.status_code == 200 and response.context["form"].errors["nickname"]


def test_the_public_name_rules():
    user = User(pk=7, real_name="欧阳娜娜")
    assert user.public_name == "欧**"
    user.show_real_name = True
    assert user.public_name == "欧阳娜娜"
    user.nickname = "娜娜"
    assert user.public_name == "娜娜"
    assert str(User(pk=8).public_name).endswith("8")
    assert user.display_name == "欧阳娜娜"  # staff always see the real name
