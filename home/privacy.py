"""Consent to the privacy policy: at sign-up, and again whenever its version changes.

The published policy (version, title, address) is cached; publishing, unpublishing or deleting
the policy, or moving or renaming any page, clears it (home.signals), so a normal request costs
no query. An owner's agreement is checked when they sign in and remembered in their session, so the
check costs one small query per session, made while the session is written anyway.
"""

from urllib.parse import urlsplit

from django import forms
from django.contrib.auth.decorators import login_required
from django.core.cache import cache
from django.http import QueryDict
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.html import format_html
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_http_methods

from home.caching import TIMEOUT
from home.models import PrivacyPolicyPage
from owners import consent
from owners.consent import consent_exempt
from portal import memo
from portal.signin import can_open_admin
from portal.validators import clean_name

PRIVACY = consent.Document.PRIVACY_POLICY
CACHE_KEY = "privacy-policy"
SESSION_KEY = "privacy_policy_agreed"
# Never asked first: the admin (staff), signing in and out, the language switch, files, feeds.
EXEMPT_PREFIXES = (
    "/admin/",
    "/accounts/",
    "/language/",
    "/static/",
    "/media/",
    "/documents/",
    "/feeds/",
    "/healthz",
    "/readyz",
    "/sitemap.xml",
)


def current_policy():
    """{"version", "title", "url", "summary", "effective_date"} of the live policy, or None:
    read once a request (the consent check and the footer both ask)."""
    return memo.once(CACHE_KEY, _read_policy)


memo.read_ahead(lambda reader: CACHE_KEY)  # the consent check asks it on nearly every page


def _read_policy():
    policy = memo.cached(CACHE_KEY)
    if policy is None:
        page = PrivacyPolicyPage.objects.live().first()
        policy = {}
        if page is not None:
            policy = {
                "version": page.version,
                "title": page.title,
                "title_en": page.title_en,
                "url": page.get_url() or "",
                "summary": page.summary,
                "summary_en": page.summary_en,
                "effective_date": page.effective_date,
            }
        cache.set(CACHE_KEY, policy, TIMEOUT)  # the timeout also covers site changes
    return policy or None


def forget_policy():
    cache.delete(CACHE_KEY)
    memo.forget(CACHE_KEY)


def agree(request, policy):
    """The signed-in owner agrees to `policy` now."""
    consent.record(request.user, PRIVACY, policy["version"])
    request.session[SESSION_KEY] = policy["version"]


def has_agreed(request, user, policy):
    """Whether `user` agreed to `policy`; a yes is remembered in the session."""
    if request.session.get(SESSION_KEY) == policy["version"]:
        return True
    if consent.has_agreed(user, PRIVACY, policy["version"]) or can_open_admin(user):
        # Staff work under their employment terms; they are never stopped here.
        request.session[SESSION_KEY] = policy["version"]
        return True
    return False


def needs_consent(request, policy):
    return not has_agreed(request, request.user, policy)


def check_at_sign_in(request, user):
    """Ask at sign-in, while the new session is being written anyway: else the first page after
    signing in asks, and writes the session a second time just to remember the answer."""
    policy = current_policy()
    if policy is not None:
        has_agreed(request, user, policy)


class PrivacyConsentMiddleware:
    """Send a signed-in owner who has not agreed to the current policy to the consent page."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        if not request.user.is_authenticated or getattr(view_func, "consent_exempt", False):
            return None
        if request.path_info.startswith(EXEMPT_PREFIXES):
            return None
        policy = current_policy()
        if policy is None or request.path_info == urlsplit(policy["url"]).path:
            return None
        if not needs_consent(request, policy):
            return None
        return redirect(f"{reverse('home:privacy_consent')}?{_next_query(request)}")


def _next_query(request):
    query = QueryDict(mutable=True)
    query["next"] = request.get_full_path() if request.method == "GET" else "/me/"
    return query.urlencode()


def _safe_next(request):
    target = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return reverse("owners:dashboard")


@consent_exempt
@login_required
@require_http_methods(["GET", "POST"])
def consent_page(request):
    """The policy changed: its summary, a link to the whole text, agree or sign out."""
    policy = current_policy()
    if policy is None or not needs_consent(request, policy):
        return redirect(_safe_next(request))
    if request.method == "POST":
        agree(request, policy)
        return redirect(_safe_next(request))
    earlier = request.user.consents.filter(document=PRIVACY).order_by("-given_at").first()
    context = {"policy": policy, "earlier": earlier, "next": _safe_next(request)}
    return render(request, "home/privacy_consent.html", context)


class SignupConsentForm(forms.Form):
    """Added to allauth's sign-up form (ACCOUNT_SIGNUP_FORM_CLASS): the owner's name, so the
    site greets them by it from the first page on, and the privacy policy box."""

    field_order = ["real_name", "phone", "password1", "password2", "agree_privacy"]

    real_name = forms.CharField(
        label=_("Your name"),
        max_length=50,
        widget=forms.TextInput(attrs={"autocomplete": "name", "placeholder": _("e.g. Zhang Wei")}),
        help_text=_(
            "As on your property papers, to check your claim. Other owners see only your "
            "surname (e.g. Zhang**) unless you choose otherwise."
        ),
    )

    agree_privacy = forms.BooleanField(
        error_messages={"required": _("Please read and agree to the privacy policy to sign up.")}
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.policy = current_policy()
        if self.policy is None:
            del self.fields["agree_privacy"]  # nothing published yet to agree to
            return
        link = format_html(
            '<a href="{}" target="_blank" rel="noopener">{}</a>',
            self.policy["url"],
            gettext("the privacy policy"),
        )
        self.fields["agree_privacy"].label = format_html(
            gettext("I have read and agree to {policy}"), policy=link
        )

    def clean_real_name(self):
        name = clean_name(self.cleaned_data["real_name"])
        if not name:
            raise forms.ValidationError(_("Please tell us your name."))
        return name

    def signup(self, request, user):
        user.real_name = self.cleaned_data["real_name"]
        user.save(update_fields=["real_name"])
        if self.policy is not None:
            consent.record(user, PRIVACY, self.policy["version"])
            request.session[SESSION_KEY] = self.policy["version"]
