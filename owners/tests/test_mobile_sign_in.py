"""Signing in with a mobile number: with the password, or with a code texted to it; the same
answer for a number nobody uses; a code a minute and ten a day per number; three guesses."""

import pytest
from django.urls import reverse

from cases import casework
from cases.models import Category
from conftest import PASSWORD, make_user, sms_code, verify
from portal.models import Outgoing

pytestmark = pytest.mark.django_db
ZH = {"HTTP_ACCEPT_LANGUAGE": "zh-hans"}


def ask_for_code(client, phone, **extra):
    return client.post(reverse("account_request_login_code"), {"phone": phone}, **ZH, **extra)


def enter_code(client, code):
    return client.post(reverse("account_confirm_login_code"), {"code": code}, **ZH)


def texts_to(phone):
    return Outgoing.objects.filter(kind="sms", recipient=phone).count()


def test_the_number_and_password_sign_in(client, owner):
    response = client.post(
        reverse("account_login"), {"login": "+86 " + owner.mobile, "password": PASSWORD}
    )
    assert response.url == reverse("owners:dashboard")


def test_a_number_typed_on_a_profile_but_never_verified_does_not_sign_in(client, owner):
    owner.mobile_verified = False
    owner.save()
    response = client.post(reverse("account_login"), {"login": owner.mobile, "password": PASSWORD})
    assert response.status_code == 200
    assert client.get(reverse("owners:dashboard")).status_code == 302


def test_a_code_texted_to_the_number_signs_in(client, owner, django_capture_on_commit_callbacks):
    phone = "+86" + owner.mobile
    login = client.get(reverse("account_login"), **ZH).content.decode()
    assert "短信验证码登录" in login and reverse("account_request_login_code") in login
    with django_capture_on_commit_callbacks(execute=True):
        response = ask_for_code(client, owner.mobile)
    assert response.url == reverse("account_confirm_login_code")
    code = sms_code(phone)
    page = client.get(response.url, **ZH).content.decode()
    assert "验证码已发送至" in page and "138 0013 8000" in page
    assert enter_code(client, code).url == reverse("owners:dashboard")
    assert client.get(reverse("owners:dashboard")).status_code == 200


def test_an_unknown_number_gets_the_same_answer_and_no_text(
    client, owner, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = ask_for_code(client, "13700001111")
    assert response.url == reverse("account_confirm_login_code")  # as for a known number
    assert texts_to("+8613700001111") == 0
    assert "验证码不正确" in enter_code(client, "123456").content.decode()


def test_twenty_requests_in_a_minute_send_one_code_and_say_when_to_ask_again(
    client, owner, django_capture_on_commit_callbacks
):
    phone = "+86" + owner.mobile
    answers = []
    with django_capture_on_commit_callbacks(execute=True):
        for _ in range(20):
            client.logout()  # a new visit each time, as a script would
            answers.append(ask_for_code(client, owner.mobile))
    assert texts_to(phone) == 1
    refused = [r for r in answers if r.status_code == 200]
    assert len(refused) == 19
    assert all("验证码刚刚已发送，请" in r.content.decode() for r in refused)
    assert "秒后再获取" in refused[0].content.decode()


def test_three_wrong_codes_end_the_attempt(client, owner, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        ask_for_code(client, owner.mobile)
    code = sms_code("+86" + owner.mobile)
    wrong = [guess for guess in ("111111", "222222", "333333", "444444") if guess != code][:3]
    for guess in wrong[:2]:
        assert "验证码不正确" in enter_code(client, guess).content.decode()
    # The third wrong guess ends it: back to asking for a code, and the right one is void.
    assert enter_code(client, wrong[2]).url == reverse("account_request_login_code")
    assert enter_code(client, code).url == reverse("account_request_login_code")
    assert client.get(reverse("owners:dashboard")).status_code == 302


def test_an_owner_without_a_number_adds_one_and_verifies_it(
    client, django_capture_on_commit_callbacks
):
    someone = make_user("emailonly")  # an account made before numbers: email only
    client.force_login(someone)
    client.post(reverse("account_reauthenticate"), {"password": PASSWORD})  # asked first
    dashboard = client.get(reverse("owners:dashboard"), **ZH).content.decode()
    assert reverse("account_change_phone") in dashboard and "添加后可用手机号登录" in dashboard
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("account_change_phone"), {"phone": "139 1234 5678"}, **ZH)
    assert response.url == reverse("account_verify_phone")
    someone.refresh_from_db()
    assert someone.mobile == ""  # the new number is the account's once its code is entered
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("account_verify_phone"), {"code": sms_code("+8613912345678")}, **ZH
        )
    someone.refresh_from_db()
    assert (someone.mobile, someone.mobile_verified) == ("13912345678", True)
    client.logout()
    login = {"login": "13912345678", "password": PASSWORD}
    assert client.post(reverse("account_login"), login).url == reverse("owners:dashboard")


def test_a_number_another_account_verified_cannot_be_taken(
    client, owner, django_capture_on_commit_callbacks
):
    someone = make_user("emailonly")
    client.force_login(someone)
    client.post(reverse("account_reauthenticate"), {"password": PASSWORD})
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("account_change_phone"), {"phone": owner.mobile}, **ZH)
    someone.refresh_from_db()
    assert (someone.mobile, someone.mobile_verified) == ("", False)
    # No code that could move the number: its holder is told someone tried, as at sign-up.
    taken = "+86" + owner.mobile
    assert sms_code(taken) is None
    assert Outgoing.objects.get(recipient=taken).payload["template"] == "account_exists"


def test_a_forgotten_password_is_replaced_by_sms(client, owner, django_capture_on_commit_callbacks):
    new_password = reverse("owners:new_password")
    page = client.get(reverse("account_reset_password"), **ZH).content.decode()
    start = f"{reverse('account_request_login_code')}?next={new_password}"
    assert f'href="{start}"' in page and "短信" in page
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(start, {"phone": owner.mobile, "next": new_password}, **ZH)
    confirm = response.url
    response = client.post(
        confirm, {"code": sms_code("+86" + owner.mobile), "next": new_password}, **ZH
    )
    assert response.url == new_password
    response = client.post(
        new_password, {"password1": "Brand-new-pass-9", "password2": "Brand-new-pass-9"}, **ZH
    )
    assert response.url == reverse("owners:dashboard")
    owner.refresh_from_db()
    assert owner.check_password("Brand-new-pass-9") and not owner.check_password(PASSWORD)
    assert client.get(reverse("owners:dashboard")).status_code == 200  # still signed in


def test_without_a_fresh_code_the_old_password_is_asked(client, owner):
    client.post(reverse("account_login"), {"login": owner.mobile, "password": PASSWORD})
    response = client.get(reverse("owners:new_password"))
    assert response.url == reverse("account_change_password")
    response = client.post(
        reverse("owners:new_password"), {"password1": "Brand-new-9x", "password2": "Brand-new-9x"}
    )
    owner.refresh_from_db()
    assert owner.check_password(PASSWORD)


def test_an_owner_with_a_number_alone_hears_by_sms(
    client, unit, staff, django_capture_on_commit_callbacks
):
    """What others read by email reaches an owner who signed up with a number alone by SMS,
    once each: the claim's decision, the case filed and its progress."""
    someone = make_user("phoneonly", mobile="13912345678", real_name="赵敏")
    someone.emailaddress_set.all().delete()
    someone.email = ""  # signed up with the number, no address added
    someone.save()
    phone = "+8613912345678"
    with django_capture_on_commit_callbacks(execute=True):
        verify(someone, unit)
        case = casework.file_case(
            someone,
            kind="complaint",
            category=Category.objects.get(name="维修报修"),
            subject="漏水",
            description="卫生间漏水",
        )
        agent = staff("Customer service")
        casework.accept(case, agent)
    texts = [
        (row.payload["template"], row.payload["params"])
        for row in Outgoing.objects.filter(recipient=phone).order_by("pk")
    ]
    assert [name for name, _params in texts] == ["claim_reviewed", "case_filed", "case_update"]
    assert texts[0][1]["decision"] == "已认证" and texts[2][1]["status"] == "已受理"
    assert texts[2][1]["url"].endswith(case.get_absolute_url())
    assert not Outgoing.objects.filter(kind="email", recipient="").exists()
    # And each is in the owner's notifications on the site, in their language.
    someone.refresh_from_db()
    inbox = [n.text for n in someone.notifications.order_by("pk")]
    assert inbox == [
        f"您对 {unit} 的房产认证：已认证",
        f"您的报事 {case.reference}：待受理",
        f"您的报事 {case.reference}：已受理",
    ]


def test_an_owner_with_an_email_address_hears_by_email_not_sms(
    owner, unit, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        verify(owner, unit)
        case = casework.file_case(
            owner,
            kind="complaint",
            category=Category.objects.get(name="维修报修"),
            subject="漏水",
            description="卫生间漏水",
        )
    assert Outgoing.objects.filter(kind="email", recipient=owner.email).count() == 2
    assert not Outgoing.objects.filter(kind="sms").exists()
    # The case is in the site's notifications too, marked as sent: the daily digest skips it.
    claim, entry = owner.notifications.order_by("pk")
    assert claim.kind == "account" and claim.url == reverse("owners:dashboard")
    assert entry.kind == "case" and entry.url == case.get_absolute_url()
    assert claim.emailed_at is not None and entry.emailed_at is not None
