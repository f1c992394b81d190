from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST
from django.views.i18n import set_language as django_set_language

from portal.claims import ClaimError, submit_claim
from portal.forms import ClaimForm, ProfileForm


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


@login_required
def dashboard(request):
    claims = request.user.claims.select_related("unit__estate").order_by("-created_at")
    return render(request, "portal/dashboard.html", {"claims": claims})


@login_required
def profile(request):
    form = ProfileForm(request.POST or None, request.FILES or None, instance=request.user)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, _("Your profile is saved."))
        response = redirect("portal:dashboard")
        remember_language(request, response, form.instance.language)
        return response
    return render(request, "portal/profile.html", {"form": form})


@login_required
def claim_unit(request):
    form = ClaimForm(request.POST or None, initial={"estate": request.GET.get("estate")})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            submit_claim(request.user, data["unit"], role=data["role"], proof=data["proof"])
        except ClaimError as error:
            form.add_error(None, str(error))
        else:
            messages.success(
                request, _("Your claim is submitted. Staff will review it within two working days.")
            )
            return redirect("portal:dashboard")
    return render(request, "portal/claim_form.html", {"form": form})
