"""Times as Chinese apps write them: 刚刚, 5分钟前, 4天前, then the date; waits in one unit."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse
from django.utils import translation

from portal.notifications import notify
from portal.when import age, ago

NOW = datetime(2026, 12, 2, 10, 0, tzinfo=ZoneInfo("Asia/Shanghai"))


@pytest.mark.parametrize(
    ("before", "chinese", "english"),
    [
        (timedelta(seconds=20), "刚刚", "just now"),
        (timedelta(minutes=5), "5分钟前", "5 minutes ago"),
        (timedelta(hours=1, minutes=59), "1小时前", "1 hour ago"),
        (timedelta(days=4, hours=22), "4天前", "4 days ago"),
        (timedelta(days=40), "10月23日", "October 23"),
        (timedelta(days=400), "2025年10月28日", "Oct. 28, 2025"),
        (-timedelta(days=1), "12月3日", "December 3"),
    ],
)
def test_how_long_ago(before, chinese, english):
    with translation.override("zh-hans"):
        assert ago(NOW - before, NOW) == chinese
    with translation.override("en"):
        assert ago(NOW - before, NOW) == english


@pytest.mark.parametrize(
    ("before", "chinese"),
    [
        (timedelta(seconds=5), "不到1分钟"),
        (timedelta(minutes=12), "12分钟"),
        (timedelta(hours=5, minutes=50), "5小时"),
        (timedelta(days=4, hours=22), "4天"),
    ],
)
def test_how_long_something_has_waited(before, chinese):
    with translation.override("zh-hans"):
        assert age(NOW - before, NOW) == chinese


@pytest.mark.django_db
def test_an_owners_notifications_say_when_in_their_words(client, owner):
    notify(owner, "reply", text="您的帖子有新回复", url="/")
    client.force_login(owner)
    page = client.get(reverse("owners:notifications"), HTTP_ACCEPT_LANGUAGE="zh-hans")
    assert "刚刚" in page.content.decode() and "日，" not in page.content.decode()
