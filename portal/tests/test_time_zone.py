"""Every time an owner reads is Beijing time: no owner page shows a stored moment as UTC.

The world of the language test (a topic, a case with its timeline, a member) is moved to a
moment whose UTC date and hour differ from Beijing's (07:30 in Beijing is 23:30 UTC the day
before); every stored date and time is then looked for on every owner page, as Beijing time
and as UTC, in the forms the pages write times in."""

from datetime import UTC, timedelta

import pytest
from django.apps import apps
from django.db import models
from django.utils import timezone

from cases.models import Case, CaseEvent
from forum.models import Post
from portal.tests.test_language_leaks import owner_pages, world  # noqa: F401 (the fixture)

pytestmark = pytest.mark.django_db
FORMS = ("%Y-%m-%d %H:%M", "%m-%d %H:%M", "%Y-%m-%dT%H:%M")


def stored_moments():
    """Every date and time the database holds."""
    for model in apps.get_models():
        names = [
            f.attname for f in model._meta.concrete_fields if isinstance(f, models.DateTimeField)
        ]
        if names and model._meta.managed:
            for row in model._base_manager.values_list(*names):
                yield from (value for value in row if value)


def written(moment, zone):
    return {moment.astimezone(zone).strftime(form) for form in FORMS}


def test_owner_pages_show_beijing_time(client, world, verified_owner):  # noqa: F811
    day = timezone.localdate() - timedelta(days=3)
    early = timezone.make_aware(timezone.datetime(day.year, day.month, day.day, 7, 30))
    Case.objects.update(created_at=early, first_response_due=early + timedelta(hours=5))
    CaseEvent.objects.update(created_at=early)
    Post.objects.update(created_at=early)
    client.force_login(verified_owner)
    pages = "".join(client.get(url, follow=True).content.decode() for url in owner_pages(world))
    beijing = timezone.get_current_timezone()
    shown, wrong = set(), set()
    for moment in stored_moments():
        shown |= {text for text in written(moment, beijing) if text in pages}
        wrong |= {text for text in written(moment, UTC) - written(moment, beijing) if text in pages}
    assert early.strftime("%Y-%m-%d 07:30") in shown  # the case's timeline, in Beijing time
    assert wrong == set()
