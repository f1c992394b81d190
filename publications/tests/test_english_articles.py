"""News items and listings in English for English readers, where staff wrote it; the Chinese
where they did not."""

import pytest
from django.urls import reverse
from wagtail.rich_text import RichText
from wagtail.test.utils.form_data import nested_form_data, streamfield

from publications.models import NewsIndexPage
from publications.tests.conftest import publish

pytestmark = pytest.mark.django_db


def body(text):
    return [("paragraph", RichText(f"<p>{text}</p>"))]


@pytest.fixture
def item(make_news):
    return make_news(
        "翠湖苑电梯更新改造完成",
        summary="1–6 栋电梯全部更新。",
        body=body("电梯已通过验收。"),
        title_en="Cuihu Garden's lifts renewed",
        summary_en="The lifts of buildings 1–6 are new.",
        body_en=body("The lifts passed inspection."),
    )


def test_an_english_reader_reads_the_news_in_english(client, item):
    page = client.get(item.url, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "<h1>Cuihu Garden&#x27;s lifts renewed</h1>" in page
    assert "The lifts of buildings 1–6 are new." in page and "The lifts passed inspection." in page
    assert '<meta property="og:title" content="Cuihu Garden&#x27;s lifts renewed">' in page
    assert "电梯" not in page
    listed = client.get(item.get_parent().url, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "<strong>Cuihu Garden&#x27;s lifts renewed</strong>" in listed
    assert "The lifts of buildings 1–6 are new." in listed


def test_a_chinese_reader_reads_it_in_chinese(client, item):
    page = client.get(item.url, HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()
    assert "<h1>翠湖苑电梯更新改造完成</h1>" in page and "电梯已通过验收。" in page
    assert "lifts" not in page


def test_without_english_the_chinese_shows(client, make_news):
    untranslated = make_news("翠湖苑夏季消杀安排", body=body("每周三上午消杀。"))
    page = client.get(untranslated.url, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "<h1>翠湖苑夏季消杀安排</h1>" in page and "每周三上午消杀。" in page


def test_a_listing_in_english(client, make_listing):
    listing = make_listing(
        "金都·云栖府",
        title_en="Jindu Yunqi Residence",
        summary_en="Yuhang District, Hangzhou. On sale.",
        body=body("交通便利。"),
        body_en=body("Good transport links."),
    )
    page = client.get(listing.url, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "<h1>Jindu Yunqi Residence</h1>" in page and "Good transport links." in page
    assert "交通便利" not in page
    listed = client.get(listing.get_parent().url, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "<strong>Jindu Yunqi Residence</strong>" in listed


@pytest.mark.parametrize(
    "language, band", [("en", "under ¥20,000"), ("zh-hans", "2 万以下")], ids=["en", "zh"]
)
def test_the_price_filter_speaks_the_readers_language(client, make_listing, language, band):
    listing = make_listing("金都·云栖里", low=18000, high=19000)
    html = client.get(listing.get_parent().url, HTTP_ACCEPT_LANGUAGE=language).content.decode()
    assert f'<option value="-20000" >{band}</option>' in html


def test_the_breadcrumb_leads_back_in_the_readers_language(client, news, make_news):
    news.title_en = "News"
    news.save_revision().publish()
    item = make_news("翠湖苑停车场开放", tags=["停车"], title_en="Cuihu Garden's car park opens")
    english = client.get(item.url, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert '<nav class="crumbs" aria-label="Breadcrumb"><a href="/news/">News</a></nav>' in english
    assert '<a href="/news/?tag=%E5%81%9C%E8%BD%A6">#停车</a>' in english
    chinese = client.get(item.url, HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()
    assert '<a href="/news/">项目新闻</a></nav>' in chinese
    # A new title shows at once: the publication ends what was kept.
    news.title_en = "Estate news"
    news.save_revision().publish()
    english = client.get(item.url, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert '<a href="/news/">Estate news</a></nav>' in english


def test_a_new_item_previewed_in_each_section_leads_back_to_its_own(client, staff, news):
    """A page being created has no id yet: its breadcrumb is its parent's, whichever was
    previewed before under another."""
    notices = publish(news.get_parent(), NewsIndexPage(title="社区公告", slug="notices"))
    client.force_login(staff("Editors"))
    for parent in (news, notices):
        address = reverse(
            "wagtailadmin_pages:preview_on_add", args=("publications", "newspage", parent.pk)
        )
        data = nested_form_data(
            {
                "title": "新的一条",
                "slug": "new",
                "date": "2026-12-01",
                "body": streamfield([]),
                "body_en": streamfield([]),
            }
        )
        data["comments-TOTAL_FORMS"] = data["comments-INITIAL_FORMS"] = "0"
        assert client.post(address, data).json()["is_valid"]
        html = client.get(address, HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()
        assert f'<a href="{parent.url}">{parent.title}</a></nav>' in html
