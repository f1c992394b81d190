"""Signing in: one door, guarded.

Owners and staff turn a password into a session only at allauth's login page: Wagtail's admin
and private-page logins send people there (portal/signin_views.py), and Django's ModelBackend is
not installed. That door counts failed attempts per client address and per address-and-account,
refuses accounts whose email is not verified, and asks for a second factor (an authenticator
app) of everyone who has one. Accounts that can open the admin must have one: until they set it
up, every page but the set-up page sends them there.
"""

import math
import time

from allauth.core.internal import ratelimit as allauth_ratelimit
from allauth.mfa import signals as mfa_signals
from allauth.mfa.models import Authenticator
from django.conf import settings
from django.core import checks
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.dispatch import receiver
from django.shortcuts import redirect
from django.utils.translation import ngettext
from wagtail.log_actions import log

RATE_LIMIT_APP = "allauth.account"

# What an account that must set up its authenticator app may still open.
OPEN_BEFORE_SETUP = {
    "mfa_activate_totp",
    "account_logout",
    "account_reauthenticate",
    "set_language",
    "healthz",
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


def login_attempts_key(base_key, request):
    """Failed sign-ins count per account *and* client address: someone guessing an owner's
    password from elsewhere uses up their own attempts, never the owner's."""
    return f"{base_key}@{client_ip(request)}"


# -- The second factor -----------------------------------------------------------------------


def can_open_admin(user):
    """The question Wagtail asks at the admin's door (superusers included)."""
    return user.is_authenticated and user.has_perm("wagtailadmin.access_admin")


def has_authenticator_app(user):
    return Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists()


def must_set_up_second_factor(user):
    return can_open_admin(user) and not has_authenticator_app(user)


class SecondFactorRequiredMiddleware:
    """Send an account that can open the admin but has no authenticator app to the set-up page,
    from every page but that one, signing out and changing the language.

    Sits after allauth's AccountMiddleware. The permission check reuses what the page itself
    (Wagtail's user bar, the admin) loads anyway; only staff pay one query for the app.
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
