"""The outbox: rows written with their change, once per key, delivered after commit, retried
with a growing delay, ended as sent or failed, and shown to managers with a retry button."""

import io
from datetime import timedelta

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied
from django.core.management import call_command
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from conftest import make_user
from portal import celery_app, outbox
from portal.models import Outgoing
from portal.notifications import queue_email
from portal.tests.services import free_port

pytestmark = pytest.mark.django_db

State = Outgoing.State


def write(key=None, subject="通知", to="someone@example.com", **kwargs):
    return queue_email(subject, "正文", [to], key=key, **kwargs)


def refusing_mail_server(settings):
    """Email goes to a port where nothing listens: every delivery fails to connect."""
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", free_port()
    settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
    settings.EMAIL_TIMEOUT = 2


def test_an_email_is_written_with_the_change_and_sent_after_commit(
    django_capture_on_commit_callbacks,
):
    with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
        row_id = write(key="greeting:1", attachments=[("a.txt", "你好".encode(), "text/plain")])
        assert Outgoing.objects.get(pk=row_id).state == State.PENDING
        assert mail.outbox == []  # nothing leaves before the commit
    row = Outgoing.objects.get(pk=row_id)
    assert (row.state, row.kind, row.queue) == (State.SENT, "email", "mail") and row.sent_at
    (message,) = mail.outbox
    assert message.to == ["someone@example.com"] and message.attachments[0][1] == "你好"


def test_a_repeated_key_writes_nothing_and_sends_nothing(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        first = write(key="report:2026-11:7")
        assert write(key="report:2026-11:7", subject="again") is None
    assert Outgoing.objects.filter(key="report:2026-11:7").count() == 1 and first
    assert [m.subject for m in mail.outbox] == ["通知"]


def test_a_change_rolled_back_leaves_no_row_and_no_email(django_capture_on_commit_callbacks):
    with (
        django_capture_on_commit_callbacks(execute=True),
        pytest.raises(ZeroDivisionError),
        transaction.atomic(),
    ):
        write(key="never")
        1 / 0  # noqa: B018
    assert not Outgoing.objects.filter(key="never").exists() and mail.outbox == []


def test_a_failing_mail_server_is_retried_later_then_the_row_fails(
    settings, django_capture_on_commit_callbacks
):
    refusing_mail_server(settings)
    settings.OUTBOX_MAX_ATTEMPTS = 3
    with django_capture_on_commit_callbacks(execute=True):
        row_id = write(key="doomed")  # the owner's change commits whatever the mail server does
    row = Outgoing.objects.get(pk=row_id)
    assert (row.state, row.attempts) == (State.PENDING, 1)
    assert "ConnectionRefusedError" in row.last_error
    assert row.next_attempt_at > timezone.now() + timedelta(seconds=20)  # backoff
    assert outbox.relay() == 0  # not due yet
    for attempt in (2, 3):
        Outgoing.objects.filter(pk=row_id).update(next_attempt_at=timezone.now())
        assert outbox.relay() == 1  # in-process without a broker, as a worker would
        assert Outgoing.objects.get(pk=row_id).attempts == attempt
    row.refresh_from_db()
    assert row.state == State.FAILED and mail.outbox == []
    assert outbox.relay() == 0  # failed rows wait for staff


def test_delivering_twice_sends_once(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        row_id = write(key="once")
    outbox.deliver([row_id])
    outbox.deliver.delay([row_id])
    assert len(mail.outbox) == 1


def test_the_queues_of_each_kind_of_work(settings):
    route = celery_app.amqp.router.route
    assert route({}, "cases.tasks.poll_case_inbox")["queue"].name == "inbox"
    assert route({}, "portal.tasks.send_notification_digests")["queue"].name == "bulk"
    assert route({}, "portal.outbox.relay")["queue"].name == "default"


# -- The admin ------------------------------------------------------------------------------


@pytest.fixture
def failed(settings, django_capture_on_commit_callbacks):
    refusing_mail_server(settings)
    settings.OUTBOX_MAX_ATTEMPTS = 1
    with django_capture_on_commit_callbacks(execute=True):
        row_id = write(key="failed:1", subject="业主确认")
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    return Outgoing.objects.get(pk=row_id)


def test_managers_see_failures_with_their_error_and_retry_them(
    client, staff, failed, django_capture_on_commit_callbacks
):
    client.force_login(staff("Managers"))
    listing = client.get(reverse("outbox:index"), {"state": "failed"}).content.decode()
    assert "业主确认" in listing and "ConnectionRefusedError" in listing
    url = reverse("outbox:inspect", args=[failed.pk])
    page = client.get(url).content.decode()
    assert "ConnectionRefusedError" in page and 'value="retry"' in page
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, {"action": "retry"})
    assert response.status_code == 302
    failed.refresh_from_db()
    assert failed.state == State.SENT and [m.subject for m in mail.outbox] == ["业主确认"]
    assert 'value="retry"' not in client.get(url).content.decode()  # sent: nothing to retry


def test_other_staff_neither_see_nor_retry(client, staff, failed):
    client.force_login(staff("Customer service"))
    assert client.get(reverse("outbox:index")).status_code in (302, 403)
    url = reverse("outbox:inspect", args=[failed.pk])
    assert client.post(url, {"action": "retry"}).status_code in (302, 403)
    failed.refresh_from_db()
    assert failed.state == State.FAILED
    assert client.get("/admin/outbox/add/").status_code == 404  # no raw form, for anyone


def test_the_list_costs_the_same_for_few_and_many_rows(
    client, staff, django_assert_num_queries, django_capture_on_commit_callbacks
):
    client.force_login(staff("Managers"))
    write(key="one")
    client.get(reverse("outbox:index"))
    with CaptureQueriesContext(connection) as few:
        assert client.get(reverse("outbox:index")).status_code == 200
    for n in range(40):
        write(key=f"many:{n}", to=f"p{n}@example.com")
    outbox.add_task(outbox.purge, key="job:1")
    with django_assert_num_queries(len(few.captured_queries)):
        page = client.get(reverse("outbox:index")).content.decode()
    assert "p39@example.com" in page and "portal.outbox.purge" not in page
    # A job is listed by its name in the reader's language, its inspect screen adds the task's.
    assert "删除过期的已发送消息" in page
    job = Outgoing.objects.get(key="job:1")
    inspect = client.get(reverse("outbox:inspect", args=[job.pk])).content.decode()
    assert "删除过期的已发送消息" in inspect and "portal.outbox.purge" in inspect


def test_retry_is_an_action_that_checks_permission(failed, staff):
    with pytest.raises(PermissionDenied):
        outbox.retry(failed, make_user("nobody"))
    assert outbox.retry(failed, staff("Managers")).state == State.PENDING


def test_the_relay_command_delivers_what_is_due(settings):
    settings.OUTBOX_RELAY_AFTER = 0
    row_id = write(key="left-behind")  # its commit's kick was lost (never run in this test)
    out = io.StringIO()
    call_command("relay_outbox", stdout=out)
    assert "1 rows" in out.getvalue() and Outgoing.objects.get(pk=row_id).state == State.SENT
    assert len(mail.outbox) == 1
