"""Emails address the owner as the glossary says: 尊敬的王先生/女士： / Dear Mr/Ms Wang, with the
surname only, 尊敬的业主： / Dear owner, without a name; allauth's emails name the site."""

import re
import sys
from pathlib import Path

import pytest
from django.conf import settings
from django.core import mail
from django.urls import reverse

from cases import casework
from cases.models import Category
from conftest import PASSWORD, make_user
from owners import claims
from owners.models import OwnershipClaim
from portal import salutations

pytestmark = pytest.mark.django_db


def file_case(owner, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        casework.file_case(
            owner,
            kind="enquiry",
            category=Category.objects.get(name="维修报修"),
            subject="门禁卡",
            description="门禁卡失灵",
        )
    (message,) = mail.outbox
    return message


def test_a_case_email_in_chinese_uses_the_surname(owner, django_capture_on_commit_callbacks):
    message = file_case(owner, django_capture_on_commit_callbacks)
    assert message.body.startswith("尊敬的王先生/女士：\n")
    html = message.alternatives[0][0]
    assert "<p>尊敬的王先生/女士：</p>" in html
    assert "王建国" not in message.body and "王建国" not in html
    assert "金都业主服务中心" in html


def test_a_case_email_in_english(owner, django_capture_on_commit_callbacks):
    owner.language = "en"
    owner.save()
    message = file_case(owner, django_capture_on_commit_callbacks)
    assert message.body.startswith("Dear Mr/Ms Wang,\n")
    assert "<p>Dear Mr/Ms Wang,</p>" in message.alternatives[0][0]


@pytest.mark.parametrize(
    "real_name, chinese, english",
    [
        ("欧阳娜娜", "尊敬的欧阳先生/女士：", "Dear Mr/Ms Ouyang,"),  # a two-character surname
        ("单雄信", "尊敬的单先生/女士：", "Dear Mr/Ms Shan,"),  # read as a surname, not dān
        ("曾小贤", "尊敬的曾先生/女士：", "Dear Mr/Ms Zeng,"),
        ("澹台明月", "尊敬的澹台先生/女士：", "Dear Mr/Ms Tantai,"),  # not Dantai
        ("David Smith", "尊敬的Smith先生/女士：", "Dear Mr/Ms Smith,"),
        ("", "尊敬的业主：", "Dear owner,"),
    ],
)
def test_a_claim_review_email_in_both_languages(
    unit, staff, django_capture_on_commit_callbacks, real_name, chinese, english
):
    reviewer = staff("Customer service")
    for language, salutation in (("zh-hans", chinese), ("en", english)):
        owner = make_user(f"owner-{language}", real_name=real_name, language=language)
        claim = OwnershipClaim.objects.create(owner=owner, unit=unit, proof="HT-1")
        with django_capture_on_commit_callbacks(execute=True):
            claims.approve_claim(claim, reviewer)
        message = mail.outbox[-1]
        assert message.to == [owner.email]
        assert message.body.startswith(salutation + "\n"), message.body
        assert f"<p>{salutation}</p>" in message.alternatives[0][0]


def test_the_verification_email_names_the_site_and_addresses_a_new_owner(
    client, django_capture_on_commit_callbacks
):
    """An owner who added an address and signs in with it before confirming it is sent the
    link again, addressed by the name sign-up asked for."""
    user = make_user("zhang", real_name="张伟", language="zh-hans", verified_email=False)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("account_login"), {"login": user.email, "password": PASSWORD})
    body = mail.outbox[0].body
    assert body.startswith("尊敬的张先生/女士：\n")
    assert f"您在{settings.WAGTAIL_SITE_NAME}的账户添加了这个邮箱地址。" in body
    assert not re.search(r"业主\d", body) and "  " not in body
    assert "http://testserver/accounts/confirm-email/" in body


def test_the_verification_email_in_english(client, django_capture_on_commit_callbacks):
    """An English-speaking owner signing in with an address not yet confirmed is sent the
    link again, addressed in English."""
    user = make_user("wang", real_name="王芳", language="en", verified_email=False)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            reverse("account_login"),
            {"login": user.email, "password": PASSWORD},
            HTTP_ACCEPT_LANGUAGE="en",
        )
    body = mail.outbox[0].body
    assert body.startswith("Dear Mr/Ms Wang,\n")
    assert f"This email address was added to your account at {settings.WAGTAIL_SITE_NAME}." in body


def test_adding_an_email_address_names_the_site(owner_client, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = owner_client.post(
            reverse("account_email"),
            {"action_add": "", "email": "second@example.com"},
            HTTP_ACCEPT_LANGUAGE="zh-hans",
        )
        # Changing the account asks for the password again; then the request goes through.
        assert response.url.startswith(reverse("account_reauthenticate"))
        owner_client.post(response.url, {"password": PASSWORD}, HTTP_ACCEPT_LANGUAGE="zh-hans")
    message = mail.outbox[-1]
    assert message.to == ["second@example.com"]
    assert message.body.startswith("尊敬的王先生/女士：\n")
    assert f"您在{settings.WAGTAIL_SITE_NAME}的账户添加了这个邮箱地址。" in message.body


def test_the_password_reset_email_uses_the_surname(
    client, owner, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            reverse("account_reset_password"),
            {"email": owner.email},
            HTTP_ACCEPT_LANGUAGE="zh-hans",
        )
    body = mail.outbox[0].body
    assert body.startswith("尊敬的王先生/女士：\n") and "王建国" not in body


def test_every_email_template_greets_through_the_salutation_tag():
    """Whoever adds an email copies one that says {% salutation user %}, never a name."""
    root = Path(settings.BASE_DIR)
    templates = [
        path
        for pattern in (
            "*/templates/*/email/**/*",
            "templates/account/email/*",
            "templates/email/*",
        )
        for path in root.glob(pattern)
        if path.is_file()
    ]
    assert len(templates) > 40
    for path in templates:
        text = path.read_text()
        assert "Dear {{" not in text and "display_name %}Dear" not in text, path
        assert "current_site" not in text and "user_display" not in text, path


def test_surnames_are_read_without_the_phrase_dictionary():
    """Every worker loads the salutation with the email template tags: pypinyin's phrase
    dictionary (some 45 MiB a process) stays out, and two-character surnames still read right."""
    readings = {name: salutations.romanised(name) for name in salutations.COMPOUND_SURNAMES}
    assert sys.modules["pypinyin.constants"].PHRASES_DICT == {}  # loaded by `romanised`
    assert readings["欧阳"] == "Ouyang" and readings["司马"] == "Sima"
    assert readings["尉迟"] == "Yuchi" and readings["万俟"] == "Moqi"
    assert readings["单于"] == "Chanyu" and readings["澹台"] == "Tantai"
    assert all(reading.isascii() and reading.istitle() for reading in readings.values())
