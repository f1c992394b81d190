"""Flood limits on the complaint mailbox: owners typing on the site wait between cases and
messages and file a bounded number a day; staff recording calls and the inbox are not limited."""

from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import Client
from django.urls import reverse
from django.utils import timezone, translation

from cases import casework
from cases.models import Case, CaseAttachment, CaseEvent, Category
from club.tests.test_concurrency import together
from portal.tests.samples import pdf_bytes

pytestmark = pytest.mark.django_db

NEW = reverse("cases:new")


@pytest.fixture(autouse=True)
def limits_on(settings):
    """The defaults of portal/settings/base.py, which the root conftest turns off."""
    settings.CASE_SECONDS_BETWEEN_CASES = 60
    settings.CASES_PER_DAY = 10
    settings.CASE_SECONDS_BETWEEN_MESSAGES = 10
    settings.CASE_MESSAGES_PER_DAY = 50
    settings.CASE_UPLOAD_MB_PER_DAY = 200
    return settings


@pytest.fixture
def category(db):
    return Category.objects.get(name="维修报修")


@pytest.fixture
def client(client, settings):
    """Pages in English, whatever the owner saved (the messages are checked in English)."""
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


def file(client, category, subject="卫生间漏水"):
    return client.post(
        NEW,
        {"kind": "complaint", "category": category.pk, "subject": subject, "description": "漏水"},
    )


def age(rows, seconds):
    """Move the given rows `seconds` into the past, as if the owner had waited."""
    for row in rows:
        type(row).objects.filter(pk=row.pk).update(
            created_at=row.created_at - timedelta(seconds=seconds)
        )


def test_a_second_case_within_a_minute_waits_with_a_clear_message(client, verified_owner, category):
    client.force_login(verified_owner)
    assert file(client, category).status_code == 302
    response = file(client, category, "又一个")
    assert response.status_code == 200
    page = response.content.decode()
    assert "You are sending too fast. Try again in 60 seconds." in page
    assert Case.objects.count() == 1

    age(Case.objects.all(), 61)
    assert file(client, category, "又一个").status_code == 302
    assert Case.objects.count() == 2


def test_the_daily_number_of_cases_says_when_to_try_again(
    client, verified_owner, category, limits_on
):
    limits_on.CASES_PER_DAY = 3
    client.force_login(verified_owner)
    for n in range(3):
        assert file(client, category, f"第{n}件").status_code == 302
        age(Case.objects.all(), 3600)  # an hour between each
    oldest = Case.objects.order_by("created_at").first().created_at
    page = file(client, category, "第四件").content.decode()
    until = timezone.localtime(oldest + timedelta(days=1)).strftime("%m-%d %H:%M")
    assert f"You have filed 3 cases in the last 24 hours. Try again after {until}" in page
    assert "400-800-1234" in page
    assert Case.objects.count() == 3


def test_the_limit_speaks_chinese_too(client, verified_owner, category, settings):
    client.force_login(verified_owner)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "zh-hans"
    file(client, category)
    assert "提交太频繁了，请 60 秒后再试。" in file(client, category, "又一个").content.decode()


def test_staff_recording_calls_and_the_inbox_are_not_limited(
    client, verified_owner, category, staff
):
    agent = staff("Customer service")
    client.force_login(agent)
    for n in range(3):
        response = client.post(
            reverse("case_ledger:phone"),
            {
                "owner": verified_owner.pk,
                "kind": "enquiry",
                "category": category.pk,
                "subject": f"来电{n}",
                "description": "业主来电。",
            },
        )
        assert response.status_code == 302
    for n in range(3):
        casework.file_case(
            verified_owner,
            kind="complaint",
            category=category,
            subject=f"邮件{n}",
            description="……",
            channel=Case.Channel.EMAIL,
        )
    assert Case.objects.filter(owner=verified_owner).count() == 6
    # Cases recorded for the owner do not hold back the owner's own first case on the site.
    client.force_login(verified_owner)
    assert file(client, category).status_code == 302


def test_adding_information_twice_within_ten_seconds_waits(client, verified_owner, category):
    case = casework.file_case(
        verified_owner, kind="complaint", category=category, subject="漏水", description="漏水"
    )
    client.force_login(verified_owner)
    url = case.get_absolute_url()

    def add(text):
        return client.post(url, {"action": "message", "text": text})

    assert add("补充一张照片").status_code == 302
    refused = add("再补充：楼下邻居也说天花板在滴水")
    # The same page again, the message at the form and the owner's words still in the box.
    assert refused.status_code == 200
    form = refused.context["message"]
    assert form.non_field_errors() == ["You are sending too fast. Try again in 10 seconds."]
    page = refused.content.decode()
    assert page.index("You are sending too fast") > page.index('id="message"')
    assert "\n再补充：楼下邻居也说天花板在滴水</textarea>" in page
    messages = CaseEvent.objects.filter(kind=CaseEvent.Kind.OWNER_MESSAGE)
    assert list(messages.values_list("text", flat=True)) == ["补充一张照片"]
    age(messages.all(), 11)
    assert add("再补充").status_code == 302
    assert messages.all().count() == 2


def test_a_refusal_on_a_case_that_moved_on_is_said_at_the_top(
    client, verified_owner, category, staff
):
    """The owner's page was open while the case was closed: no form to keep the words in, so
    the page says why at the top."""
    case = casework.file_case(
        verified_owner, kind="complaint", category=category, subject="漏水", description="漏水"
    )
    client.force_login(verified_owner)
    Case.objects.filter(pk=case.pk).update(status=Case.Status.CLOSED)
    response = client.post(
        case.get_absolute_url(), {"action": "message", "text": "还有问题"}, follow=True
    )
    assert response.redirect_chain == [(case.get_absolute_url(), 302)]
    assert "This case is closed." in response.content.decode()


def test_a_daily_number_of_messages(verified_owner, category, limits_on):
    limits_on.CASE_MESSAGES_PER_DAY = 2
    limits_on.CASE_SECONDS_BETWEEN_MESSAGES = 0
    case = casework.file_case(
        verified_owner, kind="complaint", category=category, subject="漏水", description="漏水"
    )
    casework.owner_message(case, verified_owner, "一")
    casework.owner_message(case, verified_owner, "二")
    with (
        translation.override("en"),
        pytest.raises(casework.CaseError, match="2 times in the last 24 hours"),
    ):
        casework.owner_message(case, verified_owner, "三")


KB = 1024


def scans(*sizes):
    return [
        SimpleUploadedFile(f"scan{n}.pdf", pdf_bytes(size=size), content_type="application/pdf")
        for n, size in enumerate(sizes)
    ]


def test_attachments_are_bounded_in_bytes_a_day(client, verified_owner, category, staff, limits_on):
    """Each case or message may carry 6 files of 10 MB; the owner's day is bounded too (here
    1 MB), on new cases and added information alike. Text alone still goes through."""
    limits_on.CASE_UPLOAD_MB_PER_DAY = 1
    limits_on.CASE_SECONDS_BETWEEN_CASES = limits_on.CASE_SECONDS_BETWEEN_MESSAGES = 0
    client.force_login(verified_owner)
    client.cookies["django_language"] = "zh-hans"
    answer = client.post(
        NEW,
        {
            "kind": "complaint",
            "category": category.pk,
            "subject": "卫生间漏水",
            "description": "漏水",
            "attachments": scans(400 * KB, 400 * KB),
        },
    )
    assert answer.status_code == 302
    case = Case.objects.get()
    url = case.get_absolute_url()
    assert client.post(url, {"action": "message", "text": "一", "attachments": scans(200 * KB)})
    assert CaseAttachment.objects.count() == 3  # 1000 kB of 1024

    full = "今天上传的附件已达 1 MB，请明天再试，或致电客服。"
    page = client.post(
        url, {"action": "message", "text": "二", "attachments": scans(30 * KB)}, follow=True
    )
    assert full in page.content.decode()
    page = client.post(
        NEW,
        {
            "kind": "complaint",
            "category": category.pk,
            "subject": "又漏了",
            "description": "漏水",
            "attachments": scans(30 * KB),
        },
    )
    assert page.status_code == 200 and full in page.content.decode()
    assert CaseAttachment.objects.count() == 3 and Case.objects.count() == 1

    client.post(url, {"action": "message", "text": "没有附件"})
    assert case.events.filter(text="没有附件").exists()

    # Customer service replying with files is not held to it, nor is the inbox.
    agent = staff("Customer service")
    casework.accept(case, agent)
    casework.reply(case, agent, "附上维修单", files=scans(300 * KB))
    casework.file_case(
        verified_owner,
        kind="complaint",
        category=category,
        subject="邮件",
        description="……",
        channel=Case.Channel.EMAIL,
        files=scans(300 * KB),
    )
    assert CaseAttachment.objects.count() == 5

    # A day later the owner may send files again.
    age(CaseEvent.objects.all(), 24 * 3600 + 1)
    client.post(url, {"action": "message", "text": "三", "attachments": scans(500 * KB)})
    assert case.events.filter(text="三").get().attachments.count() == 1


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
@pytest.mark.skipif(connection.vendor != "postgresql", reason="needs parallel PostgreSQL writers")
def test_twelve_cases_sent_at_once_file_one(verified_owner, category):
    """The form sent twelve times at the same moment: one case, eleven told to wait."""

    def send(n):
        client = Client()
        client.cookies["django_language"] = "en"
        client.force_login(verified_owner)
        return file(client, category, f"第{n}件").status_code

    outcomes = together(send, range(12))

    assert sorted(outcomes) == [200] * 11 + [302], outcomes
    assert Case.objects.count() == 1
