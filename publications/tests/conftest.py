"""Publication fixtures: the magazine, listings and news sections under the home page."""

from datetime import date
from decimal import Decimal

import pytest
from wagtail.rich_text import RichText

from club.tests.conftest import club_staff, make_member, member  # noqa: F401 (shared fixtures)
from home.tests.conftest import publish
from publications.models import (
    ListingIndexPage,
    ListingPage,
    MagazineIndexPage,
    MagazineIssuePage,
    NewsIndexPage,
    NewsPage,
    UnitType,
)


@pytest.fixture
def magazine(home_page):
    return publish(home_page, MagazineIndexPage(title="金都会杂志", slug="magazine"))


def article(title, text="正文"):
    return (
        "article",
        {
            "title": title,
            "author": "编辑部",
            "summary": "",
            "body": [("paragraph", RichText(f"<p>{text}</p>"))],
        },
    )


@pytest.fixture
def make_issue(magazine):
    def make(number=1, **fields):
        values = {
            "title": f"第 {number} 期",
            "slug": f"issue-{number}",
            "issue_number": number,
            "issue_date": date(2026, number, 1),
            "summary": "本期导读",
            "articles": [article("中秋游园会", "会员专享的正文"), article("秋季徒步")],
            **fields,
        }
        return publish(magazine, MagazineIssuePage(**values))

    return make


@pytest.fixture
def listings(home_page):
    return publish(home_page, ListingIndexPage(title="楼盘信息", slug="listings"))


@pytest.fixture
def make_listing(listings):
    def make(title, city="杭州", status="on_sale", low=30000, high=40000, **fields):
        page = ListingPage(
            title=title,
            slug=f"l{ListingPage.objects.count()}",
            city=city,
            address="文三西路 888 号",
            status=status,
            price_min=low,
            price_max=high,
            **fields,
        )
        page.unit_types = [UnitType(layout="三室两厅两卫", area=Decimal("125.60"), price=520)]
        return publish(listings, page)

    return make


@pytest.fixture
def news(home_page):
    return publish(home_page, NewsIndexPage(title="项目新闻", slug="news"))


@pytest.fixture
def make_news(news):
    def make(title, tags=(), **fields):
        fields.setdefault("summary", title)
        page = NewsPage(title=title, slug=f"n{NewsPage.objects.count()}", **fields)
        page.tags.add(*tags)
        return publish(news, page)

    return make
