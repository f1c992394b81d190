"""The club page, the events index and an event page, rendered afresh, cost at most ten
queries, the same for three events (and surveys) as for three hundred."""

from datetime import timedelta

import pytest
from django.utils import timezone

from club.models import SurveyPage
from events.models import EventPage
from portal.tests.page_queries import fresh_queries

pytestmark = pytest.mark.django_db

MOST = 10


def add_events(index, start, stop):
    for number in range(start, stop):
        starts = timezone.now() + timedelta(days=number)
        index.add_child(
            instance=EventPage(
                title=f"活动{number}",
                slug=f"e{number}",
                starts_at=starts,
                ends_at=starts + timedelta(hours=2),
                place="会所茶室",
                capacity=4,
                audience="members",
            )
        )
        index.get_parent().add_child(instance=SurveyPage(title=f"问卷{number}", slug=f"s{number}"))


def test_the_club_and_events_pages_cost_the_same_for_3_and_300(client, events_index):
    club = events_index.get_parent().specific
    club.save_revision().publish()
    add_events(events_index, 1, 4)
    urls = [club.url, events_index.url, EventPage.objects.first().url]
    few = [fresh_queries(client, url) for url in urls]
    add_events(events_index, 4, 301)
    many = [fresh_queries(client, url) for url in urls]
    assert few == many and max(many) <= MOST
