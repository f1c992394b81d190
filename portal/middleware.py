from django.conf import settings
from django.utils import translation


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
