"""Template messages of the official account (公众号模板消息) to owners who signed in through it.

A message is one of the site's short messages (a template of portal.sms and its values, the same
a text would carry) with the page it opens. The official account knows each template by its own
id and fills its own keywords (thing1, character_string2, time3…): `WECHAT_TEMPLATES` maps a
short message's name to {"id": template id, "data": {keyword: value name}}; a message without an
entry there does not go by WeChat (portal.channels then uses the owner's next channel).

Delivery is the outbox's (portal.outbox): `send` returns WeChat's msgid, raises
`portal.sms.TextRefused` for a message WeChat will never deliver (the person unfollowed the
account, an unknown template or openid) and `portal.sms.TextDeferred` for one it cannot take
now (its call limits, a busy system); the outbox tries those again later.

The access token is the account's, valid two hours, fetched anew by any process would end the
others' (WeChat keeps one): it is kept in the shared cache for all workers, and fetched again
when WeChat says it expired.
"""

import requests
from django.conf import settings
from django.core.cache import cache

from portal.sms import TextDeferred, TextRefused

TOKEN_KEY = "wechat:mp:access-token"

#: WeChat's errcodes: the token is stale; the message will never go (any other: not now).
STALE_TOKEN = {40001, 40014, 42001}
REFUSED = {40003, 40036, 40037, 43004, 43101, 47003}

#: How long a keyword's value may be, by its kind (WeChat refuses longer ones).
LIMITS = {"thing": 20, "character_string": 32, "phrase": 5, "name": 10, "car_number": 8}


def template(name):
    """The official account's template for a short message, or None."""
    return settings.WECHAT_TEMPLATES.get(name)


def data(name, params):
    """The template's keywords filled from the message's values, each within its kind's
    length."""
    filled = {}
    for keyword, value_name in template(name)["data"].items():
        value = str(params.get(value_name, ""))
        limit = LIMITS.get(keyword.rstrip("0123456789"))
        if limit and len(value) > limit:
            value = value[: limit - 1] + "…"
        filled[keyword] = {"value": value}
    return filled


def _api(path):
    return settings.WECHAT_API_URL.rstrip("/") + path


def _token(fresh=False):
    token = None if fresh else cache.get(TOKEN_KEY)
    if token:
        return token
    answer = _call(
        "get",
        "/cgi-bin/token",
        params={
            "grant_type": "client_credential",
            "appid": settings.WECHAT_MP_APP_ID,
            "secret": settings.WECHAT_MP_APP_SECRET,
        },
    )
    if "access_token" not in answer:
        raise TextDeferred(f"no access token: {answer.get('errcode')} {answer.get('errmsg')}")
    # Kept a little less than WeChat keeps it, so a token never expires on its way.
    cache.set(TOKEN_KEY, answer["access_token"], max(int(answer.get("expires_in", 7200)) - 300, 60))
    return answer["access_token"]


def _call(method, path, **kwargs):
    try:
        response = requests.request(method, _api(path), timeout=settings.SMS_TIMEOUT, **kwargs)
        response.raise_for_status()
        return response.json()
    except (requests.RequestException, ValueError) as error:
        raise TextDeferred(f"WeChat did not answer: {error}") from error


class TemplateMessages:
    """The outbox's sender of WeChat messages."""

    def send(self, openid, name, params, url):
        found = template(name)
        if not found:
            raise TextRefused(f"no template for {name!r} in WECHAT_TEMPLATES")
        body = {
            "touser": openid,
            "template_id": found["id"],
            "url": url,
            "data": data(name, params),
        }
        for fresh in (False, True):
            answer = _call(
                "post",
                "/cgi-bin/message/template/send",
                params={"access_token": _token(fresh)},
                json=body,
            )
            code = answer.get("errcode", 0)
            if code not in STALE_TOKEN:
                break
        if code in REFUSED:
            raise TextRefused(f"{code}: {answer.get('errmsg')}")
        if code:
            raise TextDeferred(f"{code}: {answer.get('errmsg')}")
        return str(answer.get("msgid", ""))
