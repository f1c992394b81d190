from django.conf import settings
from django.contrib import auth
from django.contrib.auth.middleware import AuthenticationMiddleware as DjangoAuthentication
from django.core.exceptions import DisallowedHost
from django.http import HttpResponse
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.http import url_has_allowed_host_and_scheme


class PreferredLanguageMiddleware:
    """Use the signed-in owner's saved language when the browser has no language cookie yet.

    Placed before LocaleMiddleware, which then picks it up from the cookie it sees.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        cookie = settings.LANGUAGE_COOKIE_NAME
        if cookie not in request.COOKIES:
            language = _session_language(request)
            if language:
                request.COOKIES[cookie] = language
        return self.get_response(request)


def _session_language(request):
    language = request.session.get("language") if hasattr(request, "session") else None
    if language and translation.check_for_language(language):
        return language
    return None


class RequestSizeLimitMiddleware:
    """Refuse a request whose body is larger than MAX_REQUEST_BYTES with 413, before any of it
    is read.

    Django bounds form fields (DATA_UPLOAD_MAX_MEMORY_SIZE) and the number of files, but streams
    uploads of any size to disk; this bounds the whole body by its Content-Length. (A body
    without one is read as empty by Django's WSGI handler.) The proxy in front refuses it first.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = 0  # Django reads no body at all then
        if length > settings.MAX_REQUEST_BYTES:
            return too_large(request)
        return self.get_response(request)


def too_large(request):
    # No session, locale or auth middleware has run yet: the language comes from the request,
    # and the page shows nothing that depends on who is signed in.
    language = translation.get_language_from_request(request)
    with translation.override(language):
        page = render_to_string(
            "413.html",
            {
                "limit_mb": settings.MAX_REQUEST_BYTES // 2**20,
                "file_mb": settings.CASE_ATTACHMENT_MAX_BYTES // 2**20,
                "back_url": _page_before(request),
                "LANGUAGE_CODE": language,
            },
            request=request,
        )
    return HttpResponse(page, status=413)


def _page_before(request):
    """The page the form was sent from (for the "back" link without script), if it is ours."""
    referer = request.META.get("HTTP_REFERER", "")
    try:
        host = request.get_host()
    except DisallowedHost:
        return "/"
    if url_has_allowed_host_and_scheme(referer, {host}, require_https=request.is_secure()):
        return referer
    return "/"


class AuthenticationMiddleware(DjangoAuthentication):
    """Django's, with `request.user` the account itself rather than a lazy stand-in for it:
    every request that carries a session loads it anyway (the second step's check,
    portal.signin), and a page asks it hundreds of questions, each one a proxy call through
    the stand-in. Without a session it is the anonymous user, found without any lookup."""

    def process_request(self, request):
        super().process_request(request)
        request.user = auth.get_user(request)
