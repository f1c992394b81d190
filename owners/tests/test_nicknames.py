"""Owners choose the name others see on their profile; staff edit it in the admin."""

import pytest
from django.urls import reverse

from conftest import make_user
from owners.models import User

pytestmark = pytest.mark.django_db

PROFILE = {"real_name": "王建国", "mobile": "13800138000", "language": "zh-hans"}


def save_profile(client, **fields):
    data = {**PROFILE, "email_notifications": "immediately", **fields}
    return client.post(reverse("owners:profile"), data)


def test_the_profile_previews_the_name_others_see(owner_client, owner):
    html = owner_client.get(reverse("owners:profile")).content.decode()
    assert "王**" in html.split('class="public-name__preview"')[1][:200]
    save_profile(owner_client, show_real_name="on")
    html = owner_client.get(reverse("owners:profile")).content.decode()
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
        # Masked names and masking characters, as the site and people write them.
        ("王**", "masking"),
        ("陈**", "masking"),
        ("王＊＊", "masking"),
        ("王✱✱", "masking"),
        ("王××", "masking"),
        # Look-alike letters NFKC leaves alone, and fillers between reserved words.
        ("Jіndu", "kept for"),  # Cyrillic і
        ("аdmin", "kept for"),  # Cyrillic а
        ("ΑDMIN", "kept for"),  # Greek Α
        ("adm1n", "kept for"),
        ("0fficial", "kept for"),
        ("金丶都客丶服", "kept for"),
        ("客·服小王", "kept for"),
        ("金•都", "kept for"),
        ("管_理_员", "kept for"),
        ("客~服", "kept for"),
        ("管理員", "kept for"),  # traditional form
        # The name the site shows for an owner without a real name.
        ("业主13", "such as 业主13"),
        ("Owner13", "such as 业主13"),
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


@pytest.mark.parametrize(
    "nickname", ["LakeVіew", "ＬakeＶiew", "lake-view", "Lake_View", "LAKEVlEW"]
)
def test_a_nickname_that_looks_like_another_owners_is_taken(
    owner_client, owner, other_owner, nickname
):
    other_owner.nickname = "LakeView"
    other_owner.save()
    owner_client.cookies["django_language"] = "en"
    response = save_profile(owner_client, nickname=nickname)
    assert response.status_code == 200
    assert "looks the same" in " ".join(response.context["form"].errors["nickname"])
    owner.refresh_from_db()
    assert owner.nickname == ""


def test_a_nickname_cannot_be_another_persons_real_name(owner_client, owner, other_owner, staff):
    """Shown (李静 below) or masked (刘洋, whose posts read 刘**), and staff's names too."""
    make_user("liu", real_name="刘洋")
    spokesperson = staff("Spokespersons")
    spokesperson.real_name = "李晓梅"
    spokesperson.save()
    other_owner.show_real_name = True
    other_owner.save()
    owner_client.cookies["django_language"] = "en"
    for nickname in ("李静", "刘洋", "刘丶洋", "刘-洋", "李晓梅"):
        response = save_profile(owner_client, nickname=nickname)
        assert response.status_code == 200, nickname
        errors = " ".join(response.context["form"].errors["nickname"])
        assert "another person's name" in errors, nickname
    owner.refresh_from_db()
    assert owner.nickname == ""
    # One's own real name is no impersonation.
    assert save_profile(owner_client, nickname="王建国").status_code == 302
    owner.refresh_from_db()
    assert owner.public_name == "王建国"


def test_a_kept_nickname_does_not_stop_saving_the_profile(client, owner, staff):
    """A spokesperson's official nickname given in the admin, and a nickname that someone's real
    name met only later, stay when their owners save the rest of their profile."""
    spokesperson = staff("Spokespersons")
    spokesperson.nickname = "金都客服小李"
    spokesperson.save()
    client.force_login(spokesperson)
    response = save_profile(client, nickname="金都客服小李", real_name="李晓梅", language="en")
    assert response.status_code == 302
    spokesperson.refresh_from_db()
    assert spokesperson.nickname == "金都客服小李" and spokesperson.language == "en"

    owner.nickname = "刘洋"
    owner.save()
    make_user("liu", real_name="刘洋")
    client.force_login(owner)
    assert save_profile(client, nickname="刘洋", real_name="王建华").status_code == 302
    owner.refresh_from_db()
    assert owner.real_name == "王建华"
    # Changing it is held to the rules again.
    assert save_profile(client, nickname="刘洋洋").status_code == 302
    response = save_profile(client, nickname="刘洋")
    assert response.status_code == 200 and response.context["form"].errors["nickname"]


def test_the_messages_are_in_chinese(owner_client, other_owner):
    other_owner.nickname = "LakeView"
    other_owner.save()
    owner_client.cookies["django_language"] = "zh-hans"
    cases = {
        "王**": "遮挡",
        "аdmin": "官方",
        "LakeVіew": "看起来",
        "李静": "他人的姓名",
        "业主13": "业主13",
    }
    for nickname, words in cases.items():
        response = save_profile(owner_client, nickname=nickname, language="zh-hans")
        errors = " ".join(response.context["form"].errors["nickname"])
        assert words in errors and "。" in errors, (nickname, errors)


def test_the_look_alike_key_follows_every_save(owner):
    owner.nickname = "LakeVіew"
    owner.save(update_fields=["nickname"])
    assert User.objects.filter(nickname_key="iakeview").get() == owner
    owner.nickname = ""
    owner.save()
    assert not User.objects.filter(nickname_key="iakeview").exists()


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
    # Uniqueness still holds for staff, and so do the rules against imitating people.
    make_user("copycat", nickname="客服小Wang", real_name="王小明")
    for nickname in ("客服小wang", "客服小Wаng", "王小明", "王**"):  # the second: Cyrillic а
        response = admin_client.post(url, {**data, "nickname": nickname})
        assert response.status_code == 200 and response.context["form"].errors["nickname"]
    spokesperson.refresh_from_db()
    assert spokesperson.nickname == "金都客服小李"


def test_the_public_name_rules():
    user = User(pk=7, real_name="欧阳娜娜")
    assert user.public_name == "欧**"
    user.show_real_name = True
    assert user.public_name == "欧阳娜娜"
    user.nickname = "娜娜"
    assert user.public_name == "娜娜"
    assert str(User(pk=8).public_name).endswith("8")
    assert user.display_name == "欧阳娜娜"  # staff always see the real name
