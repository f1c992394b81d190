"""微信登录 against a fake of WeChat on 127.0.0.1: the button shows once the site has WeChat's
application id; the first sign-in asks for the name and a mobile number proved by a code, the
next ones go straight in; a refused exchange signs nobody in."""

import zipfile

import pytest
import requests
from allauth.socialaccount.models import SocialAccount
from django.urls import reverse

from conftest import sms_code
from owners import privacy
from owners.models import User
from portal.tests.fake_wechat import WeChat

pytestmark = pytest.mark.django_db
ZH = {"HTTP_ACCEPT_LANGUAGE": "zh-hans"}


@pytest.fixture
def wechat(settings):
    fake = WeChat("wx-test-app", "wechat-secret")
    settings.WECHAT_OPEN_URL = settings.WECHAT_API_URL = fake.url
    settings.SOCIALACCOUNT_PROVIDERS = {
        "weixin": {
            **settings.SOCIALACCOUNT_PROVIDERS["weixin"],
            "APPS": [{"client_id": "wx-test-app", "secret": "wechat-secret"}],
        }
    }
    yield fake
    fake.close()


def scan(client):
    """Press 微信登录, scan the QR code and agree on the phone: back at the site's callback."""
    login_page = client.get(reverse("account_login"), **ZH).content.decode()
    assert "微信登录" in login_page
    to_wechat = client.post(reverse("weixin_login") + "?process=login")
    back = requests.get(to_wechat.url, allow_redirects=False, timeout=5).headers["Location"]
    return client.get(back.split("testserver", 1)[-1], **ZH)


def test_without_the_applications_id_there_is_no_button(client):
    assert "微信登录" not in client.get(reverse("account_login"), **ZH).content.decode()


def test_the_first_sign_in_asks_for_a_name_and_a_verified_number(
    client, wechat, django_capture_on_commit_callbacks
):
    response = scan(client)
    assert response.url == reverse("socialaccount_signup")
    form = client.get(response.url, **ZH).content.decode()
    assert 'name="phone"' in form and 'name="real_name"' in form and 'name="email"' not in form
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(response.url, {"real_name": "赵敏", "phone": "137 1234 5678"}, **ZH)
    assert response.url == reverse("account_verify_phone")
    response = client.post(
        reverse("account_verify_phone"), {"code": sms_code("+8613712345678")}, **ZH
    )
    assert response.url == reverse("owners:dashboard")
    user = User.objects.get(mobile="13712345678")
    assert user.mobile_verified and user.real_name == "赵敏"
    assert SocialAccount.objects.get(user=user, provider="weixin").uid == "uFAKE-unionid-1"

    # The next time, WeChat alone signs in.
    client.logout()
    assert scan(client).url == reverse("owners:dashboard")
    assert User.objects.count() == 1


def test_a_refused_exchange_signs_nobody_in(client, wechat, settings):
    wechat.secret = "rotated-by-someone"
    response = scan(client)
    assert response.status_code == 401 and "第三方登录失败" in response.content.decode()
    assert client.get(reverse("owners:dashboard")).status_code == 302
    assert not SocialAccount.objects.exists()


def test_closing_the_account_unlinks_wechat(owner, staff, django_capture_on_commit_callbacks):
    SocialAccount.objects.create(
        user=owner, provider="weixin", uid="uFAKE-unionid-1", extra_data={"nickname": "湖畔晨跑"}
    )
    with django_capture_on_commit_callbacks(execute=True):
        closure = privacy.carry_out_closure(
            privacy.request_closure(owner, posts="keep"), staff("Managers")
        )
    assert closure.counts["wechat_accounts"] == 1 and not SocialAccount.objects.exists()


def test_a_number_with_an_account_links_wechat_to_it_once_its_code_is_entered(
    client, wechat, owner, django_capture_on_commit_callbacks
):
    signup = scan(client).url
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(signup, {"real_name": "王建国", "phone": owner.mobile}, **ZH)
    assert response.url == reverse("account_confirm_login_code")
    assert not SocialAccount.objects.exists()  # not before the code
    response = client.post(
        reverse("account_confirm_login_code"), {"code": sms_code("+86" + owner.mobile)}, **ZH
    )
    assert response.url == reverse("owners:dashboard")
    assert SocialAccount.objects.get(provider="weixin").user == owner
    assert User.objects.count() == 1
    # From now on WeChat signs the owner in.
    client.logout()
    assert scan(client).url == reverse("owners:dashboard")
    assert int(client.session["_auth_user_id"]) == owner.pk


def test_a_wrong_code_links_nothing(client, wechat, owner, django_capture_on_commit_callbacks):
    signup = scan(client).url
    with django_capture_on_commit_callbacks(execute=True):
        client.post(signup, {"real_name": "王建国", "phone": owner.mobile}, **ZH)
    code = sms_code("+86" + owner.mobile)
    for guess in [g for g in ("111111", "222222", "333333", "444444") if g != code][:3]:
        client.post(reverse("account_confirm_login_code"), {"code": guess}, **ZH)
    assert not SocialAccount.objects.exists()
    assert client.get(reverse("owners:dashboard")).status_code == 302


def test_the_owners_data_names_the_linked_wechat(owner, django_capture_on_commit_callbacks):
    SocialAccount.objects.create(
        user=owner, provider="weixin", uid="uFAKE-unionid-1", extra_data={"nickname": "湖畔晨跑"}
    )
    with django_capture_on_commit_callbacks(execute=True):
        export = privacy.request_export(owner)
    export.refresh_from_db()
    with zipfile.ZipFile(export.file.open("rb")) as archive:
        wechat = archive.read("profile/wechat.csv").decode("utf-8-sig")
    assert "湖畔晨跑" in wechat and "uFAKE" not in wechat


def test_inside_wechat_the_official_account_signs_in(
    client, settings, django_capture_on_commit_callbacks
):
    """In WeChat's own browser the official account's page to agree replaces the QR code."""
    wechat = WeChat("wx-official-account", "mp-secret")
    settings.WECHAT_OPEN_URL = settings.WECHAT_API_URL = wechat.url
    settings.SOCIALACCOUNT_PROVIDERS = {
        **settings.SOCIALACCOUNT_PROVIDERS,
        "weixin_mp": {
            **settings.SOCIALACCOUNT_PROVIDERS["weixin_mp"],
            "APPS": [{"client_id": "wx-official-account", "secret": "mp-secret"}],
        },
    }
    inside = {"HTTP_USER_AGENT": "Mozilla/5.0 (iPhone) MicroMessenger/8.0.50", **ZH}
    try:
        page = client.get(reverse("account_login"), **inside).content.decode()
        assert "微信登录" in page and reverse("weixin_mp_login") in page
        outside = client.get(reverse("account_login"), **ZH).content.decode()
        assert "微信登录" not in outside  # no QR application here
        to_wechat = client.post(reverse("weixin_mp_login") + "?process=login", **inside)
        assert "/connect/oauth2/authorize?" in to_wechat.url
        assert to_wechat.url.endswith("#wechat_redirect")
        back = requests.get(to_wechat.url, allow_redirects=False, timeout=5).headers["Location"]
        signup = client.get(back.split("testserver", 1)[-1], **inside)
        assert signup.url == reverse("socialaccount_signup")
        with django_capture_on_commit_callbacks(execute=True):
            client.post(signup.url, {"real_name": "赵敏", "phone": "13712345678"}, **inside)
        client.post(reverse("account_verify_phone"), {"code": sms_code("+8613712345678")})
        account = SocialAccount.objects.get(provider="weixin_mp")
        assert account.uid == "uFAKE-unionid-1" and account.user.mobile_verified
    finally:
        wechat.close()
