"""Text messages go through the outbox to the provider chosen by the settings: Aliyun's or
Tencent's API (a fake of each on 127.0.0.1 that checks the signature), the console, or nowhere
but the outbox's record. A text is sent once; a number the provider rejects fails at once; the
provider's limits and a wrong key leave it for a later attempt."""

import io
from datetime import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from portal import outbox, sms
from portal.models import Outgoing
from portal.tests.fake_sms import Provider

pytestmark = pytest.mark.django_db
CODE = {"code": "493027", "minutes": 10}


@pytest.fixture
def provider():
    fake = Provider("LTAI-test-key", "test-secret")
    yield fake
    fake.close()


@pytest.fixture(params=["aliyun", "tencent"])
def configured(request, settings, provider):
    settings.SMS_BACKEND = f"portal.sms_providers.{request.param.capitalize()}Backend"
    settings.SMS_ENDPOINT = provider.address
    settings.SMS_ACCESS_KEY_ID, settings.SMS_ACCESS_KEY_SECRET = "LTAI-test-key", "test-secret"
    settings.SMS_APP_ID = "1400000001"
    settings.SMS_SIGN_NAME = "金都地产"
    settings.SMS_TEMPLATES = {"verification_code": "SMS_4000001"}
    return request.param


@pytest.fixture
def text(django_capture_on_commit_callbacks):
    """text(phone) → the outbox row of a verification code to `phone`, delivered on commit."""

    def write(phone, key=None):
        with django_capture_on_commit_callbacks(execute=True):
            row = outbox.add_text(phone, "verification_code", CODE, urgent=True, key=key)
        return Outgoing.objects.filter(pk=row).first()

    return write


def test_a_text_reaches_the_provider_once_signed(configured, provider, text):
    row = text("+8613800138000", key="code:1")
    assert text("+8613800138000", key="code:1") is None  # the same key writes nothing more
    row.refresh_from_db()
    assert (row.state, row.kind, row.recipient) == ("sent", "sms", "+8613800138000")
    assert row.payload["sent_as"]  # the provider's id for it
    values = {"code": "493027", "minutes": "10"} if configured == "aliyun" else ["493027", "10"]
    phone = "13800138000" if configured == "aliyun" else "+8613800138000"
    assert provider.sent == [(configured, phone, "金都地产", "SMS_4000001", values)]
    outbox.deliver([row.pk])  # delivered again: nothing more is sent
    assert len(provider.sent) == 1


def test_a_number_the_provider_rejects_fails_at_once(configured, provider, text):
    row = text("+8610012345678")
    row.refresh_from_db()
    assert row.state == "failed" and row.attempts == 1 and "Refused" in row.last_error
    assert provider.sent == []


def test_the_providers_limit_leaves_it_for_later(configured, provider, text):
    row = text("+8613800000001")
    row.refresh_from_db()
    assert row.state == "pending" and row.attempts == 1 and "Deferred" in row.last_error
    assert provider.sent == []


def test_a_wrong_secret_is_refused_by_the_provider_and_tried_again(
    configured, provider, settings, text
):
    settings.SMS_ACCESS_KEY_SECRET = "not-the-secret"
    row = text("+8613800138000")
    row.refresh_from_db()
    assert row.state == "pending" and row.last_error and provider.requests == 1
    assert provider.sent == []


def test_a_template_without_an_id_fails_at_once(configured, provider, settings, text):
    settings.SMS_TEMPLATES = {}
    row = text("+8613800138000")
    row.refresh_from_db()
    assert row.state == "failed" and "SMS_TEMPLATES" in row.last_error
    assert provider.requests == 0


def test_the_console_prints_the_text_as_the_owner_reads_it(settings):
    out = io.StringIO()
    sms.ConsoleBackend(stream=out).send("+8613800138000", "verification_code", CODE)
    printed = out.getvalue()
    assert "to +8613800138000" in printed
    assert "【金都地产】您的验证码是 493027，10 分钟内有效。如非本人操作，请忽略本短信。" in printed


def test_the_outbox_row_is_the_record_in_the_tests(text):
    row = text("+8613800138000")
    row.refresh_from_db()
    assert row.state == "sent" and row.payload["params"] == CODE
    # Staff see the text in the outbox without its code: a code signs in.
    assert outbox.describe(row).startswith("【金都地产】您的验证码是 ••••••，10 分钟内有效")
    assert str(row) == "verification_code → +8613800138000"


def test_managers_see_which_number_a_text_went_to_but_not_its_code(client, staff, text):
    row = text("+8613800138000")
    client.force_login(staff("Managers"))
    listing = client.get(reverse("outbox:index"), {"kind": "sms"}).content.decode()
    page = client.get(reverse("outbox:inspect", args=[row.pk])).content.decode()
    for html in (listing, page):
        assert "+8613800138000" in html and "您的验证码是 ••••••" in html
        assert "493027" not in html


@pytest.mark.parametrize(
    "clock, wake",
    [
        ((2026, 12, 2, 22, 30), (2026, 12, 3, 8, 0)),
        ((2026, 12, 3, 7, 59), (2026, 12, 3, 8, 0)),
        ((2026, 12, 3, 21, 0), (2026, 12, 4, 8, 0)),
        ((2026, 12, 3, 8, 0), None),
        ((2026, 12, 3, 20, 59), None),
    ],
)
def test_the_quiet_hours_are_nine_in_the_evening_to_eight_in_beijing(clock, wake):
    beijing = timezone.get_current_timezone()
    now = datetime(*clock, tzinfo=beijing)
    assert sms.quiet_until(now) == (datetime(*wake, tzinfo=beijing) if wake else None)


def test_a_text_written_in_the_quiet_hours_waits_for_their_end_a_code_does_not(
    settings, django_capture_on_commit_callbacks
):
    hour = timezone.localtime().hour
    settings.SMS_QUIET_HOURS = (hour, (hour + 1) % 24)  # now is quiet
    with django_capture_on_commit_callbacks(execute=True):
        news = outbox.add_text("+8613800138000", "case_update", {"reference": "TS-1"})
        code = outbox.add_text("+8613800138000", "verification_code", CODE, urgent=True)
    news, code = Outgoing.objects.get(pk=news), Outgoing.objects.get(pk=code)
    assert code.state == "sent" and news.state == "pending"
    assert timezone.localtime(news.next_attempt_at).hour == (hour + 1) % 24
    # At the end of the quiet hours the relay hands it over.
    Outgoing.objects.filter(pk=news.pk).update(next_attempt_at=timezone.now())
    with django_capture_on_commit_callbacks(execute=True):
        outbox.relay()
    news.refresh_from_db()
    assert news.state == "sent"
