"""The complaint inbox when mail is bad or forged, against a real IMAP server (dovecot): a message
that cannot be handled is quarantined and the poll goes on; charsets are read generously;
refused attachments are recorded and the sender told; only authenticated senders or reply
tokens make an email the owner's."""

import base64
import socket
from datetime import timedelta

import pytest
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext

from cases import casework, mailbox
from cases.models import Case, Category, InboxHealth, QuarantinedEmail
from cases.rules import CaseError
from cases.tests import test_case_inbox
from cases.tests.test_case_inbox import MX, count, message, passed, poll_quietly
from portal.tests.actions_only import assert_no_raw_admin_views
from portal.tests.samples import pdf_bytes
from portal.tests.services import twice_at_once

pytestmark = pytest.mark.django_db
inbox = test_case_inbox.inbox  # the same fixture: an empty inbox and a function to deliver


def raw(*headers, body=b"", charset=None):
    """A message written byte for byte, as a broken or non-UTF-8 mail client sends it."""
    head = b"".join(line.encode() + b"\r\n" for line in headers)
    if charset:
        head += f"Content-Type: text/plain; charset={charset}\r\n".encode()
        head += b"Content-Transfer-Encoding: 8bit\r\n"
    return b"MIME-Version: 1.0\r\n" + head + b"\r\n" + body + b"\r\n"


def file(owner, subject="电梯停运"):
    return casework.file_case(
        owner, kind="complaint", category=Category.objects.first(), subject=subject, description="x"
    )


def test_a_poison_message_is_quarantined_and_the_poll_goes_on(
    inbox, verified_owner, staff, django_capture_on_commit_callbacks
):
    manager = staff("Managers")
    # No sender to answer: nobody can be told anything, so staff must look at it.
    inbox(raw("To: complaints@jindu.example", "Subject: 没有发件人", "Message-ID: <poison@x>"))
    # The mail that used to stop the inbox for good: a charset nobody knows.
    inbox(
        raw(
            "From: stranger@example.org",
            "Subject: =?x-unknown?B?" + base64.b64encode("噪音".encode()).decode() + "?=",
            "Message-ID: <unknown-charset@x>",
            charset="x-unknown",
            body="晚上施工太吵。".encode(),
        )
    )
    inbox(message(verified_owner.email, "门禁", "门禁坏了。", "<good@x>", trusted=True))

    with django_capture_on_commit_callbacks(execute=True):
        assert mailbox.poll() == 2

    item = QuarantinedEmail.objects.get()
    assert (item.message_id, item.subject, item.folder) == (
        "<poison@x>",
        "没有发件人",
        "Quarantine",
    )
    assert item.reason == gettext("The email has no valid sender address to answer.")
    assert item.handled_at is None
    assert (count("INBOX"), count("Processed"), count("Quarantine")) == (0, 2, 1)
    told = [m for m in mail.outbox if m.to == [manager.email]]
    assert len(told) == 1 and "没有发件人" in told[0].body
    assert reverse("inbox_quarantine:inspect", args=[item.pk]) in told[0].body

    stranger = Case.objects.get(contact_email="stranger@example.org")
    assert "晚上施工太吵" in stranger.description and stranger.subject == "噪音"
    assert stranger.decoded_with_fallback
    assert Case.objects.get(owner=verified_owner).subject == "门禁"
    assert InboxHealth.objects.get().last_success_at and mailbox.inbox_trouble() is None

    # The same message again (a copy left behind, or re-sent): not tried, moved aside, no email.
    inbox(raw("To: complaints@jindu.example", "Subject: 没有发件人", "Message-ID: <poison@x>"))
    sent = len(mail.outbox)
    with django_capture_on_commit_callbacks(execute=True):
        assert mailbox.poll() == 0
    assert QuarantinedEmail.objects.count() == 1 and len(mail.outbox) == sent
    assert (count("INBOX"), count("Quarantine"), Case.objects.count()) == (0, 2, 2)

    # Once staff have handled it, the message moved back into the inbox is read again.
    mailbox.mark_handled(item, manager, "已联系发件人")
    inbox(raw("To: complaints@jindu.example", "Subject: 没有发件人", "Message-ID: <poison@x>"))
    with django_capture_on_commit_callbacks(execute=True):
        assert mailbox.poll() == 0
    item.refresh_from_db()
    assert item.handled_at is None and len(mail.outbox) == sent + 1


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL enforces the length")
def test_an_unexpected_error_is_quarantined_with_its_traceback(inbox, verified_owner):
    # An address longer than SMTP allows (254): valid to Django's validator, refused by the
    # database. Whatever fails inside one message, the poll goes on.
    long = "a" * 64 + "@" + ".".join(["b" * 60] * 4) + ".com"
    inbox(message(long, "太长", "地址太长。", "<long@x>"))
    inbox(message(verified_owner.email, "门禁", "门禁坏了。", "<after-long@x>", trusted=True))
    assert mailbox.poll() == 1
    item = QuarantinedEmail.objects.get()
    assert item.message_id == "<long@x>" and item.reason.startswith("DataError")
    assert "mailbox.py" in item.details and "DataError" in item.details
    assert (count("Quarantine"), count("Processed"), Case.objects.get().subject) == (1, 1, "门禁")


def test_a_site_not_set_up_fails_the_poll_and_keeps_the_mail(inbox, verified_owner):
    """No case category yet is the site's problem, not the message's: nothing is quarantined,
    the mail waits, and the failed poll is recorded for the staff's banner."""
    Category.objects.all().delete()
    inbox(message(verified_owner.email, "门禁", "门禁坏了。", "<early@x>", trusted=True))
    with pytest.raises(CaseError):
        mailbox.poll()
    assert not QuarantinedEmail.objects.exists() and count("INBOX") == 1
    assert "CaseError" in InboxHealth.objects.get().last_error


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
@pytest.mark.skipif(connection.vendor != "postgresql", reason="needs parallel PostgreSQL writers")
def test_two_pollers_quarantine_a_poison_message_once(inbox, verified_owner, staff):
    manager = staff("Managers")
    inbox(raw("To: complaints@jindu.example", "Subject: 没有发件人", "Message-ID: <both@x>"))
    for n in range(4):
        inbox(message(verified_owner.email, f"问题{n}", "内容", f"<both{n}@x>", trusted=True))

    twice_at_once(poll_quietly)
    assert Case.objects.count() == 4 and QuarantinedEmail.objects.count() == 1
    assert (count("INBOX"), count("Processed"), count("Quarantine")) == (0, 4, 1)
    assert len([m for m in mail.outbox if m.to == [manager.email]]) == 1


def test_a_poll_waits_for_the_one_running_and_a_crashed_ones_lease_runs_out(inbox, verified_owner):
    inbox(message(verified_owner.email, "门禁", "门禁坏了。", "<lease@x>", trusted=True))
    InboxHealth.objects.create(pk=1, polling_until=timezone.now() + timedelta(minutes=4))
    assert mailbox.poll() == 0 and count("INBOX") == 1  # another poll holds the inbox
    InboxHealth.objects.filter(pk=1).update(polling_until=timezone.now() - timedelta(seconds=1))
    assert mailbox.poll() == 1 and count("INBOX") == 0
    assert InboxHealth.objects.get().polling_until is None


def test_gb2312_mail_is_read_as_gb18030(inbox, verified_owner):
    # 喆 and 镕 are GBK characters outside GB2312, which mail clients still label gb2312.
    subject = base64.b64encode("王喆：地库漏水".encode("gb18030")).decode()
    inbox(
        raw(
            f"From: {verified_owner.email}",
            f"Subject: =?gb2312?B?{subject}?=",
            "Message-ID: <gb@x>",
            f"Authentication-Results: {passed(verified_owner.email)}",
            charset="gb2312",
            body="朱镕家楼下 B2 地库漏水。".encode("gb18030"),
        )
    )
    assert mailbox.poll() == 1
    case = Case.objects.get()
    assert case.subject == "王喆：地库漏水" and "朱镕家楼下 B2 地库漏水" in case.description
    assert not case.decoded_with_fallback and case.owner == verified_owner


def test_an_attachment_named_in_gb2312_keeps_its_name(inbox, verified_owner):
    name = base64.b64encode("王喆的收据.pdf".encode("gb18030")).decode()
    pdf = base64.encodebytes(pdf_bytes()).replace(b"\n", b"\r\n")
    inbox(
        raw(
            f"From: {verified_owner.email}",
            "Subject: receipt",
            "Message-ID: <gbname@x>",
            f"Authentication-Results: {passed(verified_owner.email)}",
            "Content-Type: multipart/mixed; boundary=XX",
            body=b"--XX\r\nContent-Type: text/plain; charset=gb2312\r\n\r\n"
            + "见附件".encode("gb2312")
            + b"\r\n--XX\r\nContent-Type: application/pdf\r\n"
            + f'Content-Disposition: attachment; filename="=?gb2312?B?{name}?="\r\n'.encode()
            + b"Content-Transfer-Encoding: base64\r\n\r\n"
            + pdf
            + b"--XX--",
        )
    )
    assert mailbox.poll() == 1
    case = Case.objects.get()
    assert case.description == "见附件" and case.attachments.get().name == "王喆的收据.pdf"


def test_a_forged_sender_never_joins_the_owners_case(inbox, verified_owner, client, staff):
    case = file(verified_owner)
    reply = f"Re: [金都客服] [{case.reference}] 客服已回复"
    # No Authentication-Results at all; then one the sender wrote, naming another server.
    inbox(message(verified_owner.email, reply, "请把维修费退给我。", "<forged1@x>"))
    inbox(
        message(
            verified_owner.email,
            reply,
            "再说一次。",
            "<forged2@x>",
            Authentication_Results=passed(verified_owner.email, authserv_id="mx.evil.example"),
        )
    )
    assert mailbox.poll() == 2

    assert not case.events.filter(kind="owner_message").exists()
    forged = Case.objects.exclude(pk=case.pk)
    assert forged.count() == 2
    for unverified in forged:
        assert (unverified.owner, unverified.contact_email) == (None, verified_owner.email)
        assert unverified.sender_unverified

    # Staff check with the owner, then add the email to their case, from the case screen.
    agent = staff("Customer service")
    client.force_login(agent)
    first = forged.get(description__startswith="请把维修费")
    screen = reverse("case_ledger:inspect", args=[first.pk])
    page = client.get(screen).content.decode()
    assert case.reference in page and 'value="join"' in page
    assert client.post(screen, {"action": "join", "into": case.reference}).status_code == 302
    first.refresh_from_db()
    assert first.status == "closed" and not first.sender_unverified
    joined = case.events.get(kind="owner_message")
    assert joined.text.startswith("请把维修费") and joined.author == verified_owner
    # And the other one to its owner, after a call.
    second = forged.get(description__startswith="再说一次")
    screen = reverse("case_ledger:inspect", args=[second.pk])
    assert client.post(screen, {"action": "match", "owner": verified_owner.pk}).status_code == 302
    second.refresh_from_db()
    assert second.owner == verified_owner and not second.sender_unverified


@pytest.mark.parametrize(
    "result",
    [
        "spf=none smtp.mailfrom=example.com; dmarc=pass (p=none) header.from=example.com",
        "dmarc=none header.from=example.com; dkim=pass header.d=example.com header.s=s1",
        "spf=pass smtp.mailfrom=bounce@mail.example.com",
    ],
)
def test_an_authenticated_owner_joins_their_case(inbox, verified_owner, result):
    case = file(verified_owner)
    assert verified_owner.email.endswith("@example.com")
    inbox(
        message(
            verified_owner.email,
            f"Re: [{case.reference}]",
            "还是不行。",
            "<ok@x>",
            Authentication_Results=f"{MX}; {result}",
        )
    )
    mailbox.poll()
    assert case.events.get(kind="owner_message").text == "还是不行。"
    assert Case.objects.count() == 1


def test_failed_or_unaligned_results_are_not_trusted(inbox, verified_owner):
    case = file(verified_owner)
    for n, result in enumerate(
        [
            "dmarc=fail header.from=example.com",
            "dkim=pass header.d=attacker.example",
            "spf=pass smtp.mailfrom=x@com",
            "dmarc=pass header.from=attacker.example",
        ]
    ):
        inbox(
            message(
                verified_owner.email,
                f"Re: [{case.reference}]",
                f"第{n}封",
                f"<bad{n}@x>",
                Authentication_Results=f"{MX}; {result}",
            )
        )
    assert mailbox.poll() == 4
    assert not case.events.filter(kind="owner_message").exists()
    assert Case.objects.filter(sender_unverified=True, owner=None).count() == 4


def test_a_valid_reply_token_joins_without_authentication(
    inbox, verified_owner, django_capture_on_commit_callbacks, settings
):
    settings.CASE_IMAP = {**settings.CASE_IMAP, "reply_address": "complaints@jindu.example"}
    with django_capture_on_commit_callbacks(execute=True):
        case = file(verified_owner)
    sent = mail.outbox[-1].message()
    assert case.reference in sent["Message-ID"] and "complaints+" in sent["Reply-To"]
    # The owner's mail client answers the Message-ID; a second one writes to the Reply-To.
    inbox(
        message(
            verified_owner.email,
            "Re: 我们已收到",
            "补充一张照片。",
            "<token1@x>",
            In_Reply_To=sent["Message-ID"],
        )
    )
    answer = message(verified_owner.email, "Re: 我们已收到", "再补充。", "<token2@x>")
    answer.replace_header("To", sent["Reply-To"])
    inbox(answer)
    # A token with its signature changed is no token.
    forged = sent["Message-ID"].replace(".", ".X", 1)
    inbox(message(verified_owner.email, "Re:", "伪造。", "<token3@x>", In_Reply_To=forged))
    mailbox.poll()
    texts = set(case.events.filter(kind="owner_message").values_list("text", flat=True))
    assert texts == {"补充一张照片。", "再补充。"}
    assert Case.objects.get(description="伪造。").sender_unverified


def test_attachments_not_kept_are_recorded_and_the_sender_told(
    inbox, verified_owner, settings, django_capture_on_commit_callbacks
):
    settings.CASE_ATTACHMENT_MAX_BYTES = 20_000
    mail_ = message(verified_owner.email, "门口垃圾", "见附件。", "<big@x>", trusted=True)
    mail_.add_attachment(
        pdf_bytes(size=40_000), maintype="application", subtype="pdf", filename="大文件.pdf"
    )
    mail_.add_attachment(
        b"MZ\x90\x00", maintype="application", subtype="octet-stream", filename="工具.exe"
    )
    mail_.add_attachment(pdf_bytes(), maintype="application", subtype="pdf", filename="收据.pdf")
    inbox(mail_)
    with django_capture_on_commit_callbacks(execute=True):
        assert mailbox.poll() == 1

    case = Case.objects.get()
    assert [a.name for a in case.attachments.all()] == ["收据.pdf"]
    for name in ("大文件.pdf", "工具.exe"):
        assert name in case.description
    assert case.description.count("Processed") == 2
    told = [m for m in mail.outbox if m.to == [verified_owner.email] and "大文件.pdf" in m.body]
    assert len(told) == 1 and "工具.exe" in told[0].body and case.reference in told[0].subject
    assert count("Processed") == 1  # the original, with every attachment, stays there


def test_the_inbox_in_trouble_is_told_to_staff(inbox, imap_server, settings, client, staff):
    with socket.socket() as probe:  # a port nobody listens on: the IMAP server is down
        probe.bind(("127.0.0.1", 0))
        closed = probe.getsockname()[1]
    settings.CASE_IMAP = {**settings.CASE_IMAP, "port": closed}
    settings.CASE_INBOX_TROUBLE_POLLS = 3
    for _attempt in range(3):
        assert mailbox.inbox_trouble() is None
        with pytest.raises(OSError):
            mailbox.poll()
    trouble = mailbox.inbox_trouble()
    assert trouble and "3" in trouble and "ConnectionRefusedError" in trouble
    client.force_login(staff("Customer service"))
    mailbox.remembered_health.forget()  # each process reads it every 30 s at most
    with CaptureQueriesContext(connection) as queries:
        for page in (reverse("wagtailadmin_home"), "/admin/cases/"):  # a banner on every page
            assert trouble in client.get(page).content.decode()
    assert sum("cases_inboxhealth" in query["sql"] for query in queries) == 1  # remembered

    settings.CASE_IMAP = {**settings.CASE_IMAP, "port": imap_server["port"]}
    mailbox.poll()
    health = InboxHealth.objects.get()
    assert mailbox.inbox_trouble() is None and health.failures_in_a_row == 0
    assert health.last_failure_at and "ConnectionRefusedError" in health.last_error
    mailbox.remembered_health.forget()
    assert trouble not in client.get("/admin/cases/").content.decode()


def test_staff_see_and_handle_quarantined_emails_at_a_bounded_cost(client, staff, owner):
    def quarantine(n):
        for i in range(n):
            mailbox.quarantine_message(
                raw(f"Subject: 坏邮件{i}", f"Message-ID: <q{i}-{n}@x>"),
                mailbox.Unhandleable("The email has no valid sender address to answer."),
                "Quarantine",
            )

    agent = staff("Customer service")
    client.force_login(agent)
    index = reverse("inbox_quarantine:index")

    def cost():
        with CaptureQueriesContext(connection) as captured:
            assert client.get(index).status_code == 200
        return len(captured)

    quarantine(2)
    few = cost()
    quarantine(30)
    many = cost()
    assert many <= few + 1, (few, many)

    item = QuarantinedEmail.objects.first()
    screen = reverse("inbox_quarantine:inspect", args=[item.pk])
    assert item.subject in client.get(screen).content.decode()
    assert client.post(screen, {"action": "handled", "note": "已电话联系"}).status_code == 302
    item.refresh_from_db()
    assert (item.handled_by, item.handled_note) == (agent, "已电话联系")
    again = client.post(screen, {"action": "handled"})  # a second tab: refused, nothing changes
    assert again.status_code == 200 and agent.display_name in again.content.decode()
    item.refresh_from_db()
    assert item.handled_note == "已电话联系"
    assert str(QuarantinedEmail.objects.filter(handled_at__isnull=True).count()) in (
        client.get(reverse("wagtailadmin_home")).content.decode()
    )

    client.force_login(owner)
    assert client.get(index).status_code in (302, 403)
    assert_no_raw_admin_views(client, "/admin/cases/quarantine/", item)
