"""Keys read ahead with a request's first reads of the shared cache (portal.memo)."""

import pytest
from django.core.cache import cache
from django.http import HttpResponse
from django.test import RequestFactory

from portal import memo
from portal.models import Notification
from portal.notifications import mark_read, unread_count

pytestmark = pytest.mark.django_db


def test_a_count_read_ahead_is_read_afresh_once_the_request_changes_it(owner):
    notification = Notification.objects.create(recipient=owner, kind="reply", text="回复", url="/")
    assert unread_count(owner) == 1  # counted, and kept in the shared cache
    seen = []

    def page(request):
        memo.get_many(["anything"], owner.pk)  # a page's first read, with the count
        mark_read(owner, [notification.pk])
        seen.append(unread_count(owner))  # not what was read ahead any more
        return HttpResponse()

    memo.RequestMemoMiddleware(page)(RequestFactory().get("/"))
    assert seen == [0]


def test_a_key_read_ahead_is_given_once(owner):
    """The first ask gets what was read ahead; a later one reads the shared cache again."""
    key = f"notifications:unread:{owner.pk}"
    cache.set(key, 3)
    seen = []

    def page(request):
        memo.get_many([], owner.pk)
        cache.set(key, 4)  # another process
        seen.extend([memo.cached(key), memo.cached(key)])
        return HttpResponse()

    memo.RequestMemoMiddleware(page)(RequestFactory().get("/"))
    assert seen == [3, 4]


def test_outside_a_request_nothing_is_read_ahead(owner):
    key = f"notifications:unread:{owner.pk}"
    cache.set(key, 5)
    assert memo.get_many(["anything"], owner.pk) == {}  # the key read ahead is not given
    cache.set(key, 6)
    assert unread_count(owner) == 6  # nor kept: read when asked
