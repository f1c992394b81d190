"""Event fixtures: the club's members (club/tests/conftest.py) sign up for events published
under the club's event list."""

from datetime import timedelta

import pytest
from django.utils import timezone
from wagtail.models import Page

from club.models import ClubPage
from club.tests.conftest import (  # noqa: F401 (shared fixtures)
    _messages_in_english,
    club_staff,
    make_member,
    member,
    verified,
)
from events.models import EventIndexPage, EventPage


@pytest.fixture
def events_index(db):
    home = Page.objects.get(depth=2)
    club = home.add_child(instance=ClubPage(title="金都会", slug="club"))
    index = club.add_child(instance=EventIndexPage(title="会员活动", slug="events"))
    index.save_revision().publish()
    return index


@pytest.fixture
def make_event(events_index):
    def make(title="茶艺沙龙", *, days=10, **fields):
        starts = timezone.now() + timedelta(days=days)
        values = {
            "starts_at": starts,
            "ends_at": starts + timedelta(hours=2),
            "place": "会所茶室",
            "capacity": 4,
            "guests_allowed": 2,
            "points": 150,
            "audience": "members",
            **fields,
        }
        event = events_index.add_child(
            instance=EventPage(title=title, slug=f"e{EventPage.objects.count()}", **values)
        )
        event.save_revision().publish()
        return EventPage.objects.get(pk=event.pk)

    return make


@pytest.fixture
def event(make_event):
    return make_event()
