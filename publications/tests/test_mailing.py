"""Publishing a magazine issue sends it to members who asked, once each, in batches: in their
notifications on the site and on the channels they chose for the club's publications (email by
default, WeChat by choice); the email carries a one-click unsubscribe that takes email off those
channels; the admin shows the progress in members reached."""

import re
from datetime import date, timedelta

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone
from wagtail.models import Page

from club.models import Member
from owners.models import User
from portal.models import Notification, Outgoing
from portal.tests.test_channels import OPENID, choose, follows_the_account
from portal.tests.test_channels import wechat as wechat  # noqa: F401 (the fixture)
from publications import mailing
from publications.models import MagazineIssuePage, Mailing, MailingDelivery

pytestmark = pytest.mark.django_db


@pytest.fixture
def readers(make_member):
    wants = [make_member(f"reader{n}") for n in range(3)]
    quiet = make_member("quiet")
    Member.objects.filter(pk=quiet.pk).update(publications=False)
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
    reader = User.objects.get(pk=wants[0].user_id)
    assert client.get(link).status_code == 200
    reader.refresh_from_db()
    assert reader.notification_channels == {}  # a GET changes nothing
    assert client.post(link).status_code == 200
    reader.refresh_from_db()
    assert reader.notification_channels == {"publications": []}
    assert Member.objects.get(pk=wants[0].pk).publications is True  # still on the site
    assert client.post(link[:-5] + "xxxx/").status_code == 400

    # The next issue: no email for them, the site's notification still.
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        second = make_issue(2)
    assert reader.email not in [m.to[0] for m in mail.outbox] and len(mail.outbox) == 2
    assert reader.notifications.filter(url=second.url).count() == 1


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


def test_each_member_hears_on_their_own_channels_and_the_admin_counts_members_reached(
    wechat, settings, make_issue, readers, django_capture_on_commit_callbacks
):
    wants, quiet = readers
    by_wechat, both, email_only = (User.objects.get(pk=m.user_id) for m in wants)
    follows_the_account(by_wechat)
    choose(by_wechat, publications=["wechat"])
    follows_the_account(both, openid="oFAKE-openid-2")
    wechat.followers.add("oFAKE-openid-2")
    choose(both, publications=["wechat", "email"])
    no_address = User.objects.get(pk=quiet.user_id)
    Member.objects.filter(pk=quiet.pk).update(publications=True)
    User.objects.filter(pk=no_address.pk).update(email="")  # a number and WeChat, no email
    wechat.template_ids = {"Tpl-club"}
    settings.WECHAT_TEMPLATES = {"club_news": {"id": "Tpl-club", "data": {"thing1": "news"}}}
    mail.outbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        issue = make_issue()

    assert sorted(m.to[0] for m in mail.outbox) == sorted([both.email, email_only.email])
    assert sorted(m["touser"] for m in wechat.messages) == sorted([OPENID, "oFAKE-openid-2"])
    assert {m["url"].split("testserver")[-1] for m in wechat.messages} == {issue.url}
    assert wechat.messages[0]["data"]["thing1"]["value"].startswith(issue.title)
    # Everyone who wants the publications has it on the site, once, the issue's page.
    told = Notification.objects.filter(kind="publications", url=issue.url)
    assert sorted(told.values_list("recipient", flat=True)) == sorted(
        [by_wechat.pk, both.pk, email_only.pk, no_address.pk]
    )
    done = Mailing.objects.get(page=issue)
    assert (done.total, done.sent) == (4, 4) and done.finished_at
    rows = Outgoing.objects.filter(group=mailing.group_of(done.pk))
    assert rows.count() == 4 and set(rows.values_list("queue", flat=True)) == {"bulk"}


def test_a_member_is_reached_only_when_every_channel_has_delivered(
    make_issue, readers, django_capture_on_commit_callbacks
):
    wants, _ = readers
    with django_capture_on_commit_callbacks(execute=True):
        issue = make_issue()
    done = Mailing.objects.get(page=issue)
    group = mailing.group_of(done.pk)
    # One member's email bounced back into the outbox's queue: they are not reached yet.
    Outgoing.objects.filter(group=group, recipient=wants[0].user.email).update(
        state=Outgoing.State.PENDING
    )
    mailing.record_progress(group)
    done.refresh_from_db()
    assert (done.total, done.sent) == (3, 2)


def test_an_issue_scheduled_for_later_is_not_mailed_before_it_goes_live(
    magazine, readers, django_capture_on_commit_callbacks
):
    issue = MagazineIssuePage(
        title="第 9 期",
        slug="issue-9",
        issue_number=9,
        issue_date=date(2026, 9, 1),
        go_live_at=timezone.now() + timedelta(days=1),
    )
    magazine.add_child(instance=issue)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        issue.save_revision().publish()
    issue.refresh_from_db()
    assert not issue.live and mail.outbox == [] and not Mailing.objects.exists()
