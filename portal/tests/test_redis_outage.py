"""Fault test: the site serves through a Redis outage (issue 13, "degrade, don't fail").

The cache and sessions are pointed at a private redis-server started for the test; it is stopped
(or frozen) in the middle, and every request made meanwhile is counted: pages, sign-in, the
signed-in owner's pages and writes all answer as they would with Redis, /readyz names the cache,
and after Redis is back nothing stale comes out of it.
"""

import json
import logging
import time

import pytest
from django.test import Client
from django.urls import reverse

from cases.models import Case, Category
from conftest import PASSWORD, totp_code
from forum.models import Board, Post, Topic
from home.models import StandardPage
from portal.cache import RETRY_SECONDS
from portal.models import FallbackCacheEntry
from portal.settings.base import redis_cache
from portal.tests.redis_server import redis_server  # noqa: F401 (a fixture)
from portal.tests.test_csp import REPORT

pytestmark = pytest.mark.django_db

LOGIN = reverse("account_login")


@pytest.fixture
def redis_cache_settings(settings, redis_server):  # noqa: F811
    """The cache and sessions in the private Redis, as production has them."""
    settings.CACHES = {"default": redis_cache(redis_server.url)}
    settings.SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
    return redis_server


@pytest.fixture
def site(settings, home_page, verified_owner):
    settings.FORUM_SECONDS_BETWEEN_POSTS = 0  # a topic, then a reply at once
    page = home_page.add_child(
        instance=StandardPage(title="停车须知", slug="parking", show_in_menus=True)
    )
    board = Board.objects.create(slug="owners", name="业主交流", readers="everyone")
    return {"page": page, "board": board}


class Requests:
    """Every request of the test, with what it answered and how long it took."""

    def __init__(self):
        self.log = []

    def __call__(self, client, method, url, data=None, *, expect):
        started = time.perf_counter()
        try:
            response = getattr(client, method)(url, data or {})
            status = response.status_code
        except Exception as error:  # the test client re-raises what a view raised
            response, status = None, f"raised {type(error).__name__}: {error}"
        self.log.append((method, url, status, expect, time.perf_counter() - started))
        assert status == expect, f"{method.upper()} {url}: {status}, expected {expect}"
        return response

    @property
    def failed(self):
        """Requests that raised or answered 5xx, but for /readyz's expected 503."""
        return [
            (method, url, status)
            for method, url, status, expect, _ in self.log
            if status != expect and (not isinstance(status, int) or status >= 500)
        ]


def sign_in(request, email):
    client = Client()
    response = request(client, "post", LOGIN, {"login": email, "password": PASSWORD}, expect=302)
    assert response.url == reverse("owners:dashboard")
    return client


def readiness(request, expect):
    return request(Client(), "get", reverse("readyz"), expect=expect).json()


def test_pages_sign_in_and_writes_work_while_redis_is_down(
    redis_cache_settings, site, verified_owner
):
    redis = redis_cache_settings
    request = Requests()
    board, page = site["board"], site["page"]
    repairs = Category.objects.get(name="维修报修")
    visitor = Client()
    owner = sign_in(request, verified_owner.email)
    request(owner, "post", reverse("forum:new_topic", args=[board.slug]),
            {"title": "电梯维修", "source": "三号楼电梯停了。"}, expect=302)  # fmt: skip
    topic = Topic.objects.get()
    pages = ["/", page.url, reverse("forum:index"), reverse("forum:board", args=[board.slug]),
             topic.get_absolute_url(), LOGIN]  # fmt: skip
    owners_pages = [reverse("owners:dashboard"), reverse("cases:mine"), "/", page.url,
                    topic.get_absolute_url()]  # fmt: skip
    for url in pages:  # warm: the page cache holds the CMS pages now
        request(visitor, "get", url, expect=200)
    assert readiness(request, 200)["checks"]["cache"]["ok"]

    redis.stop()
    outage_started = time.perf_counter()

    for url in pages:
        request(visitor, "get", url, expect=200)
    for url in owners_pages:  # the session is read from the database
        request(owner, "get", url, expect=200)
    request(owner, "post", reverse("forum:reply", args=[topic.pk]),
            {"source": "物业说明天修好。"}, expect=302)  # fmt: skip
    request(owner, "post", reverse("cases:new"),
            {"kind": "complaint", "category": repairs.pk, "subject": "电梯停运",
             "description": "三号楼电梯停了两天。"}, expect=302)  # fmt: skip
    case = Case.objects.get()
    request(owner, "get", case.get_absolute_url(), expect=200)
    # Signing in: the session is written to the database, the failed-attempt limits count in
    # the database table meanwhile.
    again = sign_in(request, verified_owner.email)
    request(again, "get", reverse("owners:dashboard"), expect=200)
    assert FallbackCacheEntry.objects.filter(cache_key__contains="login_failed").exists()
    body = readiness(request, 503)
    assert body["status"] == "unavailable" and body["failing"] == ["cache"]
    assert body["checks"]["database"]["ok"] and not body["checks"]["cache"]["ok"]
    outage_took = time.perf_counter() - outage_started

    redis.start()
    time.sleep(RETRY_SECONDS)  # the processes ask Redis again a second after its last failure
    assert readiness(request, 200)["failing"] == []
    for url in pages:
        request(visitor, "get", url, expect=200)
    request(owner, "get", reverse("owners:dashboard"), expect=200)
    request(again, "get", reverse("owners:dashboard"), expect=200)

    assert request.failed == []
    assert Post.objects.filter(topic=topic).count() == 2 and Case.objects.count() == 1
    # The outage cost milliseconds a request, not timeouts.
    assert outage_took < 5, request.log


def test_a_frozen_redis_costs_a_fraction_of_a_second_and_leaves_nothing_stale(
    redis_cache_settings, site, verified_owner
):
    """Redis stops answering but keeps its data (a hung server, a network partition): requests
    wait at most a socket timeout, then go on without it; a sign-out made meanwhile is not undone
    by the session Redis still holds when it comes back, and a page published meanwhile shows."""
    redis = redis_cache_settings
    request = Requests()
    page = site["page"]
    visitor = Client()
    owner = sign_in(request, verified_owner.email)
    request(owner, "get", reverse("owners:dashboard"), expect=200)  # the session is in Redis
    session_cookie = owner.cookies["sessionid"].value
    for url in ("/", page.url):  # in the page cache
        request(visitor, "get", url, expect=200)

    redis.hang()
    started = time.perf_counter()
    request(owner, "post", reverse("account_logout"), expect=302)
    page.title = "停车新规"
    page.save_revision().publish()
    request(visitor, "get", "/", expect=200)
    took = time.perf_counter() - started
    redis.resume()
    time.sleep(RETRY_SECONDS)

    stolen = Client()
    stolen.cookies["sessionid"] = session_cookie
    response = request(stolen, "get", reverse("owners:dashboard"), expect=302)
    assert response.url.startswith(LOGIN)  # signed out, though Redis held the session
    for url in ("/", page.url):  # the publication's new page version was not lost
        assert "停车新规" in request(visitor, "get", url, expect=200).content.decode()
    assert request.failed == []
    assert took < 3, request.log


def test_staff_sign_in_with_their_code_and_a_code_is_still_used_once(
    redis_cache_settings, staff, home_page
):
    """allauth records used authenticator codes in the cache (cache.add): while Redis is down
    they are recorded in the database instead, so staff still sign in and a code still works
    once."""
    redis = redis_cache_settings
    request = Requests()
    agent = staff("Customer service")
    redis.stop()
    code = totp_code()
    client = Client()
    request(client, "post", LOGIN, {"login": agent.email, "password": PASSWORD}, expect=302)
    response = request(client, "post", reverse("mfa_authenticate"), {"code": code}, expect=302)
    request(client, "get", "/admin/", expect=200)
    request(client, "post", reverse("account_logout"), expect=302)
    request(client, "post", LOGIN, {"login": agent.email, "password": PASSWORD}, expect=302)
    response = request(client, "post", reverse("mfa_authenticate"), {"code": code}, expect=200)
    assert "验证码不正确，或已使用过。" in response.content.decode()  # replayed: refused
    request(client, "get", "/admin/", expect=302)
    assert request.failed == []


def test_csp_reports_are_dropped_while_the_cache_cannot_count_them(redis_cache_settings, caplog):
    """The report flood limit fails closed: no count, no log line."""
    redis_cache_settings.stop()
    with caplog.at_level(logging.INFO, logger="portal.csp"):
        response = Client().post(
            "/csp-report/", json.dumps(REPORT), content_type="application/csp-report"
        )
    assert response.status_code == 204
    assert not [r for r in caplog.records if r.name == "portal.csp"]
