"""{% code_wait phone=… email=… as wait %}: seconds until another code may be sent to this
number or address, by the limits that send it (ACCOUNT_RATE_LIMITS): the button for another code
counts them down rather than let an owner press it for a refusal."""

from django import template

from portal import signin

register = template.Library()

#: The limits a code to a number or an address passes.
ACTIONS = ("verify_phone", "request_login_code")


@register.simple_tag(takes_context=True)
def code_wait(context, phone=None, email=None):
    key = (phone or email or "").lower()
    request = context.get("request")
    if not key or request is None:
        return 0
    return round(max(signin.retry_after(request, action, key) for action in ACTIONS))
