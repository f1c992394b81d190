"""WeChat's sign-in (网站应用微信登录, and 公众号网页授权 inside WeChat) on 127.0.0.1 for the
tests, as WeChat's documentation describes it: the QR page or, inside WeChat, the page to agree
(here the person has scanned or agreed, and is sent back with a code), the code exchanged for an access token with the application's id and secret, and the
user's profile for the token. A code works once; a wrong secret or code gets WeChat's errcode.

It is also the official account's message API (公众号模板消息): the account's access token for
its id and secret (`/cgi-bin/token`), and template messages sent with it
(`/cgi-bin/message/template/send`) to its followers, kept in `messages`. `expire_tokens()` ends
the tokens handed out, `busy` answers every message with WeChat's call limit."""

import json
import secrets
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlencode, urlsplit


class WeChat:
    def __init__(self, app_id, secret, *, openid="oFAKE-openid-1", unionid="uFAKE-unionid-1"):
        self.app_id, self.secret = app_id, secret
        self.person = {"openid": openid, "unionid": unionid, "nickname": "湖畔晨跑"}
        self.codes, self.tokens = set(), set()
        #: The official account: who follows it, its template ids, what it delivered.
        self.followers, self.template_ids, self.messages = {openid}, set(), []
        self.account_tokens, self.token_requests, self.busy = set(), 0, False
        wechat = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self):
                url = urlsplit(self.path)
                query = {k: v[0] for k, v in parse_qs(url.query).items()}
                if url.path == "/connect/qrconnect":
                    return self._redirect(wechat.scanned(query))
                if url.path == "/connect/oauth2/authorize":  # inside WeChat: the person agrees
                    return self._redirect(wechat.scanned(query, scope="snsapi_userinfo"))
                answers = {
                    "/sns/oauth2/access_token": wechat.access_token,
                    "/sns/userinfo": wechat.userinfo,
                    "/cgi-bin/token": wechat.account_token,
                }
                self._answer(answers[url.path](query))

            def do_POST(self):
                url = urlsplit(self.path)
                query = {k: v[0] for k, v in parse_qs(url.query).items()}
                body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
                assert url.path == "/cgi-bin/message/template/send"
                self._answer(wechat.template_message(query, body))

            def _answer(self, answer):
                data = json.dumps(answer, ensure_ascii=False).encode()
                self.send_response(200)  # WeChat answers its errors with 200 and an errcode
                self.send_header("Content-Type", "application/json; charset=utf-8")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def _redirect(self, location):
                self.send_response(302)
                self.send_header("Location", location)
                self.end_headers()

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_port}"
        threading.Thread(target=self.server.serve_forever, args=(0.05,), daemon=True).start()

    def close(self):
        self.server.shutdown()
        self.server.server_close()

    def scanned(self, query, scope="snsapi_login"):
        """The person scanned the QR code (or, inside WeChat, tapped to agree): back to the site
        with a code."""
        assert query["appid"] == self.app_id and query["scope"] == scope
        code = secrets.token_hex(8)
        self.codes.add(code)
        return f"{query['redirect_uri']}?{urlencode({'code': code, 'state': query['state']})}"

    def access_token(self, query):
        if query.get("appid") != self.app_id or query.get("secret") != self.secret:
            return {"errcode": 40125, "errmsg": "invalid appsecret"}
        if query.get("grant_type") != "authorization_code" or query.get("code") not in self.codes:
            return {"errcode": 40029, "errmsg": "invalid code"}
        self.codes.discard(query["code"])
        token = secrets.token_hex(16)
        self.tokens.add(token)
        return {
            "access_token": token,
            "expires_in": 7200,
            "refresh_token": secrets.token_hex(16),
            "openid": self.person["openid"],
            "scope": "snsapi_login",
            "unionid": self.person["unionid"],
        }

    def userinfo(self, query):
        if query.get("access_token") not in self.tokens:
            return {"errcode": 40001, "errmsg": "invalid credential, access_token is invalid"}
        return {
            **self.person,
            "sex": 1,
            "province": "Zhejiang",
            "city": "Hangzhou",
            "country": "CN",
            "headimgurl": "",
            "privilege": [],
        }

    def account_token(self, query):
        """The official account's own access token (client credentials)."""
        self.token_requests += 1
        if query.get("grant_type") != "client_credential":
            return {"errcode": 40002, "errmsg": "invalid grant_type"}
        if query.get("appid") != self.app_id or query.get("secret") != self.secret:
            return {"errcode": 40125, "errmsg": "invalid appsecret"}
        token = secrets.token_hex(16)
        self.account_tokens.add(token)
        return {"access_token": token, "expires_in": 7200}

    def expire_tokens(self):
        self.account_tokens.clear()

    def template_message(self, query, body):
        if query.get("access_token") not in self.account_tokens:
            return {"errcode": 42001, "errmsg": "access_token expired"}
        if self.busy:
            return {"errcode": 45009, "errmsg": "reach max api daily quota limit"}
        if body.get("template_id") not in self.template_ids:
            return {"errcode": 40037, "errmsg": "invalid template_id"}
        if body.get("touser") not in self.followers:
            return {"errcode": 43004, "errmsg": "require subscribe"}
        if not all(isinstance(v, dict) and "value" in v for v in body.get("data", {}).values()):
            return {"errcode": 47003, "errmsg": "argument invalid! data.value empty"}
        self.messages.append(body)
        return {"errcode": 0, "errmsg": "ok", "msgid": 200000 + len(self.messages)}
