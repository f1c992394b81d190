"""Anonymous visitors get CMS pages from the cache; a publish or a deletion shows at once, and
the cache's receivers leave Django's fast delete to every other model."""

import io

import pytest
from django.core.files.images import ImageFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from PIL import Image

from home.models import HomePage, SiteImage, StandardPage
from portal.models import Notification

pytestmark = pytest.mark.django_db


@pytest.fixture
def home():
    return HomePage.objects.get()


def test_a_cached_page_costs_no_page_queries(client, home, django_assert_max_num_queries):
    client.get("/")
    # Only Wagtail's routing remains: the site, the page and its view restrictions.
    with django_assert_max_num_queries(4):
        assert client.get("/").status_code == 200


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


def test_signed_in_owners_get_a_fresh_page(owner_client, owner, home):
    client_html = owner_client.get("/").content.decode()
    assert owner.display_name in client_html


def test_a_visitor_with_a_message_waiting_sees_it(client, owner, home):
    client.get("/")  # cached without a message
    client.force_login(owner)
    response = client.post("/accounts/logout/", follow=True)
    assert response.redirect_chain[-1][0] == "/"
    assert "您已退出登录。" in response.content.decode()


def test_query_strings_are_rendered_fresh_not_cached(client, home):
    client.get("/")
    client.get("/?utm=1")
    # Change the page behind the cache's back (no publish, so no invalidation).
    HomePage.objects.filter(pk=home.pk).update(hero_title="悄悄改过的标题")
    assert "悄悄改过的标题" not in client.get("/").content.decode()  # cached
    assert "悄悄改过的标题" in client.get("/?utm=1").content.decode()  # never cached


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
