"""Admin screens beyond plain create/edit: the claim review page and the units CSV import."""

from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.functional import cached_property
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import FormView
from wagtail.admin import messages
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin
from wagtail.admin.widgets.button import HeaderButton

from owners.admin_forms import ReviewForm, UnitImportForm
from owners.claims import ClaimError, approve_claim, reject_claim, revoke_claim
from owners.models import OwnershipClaim
from owners.unit_import import UnitImportError, import_units
from portal.admin_actions import ActionsInspectView
from portal.exports import SafeIndexView


class UnitIndexView(SafeIndexView):
    import_url_name = None

    @cached_property
    def header_buttons(self):
        buttons = list(super().header_buttons)
        if self.request.user.has_perm("owners.import_units"):
            buttons.append(
                HeaderButton(_("Import CSV"), url=reverse(self.import_url_name), icon_name="upload")
            )
        return buttons


class UnitImportView(WagtailAdminTemplateMixin, FormView):
    form_class = UnitImportForm
    template_name = "owners/admin/unit_import.html"
    page_title = gettext_lazy("Import units")
    header_icon = "upload"
    index_url_name = None

    def dispatch(self, request, *args, **kwargs):
        if not request.user.has_perm("owners.import_units"):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get_initial(self):
        return {"estate": self.request.GET.get("estate")}

    def get_breadcrumbs_items(self):
        return [
            *self.breadcrumbs_items,
            {"url": reverse(self.index_url_name), "label": _("Units")},
            {"url": "", "label": self.page_title},
        ]

    def form_valid(self, form):
        estate = form.cleaned_data["estate"]
        try:
            result = import_units(estate, form.cleaned_data["file"], by=self.request.user)
        except UnitImportError as error:
            return self.render_to_response(self.get_context_data(form=form, errors=error.errors))
        messages.success(
            self.request,
            _("%(estate)s: %(created)s units added, %(updated)s updated.")
            % {"estate": estate, "created": result.created, "updated": result.updated}
            + (
                " " + _("%(people)s people put in their homes.") % {"people": result.people}
                if result.people
                else ""
            ),
        )
        return redirect(reverse(self.index_url_name) + f"?estate={estate.pk}")


def _review(function):
    def act(view, data):
        claim = function(view.object, view.request.user, data["reason"])
        return _("%(claim)s: %(status)s. The owner has been emailed.") % {
            "claim": claim,
            "status": claim.get_status_display(),
        }

    return act, ClaimError


class ClaimReviewView(ActionsInspectView):
    """A claim with everything staff need to decide, and the approve / reject / revoke form."""

    actions = {
        "approve": _review(approve_claim),
        "reject": _review(reject_claim),
        "revoke": _review(revoke_claim),
    }
    action_form_class = ReviewForm
    page_title = gettext_lazy("Review")

    def get_object(self, queryset=None):
        claims = OwnershipClaim.objects.select_related("owner", "unit__estate", "reviewed_by")
        return get_object_or_404(claims, pk=self.pk)

    def get_success_url(self):
        return reverse(self.index_url_name)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        claim = self.object
        context.update(
            claim=claim,
            can_review=self.request.user.has_perm("owners.review_ownershipclaim"),
            unit_claims=OwnershipClaim.objects.filter(unit=claim.unit)
            .exclude(pk=claim.pk)
            .select_related("owner"),
            owner_claims=OwnershipClaim.objects.filter(owner=claim.owner)
            .exclude(pk=claim.pk)
            .select_related("unit__estate"),
        )
        return context
