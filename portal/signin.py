"""Signing in: one door, guarded.

Owners and staff turn a password into a session only at allauth's login page: Wagtail's admin
and private-page logins send people there (portal/signin_views.py), and Django's ModelBackend is
not installed. That door counts failed attempts per client address, per address-and-account and
per account, refuses accounts whose email is not verified, and asks for a second factor (an
authenticator app) of everyone who has one. Accounts that can open the admin must have one: until
they set it up, every page but the set-up page sends them there.
"""

import math
import time
from datetime import UTC, datetime

from allauth.account import app_settings as account_settings
from allauth.account import auth_backends as allauth_backends
from allauth.account.internal.flows.login import get_authentication_records
from allauth.core.internal import ratelimit as allauth_ratelimit
from allauth.mfa import signals as mfa_signals
from allauth.mfa.models import Authenticator
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission
from django.core import checks
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.dispatch import receiver
from django.shortcuts import redirect
from django.utils.translation import gettext, ngettext
from wagtail.log_actions import log
from wagtail.users.models import UserProfile

from portal.statements import Statement, columns

RATE_LIMIT_APP = "allauth.account"

# What an account that must set up its authenticator app may still open.
OPEN_BEFORE_SETUP = {
    "mfa_activate_totp",
    "account_logout",
    "account_reauthenticate",
    "set_language",
    "healthz",
    "readyz",
}


def client_ip(request):
    """The client's address behind the trusted proxies (TRUSTED_PROXY_COUNT or
    TRUSTED_CLIENT_IP_HEADER), IPv6 cut to its /64 network.

    allauth keys its own limits by this; every other limit keyed by address must use it too.
    """
    return allauth_ratelimit.get_ip(request)


# -- Limits ---------------------------------------------------------------------------------


def retry_after(request, action, key):
    """Seconds until `action` is allowed again for this client and `key`: allauth keeps the
    times of recent attempts per rate; the oldest one that still counts decides."""
    now = time.time()
    waits = [0.0]
    for rate in allauth_ratelimit.get_rates(app=RATE_LIMIT_APP, action=action):
        if rate.per not in {"ip", "key"}:
            continue
        cache_key = allauth_ratelimit.get_cache_key(
            request, app=RATE_LIMIT_APP, action=action, rate=rate, key=key
        )
        history = [t for t in cache.get(cache_key, []) if t > now - rate.duration]
        if len(history) >= rate.amount:
            waits.append(history[rate.amount - 1] + rate.duration - now)
    return max(waits)


def longest_window(action):
    """The longest window of `action`'s limits in seconds: an upper bound on any wait."""
    rates = allauth_ratelimit.get_rates(app=RATE_LIMIT_APP, action=action)
    return max((rate.duration for rate in rates), default=60)


def _minutes(seconds):
    return max(1, math.ceil(seconds / 60))


def too_many_sign_ins(seconds):
    minutes = _minutes(seconds)
    return ValidationError(
        ngettext(
            "Too many failed sign-in attempts. Try again in %(minutes)d minute.",
            "Too many failed sign-in attempts. Try again in %(minutes)d minutes.",
            minutes,
        )
        % {"minutes": minutes},
        code="too_many_login_attempts",
    )


def ask_again_in(seconds):
    """Too many codes asked for: when the next may be, in the largest unit that says it."""
    seconds = max(1, math.ceil(seconds))
    if seconds < 120:
        wait = ngettext("%(n)d second", "%(n)d seconds", seconds) % {"n": seconds}
    elif seconds < 7200:
        minutes = _minutes(seconds)
        wait = ngettext("%(n)d minute", "%(n)d minutes", minutes) % {"n": minutes}
    else:
        hours = math.ceil(seconds / 3600)
        wait = ngettext("%(n)d hour", "%(n)d hours", hours) % {"n": hours}
    return ValidationError(
        gettext("A code was sent only just now. You can ask for another in %(wait)s.")
        % {"wait": wait},
        code="too_many_codes",
    )


def too_many_page_passwords(seconds):
    minutes = _minutes(seconds)
    return ValidationError(
        ngettext(
            "Too many wrong passwords. Try again in %(minutes)d minute.",
            "Too many wrong passwords. Try again in %(minutes)d minutes.",
            minutes,
        )
        % {"minutes": minutes},
        code="too_many_attempts",
    )


def login_attempts_key(account_key, request):
    """Failed sign-ins count per account *and* client address (`login_failed`): someone guessing
    an owner's password from elsewhere uses up their own attempts, never the owner's."""
    return f"{account_key}@{client_ip(request)}"


def count_sign_in_attempt(request, account_key):
    """Count a sign-in attempt for `account_key` (allauth's key for the login typed) against the
    client's address and the address-and-account (`login_failed`: 10 a minute, 5 in 5 minutes),
    then the account alone (`login_failed_account`: a higher threshold, so that guesses spread
    over many addresses are capped too). Raise `too_many_sign_ins` past any of them; otherwise
    return the usage, which the caller rolls back when the password is right."""
    pair_key = login_attempts_key(account_key, request)
    usage = allauth_ratelimit.consume(
        request, app=RATE_LIMIT_APP, action="login_failed", key=pair_key
    )
    if usage is None:
        raise too_many_sign_ins(retry_after(request, "login_failed", pair_key))
    account_usage = allauth_ratelimit.consume(
        request, app=RATE_LIMIT_APP, action="login_failed_account", key=account_key
    )
    if account_usage is None:
        usage.rollback()  # the password is not looked at: the attempt costs the address nothing
        raise too_many_sign_ins(retry_after(request, "login_failed_account", account_key))
    return allauth_ratelimit.RateLimitUsage(usage=usage.usage + account_usage.usage)


def clear_sign_in_attempts(request, account_key):
    """After a password reset: the account's own count, and this address's for it."""
    allauth_ratelimit.clear(
        request,
        app=RATE_LIMIT_APP,
        action="login_failed",
        key=login_attempts_key(account_key, request),
    )
    allauth_ratelimit.clear(
        request, app=RATE_LIMIT_APP, action="login_failed_account", key=account_key
    )


# -- Permissions -----------------------------------------------------------------------------


class AuthenticationBackend(allauth_backends.AuthenticationBackend):
    """allauth's backend (sign-in by email address), loading an account's permissions in one
    query rather than Django's two (its own, its groups'), and none for an owner: `is_staff` is
    kept true for everyone who belongs to a role or holds a permission of their own
    (portal.roles.keep_staff_flag), so an account without it has no permission to load. Django
    keeps them on the user object for the rest of the request, so every later permission check
    is free; the check below runs on every request, owners' included."""

    def get_user(self, user_id):
        """The signed-in account, on every request that carries a session: Django's lookup by
        key, its query built once (portal.statements) instead of on each request, with the
        account's Wagtail profile (the admin's theme, language and shortcuts, read on every
        admin screen) in the same query."""
        try:
            rows = _ACCOUNT.rows(pk=int(user_id))
        except (TypeError, ValueError):
            return None
        if not rows:
            return None
        User, fields = get_user_model(), columns(get_user_model())
        user = User.from_db(_ACCOUNT.using, fields, rows[0][: len(fields)])
        profile = rows[0][len(fields) :]
        if profile[0] is not None:
            profile = UserProfile.from_db(_ACCOUNT.using, columns(UserProfile), profile)
            UserProfile.user.field.set_cached_value(profile, user)
        else:
            profile = None  # none yet: Wagtail makes one when the account first needs it
        User.wagtail_userprofile.related.set_cached_value(user, profile)
        return user if self.user_can_authenticate(user) else None

    def get_all_permissions(self, user_obj, obj=None):
        if (
            user_obj.is_active
            and not user_obj.is_anonymous
            and not user_obj.is_superuser
            and obj is None
            and not hasattr(user_obj, "_perm_cache")
        ):
            user_obj._perm_cache = _permissions_of(user_obj) if user_obj.is_staff else set()
        return super().get_all_permissions(user_obj, obj)


_ACCOUNT = Statement(
    lambda pk: (
        get_user_model()
        ._default_manager.filter(pk=pk)
        .values_list(
            *columns(get_user_model()),
            *(f"wagtail_userprofile__{name}" for name in columns(UserProfile)),
        )
    )
)


def _permissions_of(user):
    """Its own permissions and its roles', "app_label.codename", in one query."""
    fields = ("content_type__app_label", "codename")
    own = Permission.objects.filter(user=user).order_by().values_list(*fields)
    groups = Permission.objects.filter(group__user=user).order_by().values_list(*fields)
    return {f"{app}.{name}" for app, name in own.union(groups)}


# -- The second factor -----------------------------------------------------------------------


def can_open_admin(user):
    """The question Wagtail asks at the admin's door (superusers included). Costs one query the
    first time in a request (see AuthenticationBackend), none after."""
    return user.is_authenticated and user.has_perm("wagtailadmin.access_admin")


def has_authenticator_app(user):
    return Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists()


def must_set_up_second_factor(user):
    return can_open_admin(user) and not has_authenticator_app(user)


# When this session set up the authenticator app its account had to have (see below).
FIRST_APP_SESSION_KEY = "portal.signin.first_app_at"
RECOVERY_CODE_PAGES = {"mfa_view_recovery_codes", "mfa_download_recovery_codes"}


#: How long after signing in with a code a forgotten password may be replaced without it.
NEW_PASSWORD_WINDOW = 10 * 60


def signed_in_by_code_just_now(request):
    """Whether this session's last sign-in was with a code texted or emailed to the account,
    within NEW_PASSWORD_WINDOW: the code proved the number or address, so the password may be
    set anew without the old one (a forgotten password reset by SMS, owners.views.new_password)."""
    records = get_authentication_records(request, request.user)
    if not records:
        return False
    last = records[-1]
    return last.get("method") == "code" and time.time() - last["at"] < NEW_PASSWORD_WINDOW


def may_skip_reauthentication(request):
    """Whether this request to allauth.mfa may go without the password (or a code) again.

    Only staff sent to set up their first authenticator app right after signing in: they set it
    up, then see the new app's recovery codes. Everything else (owners turning it on, turning it
    off, new recovery codes) asks again however recent the sign-in: someone holding an owner's
    fresh session must not add their own app and lock the owner out, nor turn the owner's off.
    """
    match = request.resolver_match
    url_name = match.url_name if match else None
    timeout = account_settings.REAUTHENTICATION_TIMEOUT
    now = time.time()
    if url_name == "mfa_activate_totp":
        records = get_authentication_records(request, request.user)
        return (
            bool(records)
            and now - records[-1]["at"] < timeout
            and must_set_up_second_factor(request.user)
        )
    if url_name in RECOVERY_CODE_PAGES:
        set_up_at = request.session.get(FIRST_APP_SESSION_KEY)
        return (
            set_up_at is not None
            and now - set_up_at < timeout
            and Authenticator.objects.filter(
                user=request.user,
                type=Authenticator.Type.TOTP,
                created_at__gte=datetime.fromtimestamp(set_up_at, UTC),
            ).exists()
        )
    return False


def remember_first_app(request):
    """The set-up form took the right code: if the account had to set up its app (the middleware
    said so), its recovery codes may be shown next without the password."""
    if getattr(request, "second_factor_required", False):
        request.session[FIRST_APP_SESSION_KEY] = time.time()


class SecondFactorRequiredMiddleware:
    """Send an account that can open the admin but has no authenticator app to the set-up page,
    from every page but that one, signing out and changing the language.

    Sits after allauth's AccountMiddleware. Everyone signed in pays one query, their permissions,
    which the page then reuses (Wagtail's user bar, menus, the admin); staff one more, for the
    app. Owners pay no more than that, whatever the page or response.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        if not must_set_up_second_factor(request.user):
            return None
        request.second_factor_required = True
        match = request.resolver_match
        if match and match.url_name in OPEN_BEFORE_SETUP:
            return None
        if request.path.startswith((settings.STATIC_URL, settings.MEDIA_URL)):
            return None
        return redirect("mfa_activate_totp")


# allauth's views change the authenticators; the account's history in the admin records it.
_LOGGED = {
    (mfa_signals.authenticator_added, Authenticator.Type.TOTP): "portal.two_step.on",
    (mfa_signals.authenticator_removed, Authenticator.Type.TOTP): "portal.two_step.off",
    (mfa_signals.authenticator_reset, Authenticator.Type.RECOVERY_CODES): "portal.two_step.codes",
}


@receiver(mfa_signals.authenticator_added)
@receiver(mfa_signals.authenticator_removed)
@receiver(mfa_signals.authenticator_reset)
def log_two_step_changes(signal, sender, request, user, authenticator, **kwargs):
    action = _LOGGED.get((signal, authenticator.type))
    if action:
        log(user, action, user=request.user if request.user.is_authenticated else user)


@checks.register(checks.Tags.security, deploy=True)
def check_client_address(app_configs, **kwargs):
    """Behind a proxy, limits keyed by REMOTE_ADDR would lump every owner together."""
    if settings.ALLAUTH_TRUSTED_PROXY_COUNT or settings.ALLAUTH_TRUSTED_CLIENT_IP_HEADER:
        return []
    return [
        checks.Warning(
            "Sign-in limits count clients by REMOTE_ADDR.",
            hint="Behind a proxy or load balancer, set TRUSTED_PROXY_COUNT (or "
            "TRUSTED_CLIENT_IP_HEADER) so that each client is counted on its own.",
            id="portal.W001",
        )
    ]
