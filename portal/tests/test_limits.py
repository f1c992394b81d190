"""Flood limits on the complaint mailbox: owners typing on the site wait between cases and
messages and file a bounded number a day; staff recording calls and the inbox are not limited."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from club.tests.test_concurrency import together
from portal import casework
from portal.models import Case, CaseEvent, Category

pytestmark = pytest.mark.django_db

NEW = reverse("portal:new_case")


@pytest.fixture(autouse=True)
def limits_on(settings):
    """The defaults of portal/settings/base.py, which the root conftest turns off."""
    settings.CASE_SECONDS_BETWEEN_CASES = 60
    settings.CASES_PER_DAY = 10
    settings.CASE_SECONDS_BETWEEN_MESSAGES = 10
    settings.CASE_MESSAGES_PER_DAY = 50
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
            reverse("cases:phone"),
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
        client.post(url, {"action": "message", "text": text})
        return client.get(url).content.decode()

    add("补充一张照片")
    page = add("再补充")
    assert "You are sending too fast. Try again in 10 seconds." in page
    messages = CaseEvent.objects.filter(kind=CaseEvent.Kind.OWNER_MESSAGE)
    assert list(messages.values_list("text", flat=True)) == ["补充一张照片"]
    age(messages.all(), 11)
    add("再补充")
    assert messages.all().count() == 2


def test_a_daily_number_of_messages(verified_owner, category, limits_on):
    limits_on.CASE_MESSAGES_PER_DAY = 2
    limits_on.CASE_SECONDS_BETWEEN_MESSAGES = 0
    case = casework.file_case(
        verified_owner, kind="complaint", category=category, subject="漏水", description="漏水"
    )
    casework.owner_message(case, verified_owner, "一")
    casework.owner_message(case, verified_owner, "二")
    with pytest.raises(casework.CaseError, match="2 times in the last 24 hours"):
        casework.owner_message(case, verified_owner, "三")


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
