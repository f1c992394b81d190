from django.conf import settings
from django.http import HttpResponse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST
from django.views.i18n import set_language as django_set_language


def healthz(request):
    """For the load balancer: the process is up and can answer."""
    return HttpResponse("ok", content_type="text/plain")


@csrf_exempt  # the switch sits on cached public pages, so it carries no token; it only sets a preference
@require_POST
def set_language(request):
    """Switch the site's language: the cookie for this browser, the profile for the owner."""
    response = django_set_language(request)
    language = request.POST.get("language", "")
    if language in dict(settings.LANGUAGES):
        remember_language(request, response, language)
    return response


def remember_language(request, response, language):
    response.set_cookie(
        settings.LANGUAGE_COOKIE_NAME,
        language,
        max_age=settings.LANGUAGE_COOKIE_AGE,
        secure=settings.LANGUAGE_COOKIE_SECURE,
        samesite="Lax",
    )
    request.session["language"] = language
    if request.user.is_authenticated and request.user.language != language:
        request.user.language = language
        request.user.save(update_fields=["language"])
