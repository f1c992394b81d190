"""Pages rendered afresh (not from the shared page cache) cost at most ten queries, the same
for three items as for three hundred; Wagtail's routing of them costs one query once known."""

from datetime import date
from decimal import Decimal

import pytest

from portal.tests.page_queries import fresh_queries
from publications.models import ListingPage, MagazineIssuePage, NewsPage, UnitType
from publications.tests.conftest import article

pytestmark = pytest.mark.django_db

MOST = 10


def add_issues(magazine, start, stop):
    for number in range(start, stop):
        magazine.add_child(
            instance=MagazineIssuePage(
                title=f"第 {number} 期",
                slug=f"issue-{number}",
                issue_number=number,
                issue_date=date(2000 + number // 12, number % 12 + 1, 1),
                summary="本期导读",
                articles=[article("中秋游园会"), article("秋季徒步")],
            )
        )


def add_news(news, start, stop):
    for number in range(start, stop):
        news.add_child(instance=NewsPage(title=f"新闻{number}", slug=f"n{number}", summary="摘要"))


def add_listings(listings, start, stop):
    for number in range(start, stop):
        page = ListingPage(
            title=f"楼盘{number}",
            slug=f"l{number}",
            city="杭州",
            address="文三西路 888 号",
            status="on_sale",
            price_min=30000,
            price_max=40000,
        )
        page.unit_types = [UnitType(layout="三室两厅两卫", area=Decimal("125.60"), price=520)]
        listings.add_child(instance=page)


@pytest.mark.parametrize(
    ("section", "add"),
    [("magazine", add_issues), ("news", add_news), ("listings", add_listings)],
)
def test_an_index_costs_the_same_for_3_and_300_items(client, request, section, add):
    index = request.getfixturevalue(section)
    add(index, 1, 4)
    few = fresh_queries(client, index.url)
    add(index, 4, 301)
    many = fresh_queries(client, index.url)
    assert few == many <= MOST


@pytest.mark.parametrize(
    ("section", "add", "model"),
    [
        ("magazine", add_issues, MagazineIssuePage),
        ("news", add_news, NewsPage),
        ("listings", add_listings, ListingPage),
    ],
)
def test_an_item_page_costs_at_most_ten_queries(client, request, section, add, model):
    index = request.getfixturevalue(section)
    add(index, 1, 4)
    for page in model.objects.all():
        assert fresh_queries(client, page.url) <= MOST


def test_the_home_page_costs_the_same_for_3_and_300_menu_pages(client, home_page):
    def add_menu_pages(start, stop):
        for number in range(start, stop):
            home_page.add_child(
                instance=NewsPage(
                    title=f"栏目{number}", slug=f"m{number}", summary="", show_in_menus=True
                )
            )

    add_menu_pages(1, 4)
    few = fresh_queries(client, "/")
    add_menu_pages(4, 301)
    client.get("/")  # the new menu is built once
    many = fresh_queries(client, "/")
    assert few == many <= MOST
