"""The owner side of the Wagtail admin: estates, units, ownership claims and users."""

from django.db.models import Case, Count, IntegerField, Value, When
from django.urls import path
from django.utils.translation import gettext_lazy as _
from wagtail.admin.ui.tables import Column, DateColumn
from wagtail.admin.viewsets.base import ViewSetGroup
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.permissions import register_permission_policy
from wagtail.users.views.users import UserViewSet as WagtailUserViewSet

from owners import admin_views
from owners.admin_forms import UserCreationForm, UserEditForm
from owners.archive_admin import OwnerRecordViewSet, UnitView
from owners.models import Consent, Estate, OwnershipClaim, Unit
from owners.privacy_admin import AccountClosureViewSet
from portal.admin_actions import ActionsOnlyViewSet, InspectFirstIndexView, RulesOnlyPolicy

# Consent records are proof: listed and exported, never added, changed or deleted by hand.
register_permission_policy(Consent, RulesOnlyPolicy(Consent, ("view",)), exact_class=True)


class EstateViewSet(ModelViewSet):
    model = Estate
    name = "estates"
    url_prefix = "owners/estates"
    icon = "home"
    menu_label = _("Estates")
    form_fields = ["name", "city", "district", "address", "description"]
    list_display = ["name", "city", "district", Column("unit_count", label=_("Units"))]
    search_fields = ["name", "city", "district"]
    inspect_view_enabled = True

    def get_index_view_kwargs(self, **kwargs):
        queryset = Estate.objects.annotate(unit_count=Count("units"))
        return super().get_index_view_kwargs(queryset=queryset, **kwargs)


class UnitViewSet(ModelViewSet):
    model = Unit
    name = "units"
    url_prefix = "owners/units"
    icon = "table"
    menu_label = _("Units")
    form_fields = ["estate", "building", "number", "use", "floor_area", "handed_over_on"]
    list_display = ["__str__", "building", "number", "floor_area"]
    list_filter = ["estate"]
    list_export = ["estate", "building", "number", "use", "floor_area", "handed_over_on"]
    export_filename = "units"
    search_fields = ["building", "number", "estate__name"]
    list_per_page = 50
    import_view_class = admin_views.UnitImportView
    inspect_view_enabled = True
    inspect_view_class = UnitView

    @property
    def import_view(self):
        return self.import_view_class.as_view(index_url_name=self.get_url_name("index"))

    def get_urlpatterns(self):
        return [*super().get_urlpatterns(), path("import/", self.import_view, name="import")]

    def get_index_view_kwargs(self, **kwargs):
        return super().get_index_view_kwargs(
            queryset=Unit.objects.select_related("estate"),
            import_url_name=self.get_url_name("import"),
            **kwargs,
        )

    index_view_class = admin_views.UnitIndexView


class ClaimViewSet(ActionsOnlyViewSet):
    """The verification queue: pending claims first, oldest first, so nobody waits longest."""

    model = OwnershipClaim
    name = "claims"
    url_prefix = "owners/claims"
    icon = "key"
    menu_label = _("Ownership claims")
    list_display = [
        "__str__",
        "role",
        "proof",
        Column("status", label=_("Status"), accessor="get_status_display"),
        DateColumn("created_at", label=_("Submitted")),
    ]
    list_filter = ["status", "unit__estate", "role"]
    list_export = [
        "owner",
        "owner.email",
        "unit",
        "role",
        "proof",
        "status",
        "reason",
        "created_at",
    ]
    export_filename = "ownership-claims"
    search_fields = ["proof", "owner__real_name", "owner__email", "unit__number"]
    index_view_class = InspectFirstIndexView
    inspect_view_enabled = True
    inspect_view_class = admin_views.ClaimReviewView
    inspect_template_name = "owners/admin/claim_review.html"
    inspect_view_fields = ["owner", "unit", "role", "proof", "status", "reason", "created_at"]

    def get_index_view_kwargs(self, **kwargs):
        pending_first = Case(
            When(status=OwnershipClaim.Status.PENDING, then=Value(0)),
            default=Value(1),
            output_field=IntegerField(),
        )
        queryset = (
            OwnershipClaim.objects.select_related("owner", "unit__estate")
            .annotate(pending_first=pending_first)
            .order_by("pending_first", "created_at")
        )
        return super().get_index_view_kwargs(queryset=queryset, **kwargs)


class ConsentViewSet(ModelViewSet):
    """Who agreed to which version of the privacy policy or the club rules, and when."""

    model = Consent
    name = "consents"
    url_prefix = "owners/consents"
    icon = "tick-inverse"
    menu_label = _("Consents")
    list_display = [
        "user",
        Column("document", label=_("Agreed to"), accessor="get_document_display"),
        "version",
        DateColumn("given_at", label=_("Agreed at")),
    ]
    list_filter = ["document", "version"]
    list_export = ["user", "user.email", "document", "version", "given_at"]
    export_headings = {"user.email": _("Email address")}
    export_filename = "consents"
    search_fields = ["user__real_name", "user__email", "version"]
    index_view_class = InspectFirstIndexView
    add_to_reference_index = False
    copy_view_enabled = False
    form_fields = []  # never edited: see RulesOnlyPolicy
    list_per_page = 50

    def get_index_view_kwargs(self, **kwargs):
        queryset = Consent.objects.select_related("user").order_by("-given_at")
        return super().get_index_view_kwargs(queryset=queryset, **kwargs)


class OwnersViewSetGroup(ViewSetGroup):
    menu_label = _("Owners")
    menu_icon = "group"
    menu_order = 200
    items = (
        OwnerRecordViewSet,
        ClaimViewSet,
        EstateViewSet,
        UnitViewSet,
        ConsentViewSet,
        AccountClosureViewSet,
    )


class UserViewSet(WagtailUserViewSet):
    def get_form_class(self, for_update=False):
        return UserEditForm if for_update else UserCreationForm
