"""The owner's profile: real name, mobile number, language and avatar."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

pytestmark = pytest.mark.django_db

PROFILE_URL = reverse("owners:profile")


def profile_data(**changes):
    return {
        "real_name": "王建国",
        "mobile": "13800138000",
        "language": "zh-hans",
        "email_notifications": "immediately",
        **changes,
    }


def jpeg(size=(1200, 900), with_gps=True):
    image = Image.new("RGB", size, (200, 80, 40))
    exif = Image.Exif()
    if with_gps:
        exif[0x8825] = {2: (30.0, 15.0, 0.0)}  # GPSInfo: where the photo was taken
    exif[0x010F] = "PhoneMaker"
    out = io.BytesIO()
    image.save(out, "JPEG", exif=exif)
    return SimpleUploadedFile("me.jpg", out.getvalue(), content_type="image/jpeg")


def test_the_owner_saves_name_mobile_and_language(owner_client, owner):
    owner.mobile_verified = False  # a contact number typed here, never verified by a code
    owner.save()
    response = owner_client.post(
        PROFILE_URL, profile_data(real_name="王小明", mobile="+86 139-0013-9000", language="en")
    )
    assert response.status_code == 302
    owner.refresh_from_db()
    assert (owner.real_name, owner.mobile, owner.language) == ("王小明", "13900139000", "en")
    # The saved language becomes the site's language for this browser.
    assert response.cookies["django_language"].value == "en"


@pytest.mark.parametrize("mobile", ["12345", "23800138000", "1380013800a", "138001380001", ""])
def test_a_malformed_mobile_number_is_refused(owner_client, owner, mobile):
    owner.mobile_verified = False
    owner.save()
    response = owner_client.post(PROFILE_URL, profile_data(mobile=mobile, real_name="改名"))
    assert response.status_code == 200
    assert 'class="field__error"' in response.content.decode()
    owner.refresh_from_db()
    assert owner.mobile == "13800138000" and owner.real_name == "王建国"


def test_a_verified_number_changes_only_with_a_code(owner_client, owner):
    page = owner_client.get(PROFILE_URL, HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()
    assert 'name="mobile"' in page and "disabled" in page.split('name="mobile"')[1][:200]
    response = owner_client.post(PROFILE_URL, profile_data(mobile="13900139000"))
    assert response.status_code == 302
    owner.refresh_from_db()
    assert (owner.mobile, owner.mobile_verified) == ("13800138000", True)


def test_an_avatar_is_resized_and_stripped_of_exif(owner_client, owner):
    response = owner_client.post(PROFILE_URL, {**profile_data(), "avatar": jpeg()})
    assert response.status_code == 302
    owner.refresh_from_db()
    with Image.open(owner.avatar.open("rb")) as saved:
        assert saved.size == (256, 256)
        assert not saved.getexif()


def test_a_file_that_is_not_an_image_is_refused(owner_client, owner):
    fake = SimpleUploadedFile("me.jpg", b"<?php echo 1; ?>", content_type="image/jpeg")
    response = owner_client.post(PROFILE_URL, {**profile_data(real_name="改名"), "avatar": fake})
    assert response.status_code == 200
    assert 'class="field__error"' in response.content.decode()
    owner.refresh_from_db()
    assert not owner.avatar and owner.real_name == "王建国"


def test_an_image_that_is_too_large_is_refused(owner_client, owner, settings):
    settings.AVATAR_MAX_BYTES = 1024
    response = owner_client.post(PROFILE_URL, {**profile_data(), "avatar": jpeg()})
    assert response.status_code == 200
    owner.refresh_from_db()
    assert not owner.avatar


def test_the_profile_needs_a_signed_in_owner(client):
    assert client.get(PROFILE_URL).status_code == 302


def test_control_characters_are_dropped_from_names(owner_client, owner):
    owner_client.post(PROFILE_URL, profile_data(real_name="张\x0b伟"))
    owner.refresh_from_db()
    assert owner.real_name == "张伟"
