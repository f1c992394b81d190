from dataclasses import dataclass

from django.conf import settings
from django.http import HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils.decorators import method_decorator
from django.views import View
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST
from django.views.i18n import set_language as django_set_language

from portal import health


def healthz(request):
    """Liveness, for the process manager: the process is up and can answer. It asks nothing of
    the database, the cache or the broker (that is /readyz)."""
    return HttpResponse("ok", content_type="text/plain")


@never_cache
def readyz(request):
    """Readiness: the database, the cache and the broker answer (portal.health), each timed in
    milliseconds; 503 naming what fails. No session, no cookie, nothing secret in the body."""
    checks = health.readiness()
    failing = [name for name, result in checks.items() if not result["ok"]]
    body = {"status": "unavailable" if failing else "ok", "failing": failing, "checks": checks}
    return JsonResponse(body, status=503 if failing else 200)


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


@method_decorator(csrf_exempt, name="dispatch")  # the signed token is the credential
class UnsubscribeView(View):
    """The page behind the link that stops one kind of email (a `portal.notifications.EmailList`).

    A GET only asks, with a button: mail scanners open links and must not unsubscribe anyone.
    A POST stops the emails; mail apps' own "unsubscribe" button sends it without a session
    (RFC 8058). The page never shows whose address it is: links get forwarded. A subclass names
    its list and its words (`Words`), and says how to find the person's record and stop the
    emails.
    """

    @dataclass(frozen=True)
    class Words:
        heading: str
        question: str
        done: str
        invalid: str

    email_list = None
    words = None
    template_name = "portal/unsubscribe.html"

    def find(self, user_id):
        """The record to change for this person, or None when there is none."""
        raise NotImplementedError

    def stop(self, record):
        raise NotImplementedError

    def dispatch(self, request, token):
        user_id = self.email_list.read(token)
        record = None if user_id is None else self.find(user_id)
        if record is None:
            return self.page(request, invalid=True, status=400)
        return super().dispatch(request, record)

    def get(self, request, record):
        return self.page(request)

    def post(self, request, record):
        self.stop(record)
        return self.page(request, done=True)

    def page(self, request, status=200, **context):
        return render(request, self.template_name, {"words": self.words, **context}, status=status)
