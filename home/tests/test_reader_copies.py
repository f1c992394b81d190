"""Signed-in owners share one copy of a page that shows them all the same, and each gets it with
their own name and unread count; staff and anyone with a message waiting get a page of their own."""

import pytest
from django.conf import settings
from django.contrib import messages
from django.contrib.messages.storage.cookie import CookieStorage
from django.db import connection
from django.http import HttpRequest, HttpResponse
from django.test import Client
from django.test.utils import CaptureQueriesContext

from home.models import HomePage, StandardPage
from home.tests.conftest import publish
from portal.notifications import notify

pytestmark = pytest.mark.django_db


@pytest.fixture
def page():
    return publish(HomePage.objects.get(), StandardPage(title="停车须知", slug="parking"))


def signed_in(user):
    client = Client()
    client.force_login(user)
    return client


def change_behind_the_caches_back(page, title):
    """A change that bumps no version: whoever still sees the old title got a kept copy."""
    StandardPage.objects.filter(pk=page.pk).update(title=title)


def test_owners_share_one_copy_each_with_their_own_name_and_count(owner, other_owner, page):
    first = signed_in(owner).get("/parking/").content.decode()
    assert owner.display_name in first and other_owner.display_name not in first
    change_behind_the_caches_back(page, "新标题")
    for _ in range(2):
        notify(other_owner, "reply", text="回复", url="/")

    second = signed_in(other_owner).get("/parking/").content.decode()
    # The kept copy: the old title, with the second owner's own name, avatar and count.
    assert "停车须知" in second and "新标题" not in second
    assert other_owner.display_name in second and owner.display_name not in second
    assert 'class="nav-count" aria-label="2 条未读消息">2</span>' in second
    assert "<!--reader:" not in second and "<!--reader:" not in first
    # The first owner's copy shows no count: parts are the reader's own, not the first one's.
    assert "nav-count" not in signed_in(owner).get("/parking/").content.decode()


def test_a_copy_is_answered_without_loading_the_page(owner, other_owner, page):
    signed_in(owner).get("/parking/")  # kept for owners
    client = signed_in(other_owner)
    client.get("/")  # their unread count, counted once and then kept
    with CaptureQueriesContext(connection) as queries:
        response = client.get("/parking/")
    assert response.status_code == 200 and other_owner.display_name in response.content.decode()
    # The reader's account (and their session, where no Redis keeps sessions), and nothing of
    # the page: its route and its copy are in the cache.
    session = ['"django_session"'] if settings.SESSION_ENGINE.endswith(".db") else []
    tables = [query["sql"].split(" FROM ")[1].split()[0] for query in queries]
    assert tables == [*session, '"owners_user"']


def test_publishing_shows_at_once_to_owners(owner, page):
    client = signed_in(owner)
    assert "停车须知" in client.get("/parking/").content.decode()
    page.title = "停车新规"
    page.save_revision().publish()
    assert "停车新规" in client.get("/parking/").content.decode()


def test_owners_and_visitors_never_share_a_copy(owner, page):
    visitor = Client()
    assert "登录" in visitor.get("/").content.decode()
    owner_page = signed_in(owner).get("/").content.decode()
    assert owner.display_name in owner_page
    assert owner.display_name not in visitor.get("/").content.decode()


def test_staff_get_a_page_of_their_own(owner, staff, page):
    signed_in(owner).get("/parking/")  # kept for owners
    change_behind_the_caches_back(page, "新标题")
    editor = staff("Editors")
    assert "新标题" in signed_in(editor).get("/parking/").content.decode()


def with_message(client, text):
    """A message waiting for the client's next page, as the site leaves one after an action."""
    storage, response = CookieStorage(HttpRequest()), HttpResponse()
    storage.add(messages.SUCCESS, text)
    storage.update(response)
    client.cookies["messages"] = response.cookies["messages"].value


def test_an_owner_with_a_message_waiting_gets_it_on_a_page_of_their_own(owner, page):
    client = signed_in(owner)
    client.get("/parking/")  # kept for owners
    change_behind_the_caches_back(page, "新标题")
    with_message(client, "资料已保存。")
    response = client.get("/parking/").content.decode()
    assert "资料已保存。" in response and "新标题" in response
    # Shown once; then the kept copy again.
    assert "资料已保存。" not in client.get("/parking/").content.decode()
