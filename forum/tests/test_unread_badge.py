"""The unread count in the navigation comes from the shared cache and changes at once when a
notification is written, read or deleted."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from forum import posting
from portal.models import Notification
from portal.notifications import delete_notifications, mark_read

pytestmark = pytest.mark.django_db


def badge(client):
    """The number on the "Me" tab, or 0; and whether the page counted in the database."""
    with CaptureQueriesContext(connection) as queries:
        html = client.get(reverse("forum:index")).content.decode()
    counted = any("portal_notification" in q["sql"] for q in queries)
    found = re.search(r'<span class="nav-count"[^>]*>(\d+)</span>', html)
    return (int(found.group(1)) if found else 0), counted


def test_the_badge_follows_new_read_and_deleted_notifications(
    client, boards, alice, bob, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        topic = posting.create_topic(alice, boards["owners"], title="绿化", source="草坪")
    mark_read(alice, alice.notifications.values_list("pk", flat=True))  # her claim's decision
    client.force_login(alice)
    assert badge(client) == (0, True)  # counted once
    assert badge(client) == (0, False)  # then read from the cache

    with django_capture_on_commit_callbacks(execute=True):  # the forum's job runs on commit
        posting.reply(bob, topic, source="同意修剪")
    assert Notification.objects.filter(recipient=alice, read_at__isnull=True).count() == 1
    assert badge(client) == (1, True)
    assert badge(client) == (1, False)

    with django_capture_on_commit_callbacks(execute=True):
        posting.reply(bob, topic, source="周末就修")
    assert badge(client)[0] == 2

    client.get(reverse("owners:notifications"))  # opening the list marks them read
    assert badge(client)[0] == 0

    with django_capture_on_commit_callbacks(execute=True):
        posting.reply(bob, topic, source="修好了")
    assert badge(client)[0] == 1
    delete_notifications(Notification.objects.filter(recipient=alice))
    assert badge(client) == (0, True)
