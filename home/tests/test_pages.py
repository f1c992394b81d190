"""The site's CMS pages: rendered from the Wagtail tree, cheap in queries, edited in the admin."""

import pytest
from django.urls import reverse
from wagtail.models import Page
from wagtail.rich_text import RichText

from home.models import HomePage, StandardPage

pytestmark = pytest.mark.django_db


@pytest.fixture
def home():
    home = HomePage.objects.get()
    home.hero_title = "欢迎回家"
    home.hero_text = "业主服务一站搞定"
    home.body = [
        ("heading", "我们的服务"),
        ("paragraph", RichText("<p>首问负责制。</p>")),
        ("quote", {"text": "业主的满意是唯一标准。", "attribution": "客服部"}),
    ]
    home.save_revision().publish()
    return home


@pytest.fixture
def about(home):
    page = StandardPage(title="关于我们", slug="about", intro="服务团队", show_in_menus=True)
    page.body = [("paragraph", RichText("<p>客服热线全天候。</p>"))]
    home.add_child(instance=page)
    page.save_revision().publish()
    return page


def test_the_home_page_shows_its_content_and_menu_pages(client, home, about):
    response = client.get("/")
    assert response.status_code == 200
    html = response.content.decode()
    for text in (
        "欢迎回家",
        "业主服务一站搞定",
        "我们的服务",
        "首问负责制。",
        "业主的满意是唯一标准。",
    ):
        assert text in html
    assert 'href="/about/"' in html
    assert '<main id="main"' in html and '<nav class="site-nav"' in html  # landmarks


def test_a_standard_page(client, about):
    response = client.get("/about/")
    assert response.status_code == 200
    assert "客服热线全天候。" in response.content.decode()


def test_an_unknown_page_is_a_friendly_404(client, home):
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    assert "/static/css/site.css" in response.content.decode()


def test_pages_run_a_fixed_number_of_queries(client, home, about, django_assert_max_num_queries):
    for index in range(8):
        extra = StandardPage(title=f"页面{index}", slug=f"p{index}", show_in_menus=True)
        home.add_child(instance=extra)
    for url in ("/", "/about/"):
        client.get(f"{url}?fresh=1")  # keeps the route (site, page, no restriction), the menu
    # Rendered afresh (an unknown query string is never answered from the shared page cache):
    # the page itself, and the home page's hero image; the menu is kept.
    with django_assert_max_num_queries(2):
        assert client.get("/?fresh=1").status_code == 200
    with django_assert_max_num_queries(1):
        assert client.get("/about/?fresh=1").status_code == 200


def test_an_editor_drafts_a_page_in_the_admin(client, staff, home):
    client.force_login(staff("Editors"))
    url = reverse("wagtailadmin_pages:add", args=["home", "standardpage", home.pk])
    response = client.post(
        url,
        {
            "title": "停车须知",
            "slug": "parking",
            "intro": "停车场收费标准",
            "body-count": "0",
        },
    )
    assert response.status_code == 302
    page = StandardPage.objects.get(slug="parking")
    assert not page.live  # editors submit; publishing is for managers
    assert Page.objects.filter(slug="parking").exists()
