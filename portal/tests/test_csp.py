"""Every page carries a Content-Security-Policy: strict on owner pages, what Wagtail needs in the
admin; browsers' violation reports are logged and never break anything."""

import json
import logging
import re
import runpy
from types import SimpleNamespace

import pytest
from django.conf import settings
from django.http import HttpResponse
from django.test import Client, RequestFactory
from django.urls import path

from home.models import HomePage
from portal.csp import MAX_REPORT_BYTES, PagePolicyMiddleware
from portal.urls import urlpatterns as site_urlpatterns

pytestmark = pytest.mark.django_db

HEADER = "Content-Security-Policy"


def policy(response, header=HEADER):
    """The header as {directive: [values]}."""
    assert header in response, f"no {header} on {response.status_code} {response!r}"
    directives = {}
    for part in response[header].split(";"):
        name, *values = part.split()
        directives[name] = values
    return directives


def assert_owner_policy(response):
    directives = policy(response)
    assert directives["script-src"] == ["'self'"]  # no inline script, no nonce, no eval
    assert directives["style-src"] == ["'self'"]
    assert directives["default-src"] == ["'self'"]
    assert directives["object-src"] == ["'none'"]
    assert directives["base-uri"] == ["'self'"]
    assert directives["form-action"] == ["'self'"]
    assert directives["frame-ancestors"] == ["'none'"]
    assert directives["report-uri"] == ["/csp-report/"]
    assert directives["report-to"] == ["csp"]
    assert response["Reporting-Endpoints"] == 'csp="/csp-report/"'
    return directives


def boom(request):
    raise RuntimeError("a bug")


urlpatterns = [path("boom/", boom), *site_urlpatterns]


@pytest.fixture
def home():
    return HomePage.objects.get()


def test_owner_pages_forbid_inline_script(owner_client, home):
    for url in ("/", "/me/", "/me/profile/", "/me/cases/", "/forum/", "/search/?q=停车"):
        response = owner_client.get(url)
        assert response.status_code == 200, url
        assert_owner_policy(response)


def test_cached_anonymous_pages_carry_the_policy_too(client, home):
    assert_owner_policy(client.get("/"))
    # Change the page behind the cache's back: the next answer comes from the cache.
    HomePage.objects.filter(pk=home.pk).update(hero_title="悄悄改过的标题")
    cached = client.get("/")
    assert "悄悄改过的标题" not in cached.content.decode()
    assert_owner_policy(cached)


def test_sign_in_pages_carry_the_owner_policy(client, home):
    for url in ("/accounts/login/", "/accounts/signup/", "/accounts/password/reset/"):
        response = client.get(url)
        assert response.status_code == 200, url
        assert_owner_policy(response)


def test_error_pages_carry_the_owner_policy(client, home):
    assert_owner_policy(client.get("/no-such-page/"))  # 404
    refused = Client(enforce_csrf_checks=True).post("/accounts/login/", {"login": "x"})
    assert refused.status_code == 403
    assert_owner_policy(refused)


@pytest.mark.urls(__name__)
def test_the_server_error_page_carries_the_owner_policy(home):
    response = Client(raise_request_exception=False).get("/boom/")
    assert response.status_code == 500
    assert_owner_policy(response)


def test_the_admin_gets_its_own_policy(client, staff, home):
    login = client.get("/admin/login/")
    assert policy(login)["frame-ancestors"] == ["'self'"]
    client.force_login(staff("Editors"))
    for url in ("/admin/", "/admin/pages/", f"/admin/pages/{home.pk}/edit/"):
        response = client.get(url)
        assert response.status_code == 200, url
        directives = policy(response)
        # Wagtail's own screens render inline <script> and <style> (see settings).
        assert directives["script-src"] == ["'self'", "'unsafe-inline'"]
        assert "'unsafe-eval'" not in directives["script-src"]
        assert directives["frame-ancestors"] == ["'self'"]  # the editor's preview panel
        assert directives["object-src"] == ["'none'"]
        assert directives["form-action"] == ["'self'"]
        assert directives["report-uri"] == ["/csp-report/"]


def test_a_page_preview_may_be_framed_by_the_editor(rf, staff, home):
    request = rf.get(f"/admin/pages/{home.pk}/edit/preview/")
    request.user = staff("Editors")
    response = home.make_preview_request(request)
    assert response.status_code == 200
    directives = policy(response)
    assert directives["script-src"] == ["'self'"]  # the owner page's policy...
    assert directives["frame-ancestors"] == ["'self'"]  # ...framed by the editor only


def test_a_policy_a_view_set_itself_is_kept():
    """Uploaded files are served with their own sandbox policy; the page policy leaves it."""
    own = "sandbox; default-src 'none'"

    def view(request):
        response = HttpResponse("file")
        response[HEADER] = own
        return response

    for url in ("/me/cases/TS-1/files/1/", "/admin/cases/inspect/1/"):
        response = PagePolicyMiddleware(view)(RequestFactory().get(url))
        assert response[HEADER] == own


def test_report_only_mode_reports_without_blocking(client, staff, settings, home):
    settings.CONTENT_SECURITY_POLICY_REPORT_ONLY = settings.CONTENT_SECURITY_POLICY
    del settings.CONTENT_SECURITY_POLICY
    response = client.get("/")
    assert HEADER not in response
    assert policy(response, f"{HEADER}-Report-Only")["script-src"] == ["'self'"]
    client.force_login(staff("Editors"))
    admin = policy(client.get("/admin/"), f"{HEADER}-Report-Only")
    assert admin["script-src"] == ["'self'", "'unsafe-inline'"]


def test_owner_templates_hold_no_inline_script():
    """Owner pages run only static/js/site.js: no <script> without src, no on*= handlers, no
    javascript: links. (Admin screens and emails are not owner pages.)"""
    inline = re.compile(
        r"<script(?![^>]*\bsrc=)(?![^>]*type=\"application/(?:ld\+)?json\")[^>]*>"
        r"|\son[a-z]+\s*=|javascript:",
        re.IGNORECASE,
    )
    base = settings.BASE_DIR
    folders = [base / "templates", *base.glob("*/templates")]
    offenders = [
        f"{template.relative_to(base)}: {match.group(0)}"
        for folder in folders
        for template in folder.rglob("*.html")
        if not {"admin", "email", "wagtailadmin", "wagtailusers"} & set(template.parts)
        for match in inline.finditer(template.read_text())
    ]
    assert offenders == []


# -- The report endpoint ---------------------------------------------------------------------

REPORT = {
    "csp-report": {
        "document-uri": "https://owners.example.com/forum/t/5/",
        "referrer": "",
        "violated-directive": "script-src-elem",
        "effective-directive": "script-src-elem",
        "original-policy": "default-src 'self'; script-src 'self'",
        "disposition": "enforce",
        "blocked-uri": "https://evil.example/x.js",
        "line-number": 12,
        "source-file": "https://owners.example.com/forum/t/5/",
        "status-code": 200,
        "script-sample": "",
    }
}

REPORTS_API = [
    {
        "type": "csp-violation",
        "age": 10,
        "url": "https://owners.example.com/me/club/",
        "user_agent": "Mozilla/5.0",
        "body": {
            "documentURL": "https://owners.example.com/me/club/",
            "blockedURL": "inline",
            "effectiveDirective": "style-src-elem",
            "originalPolicy": "style-src 'self'",
            "disposition": "enforce",
            "sample": "body{display:none}",
            "statusCode": 200,
        },
    },
    {"type": "deprecation", "body": {"id": "x"}},  # other kinds of report are skipped
]


@pytest.fixture
def reporter():
    """A browser: no session, no CSRF token."""
    return Client(enforce_csrf_checks=True)


def warnings_logged(caplog):
    return [r.getMessage() for r in caplog.records if r.levelno == logging.WARNING]


def test_a_report_uri_report_is_logged(reporter, caplog):
    with caplog.at_level(logging.INFO, logger="portal.csp"):
        response = reporter.post(
            "/csp-report/", json.dumps(REPORT), content_type="application/csp-report"
        )
    assert response.status_code == 204
    [message] = warnings_logged(caplog)
    assert "script-src-elem" in message
    assert "https://evil.example/x.js" in message
    assert "https://owners.example.com/forum/t/5/" in message


def test_a_reporting_api_batch_is_logged(reporter, caplog):
    with caplog.at_level(logging.INFO, logger="portal.csp"):
        response = reporter.post(
            "/csp-report/", json.dumps(REPORTS_API), content_type="application/reports+json"
        )
    assert response.status_code == 204
    [message] = warnings_logged(caplog)
    assert "style-src-elem" in message and "'inline'" in message
    assert "https://owners.example.com/me/club/" in message


@pytest.mark.parametrize(
    "body",
    [
        b"not json at all",
        b"\xff\xfe\x00garbage",
        b"[1, 2, 3]",
        b'{"csp-report": "a string"}',
        b'[{"type": "csp-violation", "body": 5}]',
        b"null",
        b"",
    ],
)
def test_junk_is_ignored_quietly(reporter, caplog, body):
    with caplog.at_level(logging.INFO, logger="portal.csp"):
        response = reporter.post("/csp-report/", body, content_type="application/csp-report")
    assert response.status_code == 204
    assert warnings_logged(caplog) == []


def test_an_oversized_report_is_not_read(reporter, caplog):
    padding = "x" * MAX_REPORT_BYTES
    body = json.dumps({"csp-report": {**REPORT["csp-report"], "script-sample": padding}})
    with caplog.at_level(logging.INFO, logger="portal.csp"):
        response = reporter.post("/csp-report/", body, content_type="application/csp-report")
    assert response.status_code == 204
    assert warnings_logged(caplog) == []


def test_long_values_are_clipped_in_the_log(reporter, caplog):
    report = {
        "csp-report": {**REPORT["csp-report"], "blocked-uri": "https://e.example/" + "a" * 5000}
    }
    with caplog.at_level(logging.INFO, logger="portal.csp"):
        reporter.post("/csp-report/", json.dumps(report), content_type="application/csp-report")
    [message] = warnings_logged(caplog)
    assert len(message) < 2000


def test_the_endpoint_only_takes_posts(reporter):
    assert reporter.get("/csp-report/").status_code == 405


def settings_from(monkeypatch, **environment):
    """The settings module as the environment would make it, without touching the running one."""
    for name in (
        "CSP_REPORT_URI",
        "CSP_REPORT_ONLY",
        "CSP_FRAME_SRC",
        "CSP_MEDIA_ORIGINS",
        "MEDIA_URL",
    ):
        monkeypatch.delenv(name, raising=False)
    for name, value in environment.items():
        monkeypatch.setenv(name, value)
    return runpy.run_path(str(settings.BASE_DIR / "portal" / "settings" / "base.py"))


def test_the_environment_configures_reports_mode_and_origins(monkeypatch):
    configured = settings_from(
        monkeypatch,
        CSP_REPORT_URI="https://reports.example.com/csp",
        CSP_REPORT_ONLY="true",
        CSP_MEDIA_ORIGINS="https://media.example.com",
        CSP_FRAME_SRC="https://player.bilibili.com",
    )
    assert "CONTENT_SECURITY_POLICY" not in configured
    directives = configured["CONTENT_SECURITY_POLICY_REPORT_ONLY"]["DIRECTIVES"]
    assert directives["report-uri"] == "https://reports.example.com/csp"
    assert configured["CSP_REPORT_ENDPOINT"] == "https://reports.example.com/csp"
    assert directives["img-src"] == ["'self'", "data:", "https://media.example.com"]
    assert directives["media-src"] == ["'self'", "https://media.example.com"]
    assert directives["frame-src"] == ["'self'", "https://player.bilibili.com"]
    assert "https://media.example.com" in configured["CONTENT_SECURITY_POLICY_ADMIN"]["img-src"]

    quiet = settings_from(monkeypatch, CSP_REPORT_URI="")
    directives = quiet["CONTENT_SECURITY_POLICY"]["DIRECTIVES"]
    assert "report-uri" not in directives and "report-to" not in directives
    assert "report-uri" not in quiet["CONTENT_SECURITY_POLICY_ADMIN"]
    assert quiet["CSP_REPORT_ENDPOINT"] == ""


def test_uploads_on_their_own_host_are_allowed_as_images(monkeypatch):
    configured = settings_from(
        monkeypatch, MEDIA_URL="https://files.jindu-usercontent.example/media/"
    )
    directives = configured["CONTENT_SECURITY_POLICY"]["DIRECTIVES"]
    assert directives["img-src"] == ["'self'", "data:", "https://files.jindu-usercontent.example"]
    assert settings_from(monkeypatch)["CONTENT_SECURITY_POLICY"]["DIRECTIVES"]["img-src"] == [
        "'self'",
        "data:",
    ]


def test_no_reporting_endpoint_without_an_address(client, settings, home):
    settings.CSP_REPORT_ENDPOINT = ""
    assert "Reporting-Endpoints" not in client.get("/")


def violation(n):
    return {
        "type": "csp-violation",
        "url": "https://owners.example.com/me/",
        "body": {
            "documentURL": "https://owners.example.com/me/",
            "blockedURL": f"https://evil.example/{n}.js",
            "effectiveDirective": "script-src-elem",
            "disposition": "enforce",
            "sample": "x" * 2500,
        },
    }


def test_a_large_batch_is_one_log_line_with_a_count(reporter, caplog):
    """Twenty violations of 2.5 kB each (a 50 kB post): one line, the first three, a count."""
    body = json.dumps([violation(n) for n in range(20)])
    assert 50_000 < len(body) < MAX_REPORT_BYTES
    with caplog.at_level(logging.INFO, logger="portal.csp"):
        response = reporter.post("/csp-report/", body, content_type="application/reports+json")
    assert response.status_code == 204
    assert [r.levelno for r in caplog.records] == [logging.WARNING]
    [message] = warnings_logged(caplog)
    assert message.startswith("CSP violations (20): ")
    assert all(f"https://evil.example/{n}.js" in message for n in range(3))
    assert "https://evil.example/3.js" not in message
    assert message.endswith("; and 17 more")
    assert len(message) < 2000


def test_reports_from_one_address_are_limited_per_minute(reporter, caplog, settings, monkeypatch):
    settings.CSP_REPORTS_PER_MINUTE = 20
    clock = SimpleNamespace(time=lambda: 1_800_000_000.0)  # 08:00:00 UTC: a minute's start
    monkeypatch.setattr("portal.csp.time", clock)
    body = json.dumps(REPORT)
    with caplog.at_level(logging.INFO, logger="portal.csp"):
        answers = [
            reporter.post(
                "/csp-report/", body, content_type="application/csp-report", REMOTE_ADDR="10.1.1.1"
            ).status_code
            for _ in range(25)
        ]
        assert answers == [204] * 25
        assert len(caplog.records) == 20  # the five past the limit: not a line
        # Junk counts too, and another address has its own allowance.
        reporter.post(
            "/csp-report/", b"junk", content_type="application/csp-report", REMOTE_ADDR="10.1.1.1"
        )
        assert len(caplog.records) == 20
        reporter.post(
            "/csp-report/", body, content_type="application/csp-report", REMOTE_ADDR="10.2.2.2"
        )
        assert len(warnings_logged(caplog)) == 21
        # The next minute the first address is heard again.
        clock.time = lambda: 1_800_000_060.0
        reporter.post(
            "/csp-report/", body, content_type="application/csp-report", REMOTE_ADDR="10.1.1.1"
        )
    assert len(warnings_logged(caplog)) == 22
