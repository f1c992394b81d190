"""Reports, hiding, pinning, locking, moving and suspensions, worked in the Wagtail admin."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from wagtail.models import ModelLogEntry

from forum import moderation, posting
from forum.models import Board, Post, Report, Suspension, Topic
from forum.tests.conftest import forum_news
from portal.models import Notification
from portal.tests.actions_only import assert_no_raw_admin_views

pytestmark = pytest.mark.django_db


@pytest.fixture
def topic(alice, boards):
    return posting.create_topic(alice, boards["owners"], title="装修推荐", source="求推荐师傅")


@pytest.fixture
def rude_post(topic, bob):
    Post.objects.update(created_at=timezone.now() - timedelta(minutes=1))
    return posting.reply(bob, topic, source="你懂什么！")


def test_an_owner_reports_a_post_once(client, alice, rude_post):
    client.force_login(alice)
    url = reverse("forum:report", args=[rude_post.pk])
    assert client.get(url).status_code == 200
    client.post(url, {"reason": "abuse", "details": "人身攻击"})
    client.post(url, {"reason": "abuse", "details": "再次举报"})
    assert Report.objects.get().details == "人身攻击"


def test_a_report_without_a_reason_is_refused(client, alice, rude_post):
    client.force_login(alice)
    response = client.post(reverse("forum:report", args=[rude_post.pk]), {"details": "x"})
    assert response.status_code == 200 and not Report.objects.exists()


def report_url(report):
    return reverse("reports:inspect", args=[report.pk])


@pytest.fixture
def report(alice, rude_post):
    return Report.objects.create(post=rude_post, reporter=alice, reason="abuse")


def test_a_moderator_hides_a_reported_post_with_a_reason(
    client, moderator, report, rude_post, bob, django_capture_on_commit_callbacks
):
    client.force_login(moderator)
    assert "装修推荐 #2" in client.get(reverse("reports:index")).content.decode()
    assert "你懂什么！" in client.get(report_url(report)).content.decode()
    response = client.post(report_url(report), {"action": "hide", "reason": ""})
    assert response.status_code == 200  # a reason is needed
    with django_capture_on_commit_callbacks(execute=True):
        client.post(report_url(report), {"action": "hide", "reason": "请文明发言。"})
    rude_post.refresh_from_db()
    report.refresh_from_db()
    assert rude_post.is_hidden and rude_post.hidden_reason == "请文明发言。"
    assert report.status == "actioned" and report.handled_by == moderator
    assert ModelLogEntry.objects.filter(action="forum.post.hide", user=moderator).exists()
    assert "请文明发言。" in Notification.objects.get(recipient=bob, kind="moderation").text

    client.force_login(bob)
    page = client.get(rude_post.get_absolute_url()).content.decode()
    assert "你懂什么！" not in page and "请文明发言。" in page  # the author sees why
    client.logout()
    page = client.get(rude_post.get_absolute_url()).content.decode()
    assert "你懂什么！" not in page and "请文明发言。" not in page


def test_dismissing_a_report(client, moderator, report):
    client.force_login(moderator)
    client.post(report_url(report), {"action": "dismiss"})
    report.refresh_from_db()
    assert report.status == "dismissed" and not report.post.is_hidden


def test_a_report_handled_already_is_not_dismissed_over(client, moderator, report):
    client.force_login(moderator)
    client.post(report_url(report), {"action": "hide", "reason": "请文明发言。"})
    response = client.post(report_url(report), {"action": "dismiss"})
    assert response.status_code == 200 and "这条举报已经处理过了。" in response.content.decode()
    report.refresh_from_db()
    assert report.status == "actioned" and report.post.is_hidden
    assert not ModelLogEntry.objects.filter(action="forum.report.dismiss").exists()


def test_suspending_the_author_stops_their_posting_until_then(
    client, moderator, report, bob, topic, django_capture_on_commit_callbacks
):
    client.force_login(moderator)
    until = (timezone.localtime() + timedelta(days=7)).strftime("%Y-%m-%dT%H:%M")
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            report_url(report), {"action": "suspend", "reason": "多次辱骂他人", "until": until}
        )
    assert Suspension.objects.active().filter(user=bob).exists()
    assert Notification.objects.filter(recipient=bob, kind="moderation").exists()

    Post.objects.update(created_at=timezone.now() - timedelta(minutes=1))
    client.force_login(bob)
    response = client.post(reverse("forum:reply", args=[topic.pk]), {"source": "我又来了"})
    html = response.content.decode()
    assert response.status_code == 200 and "多次辱骂他人" in html and until[:10] in html
    assert topic.posts.count() == 2


def test_a_suspension_needs_a_future_date(client, moderator, report, bob):
    client.force_login(moderator)
    client.post(
        report_url(report), {"action": "suspend", "reason": "x", "until": "2020-01-01T00:00"}
    )
    assert not Suspension.objects.exists()


def test_warning_the_author(client, moderator, report, bob, django_capture_on_commit_callbacks):
    client.force_login(moderator)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(report_url(report), {"action": "warn", "reason": "注意言辞"})
    assert "注意言辞" in forum_news(bob).get().text


def topic_url(topic):
    return reverse("topics:inspect", args=[topic.pk])


def test_pin_lock_move_hide_and_restore_a_topic(client, moderator, topic, rude_post, boards):
    client.force_login(moderator)
    client.post(topic_url(topic), {"action": "pin"})
    client.post(topic_url(topic), {"action": "lock"})
    topic.refresh_from_db()
    assert topic.is_pinned and topic.is_locked

    client.post(topic_url(topic), {"action": "move", "board": boards["questions"].pk})
    topic.refresh_from_db()
    owners, questions = (
        Board.objects.get(pk=b.pk) for b in (boards["owners"], boards["questions"])
    )
    assert topic.board == questions
    assert (owners.topic_count, owners.post_count) == (0, 0)
    assert (questions.topic_count, questions.post_count) == (1, 2)

    client.post(topic_url(topic), {"action": "hide", "reason": "重复话题"})
    topic.refresh_from_db()
    assert topic.is_hidden and Board.objects.get(pk=questions.pk).topic_count == 0
    client.logout()
    assert client.get(topic.get_absolute_url()).status_code == 404
    client.force_login(moderator)
    client.post(topic_url(topic), {"action": "restore"})
    assert Board.objects.get(pk=questions.pk).topic_count == 1
    actions = set(ModelLogEntry.objects.filter(user=moderator).values_list("action", flat=True))
    assert {
        "forum.topic.pin",
        "forum.topic.lock",
        "forum.topic.move",
        "forum.topic.hide",
    } <= actions


def test_moderators_read_the_edit_history(client, moderator, rude_post, bob):
    posting.edit_post(rude_post, bob, source="抱歉，我说话冲了。")
    client.force_login(moderator)
    page = client.get(reverse("posts:inspect", args=[rude_post.pk])).content.decode()
    assert "你懂什么！" in page and "抱歉，我说话冲了。" in page


def test_only_moderators_moderate(client, spokesperson, alice, report, topic):
    for user in (spokesperson, alice):
        client.force_login(user)
        client.post(report_url(report), {"action": "hide", "reason": "x"})
        client.post(topic_url(topic), {"action": "pin"})
    report.post.refresh_from_db()
    topic.refresh_from_db()
    assert not report.post.is_hidden and not topic.is_pinned


def test_the_awaiting_reply_queue_and_dashboard(client, spokesperson, alice, bob, boards):
    first = posting.create_topic(alice, boards["questions"], title="先问的", source="问题一")
    Topic.objects.filter(pk=first.pk).update(created_at=timezone.now() - timedelta(days=2))
    posting.create_topic(bob, boards["questions"], title="后问的", source="问题二")
    client.force_login(spokesperson)
    html = client.get(reverse("awaiting_reply:index")).content.decode()
    assert html.index("先问的") < html.index("后问的")
    dashboard = client.get(reverse("wagtailadmin_home")).content.decode()
    assert "2 个业主问题等待官方回复" in dashboard


def test_a_suspended_owner_cannot_edit_either(client, bob, rude_post, moderator):

    moderation.suspend(bob, moderator, timezone.now() + timedelta(days=1), "冷静一天")
    client.force_login(bob)
    response = client.post(reverse("forum:edit", args=[rude_post.pk]), {"source": "改一下"})
    assert response.status_code == 200 and "冷静一天" in response.content.decode()
    rude_post.refresh_from_db()
    assert rude_post.source == "你懂什么！"


def test_owners_do_not_report_their_own_posts(client, bob, rude_post):
    client.force_login(bob)
    client.post(reverse("forum:report", args=[rude_post.pk]), {"reason": "spam"})
    assert not Report.objects.exists()


def test_a_reason_longer_than_the_record_holds_is_refused(client, moderator, report):
    client.force_login(moderator)
    response = client.post(report_url(report), {"action": "hide", "reason": "长" * 201})
    assert response.status_code == 200
    report.post.refresh_from_db()
    assert not report.post.is_hidden


def test_editing_a_suspension_cannot_move_it_to_someone_else(client, moderator, bob, alice):

    suspension = moderation.suspend(bob, moderator, timezone.now() + timedelta(days=3), "刷屏")
    client.force_login(moderator)
    until = (timezone.localtime() + timedelta(days=1)).strftime("%Y-%m-%d %H:%M")
    client.post(
        reverse("suspensions:edit", args=[suspension.pk]),
        {"user": alice.pk, "until": until, "reason": "提前解除"},
    )
    suspension.refresh_from_db()
    assert suspension.user == bob and suspension.reason == "提前解除"


def test_a_hidden_post_is_no_longer_the_boards_latest(moderator, rude_post, boards):

    moderation.hide_post(rude_post, moderator, "不文明")
    board = Board.objects.get(pk=boards["owners"].pk)
    assert board.last_post == rude_post.topic.posts.get(position=1)


def test_reports_posts_and_topics_have_no_raw_admin_forms(client, report, rude_post, topic):
    """They change through moderation only: hide, restore, dismiss, rename."""
    assert_no_raw_admin_views(client, "/admin/forum/reports/", report)
    assert_no_raw_admin_views(client, "/admin/forum/posts/", rude_post)
    assert_no_raw_admin_views(client, "/admin/forum/topics/", Topic.objects.get(pk=topic.pk))


def test_a_moderator_renames_a_topic_and_the_author_is_told(
    client, moderator, topic, django_capture_on_commit_callbacks
):
    client.force_login(moderator)
    old = topic.title
    # No title, or one too long: refused with a message, nothing changes.
    for title, message in (("  ", "输入新标题"), ("长" * 101, "最多 100 个字")):
        page = client.post(topic_url(topic), {"action": "rename", "title": title})
        assert page.status_code == 200 and message in page.content.decode()
        topic.refresh_from_db()
        assert topic.title == old
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(topic_url(topic), {"action": "rename", "title": " 3 栋电梯停运 "})
    assert response.status_code == 302
    topic.refresh_from_db()
    assert topic.title == "3 栋电梯停运"
    entry = ModelLogEntry.objects.get(action="forum.topic.rename")
    assert entry.user == moderator and entry.data == {"from": old, "to": "3 栋电梯停运"}
    told = topic.author.notifications.get(kind="moderation")
    assert old in told.text and "3 栋电梯停运" in told.text
    # The new title is what the site search finds.
    found = client.get(reverse("search:search"), {"q": "电梯停运"}).content.decode()
    assert topic.get_absolute_url() in found
