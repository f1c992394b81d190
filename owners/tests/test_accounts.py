"""Owner accounts through allauth: sign-up with verified email, sign-in, reset, change."""

import re

import pytest
from allauth.account.models import EmailAddress
from django.core import mail
from django.urls import reverse

from conftest import PASSWORD, sms_code
from owners.models import User
from portal.models import Outgoing

pytestmark = pytest.mark.django_db


def link_in(message):
    return re.search(r"https?://[^\s]+", message.body).group(0)


PHONE = "+8613812345678"


def sign_up(client, password="a-Long-pass-2026", phone="138 1234 5678"):
    return client.post(
        reverse("account_signup"),
        {"real_name": "张伟", "phone": phone, "password1": password, "password2": password},
        HTTP_ACCEPT_LANGUAGE="zh-hans",
    )


def enter_code(client, code, view="account_verify_phone"):
    return client.post(reverse(view), {"code": code}, HTTP_ACCEPT_LANGUAGE="zh-hans")


def test_sign_up_with_a_mobile_number_and_the_code_texted_to_it(
    client, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = sign_up(client)
    assert response.url == reverse("account_verify_phone")
    user = User.objects.get(mobile="13812345678")
    assert not user.mobile_verified and not user.email  # an address may be added later
    code = sms_code(PHONE)
    assert re.fullmatch(r"[0-9]{6}", code)
    # The button for another code waits out the minute the limit holds, counting it down.
    page = client.get(response.url, HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()
    wait = int(re.search(r'data-countdown="([0-9]+)"', page).group(1))
    assert 50 <= wait <= 60 and 'data-countdown-text="{n} 秒后可重新获取"' in page
    assert client.get(reverse("owners:dashboard")).status_code == 302  # not in yet

    wrong = "000000" if code != "000000" else "111111"
    assert "验证码" in enter_code(client, wrong).content.decode()
    response = enter_code(client, code)
    assert response.url == reverse("owners:dashboard")
    user.refresh_from_db()
    assert user.mobile_verified and user.real_name == "张伟"
    # Signed in: the message names the person, never the generated username.
    dashboard = client.get(reverse("owners:dashboard"), HTTP_ACCEPT_LANGUAGE="zh-hans")
    messages = [str(m) for m in dashboard.context["messages"]]
    assert any("张伟" in m for m in messages) and not any(user.username in m for m in messages)

    # Then the number and the password sign in, as typed on a phone's keypad.
    client.logout()
    response = client.post(
        reverse("account_login"), {"login": "138-1234-5678", "password": "a-Long-pass-2026"}
    )
    assert response.url == reverse("owners:dashboard")


def test_sign_up_asks_for_a_name(client):
    response = client.post(
        reverse("account_signup"),
        {
            "real_name": " \u200b ",
            "phone": "13812345678",
            "password1": "a-Long-pass-2026",
            "password2": "a-Long-pass-2026",
        },
        HTTP_ACCEPT_LANGUAGE="zh-hans",
    )
    assert response.status_code == 200
    assert "请填写您的姓名。" in response.content.decode()
    assert not User.objects.filter(mobile="13812345678").exists()


def test_sign_up_with_a_taken_number_or_weak_password_is_refused(
    client, owner, django_capture_on_commit_callbacks
):
    # A number with an account is not revealed to whoever typed it: the same page as for a new
    # one; the number's owner is told by text how to sign in, and no account is made.
    taken = "+86" + owner.mobile
    with django_capture_on_commit_callbacks(execute=True):
        response = sign_up(client, phone=owner.mobile)
    assert response.url == reverse("account_verify_phone")
    assert User.objects.filter(mobile=owner.mobile).count() == 1
    assert sms_code(taken) is None
    assert Outgoing.objects.get(kind="sms", recipient=taken).payload["template"] == "account_exists"

    client.logout()  # a new visitor
    response = sign_up(client, phone="13912345678", password="12345678")
    assert response.status_code == 200
    assert "这个密码太常见了" in response.content.decode()
    assert not User.objects.filter(mobile="13912345678").exists()


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
