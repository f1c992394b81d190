"""What search engines, feed readers and shared links see: the public address from SITE_URL,
robots.txt with the sitemap, canonical links, the feeds announced and complete."""

import pytest
from django.test import Client
from django.urls import reverse
from wagtail.models import Site

from portal.address import point_default_site

pytestmark = pytest.mark.django_db


def test_the_default_site_follows_site_url(settings, make_news):
    # After migrate it is the test settings' address.
    site = Site.objects.get(is_default_site=True)
    assert (site.hostname, site.port) == ("testserver", 80)
    settings.WAGTAILADMIN_BASE_URL = "https://owners.jindu.example"
    assert point_default_site() and not point_default_site()  # the second changes nothing
    page = make_news("停车场收费调整")
    assert page.full_url == f"https://owners.jindu.example{page.url}"
    sitemap = Client().get("/sitemap.xml").content.decode()
    assert f"<loc>https://owners.jindu.example{page.url}</loc>" in sitemap


def test_robots_txt_keeps_crawlers_out_of_private_places_and_names_the_sitemap(client):
    response = client.get("/robots.txt")
    text = response.content.decode()
    assert response["Content-Type"].startswith("text/plain")
    assert "Disallow: /admin/" in text and "Disallow: /me/" in text
    assert "Sitemap: http://testserver/sitemap.xml" in text


def test_cms_pages_have_a_canonical_link_and_announce_their_feed(client, make_news, news):
    page = make_news("物业费调整通知")
    html = client.get(page.url).content.decode()
    assert f'<link rel="canonical" href="http://testserver{page.url}">' in html
    assert f'href="{reverse("publications:news_atom")}"' in html
    assert 'type="application/atom+xml"' in client.get(news.url).content.decode()
    assert 'rel="canonical"' not in client.get(reverse("forum:index")).content.decode()


def test_atom_entries_carry_their_update_time_author_and_absolute_links(client, make_news):
    page = make_news("电梯维修公告")
    feed = client.get(reverse("publications:news_atom")).content.decode()
    assert "<updated>" in feed and "<author><name>金都业主服务中心</name></author>" in feed
    assert f'href="http://testserver{page.url}"' in feed
