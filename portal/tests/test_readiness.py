"""/healthz (liveness), /readyz (readiness: database, cache, broker) and the staff's warnings at
the top of every admin page (portal.health)."""

import socket
import time

import pytest
from django.urls import reverse
from wagtail.users.models import UserProfile

from portal import health
from portal.settings.base import redis_cache
from portal.tests.redis_server import free_port, redis_server  # noqa: F401 (a fixture)

pytestmark = pytest.mark.django_db

READYZ = reverse("readyz")
BROKER_DOWN = "The task queue cannot be reached"


@pytest.fixture(autouse=True)
def _fresh_checks(monkeypatch):
    """The broker's remembered answer and the registry are per process: each test starts anew."""
    monkeypatch.setattr(health, "_admin_warnings", list(health._admin_warnings))
    health.broker_reachable.forget()
    yield
    health.broker_reachable.forget()


@pytest.fixture
def closed_port():
    port = free_port()
    with socket.socket() as probe:  # nothing listens there
        assert probe.connect_ex(("127.0.0.1", port)) != 0
    return port


@pytest.fixture
def manager(staff, client):
    user = staff("Managers")
    client.force_login(user)
    return user


def test_healthz_is_liveness_only(client, django_assert_num_queries, settings, closed_port):
    settings.CELERY_BROKER_URL = f"redis://127.0.0.1:{closed_port}/1"
    with django_assert_num_queries(0):
        response = client.get(reverse("healthz"))
    assert response.status_code == 200 and response.content == b"ok"


def test_readyz_times_each_dependency(
    client,
    settings,
    redis_server,  # noqa: F811
    django_assert_max_num_queries,
):
    settings.CACHES = {"default": redis_cache(redis_server.url)}
    settings.CELERY_BROKER_URL = redis_server.url.replace("/0", "/1")
    with django_assert_max_num_queries(1):  # SELECT 1
        response = client.get(READYZ)
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "ok" and body["failing"] == []
    assert set(body["checks"]) == {"database", "cache", "broker"}
    for check in body["checks"].values():
        assert check["ok"] is True and isinstance(check["ms"], float) and check["ms"] < 2000
    # For a probe, never for a browser: nothing cached, no cookie, no session.
    assert "no-store" in response["Cache-Control"]
    assert not response.cookies


def test_readyz_without_a_broker_says_tasks_run_in_process(client, settings):
    settings.CELERY_BROKER_URL = None
    body = client.get(READYZ).json()
    assert body["checks"]["broker"]["skipped"] is True and body["status"] == "ok"


def test_readyz_names_an_unreachable_broker_within_two_seconds(client, settings, closed_port):
    settings.CELERY_BROKER_URL = f"redis://:broker-secret@127.0.0.1:{closed_port}/1"
    started = time.perf_counter()
    response = client.get(READYZ)
    assert time.perf_counter() - started < 2
    assert response.status_code == 503
    body = response.json()
    assert body["status"] == "unavailable" and body["failing"] == ["broker"]
    broker = body["checks"]["broker"]
    assert set(broker) == {"ok", "error", "ms"} and broker["ok"] is False and broker["error"]
    text = response.content.decode()
    assert "broker-secret" not in text and str(closed_port) not in text  # no address, no secret
    assert not response.cookies


def test_readyz_names_an_unreachable_cache(client, settings, closed_port):
    settings.CACHES = {"default": redis_cache(f"redis://127.0.0.1:{closed_port}/0")}
    settings.CELERY_BROKER_URL = None
    response = client.get(READYZ)
    assert response.status_code == 503 and response.json()["failing"] == ["cache"]


# -- The staff's warnings -------------------------------------------------------------------


def warnings_on(page):
    """The texts of the warning messages Wagtail shows at the top of an admin page."""
    html = page.content.decode()
    start = html.index('<div class="messages"')
    return html[start : html.index("</ul>", start)]


def test_staff_see_a_banner_while_the_broker_is_unreachable(client, manager, settings, closed_port):
    settings.CELERY_BROKER_URL = f"redis://127.0.0.1:{closed_port}/1"
    profile = UserProfile.get_for_user(manager)
    profile.preferred_language = "en"
    profile.save()
    page = client.get("/admin/")
    assert page.status_code == 200
    messages = warnings_on(page)
    assert '<li class="warning">' in messages and BROKER_DOWN in messages


def test_the_banner_is_in_chinese_for_chinese_staff(client, manager, settings, closed_port):
    settings.CELERY_BROKER_URL = f"redis://127.0.0.1:{closed_port}/1"
    page = client.get("/admin/", HTTP_ACCEPT_LANGUAGE="zh-hans")
    assert "任务队列无法连接" in warnings_on(page)


def test_the_broker_is_asked_once_for_many_admin_pages(
    client,
    manager,
    settings,
    redis_server,  # noqa: F811
):
    """The banner's check costs one connection per BROKER_CHECK_SECONDS, not one per page."""
    settings.CELERY_BROKER_URL = redis_server.url.replace("/0", "/1")

    def connections():
        with socket.create_connection(("127.0.0.1", redis_server.port)) as conn:
            conn.sendall(b"INFO stats\r\n")
            time.sleep(0.05)
            info = conn.recv(65536).decode()
        return int(info.split("total_connections_received:")[1].split()[0])

    before = connections()
    for _ in range(3):
        page = client.get("/admin/")
        assert page.status_code == 200 and BROKER_DOWN not in page.content.decode()
    # One for the check, one for each INFO asked here.
    assert connections() - before == 2


def test_apps_add_their_own_warnings(client, manager, settings):
    settings.CELERY_BROKER_URL = None

    @health.register_admin_warning
    def inbox_failing():
        return "The complaint inbox is failing."

    @health.register_admin_warning
    def broken():
        raise RuntimeError("a bug in a check")

    @health.register_admin_warning
    def quiet():
        return None

    page = client.get("/admin/")
    assert page.status_code == 200  # a broken check does not take the admin down
    messages = warnings_on(page)
    assert messages.count('<li class="warning">') == 1
    assert "The complaint inbox is failing." in messages


def test_owner_pages_show_no_staff_warnings(client, verified_owner, settings, closed_port):
    settings.CELERY_BROKER_URL = f"redis://127.0.0.1:{closed_port}/1"
    client.force_login(verified_owner)
    page = client.get(reverse("owners:dashboard"))
    assert page.status_code == 200 and "任务队列" not in page.content.decode()
