"""The one-click unsubscribe pages never show whose address it is: links get forwarded."""

import pytest
from django.core import signing
from django.urls import reverse

from club.tests.conftest import club_staff, make_member  # noqa: F401 (fixtures)
from portal.notifications import unsubscribe_url
from publications.mailing import UNSUBSCRIBE_SALT

pytestmark = pytest.mark.django_db


def test_the_notification_unsubscribe_page_shows_no_address(client, owner):
    response = client.get(unsubscribe_url(owner))
    assert response.status_code == 200
    html = response.content.decode()
    assert owner.email not in html and "owner@" not in html
    assert client.post(unsubscribe_url(owner)).status_code == 200
    owner.refresh_from_db()
    assert owner.email_notifications == "never"


def test_the_club_publications_unsubscribe_page_shows_no_address(client, make_member):  # noqa: F811
    member = make_member("reader", email="reader.private@example.com")
    token = signing.dumps(member.user_id, salt=UNSUBSCRIBE_SALT)
    response = client.get(reverse("publications:stop_publications", args=[token]))
    assert response.status_code == 200
    assert "reader.private" not in response.content.decode()
