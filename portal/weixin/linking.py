"""The first 微信登录 with a mobile number that already has an account: the code texted to the
number proves the account is the person's, so WeChat is linked to it, not made a second
account. The WeChat sign-in waits in the session, for that account, until the code is entered
and the account signed in (allauth's sign-in by code), for ten minutes at most."""

import time

from allauth.account.adapter import get_adapter
from allauth.account.internal.flows.login_by_code import LoginCodeVerificationProcess
from allauth.socialaccount.models import SocialLogin
from django.contrib.auth.signals import user_logged_in
from django.dispatch import receiver
from django.shortcuts import redirect

SESSION_KEY = "portal.weixin.link"
WAIT = 10 * 60


def link_after_code(request, sociallogin, phone):
    """Text the number's account a sign-in code, and keep the WeChat sign-in to link to it."""
    user = get_adapter().get_user_by_phone(phone)
    request.session[SESSION_KEY] = {
        "user": user.pk,
        "at": time.time(),
        "sociallogin": sociallogin.serialize(),
    }
    LoginCodeVerificationProcess.initiate(request=request, user=user, phone=phone)
    return redirect("account_confirm_login_code")


@receiver(user_logged_in)
def link_waiting_wechat(sender, request, user, **kwargs):
    waiting = request.session.pop(SESSION_KEY, None) if request is not None else None
    if waiting and waiting["user"] == user.pk and time.time() - waiting["at"] < WAIT:
        SocialLogin.deserialize(waiting["sociallogin"]).connect(request, user)
