"""Anonymous visitors get CMS pages from the cache; a publish or a deletion shows at once, and
the cache's receivers leave Django's fast delete to every other model."""

import io
import time
from pathlib import Path

import pytest
from django.apps import apps
from django.contrib.sessions.models import Session
from django.core.cache import cache
from django.core.files.images import ImageFile
from django.core.handlers.wsgi import WSGIHandler
from django.core.signals import request_finished, request_started
from django.db import close_old_connections, connection
from django.test import Client, RequestFactory
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from PIL import Image
from wagtail.models import PageViewRestriction

from home.caching import PAGES
from home.models import HomePage, SiteImage, StandardPage
from portal import admin_listing, admin_menu, memo, pagecache
from portal.models import Notification
from portal.tests.cache_reads import count_reads

pytestmark = pytest.mark.django_db


@pytest.fixture
def home():
    return HomePage.objects.get()


def test_a_cached_page_costs_no_query_and_no_session(client, home, django_assert_num_queries):
    first = client.get("/")
    # Answered before the session, authentication and Wagtail's routing: not one query.
    with django_assert_num_queries(0):
        hit = client.get("/")
    assert hit.status_code == 200 and hit.content == first.content
    assert not hit.cookies and not client.cookies
    assert Session.objects.count() == 0
    # The headers sent with the page are sent with it again, the page policy's included.
    assert hit["Content-Security-Policy"] == first["Content-Security-Policy"]
    assert hit["Content-Type"] == first["Content-Type"]
    assert hit["X-Frame-Options"] == first["X-Frame-Options"]
    assert hit["Vary"] == first["Vary"]
    assert client.head("/").status_code == 200


def test_publishing_a_page_shows_at_once(client, home):
    assert "停车须知" not in client.get("/").content.decode()
    page = StandardPage(title="停车须知", slug="parking", show_in_menus=True)
    home.add_child(instance=page)
    page.save_revision().publish()
    assert "停车须知" in client.get("/").content.decode()
    page.unpublish()
    assert "停车须知" not in client.get("/").content.decode()


def test_each_language_is_cached_apart(client, home):
    assert b'lang="zh-hans"' in client.get("/").content
    assert b'lang="en"' in client.get("/", HTTP_ACCEPT_LANGUAGE="en").content
    assert b'lang="zh-hans"' in client.get("/").content


def test_signed_in_owners_get_a_fresh_page(client, owner_client, owner, home):
    client.get("/")  # kept for visitors
    assert owner.display_name in owner_client.get("/").content.decode()
    assert owner.display_name in owner_client.get("/").content.decode()
    # ...and their page is never kept for anyone else.
    client.cookies.clear()
    assert owner.display_name not in client.get("/").content.decode()


def change_behind_the_caches_back(home, title):
    """A change that bumps no version: whoever still sees the old title got the cached page."""
    HomePage.objects.filter(pk=home.pk).update(hero_title=title)


@pytest.mark.parametrize(
    "cookie", ["sessionid", "csrftoken", "messages", "django_language", "anything"]
)
def test_a_request_with_any_cookie_is_neither_answered_nor_kept(client, home, cookie):
    client.get("/")
    change_behind_the_caches_back(home, "新标题")
    client.cookies[cookie] = "x"
    assert "新标题" in client.get("/").content.decode()  # not answered from the cache
    change_behind_the_caches_back(home, "再改的标题")
    client.get("/")
    client.cookies.clear()
    # The visitor with a cookie kept nothing: the cookie-less copy is the one of before.
    html = client.get("/").content.decode()
    assert "新标题" not in html and "再改的标题" not in html


def test_posts_are_never_answered_from_the_cache(client, home):
    client.get("/")
    change_behind_the_caches_back(home, "新标题")
    assert "新标题" in client.post("/").content.decode()
    assert "新标题" not in client.get("/").content.decode()


def test_a_preview_is_neither_answered_nor_kept(client, staff, home):
    client.get("/")  # the live page, kept for visitors
    editor = staff("Editors")
    editor_client = Client()
    editor_client.force_login(editor)
    url = reverse("wagtailadmin_pages:preview_on_edit", args=[home.pk])
    data = {"title": home.title, "slug": home.slug, "hero_title": "草稿标题", "body-count": "0"}
    assert editor_client.post(url, data).json()["is_valid"]
    assert "草稿标题" in editor_client.get(url).content.decode()
    assert "草稿标题" not in client.get("/").content.decode()


def test_a_private_page_is_never_kept(owner_client, home):
    visitor = Client()
    page = StandardPage(title="业主须知", slug="owners-only")
    home.add_child(instance=page)
    page.save_revision().publish()
    assert visitor.get("/owners-only/").status_code == 200  # public: kept for visitors
    PageViewRestriction.objects.create(page=page, restriction_type=PageViewRestriction.LOGIN)
    # Made private: visitors are sent to sign in at once, and what owners see is never kept.
    assert visitor.get("/owners-only/").status_code == 302
    assert owner_client.get("/owners-only/").status_code == 200
    assert visitor.get("/owners-only/").status_code == 302
    PageViewRestriction.objects.filter(page=page).delete()
    assert visitor.get("/owners-only/").status_code == 200


def test_a_password_protected_page_is_never_kept(client, home):
    page = StandardPage(title="业主须知", slug="owners-only")
    home.add_child(instance=page)
    page.save_revision().publish()
    PageViewRestriction.objects.create(
        page=page, restriction_type=PageViewRestriction.PASSWORD, password="secret"
    )
    for _ in range(2):
        response = client.get("/owners-only/")
        assert response.status_code == 200 and "业主须知" not in response.content.decode()


def test_a_visitor_with_a_message_waiting_sees_it(client, owner, home):
    client.get("/")  # cached without a message
    client.force_login(owner)
    response = client.post("/accounts/logout/", follow=True)
    assert response.redirect_chain[-1][0] == "/"
    assert "您已退出登录。" in response.content.decode()


@pytest.mark.parametrize(
    "query", ["?utm=1", "?page=abc", "?page=0", "?page=2&page=3", "?page=12345", "?estate=1&x="]
)
def test_other_query_strings_are_rendered_fresh_not_cached(client, home, query):
    client.get("/")
    client.get(f"/{query}")
    change_behind_the_caches_back(home, "悄悄改过的标题")
    assert "悄悄改过的标题" not in client.get("/").content.decode()  # cached
    assert "悄悄改过的标题" in client.get(f"/{query}").content.decode()  # never cached


@pytest.mark.parametrize("query", ["?page=2", "?estate=17", "?page=3&estate=5"])
def test_known_query_parameters_are_kept_apart(client, home, query):
    client.get(f"/{query}")
    change_behind_the_caches_back(home, "悄悄改过的标题")
    assert "悄悄改过的标题" not in client.get(f"/{query}").content.decode()  # cached
    assert "悄悄改过的标题" in client.get("/").content.decode()  # its own copy


@pytest.mark.parametrize("path", ["/healthz", "/readyz", "/accounts/login/", "/me/"])
def test_addresses_that_never_share_do_not_ask_the_cache(rf, path):
    assert pagecache.cache_key(rf.get(path)) is None
    assert pagecache.cache_key(rf.get("/about/")) is not None


def test_deleting_a_page_shows_at_once(client, home):
    page = StandardPage(title="停车须知", slug="parking", show_in_menus=True)
    home.add_child(instance=page)
    page.save_revision().publish()
    assert "停车须知" in client.get("/").content.decode()  # cached with the page in the menu
    page.delete()
    assert "停车须知" not in client.get("/").content.decode()


def test_deleting_an_image_refreshes_the_pages_that_show_it(client, home):
    buffer = io.BytesIO()
    Image.new("RGB", (64, 48), (20, 90, 70)).save(buffer, "JPEG")
    image = SiteImage.objects.create(title="小区", file=ImageFile(buffer, name="hero.jpg"))
    home.hero_image = image
    home.save_revision().publish()
    assert 'class="hero__image"' in client.get("/").content.decode()
    image.delete()  # no publication: the page's image field is emptied by the database
    assert 'class="hero__image"' not in client.get("/").content.decode()


@pytest.mark.parametrize("rows", [3, 60])
def test_deleting_rows_of_other_models_keeps_djangos_fast_delete(owner, rows):
    """One DELETE, whatever the number of rows: no listener makes Django load them first."""
    Notification.objects.bulk_create(
        Notification(recipient=owner, kind="reply", text=f"回复{n}", url="/") for n in range(rows)
    )
    with CaptureQueriesContext(connection) as queries:
        deleted, _ = Notification.objects.filter(recipient=owner).delete()
    assert deleted == rows
    assert [query["sql"].split()[0] for query in queries] == ["DELETE"]


def test_the_wsgi_application_answers_a_hit_before_django(home):
    """Under gunicorn a hit is answered before Django's request handling: no request signal,
    the same body and every header the stack added when the page was stored."""
    application = pagecache.SharedPagesApplication(WSGIHandler())
    started = []

    def count(**kwargs):
        started.append(1)

    def call(method="get", **extra):
        answer = {}
        environ = getattr(RequestFactory(), method)("/", **extra).environ
        body = b"".join(
            application(
                environ, lambda status, headers: answer.update(status=status, headers=dict(headers))
            )
        )
        return answer["status"], answer["headers"], body

    request_started.connect(count)
    # As Django's test client does: the test's transaction must outlive each request.
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        status, first_headers, first = call()
        assert status == "200 OK" and len(started) == 1
        status, headers, body = call()
        assert status == "200 OK" and body == first and len(started) == 1
        for name in ("Content-Security-Policy", "X-Content-Type-Options", "Content-Type"):
            assert headers[name] == first_headers[name]
        status, headers, body = call("head")
        assert status == "200 OK" and body == b"" and len(started) == 1
        call(HTTP_COOKIE="sessionid=x")  # a cookie: Django answers
        assert len(started) == 2
    finally:
        request_started.disconnect(count)
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)


def test_what_the_pages_scope_keeps_is_built_once_a_version_in_each_process():
    """A route, a menu, a part of the home page: built once, then answered from the process's
    memory (no round trip to Redis) until the pages change, here or in another process."""
    scope = pagecache.Scope("kept-test")
    built = []

    def build():
        built.append(1)
        return {"menu": len(built)}

    assert scope.kept("menu", build) == {"menu": 1}
    assert scope.kept("menu", build) == {"menu": 1} and len(built) == 1
    answer = scope.kept("menu", build)
    answer["menu"] = 99  # each answer is a copy of its own
    assert scope.kept("menu", build) == {"menu": 1}
    scope.bump()  # a change in this process
    assert scope.kept("menu", build) == {"menu": 2}
    cache.set(scope.key, time.time_ns(), None)  # a change in another process
    assert scope.kept("menu", build) == {"menu": 3}
    cache.clear()  # Redis emptied (restarted): never the process's copy of before
    assert scope.kept("menu", build) == {"menu": 4}
    assert scope.kept("nothing", lambda: None) is None  # nothing to keep: asked again
    assert scope.kept("soon", build, timeout=1) == {"menu": 5}
    time.sleep(1.1)  # what changes with time alone is kept no longer than its timeout
    assert scope.kept("soon", build, timeout=1) == {"menu": 6}


def test_a_page_reads_the_pages_version_once(owner_client, home, monkeypatch):
    """Every part of a page keys what it keeps by the pages' version: read from the shared
    cache once a request, and the parts kept are read from the process after the first."""
    reads = count_reads(monkeypatch)  # the version may come with the session (read ahead)
    assert owner_client.get("/?fresh=1").status_code == 200  # builds and keeps the parts
    reads.clear()
    assert owner_client.get("/?fresh=1").status_code == 200
    asked = [key for _name, keys in reads for key in ([keys] if isinstance(keys, str) else keys)]
    assert asked.count(PAGES.key) == 1
    assert [key for key in asked if key.startswith("pages:")] == [PAGES.key]


def test_a_publication_while_a_page_renders_leaves_no_stale_copy(
    owner_client, home, monkeypatch, django_capture_on_commit_callbacks
):
    """The owners' copy is kept under the version its parts were rendered with: a page
    published by another process meanwhile is in the next owner's page."""
    owner_client.get("/")
    looked_up = pagecache.reader_copy

    def publish_meanwhile(request, scope, variant):
        monkeypatch.setattr(pagecache, "reader_copy", looked_up)
        outside = memo._kept.set(None)  # another process: not this request's reads
        try:
            with django_capture_on_commit_callbacks(execute=True):
                page = StandardPage(title="停车须知", slug="parking", show_in_menus=True)
                home.add_child(instance=page)
                page.save_revision().publish()
        finally:
            memo._kept.reset(outside)
        return looked_up(request, scope, variant)

    monkeypatch.setattr(pagecache, "reader_copy", publish_meanwhile)
    owner_client.get("/")
    assert "停车须知" in owner_client.get("/").content.decode()


def test_the_release_covers_every_app_of_the_site():
    """A kept copy is keyed by the release's digest of the site's files: an app left out of it
    would change without the copies of its pages (or its admin screens) changing with it."""
    root = Path(pagecache.__file__).resolve().parent.parent
    own = {
        config.name.split(".")[0]
        for config in apps.get_app_configs()
        if Path(config.path).resolve().parent == root
    }
    assert own - {"demo"} <= set(pagecache.SITE_PACKAGES)


def test_the_release_follows_the_libraries_versions(tmp_path, monkeypatch):
    """Wagtail's tags and scripts are in the kept pages and admin screens: another version of
    an installed library is another release."""
    first = pagecache.release()
    libraries = tmp_path / "site-packages"
    (libraries / "wagtail-99.0.dist-info").mkdir(parents=True)
    monkeypatch.syspath_prepend(str(libraries))
    pagecache.release.cache_clear()
    try:
        older = pagecache.release()
        (libraries / "wagtail-99.0.dist-info").rename(libraries / "wagtail-99.1.dist-info")
        pagecache.release.cache_clear()
        assert first != older != pagecache.release()
    finally:
        monkeypatch.undo()
        pagecache.release.cache_clear()
    assert pagecache.release() == first


def test_a_visitors_hit_reads_the_versions_of_page_scopes_alone():
    """Every cookie-less request reads the versions of the scopes whole pages are kept under;
    the admin's parts (its menus, its filters' lists) are none of them."""
    assert {"pages", "forum"} <= set(pagecache.SCOPES)
    assert admin_menu.STAFF_MENUS.name not in pagecache.SCOPES
    assert admin_listing.CHOICES.name not in pagecache.SCOPES
