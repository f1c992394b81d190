"""Signing in: one door (allauth's), the same limits and rules behind every way in, and a
second step for everyone who can open the admin."""

import re

import pytest
from allauth.mfa.models import Authenticator
from allauth.mfa.recovery_codes.internal.auth import RecoveryCodes
from allauth.mfa.totp.internal.auth import TOTP
from django.core import mail
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from wagtail.models import (
    Collection,
    CollectionViewRestriction,
    ModelLogEntry,
    PageViewRestriction,
)

from conftest import PASSWORD, TOTP_SECRET, make_user, totp_code
from demo.owners import DEMO_TOTP_SECRET
from home.models import HomePage, StandardPage
from owners.models import User
from portal import signin
from portal.tests.test_settings import SECRET, run_manage

pytestmark = pytest.mark.django_db

LOGIN = reverse("account_login")
ACTIVATE = reverse("mfa_activate_totp")
SECOND_STEP = reverse("mfa_authenticate")


def sign_in(client, login, password=PASSWORD, **request):
    return client.post(LOGIN, {"login": login, "password": password}, **request)


def signed_in(client):
    """Whether the client's session is signed in to the site."""
    return client.get(reverse("owners:dashboard")).status_code == 200


def locked_message(response, minutes):
    return f"登录失败次数过多，请 {minutes} 分钟后再试。" in response.content.decode()


def reauthenticate(client):
    """Type the password again, as allauth asks before sensitive changes."""
    response = client.post(reverse("account_reauthenticate"), {"password": PASSWORD})
    assert response.status_code == 302


WRONG_CODE = "验证码不正确，或已使用过。"


# -- The login page: limits --------------------------------------------------------------------


def test_thirty_wrong_passwords_then_the_right_one_is_refused(client, owner):
    for attempt in range(30):
        response = sign_in(client, owner.email, "wrong-password")
        assert response.status_code == 200
        if attempt >= 5:
            assert locked_message(response, 5)
    # Past 30 attempts a minute from one address, allauth answers every sign-in with 429.
    response = sign_in(client, owner.email)
    assert response.status_code == 429 and "尝试次数过多" in response.content.decode()
    assert not signed_in(client)


def test_the_message_says_how_long_to_wait(client, owner):
    for _ in range(5):
        response = sign_in(client, owner.email, "wrong-password")
        assert "您提供的电子邮件地址和/或密码不正确" in response.content.decode()
    # Five misses for this account from this address: five minutes for this pair.
    response = sign_in(client, owner.email)
    assert locked_message(response, 5) and not signed_in(client)


def test_guessing_from_elsewhere_never_locks_the_owner_out(client, owner):
    for _ in range(30):
        sign_in(client, owner.email, "wrong-password", REMOTE_ADDR="203.0.113.9")
    assert sign_in(client, owner.email, REMOTE_ADDR="198.51.100.7").url == reverse(
        "owners:dashboard"
    )


def test_guesses_spread_over_many_addresses_are_capped_per_account(client, owner):
    # One guess from each of 30 addresses: no address reaches its own limits.
    for n in range(30):
        response = sign_in(client, owner.email, "wrong-password", REMOTE_ADDR=f"203.0.113.{n}")
        assert "您提供的电子邮件地址和/或密码不正确" in response.content.decode()
    # The 31st, from anywhere and even with the right password, waits up to an hour.
    response = sign_in(client, owner.email, REMOTE_ADDR="198.51.100.7")
    assert locked_message(response, 60) and not signed_in(client)
    # Other accounts are not held up.
    other = make_user("neighbour")
    assert sign_in(client, other.email, REMOTE_ADDR="203.0.113.1").url == reverse(
        "owners:dashboard"
    )


def test_below_the_account_limit_the_owner_is_limited_at_their_own_address(client, owner):
    for n in range(20):
        sign_in(client, owner.email, "wrong-password", REMOTE_ADDR=f"203.0.113.{n}")
    # Five misses of the owner's own: their address waits five minutes, for this account alone.
    for _ in range(5):
        sign_in(client, owner.email, "wrong-password", REMOTE_ADDR="198.51.100.7")
    assert locked_message(sign_in(client, owner.email, REMOTE_ADDR="198.51.100.7"), 5)
    # Another address still signs in: 25 misses in all, and the account's limit is 30.
    assert sign_in(client, owner.email, REMOTE_ADDR="192.0.2.1").url == reverse("owners:dashboard")


def test_a_password_reset_lifts_the_limits(client, owner, django_capture_on_commit_callbacks):
    for n in range(30):
        sign_in(client, owner.email, "wrong-password", REMOTE_ADDR=f"203.0.113.{n}")
    for _ in range(5):
        sign_in(client, owner.email, "wrong-password")
    assert locked_message(sign_in(client, owner.email), 60)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("account_reset_password"), {"email": owner.email})
    link = re.search(r"https?://\S+", mail.outbox[-1].body).group(0)
    form_url = client.get(link).url
    response = client.post(
        form_url, {"password1": "Brand-new-pass-9", "password2": "Brand-new-pass-9"}
    )
    assert response.status_code == 302
    response = sign_in(client, owner.email, "Brand-new-pass-9")
    assert response.url == reverse("owners:dashboard")


def test_a_right_password_below_the_limit_does_not_count(client, owner):
    for _ in range(3):
        sign_in(client, owner.email, "wrong-password")
    sign_in(client, owner.email)
    client.post(reverse("account_logout"))
    # Four misses now; had the success counted as a fifth attempt, this would be refused.
    sign_in(client, owner.email, "wrong-password")
    assert sign_in(client, owner.email).url == reverse("owners:dashboard")


def test_an_unverified_account_gets_no_session(client):
    user = make_user("unverified", verified_email=False)
    response = sign_in(client, user.email)
    assert response.url == reverse("account_email_verification_sent")
    assert not signed_in(client)


def test_confirming_the_email_still_asks_staff_for_the_code(
    client, django_capture_on_commit_callbacks, mailoutbox
):
    agent = make_user("agent", groups=["Customer service"], verified_email=False)
    with django_capture_on_commit_callbacks(execute=True):
        assert sign_in(client, agent.email).url == reverse("account_email_verification_sent")
    link = re.search(r"https?://\S+", mailoutbox[0].body).group(0)
    response = client.post(link)
    assert response.url == SECOND_STEP
    assert client.get("/admin/").status_code == 302
    client.post(SECOND_STEP, {"code": totp_code()})
    assert client.get("/admin/").status_code == 200


def test_a_new_superuser_verifies_the_email_then_sets_up_the_app(
    client, django_capture_on_commit_callbacks, mailoutbox
):
    User.objects.create_superuser("root", "root@example.com", PASSWORD)  # createsuperuser
    with django_capture_on_commit_callbacks(execute=True):
        assert sign_in(client, "root@example.com").url == reverse("account_email_verification_sent")
    link = re.search(r"https?://\S+", mailoutbox[0].body).group(0)
    response = client.post(link, follow=True)
    assert response.redirect_chain[-1][0] == ACTIVATE


# -- Wagtail's doors lead to allauth's -------------------------------------------------------


@pytest.mark.parametrize(
    ("door", "next_url"), [("/admin/login/", "/admin/"), ("/_util/login/", "/members/")]
)
def test_wagtails_logins_send_people_to_the_one_login_page(client, door, next_url):
    response = client.get(door, {"next": next_url})
    assert response.status_code == 302
    assert response.url == f"{LOGIN}?next={next_url}"


def test_the_admin_sends_visitors_to_the_one_login_page(client):
    response = client.get("/admin/pages/", follow=True)
    assert response.redirect_chain[-1][0] == f"{LOGIN}?next=/admin/pages/"
    assert "工作人员请在此用工作邮箱和密码登录" in response.content.decode()


def test_signing_out_of_the_admin_leads_to_the_one_login_page(client, staff):
    client.force_login(staff("Editors"))
    response = client.post(reverse("wagtailadmin_logout"))
    assert response.url == LOGIN
    assert client.get("/admin/").status_code == 302


@pytest.mark.parametrize("door", ["/admin/login/", "/_util/login/"])
def test_a_password_posted_to_wagtails_logins_signs_nobody_in(client, staff, owner, door):
    editor = staff("Editors")
    unverified = make_user("unverified", verified_email=False)
    for user in (editor, owner, unverified):
        for login in (user.username, user.email):
            response = client.post(door, {"username": login, "password": PASSWORD})
            assert response.status_code == 302 and response.url.startswith(LOGIN)
            assert not signed_in(client)
            assert client.get("/admin/").status_code == 302


@pytest.mark.parametrize("door", ["/admin/login/", "/_util/login/"])
def test_thirty_wrong_passwords_at_wagtails_logins_then_the_right_one_signs_nobody_in(
    client, staff, door
):
    editor = staff("Editors")
    for _ in range(30):
        client.post(door, {"username": editor.username, "password": "wrong-password"})
    client.post(door, {"username": editor.username, "password": PASSWORD})
    assert client.get("/admin/").status_code == 302


def test_a_login_restricted_page_sends_visitors_to_the_one_login_page(client):
    home = HomePage.objects.get()
    page = StandardPage(title="业主须知", slug="notice")
    home.add_child(instance=page)
    page.save_revision().publish()
    PageViewRestriction.objects.create(page=page, restriction_type=PageViewRestriction.LOGIN)
    response = client.get(page.url)
    assert response.status_code == 302 and response.url == f"{LOGIN}?next=/notice/"


# -- The client's address behind the proxy -------------------------------------------------


def test_two_clients_behind_one_proxy_are_limited_separately(client, owner, settings):
    settings.ALLAUTH_TRUSTED_PROXY_COUNT = 1
    proxy = {"REMOTE_ADDR": "10.0.0.2"}
    # The first client tries ten accounts in a minute: its address is refused, even with a
    # right password, whatever it puts in X-Forwarded-For in front of what the proxy appends.
    for n in range(10):
        sign_in(client, f"guess{n}@example.com", "x", HTTP_X_FORWARDED_FOR="203.0.113.9", **proxy)
    for forged in ("198.51.100.7", "1.1.1.1, 198.51.100.7", "unknown"):
        response = sign_in(
            client, owner.email, HTTP_X_FORWARDED_FOR=f"{forged}, 203.0.113.9", **proxy
        )
        assert locked_message(response, 1) and not signed_in(client)
    # The second client behind the same proxy signs in.
    response = sign_in(client, owner.email, HTTP_X_FORWARDED_FOR="198.51.100.7", **proxy)
    assert response.url == reverse("owners:dashboard")


def test_without_a_trusted_proxy_x_forwarded_for_is_ignored(client, owner):
    for n in range(10):
        sign_in(client, f"guess{n}@example.com", "x", HTTP_X_FORWARDED_FOR=f"203.0.113.{n}")
    response = sign_in(client, owner.email, HTTP_X_FORWARDED_FOR="198.51.100.7")
    assert locked_message(response, 1)


def test_a_client_address_header_set_by_the_proxy(client, owner, settings):
    settings.ALLAUTH_TRUSTED_CLIENT_IP_HEADER = "X-Real-IP"
    for n in range(10):
        sign_in(client, f"guess{n}@example.com", "x", HTTP_X_REAL_IP="203.0.113.9")
    assert locked_message(sign_in(client, owner.email, HTTP_X_REAL_IP="203.0.113.9"), 1)
    assert sign_in(client, owner.email, HTTP_X_REAL_IP="198.51.100.7").url == reverse(
        "owners:dashboard"
    )


def test_production_warns_when_clients_would_be_counted_by_the_proxys_address():
    env = {
        "DJANGO_SETTINGS_MODULE": "portal.settings.production",
        "SECRET_KEY": SECRET,
        "ALLOWED_HOSTS": "owners.example.com",
        "REDIS_URL": "redis://cache.internal:6379/0",
        "TRUSTED_PROXY_COUNT": "0",
    }
    result = run_manage("check", "--deploy", **env)
    assert "portal.W001" in result.stderr + result.stdout
    result = run_manage("check", "--deploy", **{**env, "TRUSTED_PROXY_COUNT": "1"})
    assert "portal.W001" not in result.stderr + result.stdout


# -- The second step -------------------------------------------------------------------------


def test_staff_sign_in_with_a_code_from_their_app(client, staff):
    agent = staff("Customer service")
    response = sign_in(client, agent.email)
    assert response.url == SECOND_STEP
    assert not signed_in(client)
    page = client.get(SECOND_STEP).content.decode()
    assert "两步验证" in page and "验证器应用" in page and "恢复码" in page
    response = client.post(SECOND_STEP, {"code": "000000"})
    assert WRONG_CODE in response.content.decode()
    client.post(SECOND_STEP, {"code": totp_code()})
    assert client.get("/admin/").status_code == 200


def test_a_code_used_twice_or_a_spent_recovery_code_gets_a_neutral_message(client, staff):
    agent = staff("Customer service")
    recovery_code = RecoveryCodes.activate(agent).get_unused_codes()[0]
    sign_in(client, agent.email)
    code = totp_code()
    client.post(SECOND_STEP, {"code": code})
    client.post(reverse("account_logout"))
    sign_in(client, agent.email)
    for used in (code, recovery_code):
        if used == recovery_code:
            client.post(SECOND_STEP, {"code": recovery_code})
            client.post(reverse("account_logout"))
            sign_in(client, agent.email)
        page = client.post(SECOND_STEP, {"code": used}).content.decode()
        assert (
            "验证码不正确，或已使用过。请输入验证器应用中最新显示的验证码，或一个未用过的恢复码。"
            in page
        )
        assert "手机时间" not in page


def test_wrong_codes_at_the_second_step_are_limited(client, staff):
    agent = staff("Customer service")
    sign_in(client, agent.email)
    for _ in range(5):
        client.post(SECOND_STEP, {"code": "000000"})
    response = client.post(SECOND_STEP, {"code": totp_code()})
    assert locked_message(response, 5)
    assert client.get("/admin/").status_code == 302


def test_a_recovery_code_replaces_the_app_once(client, staff):
    agent = staff("Customer service")
    code = RecoveryCodes.activate(agent).get_unused_codes()[0]
    sign_in(client, agent.email)
    client.post(SECOND_STEP, {"code": code})
    assert client.get("/admin/").status_code == 200
    client.post(reverse("account_logout"))
    sign_in(client, agent.email)
    response = client.post(SECOND_STEP, {"code": code})
    assert response.status_code == 200 and client.get("/admin/").status_code == 302


def staff_without_app(group="Editors", **fields):
    user = make_user("new-staff", groups=[group], **fields)
    Authenticator.objects.filter(user=user).delete()
    return user


@pytest.mark.parametrize("kind", ["group", "superuser"])
def test_staff_without_an_app_are_sent_to_set_it_up_from_every_page(client, kind):
    user = staff_without_app() if kind == "group" else make_user("root", is_superuser=True)
    Authenticator.objects.filter(user=user).delete()
    response = sign_in(client, user.email, HTTP_ACCEPT_LANGUAGE="zh-hans")
    assert response.url == "/admin/"  # no second step yet: no app
    for url in ("/admin/", "/admin/pages/", "/", reverse("owners:dashboard"), "/forum/"):
        response = client.get(url)
        assert response.status_code == 302 and response.url == ACTIVATE, url
    page = client.get(ACTIVATE)
    assert page.status_code == 200
    assert "您的账号可以进入管理后台" in page.content.decode()
    assert client.get(reverse("account_logout")).status_code == 200


def test_setting_up_the_app_opens_the_admin_and_shows_recovery_codes(
    client, django_capture_on_commit_callbacks
):
    user = staff_without_app()
    sign_in(client, user.email)
    client.get(ACTIVATE)
    secret = client.session["mfa.totp.secret"]
    assert "验证码不正确" in client.post(ACTIVATE, {"code": "000000"}).content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(ACTIVATE, {"code": totp_code(secret)})
    assert response.url == reverse("mfa_view_recovery_codes")
    codes = client.get(response.url).content.decode()
    assert "恢复码" in codes and reverse("wagtailadmin_home") in codes
    assert client.get(reverse("mfa_download_recovery_codes")).status_code == 200
    assert client.get("/admin/").status_code == 200
    # From now on, signing in asks for the code.
    client.post(reverse("account_logout"))
    assert sign_in(client, user.email).url == SECOND_STEP


def test_the_key_stays_the_same_until_the_app_is_set_up(client):
    user = staff_without_app()
    sign_in(client, user.email)

    def key_on_page():
        page = client.get(ACTIVATE).content.decode()
        key = re.search(r'<code class="totp-key"[^>]*>([^<]+)</code>', page).group(1)
        return key.replace(" ", "")

    first = key_on_page()
    assert first == client.session["mfa.totp.secret"]
    assert key_on_page() == first  # reloaded, or back from the authenticator app
    page = client.post(ACTIVATE, {"code": "000000"}).content.decode()
    assert "请确认手机时间准确" in page  # here no recovery code applies: the clock is the suspect
    assert key_on_page() == first
    client.get("/admin/")  # sent back to set-up from elsewhere
    assert key_on_page() == first
    client.post(ACTIVATE, {"code": totp_code(first)})
    assert Authenticator.objects.get(user=user, type="totp").wrap().validate_code(totp_code(first))


def test_setting_up_after_a_while_asks_for_the_password_again(client):
    user = staff_without_app()
    client.force_login(user)  # a session without a recent sign-in
    response = client.get(ACTIVATE)
    assert response.url.startswith(reverse("account_reauthenticate"))
    assert client.get(response.url).status_code == 200


def test_staff_setting_up_may_skip_the_password_for_nothing_else(
    client, django_capture_on_commit_callbacks
):
    user = staff_without_app()
    sign_in(client, user.email)
    client.get(ACTIVATE)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(ACTIVATE, {"code": totp_code(client.session["mfa.totp.secret"])})
    assert client.get(reverse("mfa_view_recovery_codes")).status_code == 200
    # New recovery codes ask for the password, right after setting up or not.
    response = client.post(reverse("mfa_generate_recovery_codes"))
    assert response.url.startswith(reverse("account_reauthenticate"))
    # The codes of the new app, only for a few minutes.
    session = client.session
    session[signin.FIRST_APP_SESSION_KEY] -= 301
    session.save()
    response = client.get(reverse("mfa_view_recovery_codes"))
    assert response.url.startswith(reverse("account_reauthenticate"))


def test_staff_with_an_app_see_their_recovery_codes_after_the_password(client, staff):
    agent = staff("Customer service")
    sign_in(client, agent.email)
    client.post(SECOND_STEP, {"code": totp_code()})
    RecoveryCodes.activate(agent)
    response = client.get(reverse("mfa_view_recovery_codes"))
    assert response.url.startswith(reverse("account_reauthenticate"))
    response = client.post(response.url, {"password": PASSWORD})
    assert client.get(reverse("mfa_view_recovery_codes")).status_code == 200


def test_staff_cannot_turn_the_app_off(client, staff):
    agent = staff("Customer service")
    sign_in(client, agent.email)
    client.post(SECOND_STEP, {"code": totp_code()})
    assert reverse("mfa_deactivate_totp") not in client.get(reverse("mfa_index")).content.decode()
    # Turning it off asks for the password again, however recent the sign-in; then refuses.
    response = client.post(reverse("mfa_deactivate_totp"))
    assert response.url.startswith(reverse("account_reauthenticate"))
    response = client.post(response.url, {"password": PASSWORD}, follow=True)
    assert "可进入管理后台的账号必须开启两步验证" in response.content.decode()
    assert Authenticator.objects.filter(user=agent, type="totp").exists()


def test_the_turn_off_page_offers_staff_no_button(client, staff, owner):
    agent = staff("Customer service")
    client.force_login(agent)
    reauthenticate(client)
    page = client.get(reverse("mfa_deactivate_totp")).content.decode()
    assert "可进入管理后台的账号必须开启两步验证" in page
    assert "确定要停用两步验证吗" not in page and "button--danger" not in page
    assert f'href="{reverse("mfa_index")}"' in page
    # Owners get the question and the button.
    TOTP.activate(owner, TOTP_SECRET)
    client.force_login(owner)
    reauthenticate(client)
    page = client.get(reverse("mfa_deactivate_totp")).content.decode()
    assert "停用两步验证吗" in page and "button--danger" in page


def test_a_fresh_owner_session_turns_two_step_verification_on_only_with_the_password(
    client, owner, django_capture_on_commit_callbacks
):
    sign_in(client, owner.email)
    assert reverse("mfa_index") in client.get(reverse("owners:dashboard")).content.decode()
    assert client.get(reverse("mfa_index")).status_code == 200
    # Someone holding the session just after the owner signed in cannot add their own app.
    response = client.get(ACTIVATE)
    assert response.url.startswith(reverse("account_reauthenticate"))
    response = client.post(ACTIVATE, {"code": "123456"})
    assert response.url.startswith(reverse("account_reauthenticate"))
    assert not Authenticator.objects.filter(user=owner).exists()
    # The owner, with the password.
    client.post(reverse("account_reauthenticate"), {"password": PASSWORD})
    client.get(ACTIVATE)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(ACTIVATE, {"code": totp_code(client.session["mfa.totp.secret"])})
    assert response.url == reverse("mfa_view_recovery_codes")
    assert Authenticator.objects.filter(user=owner, type="totp").exists()


def test_a_fresh_owner_session_turns_it_off_only_with_the_password_or_a_code(
    client, owner, django_capture_on_commit_callbacks
):
    TOTP.activate(owner, TOTP_SECRET)
    RecoveryCodes.activate(owner)
    sign_in(client, owner.email)
    client.post(SECOND_STEP, {"code": totp_code()})
    assert signed_in(client)
    # Right after signing in: turning it off and new recovery codes still ask again.
    for url in (reverse("mfa_deactivate_totp"), reverse("mfa_generate_recovery_codes")):
        response = client.post(url)
        assert response.url.startswith(reverse("account_reauthenticate")), url
    assert Authenticator.objects.filter(user=owner, type="totp").exists()
    response = client.post(reverse("mfa_deactivate_totp"))
    with django_capture_on_commit_callbacks(execute=True):
        client.post(response.url, {"password": PASSWORD})
    assert not Authenticator.objects.filter(user=owner, type="totp").exists()
    history = ModelLogEntry.objects.for_instance(owner).order_by("timestamp")
    assert [(e.action, e.user) for e in history] == [("portal.two_step.off", owner)]
    client.post(reverse("account_logout"))
    assert sign_in(client, owner.email).url == reverse("owners:dashboard")


def test_turning_it_on_is_recorded(client, owner, django_capture_on_commit_callbacks):
    client.force_login(owner)
    reauthenticate(client)
    client.get(ACTIVATE)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(ACTIVATE, {"code": totp_code(client.session["mfa.totp.secret"])})
    history = ModelLogEntry.objects.for_instance(owner)
    assert [(e.action, e.user) for e in history] == [("portal.two_step.on", owner)]


def test_owners_with_the_app_sign_in_with_a_code(client, owner):
    TOTP.activate(owner, TOTP_SECRET)
    assert sign_in(client, owner.email).url == SECOND_STEP
    assert not signed_in(client)
    client.post(SECOND_STEP, {"code": totp_code()})
    assert signed_in(client)


def test_owners_are_never_sent_to_set_up_an_app(owner_client):
    assert owner_client.get(reverse("owners:dashboard")).status_code == 200
    assert owner_client.get("/admin/").status_code == 302  # not staff: Wagtail says no


def test_the_check_costs_owners_no_query_and_staff_one(client, staff, owner):
    def authenticator_queries(user):
        client.force_login(user)
        with CaptureQueriesContext(connection) as queries:
            assert client.get(reverse("owners:dashboard")).status_code == 200
        return [q for q in queries.captured_queries if "mfa_authenticator" in q["sql"]]

    assert authenticator_queries(owner) == []
    assert len(authenticator_queries(staff("Customer service"))) == 1


# -- Where signing in leads ------------------------------------------------------------------


def test_staff_land_in_the_admin_and_owners_on_their_dashboard(client, staff, owner):
    agent = staff("Customer service")
    sign_in(client, agent.email)
    assert client.post(SECOND_STEP, {"code": totp_code()}).url == "/admin/"
    client.post(reverse("account_logout"))
    assert sign_in(client, owner.email).url == reverse("owners:dashboard")
    client.post(reverse("account_logout"))
    # A page that asked for the sign-in comes first (a recovery code: the app's was used).
    recovery_code = RecoveryCodes.activate(agent).get_unused_codes()[0]
    response = client.post(LOGIN, {"login": agent.email, "password": PASSWORD, "next": "/forum/"})
    assert client.post(response.url, {"code": recovery_code}).url == "/forum/"


# -- Staff's email address and password ------------------------------------------------------


def test_the_admins_account_page_changes_neither_email_nor_password(client, staff):
    agent = staff("Customer service")
    client.force_login(agent)
    page = client.get(reverse("wagtailadmin_account")).content.decode()
    assert 'name="name_email-email"' not in page and 'name="password-new_password1"' not in page
    for url in (reverse("account_email"), reverse("account_change_password"), reverse("mfa_index")):
        assert f'href="{url}"' in page
    client.post(
        reverse("wagtailadmin_account"),
        {
            "name_email-first_name": "Agent",
            "name_email-last_name": "Smith",
            "name_email-email": "someone-else@example.com",
            "password-new_password1": "Another-pass-77",
            "password-new_password2": "Another-pass-77",
        },
    )
    agent.refresh_from_db()
    assert agent.email == "customer-service@example.com" and agent.check_password(PASSWORD)


def test_staff_change_their_email_at_allauths_page_with_the_password_and_a_link(
    client, staff, django_capture_on_commit_callbacks
):
    agent = staff("Customer service")
    sign_in(client, agent.email)
    client.post(SECOND_STEP, {"code": totp_code()})
    page = client.get(reverse("account_email")).content.decode()
    assert "当前电子邮件地址" in page and "Email" not in page.split("<main")[1]
    # Changing it asks for the password again, then mails a link to the new address.
    response = client.post(reverse("account_email"), {"action_add": "", "email": "new@example.com"})
    assert response.url.startswith(reverse("account_reauthenticate"))
    with django_capture_on_commit_callbacks(execute=True):
        client.post(response.url, {"password": PASSWORD})
    assert mail.outbox[-1].to == ["new@example.com"]
    agent.refresh_from_db()
    assert agent.email == "customer-service@example.com"
    link = re.search(r"https?://\S+", mail.outbox[-1].body).group(0)
    assert "确认电子邮件地址" in client.get(link).content.decode()
    client.post(link)
    agent.refresh_from_db()
    assert agent.email == "new@example.com"
    client.post(reverse("account_logout"))
    assert sign_in(client, "new@example.com").url == SECOND_STEP


# -- The site's words on allauth's pages -----------------------------------------------------


def test_allauths_pages_speak_the_sites_words(client, owner):
    signup = client.get(reverse("account_signup")).content.decode()
    assert "已有账号？请" in signup and "登录</a>。" in signup
    assert "你" not in signup and "您的密码至少需要包含 8 个字符。" in signup
    response = client.post(
        reverse("account_signup"), {"phone": "13812345678", "password1": "x", "password2": "x"}
    )
    assert "密码太短，至少需要 8 个字符。" in response.content.decode()
    client.force_login(owner)
    logout = client.get(reverse("account_logout")).content.decode()
    assert "您确定要退出登录吗？" in logout and "登出" not in logout
    page = client.get(reverse("account_change_password")).content.decode()
    assert "你" not in page
    page = client.get(reverse("account_reauthenticate")).content.decode()
    assert "请输入您的密码：" in page and "可选项" not in page
    page = client.post(reverse("account_reauthenticate"), {"password": "wrong"}).content.decode()
    assert "密码不正确。" in page and "无效密码" not in page
    menu = client.get(reverse("owners:dashboard")).content.decode()
    assert "员工后台" not in menu


def test_the_owner_menu_calls_the_admin_by_its_name(client, staff):
    client.force_login(staff("Editors"))
    assert "管理后台" in client.get(reverse("owners:dashboard")).content.decode()


# -- What the check costs -------------------------------------------------------------------


def test_an_owners_post_pays_no_query_for_the_check(client, owner):
    client.force_login(owner)
    with CaptureQueriesContext(connection) as queries:
        response = client.post(reverse("set_language"), {"language": "en", "next": "/"})
    assert response.status_code == 302
    # An owner holds no role (is_staff is false: portal.roles.keep_staff_flag), so the check
    # is answered from the account row.
    assert not [q for q in queries.captured_queries if "auth_permission" in q["sql"]]
    assert not [q for q in queries.captured_queries if "mfa_authenticator" in q["sql"]]
    # Besides the session (in the database or in Redis): the user, and the view's own, saving
    # the language.
    other = [
        q["sql"]
        for q in queries.captured_queries
        if "django_session" not in q["sql"] and "SAVEPOINT" not in q["sql"]
    ]
    assert len(other) == 2, other


def test_staff_pay_one_query_for_the_check(client, staff):
    client.force_login(staff("Editors"))
    with CaptureQueriesContext(connection) as queries:
        client.post(reverse("set_language"), {"language": "en", "next": "/"})
    assert len([q for q in queries.captured_queries if "auth_permission" in q["sql"]]) == 1


# -- Pages and documents behind a shared password --------------------------------------------


@pytest.fixture
def protected_page(db):
    home = HomePage.objects.get()
    page = StandardPage(title="业委会资料", slug="committee")
    home.add_child(instance=page)
    page.save_revision().publish()
    restriction = PageViewRestriction.objects.create(
        page=page, restriction_type=PageViewRestriction.PASSWORD, password="jindu-committee"
    )
    return page, reverse("wagtailcore_authenticate_with_password", args=[restriction.pk, page.pk])


def test_thirty_wrong_page_passwords_then_the_right_one_is_refused(client, protected_page):
    page, url = protected_page
    for _ in range(30):
        response = client.post(url, {"password": "guess", "return_url": page.url})
        assert response.status_code == 200
    response = client.post(url, {"password": "jindu-committee", "return_url": page.url})
    assert response.status_code == 200
    assert "密码错误次数过多，请 5 分钟后再试。" in response.content.decode()
    # Someone else, elsewhere, is not held up.
    response = client.post(
        url, {"password": "jindu-committee", "return_url": page.url}, REMOTE_ADDR="198.51.100.7"
    )
    assert response.status_code == 302 and response.url == page.url


def test_the_right_page_password_opens_the_page(client, protected_page):
    page, url = protected_page
    for _ in range(4):
        client.post(url, {"password": "guess", "return_url": page.url})
    response = client.post(url, {"password": "jindu-committee", "return_url": page.url})
    assert response.status_code == 302 and response.url == page.url
    assert "业委会资料" in client.get(page.url).content.decode()


def test_thirty_wrong_document_passwords_then_the_right_one_is_refused(client):
    root = Collection.get_first_root_node()
    collection = root.add_child(name="业委会文件")
    restriction = CollectionViewRestriction.objects.create(
        collection=collection,
        restriction_type=CollectionViewRestriction.PASSWORD,
        password="jindu-committee",
    )
    url = reverse("wagtaildocs_authenticate_with_password", args=[restriction.pk])
    for _ in range(30):
        assert client.post(url, {"password": "guess", "return_url": "/"}).status_code == 200
    response = client.post(url, {"password": "jindu-committee", "return_url": "/"})
    assert response.status_code == 200
    assert "密码错误次数过多" in response.content.decode()
    response = client.post(
        url, {"password": "jindu-committee", "return_url": "/"}, REMOTE_ADDR="198.51.100.7"
    )
    assert response.status_code == 302


# -- The demo ----------------------------------------------------------------------------------


def test_the_demo_code_command_is_for_development_only(settings, capsys):
    settings.DEBUG = False
    with pytest.raises(CommandError):
        call_command("demo_code")
    settings.DEBUG = True
    before = totp_code(DEMO_TOTP_SECRET)
    call_command("demo_code")
    after = totp_code(DEMO_TOTP_SECRET)  # the code may turn over meanwhile
    assert capsys.readouterr().out.split()[0] in {before, after}
