"""The home page leads with what matters today: news of the owner's estate, the club's next
events, their own cases; the publications are one tap away in the navigation (资讯)."""

from datetime import date

import pytest

from cases import casework
from cases.models import Case, Category
from events.tests.conftest import events_index, make_event  # noqa: F401, F811 (shared fixtures)
from owners.models import Estate

pytestmark = pytest.mark.django_db


@pytest.fixture
def today(make_news, make_event, estate):  # noqa: F811
    elsewhere = Estate.objects.create(name="金都·云栖府", city="杭州")
    make_news("翠湖苑停车场改造", estate=estate, date=date(2026, 11, 30))
    make_news("云栖府封顶", estate=elsewhere, date=date(2026, 11, 29))
    make_news("春节服务安排", date=date(2026, 11, 1))
    make_event("茶艺沙龙", days=3)
    make_event("往期讲座", days=-3)
    make_event("取消的活动", days=4, is_cancelled=True, cancel_reason="天气")


def file(owner, subject):
    return casework.file_case(
        owner,
        kind="complaint",
        category=Category.objects.get(name="维修报修"),
        subject=subject,
        description="请尽快处理",
    )


def test_a_verified_owner_sees_their_estates_news_the_next_events_and_their_own_cases(
    client, verified_owner, other_owner, today
):
    file(verified_owner, "电梯按钮失灵")
    closed = file(verified_owner, "已经办结的事")
    Case.objects.filter(pk=closed.pk).update(status=Case.Status.CLOSED)
    file(other_owner, "别人的报事")
    client.force_login(verified_owner)
    html = client.get("/").content.decode()

    assert "小区动态" in html and "翠湖苑停车场改造" in html and "春节服务安排" in html
    assert "云栖府封顶" not in html  # another estate's news
    assert html.index("小区动态") < html.index("即将开始") < html.index("我的报事")
    assert html.index("我的报事") < html.index('class="container quick-links')
    assert "茶艺沙龙" in html and "往期讲座" not in html and "取消的活动" not in html
    assert "电梯按钮失灵" in html and "待受理" in html
    assert "已经办结的事" not in html and "别人的报事" not in html


def test_an_owner_with_nothing_open_is_offered_to_report_something(owner_client, today):
    html = owner_client.get("/").content.decode()
    assert "您暂无进行中的报事。" in html and 'href="/me/cases/new/"' in html


def test_a_visitor_sees_the_services_first_then_events_and_all_news_but_no_cases(client, today):
    html = client.get("/").content.decode()
    assert html.index('class="container quick-links') < html.index("即将开始")
    assert "最新动态" in html and "云栖府封顶" in html
    assert "我的报事" not in html


def test_a_new_event_shows_at_once(client, today, make_event):  # noqa: F811
    client.get("/")
    make_event("亲子烘焙课", days=1)
    html = client.get("/").content.decode()
    assert html.index("亲子烘焙课") < html.index("茶艺沙龙")


def test_the_navigation_leads_to_the_publications(client, today, magazine):
    html = client.get("/").content.decode()
    assert 'href="/news/"' in html and "资讯" in html
    news = client.get("/news/").content.decode()
    assert 'href="/news/" aria-current="page"' in news
    assert 'class="segments"' in news and 'href="/magazine/"' in news


@pytest.mark.parametrize("cases", [1, 12])
def test_the_owners_home_page_costs_a_fixed_number_of_queries(
    client, verified_owner, today, cases, django_assert_max_num_queries
):
    for n in range(cases):
        file(verified_owner, f"报事{n}")
    client.force_login(verified_owner)
    client.get("/")
    # The owner's copy of the page, the session and user, their open cases, their estates.
    with django_assert_max_num_queries(6):
        html = client.get("/").content.decode()
    assert html.count('class="list__item"') == 2 + min(cases, 3)  # 2 news items
