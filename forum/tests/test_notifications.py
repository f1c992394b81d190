"""Followers, mentions and official answers reach people in the site and by email."""

from datetime import timedelta

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from conftest import make_user
from forum import notify, posting
from forum.models import Post, Subscription
from forum.tests.conftest import forum_news
from portal.models import Notification, Outgoing
from portal.tasks import send_notification_digests

pytestmark = pytest.mark.django_db


def age_posts():
    Post.objects.update(created_at=timezone.now() - timedelta(minutes=1))


@pytest.fixture
def topic(alice, boards, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        return posting.create_topic(
            alice, boards["questions"], title="电梯故障", source="5 栋电梯又停了。"
        )


def test_the_author_follows_their_topic_and_hears_of_replies(
    topic, alice, bob, django_capture_on_commit_callbacks
):
    assert Subscription.objects.filter(user=alice, topic=topic).exists()
    with django_capture_on_commit_callbacks(execute=True):
        post = posting.reply(bob, topic, source="我家也是。")
    note = forum_news(alice).get()
    assert note.kind == "reply" and "刘**" in note.text and "刘洋" not in note.text
    assert note.url == post.get_absolute_url()
    assert [m.to for m in mail.outbox] == [[alice.email]]
    message = mail.outbox[0]
    assert "电梯故障" in message.subject
    assert message.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert not forum_news(bob).exists()  # not about one's own post


def test_a_mention_notifies_the_person_named(
    topic, alice, bob, owner, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        post = posting.reply(bob, topic, source="@owner 你家电梯怎么样？ @nobody")
    assert '<span class="mention">@owner</span>' in post.html and "@nobody" in post.html
    assert Notification.objects.get(recipient=owner).kind == "mention"


def test_a_mention_in_a_board_they_cannot_read_tells_nobody(
    alice, bob, owner, boards, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        posting.create_topic(alice, boards["members"], title="业主专区", source="@owner 你好")
    assert not Notification.objects.filter(recipient=owner).exists()  # owner is not verified


def test_the_official_answer_is_marked_and_announced(
    client, topic, alice, spokesperson, django_capture_on_commit_callbacks
):
    page = client.get(topic.get_absolute_url()).content.decode()
    assert "等待官方回复" in page
    with django_capture_on_commit_callbacks(execute=True):
        answer = posting.reply(
            spokesperson, topic, source="已安排维保单位今天检修。", official=True
        )
    topic.refresh_from_db()
    assert answer.is_official and topic.official_answer == answer
    assert forum_news(alice).get().kind == "official_reply"
    page = client.get(topic.get_absolute_url()).content.decode()
    assert "post--official" in page and answer.get_absolute_url() in page


def test_owners_cannot_post_official_replies(topic, bob):
    age_posts()
    post = posting.reply(bob, topic, source="我来官方回复一下", official=True)
    topic.refresh_from_db()
    assert not post.is_official and topic.official_answer is None


def test_following_a_board_hears_of_new_topics(
    client, alice, bob, boards, django_capture_on_commit_callbacks
):
    client.force_login(bob)
    client.post(reverse("forum:follow_board", args=["owners"]))
    with django_capture_on_commit_callbacks(execute=True):
        posting.create_topic(alice, boards["owners"], title="周末跳蚤市场", source="欢迎参加")
    assert forum_news(bob).get().kind == "reply"
    client.post(reverse("forum:follow_board", args=["owners"]))  # stop following
    assert not Subscription.objects.filter(user=bob, board=boards["owners"]).exists()


def test_the_unread_count_shows_and_opening_the_list_reads_them(client, topic, alice, bob):
    age_posts()
    posting.reply(bob, topic, source="我家也是。")

    notify.new_post(Post.objects.get(position=2).pk)
    client.force_login(alice)
    assert 'class="nav-count"' in client.get(reverse("forum:index")).content.decode()
    page = client.get(reverse("owners:notifications")).content.decode()
    assert "电梯故障" in page
    assert not alice.notifications.unread().exists()


def test_the_unsubscribe_link_needs_no_login(
    client, topic, alice, bob, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        posting.reply(bob, topic, source="我家也是。")
    link = mail.outbox[0].extra_headers["List-Unsubscribe"].strip("<>")
    path = link.split("testserver", 1)[-1]
    assert (
        client.get(path).status_code == 200
    )  # a page with a button: mail scanners do not unsubscribe
    alice.refresh_from_db()
    assert alice.email_notifications == "immediately"
    client.post(path)
    alice.refresh_from_db()
    assert alice.email_notifications == "never"
    assert client.get("/me/unsubscribe/forged-token/").status_code == 400


def test_a_daily_digest_sends_each_notification_once(
    topic, alice, bob, django_capture_on_commit_callbacks
):
    alice.email_notifications = "daily"
    alice.save()
    with django_capture_on_commit_callbacks(execute=True):
        posting.reply(bob, topic, source="我家也是。")
    assert mail.outbox == []
    with django_capture_on_commit_callbacks(execute=True):
        send_notification_digests()
    with django_capture_on_commit_callbacks(execute=True):
        send_notification_digests()
    assert len(mail.outbox) == 1 and "我家也是" not in mail.outbox[0].subject
    assert "电梯故障" in mail.outbox[0].body


def test_one_post_is_one_job_and_its_emails_share_one_smtp_connection(
    topic, bob, settings, smtp_sink, django_capture_on_commit_callbacks
):
    """A busy topic's followers are told by one job on the bulk queue, whose emails leave
    together over one connection to the mail server, never as one task per email."""
    followers = [make_user(f"follower{n}") for n in range(12)]
    Subscription.objects.bulk_create(Subscription(user=user, topic=topic) for user in followers)
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", smtp_sink.port
    settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
    with django_capture_on_commit_callbacks(execute=True):
        post = posting.reply(bob, topic, source="物业说明天修。")
    jobs = Outgoing.objects.filter(kind="task", key=f"post:{post.pk}")
    assert [(job.queue, job.state) for job in jobs] == [("bulk", "sent")]
    emails = Outgoing.objects.filter(group=f"post:{post.pk}")
    assert emails.count() == 13 and set(emails.values_list("queue", flat=True)) == {"bulk"}
    expected = sorted([topic.author.email, *(user.email for user in followers)])
    assert sorted(smtp_sink.recipients()) == expected
    assert smtp_sink.connections == 1


def test_the_job_run_again_tells_nobody_twice(
    topic, alice, bob, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        post = posting.reply(bob, topic, source="我家也是。")
    notify.new_post(post.pk)  # a worker killed after the commit, before the row was marked sent
    assert forum_news(alice).count() == 1
    assert len(mail.outbox) == 1
