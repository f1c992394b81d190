"""Wagtail's own sign-in doors and account page, routed to the site's one door (portal.signin),
and allauth's page for the mobile number."""

from allauth.account.decorators import reauthentication_required
from allauth.account.views import change_phone as allauth_change_phone
from allauth.core.internal import ratelimit
from django import forms
from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods
from wagtail import views as wagtail_views
from wagtail.admin.views.account import BaseSettingsPanel
from wagtail.documents.views import serve as document_views
from wagtail.forms import PasswordViewRestrictionForm
from wagtail.models import CollectionViewRestriction, Page, PageViewRestriction

from portal import signin


@require_http_methods(["GET", "HEAD", "POST"])
def admin_login(request):
    """Wagtail's admin login: allauth's page, then back to the admin. A POST signs nobody in."""
    return redirect_to_login(
        request.GET.get("next") or reverse("wagtailadmin_home"), settings.LOGIN_URL
    )


@require_http_methods(["GET", "HEAD", "POST"])
def private_page_login(request):
    """Wagtail's login for pages restricted to signed-in people: allauth's page, `next` kept."""
    next_url = request.GET.get("next")
    return (
        redirect_to_login(next_url, settings.LOGIN_URL)
        if next_url
        else redirect(settings.LOGIN_URL)
    )


def _limited(request, key, view, refuse):
    """Run Wagtail's password view; count a wrong password against the client; past the limit,
    `refuse(message)` without looking at the password at all."""
    if request.method != "POST":
        return view()
    key = f"{key}@{signin.client_ip(request)}"
    usage = ratelimit.consume(
        request, app=signin.RATE_LIMIT_APP, action="page_password_failed", key=key
    )
    if usage is None:
        return refuse(
            signin.too_many_page_passwords(signin.retry_after(request, "page_password_failed", key))
        )
    response = view()
    if response.status_code == 302:  # the right password: it does not count
        usage.rollback()
    return response


class _RefusedForm(PasswordViewRestrictionForm):
    """Wagtail's password form, unbound, carrying the refusal as its error."""

    def __init__(self, *args, refusal, **kwargs):
        super().__init__(*args, **kwargs)
        self.refusal = refusal

    def non_field_errors(self):
        return self.error_class(self.refusal.messages, error_class="nonfield")


def _refused_form(request, restriction, error):
    return _RefusedForm(
        instance=restriction,
        initial={"return_url": request.POST.get("return_url", "")},
        refusal=error,
    )


def page_password(request, page_view_restriction_id, page_id):
    """A page that Wagtail protects with a shared password, with a limit on wrong guesses."""

    def refuse(error):
        restriction = get_object_or_404(PageViewRestriction, id=page_view_restriction_id)
        page = get_object_or_404(Page, id=page_id).specific
        action_url = reverse(
            "wagtailcore_authenticate_with_password", args=[restriction.id, page.id]
        )
        form = _refused_form(request, restriction, error)
        return page.serve_password_required_response(request, form, action_url)

    return _limited(
        request,
        f"page-{page_view_restriction_id}",
        lambda: wagtail_views.authenticate_with_password(
            request, page_view_restriction_id, page_id
        ),
        refuse,
    )


def document_password(request, restriction_id):
    """A document collection that Wagtail protects with a shared password, likewise."""

    def refuse(error):
        restriction = get_object_or_404(CollectionViewRestriction, id=restriction_id)
        context = {
            "form": _refused_form(request, restriction, error),
            "action_url": reverse("wagtaildocs_authenticate_with_password", args=[restriction.id]),
        }
        template = getattr(
            settings, "WAGTAILDOCS_PASSWORD_REQUIRED_TEMPLATE", "wagtaildocs/password_required.html"
        )
        return TemplateResponse(request, template, context)

    return _limited(
        request,
        f"collection-{restriction_id}",
        lambda: document_views.authenticate_with_password(request, restriction_id),
        refuse,
    )


class SignInSettingsPanel(BaseSettingsPanel):
    """On Wagtail's account page, where staff change their email address, password and
    two-step verification: allauth's pages, with verification, limits and one address per
    account. Wagtail's own fields for them are turned off (WAGTAIL_*_MANAGEMENT_ENABLED)."""

    name = "signin"
    title = gettext_lazy("Email address, password and two-step verification")
    order = 150
    template_name = "portal/admin/signin_panel.html"

    def get_form(self):
        return forms.Form(prefix=self.name)  # nothing to save on this page

    def get_context_data(self):
        return {"email": self.user.email}


#: allauth's page to add or change the mobile number, asking for the password again (or a code)
#: before the number is typed rather than after: allauth asks only once it is sent, then
#: comes back to an empty form.
change_phone = login_required(reauthentication_required(allauth_change_phone))
