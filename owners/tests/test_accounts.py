"""Owner accounts through allauth: sign-up with verified email, sign-in, reset, change."""

import re

import pytest
from allauth.account.models import EmailAddress
from django.core import mail
from django.urls import reverse

from conftest import PASSWORD, make_user
from owners.models import User

pytestmark = pytest.mark.django_db


def link_in(message):
    return re.search(r"https?://[^\s]+", message.body).group(0)


def sign_up(client, email="new@example.com", password="a-Long-pass-2026"):
    return client.post(
        reverse("account_signup"),
        {"real_name": "张伟", "email": email, "password1": password, "password2": password},
        HTTP_ACCEPT_LANGUAGE="zh-hans",
    )


def test_sign_up_requires_verifying_the_email_before_signing_in(
    client, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = sign_up(client)
    assert response.status_code == 302
    assert response.url == reverse("account_email_verification_sent")
    user = User.objects.get(email="new@example.com")
    assert not EmailAddress.objects.get(user=user).verified
    assert len(mail.outbox) == 1

    # Unverified: signing in leads back to "verify your email", not into the site.
    client.logout()
    response = client.post(
        reverse("account_login"), {"login": "new@example.com", "password": "a-Long-pass-2026"}
    )
    assert response.url == reverse("account_email_verification_sent")
    assert client.get(reverse("owners:dashboard")).status_code == 302

    confirm_url = link_in(mail.outbox[0])
    response = client.get(confirm_url)
    assert response.status_code == 200
    response = client.post(confirm_url)
    assert response.status_code == 302
    assert EmailAddress.objects.get(user=user).verified
    assert user.real_name == "张伟"
    # Signed in by the link: the message names the person, never the generated username.
    dashboard = client.get(reverse("owners:dashboard"), HTTP_ACCEPT_LANGUAGE="zh-hans")
    assert dashboard.status_code == 200
    messages = [str(m) for m in dashboard.context["messages"]]
    assert any("张伟" in m for m in messages) and not any(user.username in m for m in messages)


def test_sign_up_asks_for_a_name(client):
    response = client.post(
        reverse("account_signup"),
        {
            "real_name": " \u200b ",
            "email": "n@example.com",
            "password1": "a-Long-pass-2026",
            "password2": "a-Long-pass-2026",
        },
        HTTP_ACCEPT_LANGUAGE="zh-hans",
    )
    assert response.status_code == 200
    assert "请填写您的姓名。" in response.content.decode()
    assert not User.objects.filter(email="n@example.com").exists()


def test_verification_email_is_in_the_owners_language(client, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        sign_up(client)
    assert mail.outbox[0].subject == "[金都客服] 请确认您的邮箱地址"
    assert User.objects.get(email="new@example.com").language == "zh-hans"


def test_a_wrong_verification_link_says_so_and_verifies_nothing(client):
    user = make_user("someone", verified_email=False)
    response = client.get(reverse("account_confirm_email", args=["not-a-real-key"]))
    assert response.status_code == 200
    assert "这个电子邮件确认链接已过期或无效" in response.content.decode()
    assert not EmailAddress.objects.get(user=user).verified


def test_sign_up_with_a_taken_email_or_weak_password_is_refused(
    client, owner, django_capture_on_commit_callbacks
):
    # A taken address is not revealed to whoever typed it; its owner is told by email instead.
    with django_capture_on_commit_callbacks(execute=True):
        response = sign_up(client, email=owner.email)
    assert response.url == reverse("account_email_verification_sent")
    assert User.objects.filter(email=owner.email).count() == 1
    assert mail.outbox[0].to == [owner.email]

    response = sign_up(client, email="weak@example.com", password="12345678")
    assert response.status_code == 200
    assert "这个密码太常见了" in response.content.decode()
    assert not User.objects.filter(email="weak@example.com").exists()


def test_sign_in_and_sign_out(client, owner):
    response = client.post(reverse("account_login"), {"login": owner.email, "password": PASSWORD})
    assert response.url == reverse("owners:dashboard")
    assert client.get(reverse("owners:dashboard")).status_code == 200
    client.post(reverse("account_logout"))
    assert client.get(reverse("owners:dashboard")).status_code == 302


def test_wrong_password_is_refused_and_failed_sign_ins_are_rate_limited(client, owner):
    for _ in range(5):
        response = client.post(reverse("account_login"), {"login": owner.email, "password": "nope"})
        assert response.status_code == 200
        assert "您提供的电子邮件地址和/或密码不正确" in response.content.decode()
    response = client.post(reverse("account_login"), {"login": owner.email, "password": PASSWORD})
    assert response.status_code == 200  # locked out for now, even with the right password
    assert "登录失败次数过多，请 5 分钟后再试" in response.content.decode()
    assert client.get(reverse("owners:dashboard")).status_code == 302


def test_password_reset_by_email(client, owner, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("account_reset_password"), {"email": owner.email})
    assert len(mail.outbox) == 1
    reset_url = link_in(mail.outbox[0])
    response = client.get(reset_url)
    form_url = response.url
    response = client.post(
        form_url, {"password1": "Brand-new-pass-9", "password2": "Brand-new-pass-9"}
    )
    assert response.status_code == 302
    owner.refresh_from_db()
    assert owner.check_password("Brand-new-pass-9")

    # The link is spent: using it again says it is invalid and changes nothing.
    response = client.get(reset_url, follow=True)
    assert "密码重置链接无效" in response.content.decode()


def test_an_expired_or_forged_reset_link_is_refused(client, owner):
    url = reverse("account_reset_password_from_key", kwargs={"uidb36": "zz", "key": "forged-key"})
    response = client.get(url, follow=True)
    assert "密码重置链接无效" in response.content.decode()
    owner.refresh_from_db()
    assert owner.check_password(PASSWORD)


def test_change_password(owner_client, owner):
    response = owner_client.post(
        reverse("account_change_password"),
        {"oldpassword": PASSWORD, "password1": "Another-pass-77", "password2": "Another-pass-77"},
    )
    assert response.status_code == 302
    owner.refresh_from_db()
    assert owner.check_password("Another-pass-77")


def test_change_password_with_the_wrong_current_password_changes_nothing(owner_client, owner):
    response = owner_client.post(
        reverse("account_change_password"),
        {"oldpassword": "wrong", "password1": "Another-pass-77", "password2": "Another-pass-77"},
    )
    assert response.status_code == 200
    owner.refresh_from_db()
    assert owner.check_password(PASSWORD)


def test_change_email_needs_the_password_and_verification_of_the_new_address(
    owner_client, owner, django_capture_on_commit_callbacks
):
    response = owner_client.post(
        reverse("account_email"), {"action_add": "", "email": "moved@example.com"}
    )
    # A session left open does not move the account to another mailbox: the password first.
    assert response.url.startswith(reverse("account_reauthenticate"))
    assert not EmailAddress.objects.filter(email="moved@example.com").exists()
    with django_capture_on_commit_callbacks(execute=True):
        response = owner_client.post(response.url, {"password": PASSWORD})
    assert response.status_code == 302
    address = EmailAddress.objects.get(email="moved@example.com")
    assert address.user == owner and not address.verified
    assert mail.outbox[-1].to == ["moved@example.com"]
    owner_client.post(link_in(mail.outbox[-1]))
    address.refresh_from_db()
    assert address.verified
