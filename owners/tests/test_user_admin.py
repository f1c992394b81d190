"""Staff edit owners' profile fields in Wagtail's user admin."""

import pytest
from django.urls import reverse

from conftest import make_user

pytestmark = pytest.mark.django_db


def test_the_user_admin_edits_profile_fields(client, owner):
    owner.mobile_verified = False  # a contact number: staff may correct it
    owner.save()
    admin = make_user("root", is_superuser=True)
    client.force_login(admin)
    url = reverse("wagtailusers_users:edit", args=[owner.pk])
    html = client.get(url).content.decode()
    assert 'name="real_name"' in html and 'name="mobile"' in html
    response = client.post(
        url,
        {
            "username": owner.username,
            "email": owner.email,
            "first_name": "",
            "last_name": "",
            "real_name": "王建国",
            "mobile": "13700137000",
            "language": "en",
            "is_active": "on",
        },
    )
    assert response.status_code == 302
    owner.refresh_from_db()
    assert (owner.mobile, owner.language) == ("13700137000", "en")


def test_a_malformed_mobile_is_refused_in_the_admin_too(client, owner):
    owner.mobile_verified = False
    owner.save()
    client.force_login(make_user("root", is_superuser=True))
    response = client.post(
        reverse("wagtailusers_users:edit", args=[owner.pk]),
        {
            "username": owner.username,
            "email": owner.email,
            "real_name": "x",
            "mobile": "12",
            "language": "en",
            "is_active": "on",
        },
    )
    assert response.status_code == 200
    owner.refresh_from_db()
    assert owner.mobile == "13800138000"


def test_the_user_admin_cannot_change_an_email_address(client, owner):
    """Addresses change only at allauth's page, verified: not behind the owner's back."""
    client.force_login(make_user("root", is_superuser=True))
    url = reverse("wagtailusers_users:edit", args=[owner.pk])
    response = client.post(
        url,
        {
            "username": owner.username,
            "email": "someone-else@example.net",
            "real_name": "王建国",
            "mobile": "13800138000",
            "language": "zh-hans",
            "is_active": "on",
        },
    )
    assert response.status_code == 302
    owner.refresh_from_db()
    assert owner.email == "owner@example.com"


def test_the_user_admin_cannot_change_a_verified_number(client, owner):
    """A verified number signs in: it changes only with a code texted to the new one."""
    client.force_login(make_user("root", is_superuser=True))
    response = client.post(
        reverse("wagtailusers_users:edit", args=[owner.pk]),
        {
            "username": owner.username,
            "real_name": "王建国",
            "mobile": "13700137000",
            "language": "zh-hans",
            "is_active": "on",
        },
    )
    assert response.status_code == 302
    owner.refresh_from_db()
    assert (owner.mobile, owner.mobile_verified) == ("13800138000", True)
