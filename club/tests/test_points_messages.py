"""A member hears of points that come or go on their own (an event attended, a survey, a staff
adjustment, points expiring) in their notifications and on the channels they chose for the
club; points that come with a message of their own (joining, a birthday) are not told twice."""

import pytest
from django.core import mail
from django.urls import reverse

from club import points
from portal.models import Notification, Outgoing
from portal.tests.test_channels import OPENID, choose, follows_the_account
from portal.tests.test_channels import wechat as wechat  # noqa: F401 (the fixture)

pytestmark = pytest.mark.django_db


def points_news(member):
    return list(
        Notification.objects.filter(recipient=member.user, url=reverse("club:points"))
        .order_by("pk")
        .values_list("text", flat=True)
    )


def test_points_for_an_event_are_told_once_on_the_site_and_by_email(
    member, django_capture_on_commit_callbacks
):
    balance = member.points_balance
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        points.award(member, "event", key="event-attendance:9", points=30, reason="中秋游园会")
        points.award(member, "event", key="event-attendance:9", points=30, reason="中秋游园会")
    news = f"获得 30 积分（参加活动），余额 {balance + 30}"
    assert points_news(member) == [news]
    assert [m.subject for m in mail.outbox] == [f"[金都客服] {news}"]
    assert "中秋游园会" in mail.outbox[0].body
    assert mail.outbox[0].body.count("/me/club/points/") == 1


def test_joining_points_come_with_the_welcome_alone(member):
    assert member.points.filter(kind="joining").exists()
    assert points_news(member) == []


def test_a_staff_adjustment_and_expired_points_are_told_as_deductions(
    member, club_staff, django_capture_on_commit_callbacks
):
    balance = member.points_balance
    with django_capture_on_commit_callbacks(execute=True):
        points.adjust(member, -50, reason="误发扣回", by=club_staff, key="a:1")
    assert points_news(member) == [f"扣减 50 积分（人工调整），余额 {balance - 50}"]
    member.points.update(expires_at="2020-01-01T00:00:00Z")
    with django_capture_on_commit_callbacks(execute=True):
        expired = points.expire_points()
    assert expired == balance - 50
    assert points_news(member)[-1] == f"扣减 {expired} 积分（积分过期），余额 0"
    assert Outgoing.objects.filter(queue="bulk", kind="email").count() == 1


def test_a_member_who_chose_wechat_for_the_club_hears_there(
    wechat, settings, member, django_capture_on_commit_callbacks
):
    wechat.template_ids = {"Tpl-club"}
    settings.WECHAT_TEMPLATES = {"club_news": {"id": "Tpl-club", "data": {"thing1": "news"}}}
    follows_the_account(member.user)
    choose(member.user, club=["wechat"])
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        points.award(member, "survey", key="survey:1:1", points=10, reason="物业满意度调查")
    assert mail.outbox == []
    [message] = wechat.messages
    assert message["touser"] == OPENID and message["url"].endswith("/me/club/points/")
    assert message["data"]["thing1"]["value"].startswith("获得 10 积分")
