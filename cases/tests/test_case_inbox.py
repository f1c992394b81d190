"""The complaint inbox, against a real IMAP server (dovecot) on loopback."""

import imaplib
from email.message import EmailMessage

import pytest
from django.core import mail
from django.core.management import call_command
from django.db import connection
from django.urls import reverse

from cases import casework, mailbox
from cases.models import Case, Category
from portal.tests.samples import pdf_bytes
from portal.tests.services import twice_at_once

pytestmark = pytest.mark.django_db


#: The receiving mail server of the tests: its Authentication-Results headers are believed.
MX = "mx.jindu.example"


def passed(address, authserv_id=MX, result="dmarc=pass"):
    """The Authentication-Results header a receiving server adds when `address`'s domain passed."""
    domain = address.rpartition("@")[2]
    return f"{authserv_id}; spf=none smtp.mailfrom={domain}; {result} header.from={domain}"


@pytest.fixture
def inbox(imap_server, settings):
    """An empty inbox, processed and quarantine folder; returns a function that delivers a
    message."""
    settings.CASE_IMAP = imap_server
    settings.CASE_IMAP_TRUSTED_AUTHSERV_ID = MX
    imap = mailbox.connect()
    for folder in ("INBOX", "Processed", "Quarantine"):
        imap.create(folder)
        imap.select(folder)
        imap.store("1:*", "+FLAGS", r"(\Deleted)") if imap.search(None, "ALL")[1][0] else None
        imap.expunge()
    imap.logout()

    def deliver(message):
        imap = mailbox.connect()
        raw = message if isinstance(message, bytes) else message.as_bytes()
        imap.append("INBOX", None, None, raw)
        imap.logout()

    return deliver


def poll_quietly():
    """One poll of two running together: the other poller may move a message first."""
    try:
        return mailbox.poll()
    except imaplib.IMAP4.error:
        return 0


def count(folder):
    imap = mailbox.connect()
    imap.select(folder)
    number = len(imap.search(None, "ALL")[1][0].split())
    imap.logout()
    return number


def message(sender, subject, body, message_id, pdf=False, trusted=False, **headers):
    """An email as the inbox receives it; `trusted`: the receiving server authenticated it."""
    mail = EmailMessage()
    if trusted:
        mail["Authentication-Results"] = passed(sender)
    mail["From"], mail["To"], mail["Subject"] = sender, "complaints@jindu.example", subject
    mail["Message-ID"] = message_id
    for name, value in headers.items():
        mail[name.replace("_", "-")] = value
    mail.set_content(body)
    if pdf:
        mail.add_attachment(pdf_bytes(), maintype="application", subtype="pdf", filename="收据.pdf")
    return mail


def test_an_email_from_a_verified_owner_becomes_their_case(inbox, verified_owner):
    inbox(
        message(
            verified_owner.email,
            "地库积水",
            "B2 地库积水严重。",
            "<m1@owner.example>",
            pdf=True,
            trusted=True,
        )
    )
    assert mailbox.poll() == 1
    case = Case.objects.get()
    assert (case.channel, case.owner, case.subject) == ("email", verified_owner, "地库积水")
    assert "B2 地库积水严重" in case.description
    assert case.attachments.get().name == "收据.pdf"
    assert (count("INBOX"), count("Processed")) == (0, 1)  # moved, never deleted


def test_an_unknown_sender_is_flagged_and_still_answered(inbox, django_capture_on_commit_callbacks):

    inbox(message("stranger@example.org", "噪音扰民", "晚上施工太吵。", "<m2@example.org>"))
    with django_capture_on_commit_callbacks(execute=True):
        mailbox.poll()
    case = Case.objects.get()
    assert case.owner is None and case.contact_email == "stranger@example.org"
    assert (
        mail.outbox[-1].to == ["stranger@example.org"] and case.reference in mail.outbox[-1].subject
    )


def test_a_reply_carrying_the_reference_joins_its_case(inbox, verified_owner):
    case = casework.file_case(
        verified_owner,
        kind="complaint",
        category=Category.objects.first(),
        subject="电梯",
        description="停运",
    )
    inbox(
        message(
            verified_owner.email,
            f"Re: [金都客服] [{case.reference}] 客服已回复",
            "电梯还是不行。",
            "<m3@x>",
            trusted=True,
        )
    )
    inbox(
        message(
            "stranger@example.org",
            f"Re: [{case.reference}]",
            "我也来说两句",
            "<m4@x>",
            trusted=True,
        )
    )
    mailbox.poll()
    reply = case.events.get(kind="owner_message")
    assert reply.text.startswith("电梯还是不行") and reply.author == verified_owner
    assert Case.objects.count() == 2  # the stranger got a case of their own


def test_each_message_is_handled_once(inbox, verified_owner):
    inbox(message(verified_owner.email, "绿化", "草坪枯黄。", "<m5@x>"))
    mailbox.poll()
    assert mailbox.poll() == 0
    # A crash after saving the case but before moving the message: the next poll only moves it.
    imap = mailbox.connect()
    imap.append(
        "INBOX",
        None,
        None,
        message(verified_owner.email, "绿化", "草坪枯黄。", "<m5@x>").as_bytes(),
    )
    imap.logout()
    assert mailbox.poll() == 0
    assert Case.objects.count() == 1 and count("INBOX") == 0


def test_the_management_command(inbox, verified_owner, capsys):
    inbox(message(verified_owner.email, "门禁", "门禁坏了。", "<m6@x>"))
    call_command("poll_case_inbox")
    assert "1" in capsys.readouterr().out and Case.objects.count() == 1


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
@pytest.mark.skipif(connection.vendor != "postgresql", reason="needs parallel PostgreSQL writers")
def test_two_pollers_at_once_make_one_case_per_message(inbox, verified_owner):
    for n in range(5):
        inbox(message(verified_owner.email, f"问题{n}", "内容", f"<para{n}@x>"))

    twice_at_once(poll_quietly)
    assert Case.objects.count() == 5 and count("INBOX") == 0


def test_a_reply_to_a_closed_case_becomes_a_new_case(inbox, verified_owner, staff):
    """The case page takes no message on a closed case and asks for a new case; by email the
    same rule holds, and the inbox files the new case itself."""
    agent = staff("Customer service")
    closed = casework.file_case(
        verified_owner,
        kind="complaint",
        category=Category.objects.first(),
        subject="电梯",
        description="停运",
    )
    casework.accept(closed, agent)
    casework.set_status(closed, agent, "resolved")
    casework.rate(closed, verified_owner, 4)
    inbox(
        message(
            verified_owner.email,
            f"Re: [金都客服] [{closed.reference}] 您的报事已关闭",
            "电梯又停了。",
            "<late@x>",
            trusted=True,
        )
    )
    assert mailbox.poll() == 1
    assert not closed.events.filter(kind="owner_message").exists()
    new = Case.objects.exclude(pk=closed.pk).get()
    assert (new.owner, new.channel, new.status) == (verified_owner, "email", "new")
    assert closed.reference in new.subject and "电梯又停了" in new.description


def test_email_cases_go_to_the_category_staff_chose_even_renamed(
    inbox, verified_owner, client, staff
):
    """The default category is a choice staff make and may rename: nothing recreates it."""
    default = Category.objects.get(is_default=True)
    client.force_login(staff("Managers"))
    edit = reverse("case_categories:edit", args=[default.pk])
    response = client.post(
        edit,
        {
            "name": "未分类",
            "first_response_hours": default.first_response_hours,
            "resolution_hours": default.resolution_hours,
            "is_default": "on",
        },
    )
    assert response.status_code == 302
    categories = Category.objects.count()

    inbox(message(verified_owner.email, "路灯不亮", "小区东门路灯不亮。", "<lamp@x>"))
    mailbox.poll()

    case = Case.objects.get()
    assert case.category == default and case.category.name == "未分类"
    assert Category.objects.count() == categories
    assert not Category.objects.filter(name="其他").exists()


def test_only_one_category_takes_email_cases(client, staff):
    default = Category.objects.get(is_default=True)
    other = Category.objects.exclude(pk=default.pk).first()
    client.force_login(staff("Managers"))
    response = client.post(
        reverse("case_categories:edit", args=[other.pk]),
        {
            "name": other.name,
            "first_response_hours": other.first_response_hours,
            "resolution_hours": other.resolution_hours,
            "is_default": "on",
        },
    )
    assert response.status_code == 200  # the form again, with the reason
    assert list(Category.objects.filter(is_default=True)) == [default]


def test_with_no_category_ticked_email_cases_go_to_the_first(verified_owner, inbox):
    Category.objects.update(is_default=False)
    inbox(message(verified_owner.email, "门禁", "门禁卡失灵。", "<door@x>"))
    mailbox.poll()
    assert Case.objects.get().category == Category.objects.order_by("sort_order", "pk").first()
