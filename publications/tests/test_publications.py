"""The magazine, listings and news: who sees what, filters in the address, feeds, sharing."""

import io

import pytest
from django.core.files.base import ContentFile
from django.core.files.images import ImageFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from PIL import Image
from wagtail.documents.models import Document
from wagtail.models import PageViewRestriction

from home.models import SiteImage
from owners.models import Estate

pytestmark = pytest.mark.django_db


def picture():
    """A small picture in the image library, as editors upload them."""

    buffer = io.BytesIO()
    Image.new("RGB", (64, 48), (20, 90, 70)).save(buffer, "JPEG")
    return SiteImage.objects.create(title="图", file=ImageFile(buffer, name="p.jpg"))


def test_visitors_see_the_teaser_and_contents_members_the_articles(client, make_issue, member):
    issue = make_issue()
    public = client.get(issue.url).content.decode()
    assert "本期导读" in public and "中秋游园会" in public and "会员专享的正文" not in public
    client.force_login(member.user)
    assert "会员专享的正文" in client.get(issue.url).content.decode()


def test_an_issue_open_to_all_shows_its_articles_to_visitors(client, make_issue):
    issue = make_issue(members_only=False)
    assert "会员专享的正文" in client.get(issue.url).content.decode()


def test_the_magazine_lists_issues_by_year(client, magazine, make_issue):
    make_issue(1)
    make_issue(11)
    html = client.get(magazine.url).content.decode()
    assert html.index("第 11 期") < html.index("第 1 期") and 'id="y2026"' in html


def test_listings_filter_by_city_status_and_price_in_the_address(client, listings, make_listing):
    make_listing("西湖苑", city="杭州", status="on_sale", low=30000, high=40000)
    make_listing("甬江府", city="宁波", status="upcoming", low=18000, high=22000)
    make_listing("云栖里", city="杭州", status="sold_out", low=52000, high=60000)

    def shown(**query):
        html = client.get(listings.url, query).content.decode()
        return {name for name in ("西湖苑", "甬江府", "云栖里") if name in html}

    assert shown() == {"西湖苑", "甬江府", "云栖里"}
    assert shown(city="杭州") == {"西湖苑", "云栖里"}
    assert shown(status="upcoming") == {"甬江府"}
    assert shown(price="-20000") == {"甬江府"}
    assert shown(price="50000-") == {"云栖里"}
    assert shown(city="杭州", price="20000-35000") == {"西湖苑"}
    assert shown(city="nowhere", status="bogus", price="x") == {"西湖苑", "甬江府", "云栖里"}


def test_a_listing_shows_unit_types_and_its_estates_construction_news(
    client, make_listing, make_news, estate
):
    listing = make_listing("翠湖苑二期", estate=estate)
    make_news("3 号楼封顶", estate=estate, is_construction_update=True)
    make_news("物业费调整", estate=estate)
    html = client.get(listing.url).content.decode()
    assert "三室两厅两卫" in html and "125.6" in html
    assert "3 号楼封顶" in html and "物业费调整" not in html


def test_news_filters_by_estate_and_tag(client, news, make_news, estate):

    other = Estate.objects.create(name="金都·云栖府", city="杭州")
    make_news("停车场收费调整", tags=["停车"], estate=estate)
    make_news("云栖府开工", tags=["工程进度"], estate=other)
    assert "云栖府开工" not in client.get(news.url, {"estate": estate.pk}).content.decode()
    by_tag = client.get(news.url, {"tag": "工程进度"}).content.decode()
    assert "云栖府开工" in by_tag and "停车场收费调整" not in by_tag


def test_feeds_and_sharing(client, make_issue, make_news):
    make_news("停车场收费调整")
    make_issue()
    rss = client.get(reverse("publications:news_feed")).content.decode()
    atom = client.get(reverse("publications:news_atom")).content.decode()
    assert "<rss" in rss and "停车场收费调整" in rss and "<feed" in atom
    assert "第 1 期" in client.get(reverse("publications:magazine_feed")).content.decode()
    page = client.get(make_news("另一条").url).content.decode()
    assert 'property="og:title" content="另一条"' in page


def test_the_sitemap_lists_the_publications(client, make_issue, make_news, make_listing):
    make_issue()
    make_news("新闻一")
    listing = make_listing("西湖苑")
    xml = client.get("/sitemap.xml").content.decode()
    assert listing.full_url in xml and "/magazine/issue-1/" in xml


def test_index_pages_cost_a_fixed_number_of_queries(
    client,
    magazine,
    make_issue,
    news,
    make_news,
    listings,
    make_listing,
    django_assert_max_num_queries,
):
    for n in range(1, 3):
        make_issue(n, cover=picture())
        make_news(f"新闻{n}", tags=["物业"], lead_image=picture())
        make_listing(f"楼盘{n}", lead_image=picture())
    counts = {}
    for page in (magazine, news, listings):
        client.get(page.url + "?x=1")
        with CaptureQueriesContext(connection) as queries:
            client.get(page.url + "?x=1")  # a query string skips the visitors' cache
        counts[page.pk] = len(queries)
    for n in range(3, 12):
        make_issue(n, cover=picture())
        make_news(f"新闻{n}", tags=["物业", f"标签{n}"], lead_image=picture())
        make_listing(f"楼盘{n}", lead_image=picture())
    for page in (magazine, news, listings):
        client.get(page.url + "?x=1")  # the new pictures' renditions are made once, here
        with django_assert_max_num_queries(counts[page.pk]):
            client.get(page.url + "?x=1")


def pdf_document():

    return Document.objects.create(
        title="第 1 期 PDF", file=ContentFile(b"%PDF-1.4 member edition", name="issue.pdf")
    )


def test_the_pdf_edition_of_a_members_only_issue_is_for_members(client, make_issue, make_member):
    pdf = pdf_document()
    issue = make_issue(pdf=pdf)
    assert pdf.url not in client.get(issue.url).content.decode()
    assert client.get(pdf.url).status_code == 302  # to sign in
    member = make_member("reader")
    outsider = make_member("outsider")
    outsider.status = "suspended"
    outsider.save()
    client.force_login(outsider.user)
    assert client.get(pdf.url).status_code == 403
    client.force_login(member.user)
    assert pdf.url in client.get(issue.url).content.decode()
    assert client.get(pdf.url).status_code == 200


@pytest.mark.parametrize("estate", ["²", "99999999999999999999999", "-1", "abc"])
def test_a_strange_estate_filter_is_ignored(client, news, make_news, estate):
    make_news("停车场收费调整")
    response = client.get(news.url, {"estate": estate})
    assert response.status_code == 200 and "停车场收费调整" in response.content.decode()


def test_private_pages_stay_out_of_lists_and_feeds(client, news, make_news):

    secret = make_news("内部通知")
    PageViewRestriction.objects.create(page=secret, restriction_type="login")
    make_news("公开新闻")
    assert "内部通知" not in client.get(news.url + "?x=1").content.decode()
    feed = client.get(reverse("publications:news_feed")).content.decode()
    assert "公开新闻" in feed and "内部通知" not in feed
