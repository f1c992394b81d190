"""The Content-Security-Policy of every page, and the view that receives violation reports.

django-csp writes the header from settings.CONTENT_SECURITY_POLICY (owner pages) and this
middleware swaps in settings.CONTENT_SECURITY_POLICY_ADMIN under the Wagtail admin, whose own
screens still need inline script. A header a view set itself (an uploaded file's sandbox) is
never overwritten.
"""

import json
import logging
import time
from dataclasses import asdict
from functools import cache as remembered

from csp.constants import HEADER, HEADER_REPORT_ONLY, SELF
from csp.middleware import CheckableLazyObject, CSPMiddleware, PolicyParts
from csp.utils import build_policy
from django.conf import settings
from django.core.cache import cache
from django.core.signals import setting_changed
from django.dispatch import receiver
from django.http import HttpResponse
from django.urls import get_script_prefix, reverse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from portal.cache import CacheUnavailable
from portal.signin import client_ip

logger = logging.getLogger("portal.csp")

#: A browser's report is a few hundred bytes; a batch of Reporting API reports a few kB.
MAX_REPORT_BYTES = 64 * 1024
#: Violations read from one request at most; the first LOGGED_PER_REQUEST are described in its
#: one log line and the rest only counted. Characters kept of each value.
MAX_REPORTS = 20
LOGGED_PER_REQUEST = 3
MAX_VALUE_CHARS = 300


def admin_prefix():
    return _admin_prefix(get_script_prefix())


@remembered
def _admin_prefix(script_prefix):
    return reverse("wagtailadmin_home")


#: What a view sets on its response to change its own policy (django-csp's decorators).
VIEW_POLICY = [
    f"_csp_{part}{mode}" for part in ("config", "update", "replace") for mode in ("", "_ro")
]
HEADERS = [
    (HEADER, "CONTENT_SECURITY_POLICY", "_csp_exempt", False),
    (HEADER_REPORT_ONLY, "CONTENT_SECURITY_POLICY_REPORT_ONLY", "_csp_exempt_ro", True),
]


class PagePolicyMiddleware(CSPMiddleware):
    """Nearly every response gets one of two policies, the site's or the admin's, and builds
    the same header text each time: it is built once per process (and again when a setting
    changes, in tests). A nonce, a view's own policy or a preview take django-csp's own way."""

    def process_response(self, request, response):
        if (
            getattr(request, "_csp_nonce", None) is not None
            or getattr(request, "is_dummy", False)
            or any(hasattr(response, name) for name in VIEW_POLICY)
            or (settings.DEBUG and response.status_code in (404, 500))
        ):
            return self._add_endpoint(super().process_response(request, response))
        in_admin = request.path.startswith(admin_prefix())
        for header, setting, exempt, report_only in HEADERS:
            excluded = (getattr(settings, setting, None) or {}).get("EXCLUDE_URL_PREFIXES") or ()
            value = self._built(in_admin, report_only)
            if (
                value
                and header not in response
                and not getattr(response, exempt, False)
                and not request.path_info.startswith(tuple(excluded))
            ):
                response[header] = value
        request.csp_nonce = CheckableLazyObject(self._csp_nonce_post_response)
        return self._add_endpoint(response)

    @staticmethod
    @remembered
    def _built(in_admin, report_only):
        mode = "CONTENT_SECURITY_POLICY_REPORT_ONLY" if report_only else "CONTENT_SECURITY_POLICY"
        config = settings.CONTENT_SECURITY_POLICY_ADMIN if in_admin else None
        parts = PolicyParts(config=config if getattr(settings, mode, None) else None)
        return build_policy(**asdict(parts), report_only=report_only)

    def get_policy_parts(self, request, response, report_only=False):
        parts = super().get_policy_parts(request, response, report_only=report_only)
        mode = "CONTENT_SECURITY_POLICY_REPORT_ONLY" if report_only else "CONTENT_SECURITY_POLICY"
        # A view's own @csp(...) wins; otherwise the admin gets its policy in the same mode
        # (enforced or report-only) as the rest of the site.
        if (
            parts.config is None
            and getattr(settings, mode, None)
            and request.path.startswith(admin_prefix())  # both with any script prefix
        ):
            parts.config = settings.CONTENT_SECURITY_POLICY_ADMIN
        # Wagtail renders a page preview by running a request for the page's own address
        # through the middleware (flagged is_dummy); the editor shows it in an iframe.
        if getattr(request, "is_dummy", False):
            parts.replace = {**(parts.replace or {}), "frame-ancestors": [SELF]}
        return parts

    @staticmethod
    def _add_endpoint(response):
        # `report-to csp` in the policy names this endpoint (the Reporting API); browsers that
        # only know `report-uri` use that.
        endpoint = settings.CSP_REPORT_ENDPOINT
        if endpoint and "Reporting-Endpoints" not in response:
            response["Reporting-Endpoints"] = f'csp="{endpoint}"'
        return response


@receiver(setting_changed)
def forget_built_policies(**kwargs):
    PagePolicyMiddleware._built.cache_clear()
    _admin_prefix.cache_clear()


def _clip(value):
    text = "" if value is None else str(value)
    return text[:MAX_VALUE_CHARS]


def _violations(data):
    """The violations in a report body, in either format, as plain dicts."""
    # report-uri: {"csp-report": {...}}, sent as application/csp-report.
    if isinstance(data, dict) and isinstance(data.get("csp-report"), dict):
        report = data["csp-report"]
        yield {
            "document": report.get("document-uri"),
            "blocked": report.get("blocked-uri"),
            "directive": report.get("effective-directive") or report.get("violated-directive"),
            "source": report.get("source-file"),
            "line": report.get("line-number"),
            "sample": report.get("script-sample"),
            "disposition": report.get("disposition"),
        }
    # The Reporting API (report-to): [{"type": "csp-violation", "body": {...}}, ...], sent as
    # application/reports+json.
    elif isinstance(data, list):
        for item in data[:MAX_REPORTS]:
            if not isinstance(item, dict) or item.get("type") != "csp-violation":
                continue
            body = item.get("body")
            if not isinstance(body, dict):
                continue
            yield {
                "document": body.get("documentURL") or item.get("url"),
                "blocked": body.get("blockedURL"),
                "directive": body.get("effectiveDirective"),
                "source": body.get("sourceFile"),
                "line": body.get("lineNumber"),
                "sample": body.get("sample"),
                "disposition": body.get("disposition"),
            }


def _over_limit(request):
    """Count this report against its client address's current minute; True past the limit.

    A fixed window in the cache rather than allauth's per-attempt history: the endpoint takes
    no account and needs no "retry after", only a cheap bound on what one address can log.
    While the cache is down nothing can be counted, and the limit fails closed: every report is
    dropped. Reports are diagnostics a browser sends again on its next page, and one address
    must not be able to flood the log just because Redis is away.
    """
    per_minute = settings.CSP_REPORTS_PER_MINUTE
    if not per_minute:
        return False
    key = f"csp-report:{client_ip(request)}:{int(time.time() // 60)}"
    cache.add(key, 0, timeout=120)
    try:
        count = cache.incr(key)
    except CacheUnavailable:
        return True
    except ValueError:  # expired between add and incr
        cache.set(key, 1, timeout=120)
        count = 1
    return count > per_minute


@csrf_exempt  # browsers send reports without cookies or tokens
@require_POST
def csp_report(request):
    """Log the Content-Security-Policy violations a browser reports in one line; always 204.

    Past CSP_REPORTS_PER_MINUTE from one address the rest of the minute is neither read nor
    logged, so a script posting reports cannot flood the log."""
    if _over_limit(request):
        return HttpResponse(status=204)
    try:
        declared = int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        declared = 0
    if declared > MAX_REPORT_BYTES:
        logger.info("CSP report of %s bytes ignored", declared)
        return HttpResponse(status=204)
    # Read at most one byte past the bound, whatever the request claims (chunked bodies too).
    body = request.read(MAX_REPORT_BYTES + 1)
    if len(body) > MAX_REPORT_BYTES:
        logger.info("CSP report over %s bytes ignored", MAX_REPORT_BYTES)
        return HttpResponse(status=204)
    try:
        data = json.loads(body)
    except (ValueError, UnicodeDecodeError):
        logger.info("CSP report that is not JSON ignored")
        return HttpResponse(status=204)
    violations = list(_violations(data))
    if violations:
        described = "; ".join(_describe(v) for v in violations[:LOGGED_PER_REQUEST])
        more = len(violations) - LOGGED_PER_REQUEST
        logger.warning(
            "CSP violations (%s): %s%s",
            len(violations),
            described,
            f"; and {more} more" if more > 0 else "",
        )
    return HttpResponse(status=204)


def _describe(violation):
    return "%s blocked %r on %r (%s:%s, %s) %r" % (  # noqa: UP031 (one line per request)
        _clip(violation["directive"]),
        _clip(violation["blocked"]),
        _clip(violation["document"]),
        _clip(violation["source"]),
        _clip(violation["line"]),
        _clip(violation["disposition"]),
        _clip(violation["sample"]),
    )
