"""{% wechat_sign_in as wechat %}: the WeChat sign-in for this browser, or None: the official
account's inside WeChat's own browser (a phone cannot scan its own screen), the QR code
elsewhere; only those the site has an application for (portal/weixin)."""

from allauth.socialaccount.adapter import get_adapter
from django import template

register = template.Library()


@register.simple_tag(takes_context=True)
def wechat_sign_in(context):
    request = context["request"]
    inside = "MicroMessenger" in request.headers.get("User-Agent", "")
    wanted = "weixin_mp" if inside else "weixin"
    return next((p for p in get_adapter().list_providers(request) if p.id == wanted), None)
