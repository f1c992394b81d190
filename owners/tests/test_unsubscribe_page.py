"""The one-click unsubscribe pages never show whose address it is: links get forwarded."""

import pytest
from django.urls import reverse

from club.tests.conftest import club_staff, make_member  # noqa: F401 (fixtures)
from portal.notifications import NOTIFICATIONS
from publications.mailing import PUBLICATIONS

pytestmark = pytest.mark.django_db


def test_the_notification_unsubscribe_page_shows_no_address(client, owner):
    response = client.get(NOTIFICATIONS.url(owner))
    assert response.status_code == 200
    html = response.content.decode()
    assert owner.email not in html and "owner@" not in html
    assert client.post(NOTIFICATIONS.url(owner)).status_code == 200
    owner.refresh_from_db()
    assert owner.email_notifications == "never"


def test_the_club_publications_unsubscribe_page_shows_no_address(client, make_member):  # noqa: F811
    member = make_member("reader", email="reader.private@example.com")
    response = client.get(PUBLICATIONS.url(member.user))
    assert response.status_code == 200
    assert "reader.private" not in response.content.decode()


def test_a_link_stops_only_the_kind_of_email_it_came_with(client, make_member):  # noqa: F811
    member = make_member("reader")
    user = member.user
    # Each list's token, taken to the other list's page: refused, nothing changes.
    crossed = {
        "publications:stop_publications": NOTIFICATIONS.token(user),
        "owners:unsubscribe": PUBLICATIONS.token(user),
    }
    for name, token in crossed.items():
        assert client.post(reverse(name, args=[token])).status_code == 400
    user.refresh_from_db()
    assert user.notification_channels == {} and user.email_notifications == "immediately"
    # Each with its own: the one switch it is for.
    assert client.post(PUBLICATIONS.url(user)).status_code == 200
    user.refresh_from_db()
    assert user.notification_channels == {"publications": []}
    assert user.email_notifications == "immediately"
