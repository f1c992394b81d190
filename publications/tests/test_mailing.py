"""Publishing a magazine issue emails it to members who asked, once each, in batches; the
email carries a one-click unsubscribe; the admin shows the progress."""

import re

import pytest
from django.core import mail
from django.urls import reverse
from wagtail.models import Page

from club.models import Member
from publications import mailing
from publications.models import Mailing, MailingDelivery

pytestmark = pytest.mark.django_db


@pytest.fixture
def readers(make_member):
    wants = [make_member(f"reader{n}") for n in range(3)]
    quiet = make_member("quiet")
    Member.objects.filter(pk=quiet.pk).update(magazine_by_email=False)
    return wants, quiet


def test_publishing_an_issue_emails_each_reader_once(
    make_issue, readers, django_capture_on_commit_callbacks
):
    wants, quiet = readers
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        issue = make_issue()
    assert sorted(m.to[0] for m in mail.outbox) == sorted(m.user.email for m in wants)
    message = mail.outbox[0]
    assert issue.title in message.subject and "中秋游园会" in message.body
    assert message.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    html = message.alternatives[0][0]
    assert "中秋游园会" in html and issue.url in html
    done = Mailing.objects.get(page=issue)
    assert (done.total, done.sent) == (3, 3) and done.finished_at
    # Published again (a correction): nobody gets it twice.
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        issue.summary = "更正后的导读"
        issue.save_revision().publish()
    assert mail.outbox == []
    assert MailingDelivery.objects.count() == 3


def test_a_retried_batch_sends_nobody_twice(
    make_issue, readers, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        issue = make_issue()
    the_mailing = Mailing.objects.get(page=issue)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        assert mailing.send_batch(the_mailing.pk) == 0  # a retry of a finished task
    assert mail.outbox == []


def test_large_mailings_go_in_batches(
    monkeypatch, make_issue, readers, django_capture_on_commit_callbacks
):
    monkeypatch.setattr(mailing, "BATCH", 2)
    with django_capture_on_commit_callbacks(execute=True):
        make_issue()
    # The task re-queued itself for the second batch; with eager Celery all three went out.
    assert Mailing.objects.get().sent == 3 and len(mail.outbox) == 3


def test_news_goes_out_only_when_the_editor_ticks_it(
    make_news, readers, django_capture_on_commit_callbacks
):
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        make_news("普通新闻")
        make_news("重要新闻", email_members=True)
    assert {m.subject.split("]")[-1].strip() for m in mail.outbox} == {"重要新闻"}


def test_the_unsubscribe_link_works_without_signing_in(
    client, make_issue, readers, django_capture_on_commit_callbacks
):
    wants, _ = readers
    with django_capture_on_commit_callbacks(execute=True):
        make_issue()
    message = next(m for m in mail.outbox if m.to == [wants[0].user.email])
    link = re.search(r"http://testserver(/me/club/publications/stop/[^/\s]+/)", message.body).group(
        1
    )
    assert client.get(link).status_code == 200
    assert Member.objects.get(pk=wants[0].pk).magazine_by_email is True  # a GET changes nothing
    assert client.post(link).status_code == 200
    assert Member.objects.get(pk=wants[0].pk).magazine_by_email is False
    assert client.post(link[:-5] + "xxxx/").status_code == 400


def test_the_admin_shows_each_mailings_progress(
    client, make_issue, readers, staff, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        issue = make_issue()
    client.force_login(staff("Editors"))
    html = client.get(reverse("mailings:index")).content.decode()
    assert issue.title in html and "3 / 3" in html
    assert client.get(reverse("mailings:add")).status_code != 200


def test_editors_submit_and_managers_publish(staff, make_issue):

    home = Page.objects.get(depth=2)
    workflow = home.get_workflow()
    assert workflow is not None and workflow.active
    task = workflow.tasks.get().specific
    assert [g.name for g in task.groups.all()] == ["Managers"]


def test_an_alias_of_an_issue_is_not_mailed_again(
    make_issue, readers, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        issue = make_issue()
    issue.create_alias(update_slug="issue-1-copy")
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        issue.save_revision().publish()
    assert mail.outbox == []
