"""An event's page is kept once for every owner; the seats left and each reader's own sign-up
are written in as the page is answered, so a sign-up shows at once without a publication."""

import re

import pytest
from django.test import Client
from django.urls import reverse

from events import signup
from events.models import EventPage

pytestmark = pytest.mark.django_db


def signed_in(user, **options):
    client = Client(**options)
    client.force_login(user)
    return client


def change_behind_the_caches_back(event, title):
    """A change that bumps no version: whoever still sees the old title got a kept copy."""
    EventPage.objects.filter(pk=event.pk).update(title=title)


def test_each_reader_gets_their_own_sign_up_and_todays_seats(event, make_member):
    first, second = make_member("first"), make_member("second")
    assert "剩余 4 / 4" in signed_in(first.user).get(event.url).content.decode()
    change_behind_the_caches_back(event, "新标题")
    signup.sign_up(event, second.user, guests=1)

    page = signed_in(second.user).get(event.url).content.decode()
    assert "新标题" not in page  # the kept copy...
    assert "剩余 2 / 4" in page  # ...with the seats as they are now
    assert "取消报名" in page and "ticket__qr" in page  # and the second member's own ticket

    reader = signed_in(first.user, enforce_csrf_checks=True)
    page = reader.get(event.url).content.decode()
    assert "ticket__qr" not in page and "取消报名" not in page
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page)[1]
    response = reader.post(
        reverse("events:sign_up", args=[event.pk]), {"csrfmiddlewaretoken": token, "guests": "0"}
    )
    assert response.status_code == 302
    assert event.registrations.filter(user=first.user).exists()


def test_visitors_see_todays_seats(client, event, make_member):
    assert "剩余 4 / 4" in client.get(event.url).content.decode()
    signup.sign_up(event, make_member("member").user)
    assert "剩余 3 / 4" in client.get(event.url).content.decode()


def test_the_calendar_file_is_never_kept_as_a_page(event, make_member):
    client = signed_in(make_member("member").user)
    client.get(event.url)
    for _ in range(2):
        response = client.get(event.url + "ics/")
        assert response["Content-Type"].startswith("text/calendar")
        assert b"BEGIN:VCALENDAR" in response.content
