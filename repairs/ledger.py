"""报修台账: every repair request with its place, category, status, team and technician, cost
and warranty; filtered like the case ledger and exported to a spreadsheet. Each row opens its
case's screen, where every action is."""

import django_filters
from django.db.models import Prefetch, Q
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from wagtail.admin.filters import WagtailFilterSet
from wagtail.permissions import register_permission_policy

from cases.admin_views import in_month
from cases.models import Case
from owners.models import Estate, User
from portal import links
from portal.admin_actions import ActionsOnlyViewSet, InspectFirstIndexView, RulesOnlyPolicy
from portal.admin_listing import PlainDateColumn, PlainListingMixin, ValueColumn
from repairs.models import RepairRequest, Team, WorkOrder

# Written by 我要报修 alone; the admin lists it.
register_permission_policy(RepairRequest, RulesOnlyPolicy(RepairRequest), exact_class=True)


def rows():
    """The ledger's rows with all they show, in a fixed number of queries."""
    orders = WorkOrder.objects.exclude(state=WorkOrder.State.CANCELLED).select_related(
        "team", "technician"
    )
    return (
        RepairRequest.objects.select_related(
            "case__unit",
            "case__first_responder",
            "case__owner",
            "category__team",
            "estate",
            "price_item",
        )
        .prefetch_related(Prefetch("case__work_orders", queryset=orders, to_attr="orders"))
        .order_by("-case__created_at")
    )


def current(repair):
    return repair.case.orders[-1] if repair.case.orders else None


class RepairFilterSet(WagtailFilterSet):
    month = django_filters.CharFilter(label=gettext_lazy("Month (YYYY-MM)"), method="filter_month")
    estate = django_filters.ModelChoiceFilter(
        label=gettext_lazy("Estate"), queryset=Estate.objects.all()
    )
    building = django_filters.CharFilter(
        label=gettext_lazy("Building"), field_name="case__unit__building"
    )
    status = django_filters.ChoiceFilter(
        label=gettext_lazy("Status"), field_name="case__status", choices=Case.Status.choices
    )
    team = django_filters.ModelChoiceFilter(
        label=gettext_lazy("Department or contractor"),
        queryset=Team.objects.all(),
        field_name="case__work_orders__team",
        distinct=True,
    )
    technician = django_filters.ModelChoiceFilter(
        label=gettext_lazy("Technician"),
        queryset=lambda request: User.objects.filter(teams__isnull=False).distinct(),
        field_name="case__work_orders__technician",
        distinct=True,
    )
    paid = django_filters.BooleanFilter(
        label=gettext_lazy("Paid"), field_name="price_item", lookup_expr="isnull", exclude=True
    )
    overdue = django_filters.BooleanFilter(label=gettext_lazy("Overdue"), method="filter_overdue")

    class Meta:
        model = RepairRequest
        fields = ["category", "place", "under_warranty"]

    def filter_month(self, queryset, name, value):
        return in_month(queryset, value, "case__created_at")

    def filter_overdue(self, queryset, name, value):
        if value is None:
            return queryset
        late = Case.objects.overdue().values("pk")
        return queryset.filter(case__in=late) if value else queryset.exclude(case__in=late)


def team(repair):
    order = current(repair)
    return str(order.team) if order else ""


def technician(repair):
    order = current(repair)
    return order.technician.display_name if order and order.technician else ""


STATUSES = dict(Case.Status.choices)


def status(repair):
    return str(STATUSES[repair.case.status])


def cost(repair):
    order = current(repair)
    if order is not None and order.amount is not None:
        return f"¥{order.amount}"
    if repair.price_item_id:
        return f"¥{repair.accepted_price}"
    return _("Free")


class LedgerIndexView(PlainListingMixin, InspectFirstIndexView):
    """Each row opens its case's screen, where the dispatch and every step are."""

    @cached_property
    def case_address(self):
        return links.addresses("case_ledger:inspect")

    def get_inspect_url(self, instance):
        return self.case_address(instance.case_id)

    def to_row_dict(self, repair):
        return {
            "reference": repair.case.reference,
            "filed": repair.case.created_at,
            "place": repair.where,
            "category": repair.category.name,
            "status": status(repair),
            "team": team(repair),
            "technician": technician(repair),
            "cost": cost(repair),
            "under_warranty": repair.under_warranty,
        }


class RepairLedgerViewSet(ActionsOnlyViewSet):
    model = RepairRequest
    name = "repair_ledger"
    url_prefix = "repairs/ledger"
    icon = "list-ul"
    menu_label = gettext_lazy("Repairs ledger")
    index_view_class = LedgerIndexView
    filterset_class = RepairFilterSet
    inspect_view_enabled = False
    list_display = [
        "case",
        ValueColumn("place", lambda repair: repair.where, label=gettext_lazy("Where")),
        "category",
        ValueColumn("status", status, label=gettext_lazy("Status")),
        ValueColumn("team", team, label=gettext_lazy("Department or contractor")),
        ValueColumn("technician", technician, label=gettext_lazy("Technician")),
        ValueColumn("cost", cost, label=gettext_lazy("Cost")),
        PlainDateColumn("filed", label=gettext_lazy("Filed on"), accessor="case.created_at"),
    ]
    export_headings = {
        "reference": gettext_lazy("Reference"),
        "filed": gettext_lazy("Filed on"),
        "place": gettext_lazy("Where"),
        "category": gettext_lazy("Repair category"),
        "status": gettext_lazy("Status"),
        "team": gettext_lazy("Department or contractor"),
        "technician": gettext_lazy("Technician"),
        "cost": gettext_lazy("Cost"),
        "under_warranty": gettext_lazy("Under warranty"),
    }
    list_export = list(export_headings)
    export_filename = "repairs-ledger"
    search_fields = ["case__reference", "case__description"]
    list_per_page = 50

    def get_index_view_kwargs(self, **kwargs):
        return super().get_index_view_kwargs(queryset=rows(), **kwargs)


# -- 回访: repairs waiting for the follow-up call -------------------------------------------------


def days_since(moment):
    return (timezone.now() - moment).days if moment else None


class FollowUpIndexView(LedgerIndexView):
    page_title = gettext_lazy("Follow-up calls")

    def to_row_dict(self, repair):
        owner = repair.case.owner
        return {
            **super().to_row_dict(repair),
            "resolved": repair.case.resolved_at,
            "days": days_since(repair.case.resolved_at),
            "owner": owner.display_name if owner else "",
            "mobile": owner.mobile if owner else "",
        }


class FollowUpViewSet(RepairLedgerViewSet):
    """回访: repairs done and waiting for the owner's word, oldest first. The owner's own rating
    settles one; otherwise customer service call and record the follow-up on the case screen."""

    name = "repair_follow_ups"
    url_prefix = "repairs/follow-ups"
    icon = "mail"
    menu_label = gettext_lazy("Follow-up calls")
    index_view_class = FollowUpIndexView
    list_display = [
        "case",
        ValueColumn("place", lambda repair: repair.where, label=gettext_lazy("Where")),
        "category",
        ValueColumn("technician", technician, label=gettext_lazy("Technician")),
        ValueColumn(
            "owner",
            lambda repair: (
                f"{repair.case.owner.display_name} {repair.case.owner.mobile}"
                if repair.case.owner
                else ""
            ),
            label=gettext_lazy("Owner to call"),
        ),
        PlainDateColumn(
            "resolved", label=gettext_lazy("Done, waiting since"), accessor="case.resolved_at"
        ),
    ]
    export_headings = {
        **RepairLedgerViewSet.export_headings,
        "resolved": gettext_lazy("Done on"),
        "days": gettext_lazy("Days waiting"),
        "owner": gettext_lazy("Owner"),
        "mobile": gettext_lazy("Mobile number"),
    }
    list_export = list(export_headings)
    export_filename = "repairs-follow-ups"

    def get_index_view_kwargs(self, **kwargs):
        waiting = rows().filter(case__status=Case.Status.RESOLVED).order_by("case__resolved_at")
        return super(RepairLedgerViewSet, self).get_index_view_kwargs(queryset=waiting, **kwargs)


# -- 保修索赔: warranty work a contractor owes -----------------------------------------------------

CONTRACTOR = Team.Kind.CONTRACTOR


def contractor(repair):
    """Who owes the warranty work: the contractor it went to, else the category's."""
    order = current(repair)
    if order is not None and order.team.kind == CONTRACTOR:
        return order.team
    return repair.category.team


class DefectFilterSet(WagtailFilterSet):
    contractor = django_filters.ModelChoiceFilter(
        label=gettext_lazy("Contractor"),
        queryset=Team.objects.filter(kind=CONTRACTOR),
        method="filter_contractor",
    )
    open = django_filters.BooleanFilter(label=gettext_lazy("Open"), method="filter_open")

    class Meta:
        model = RepairRequest
        fields = ["category"]

    def filter_contractor(self, queryset, name, value):
        return queryset.filter(owed_by(value))

    def filter_open(self, queryset, name, value):
        if value is None:
            return queryset
        still = Q(case__status__in=Case.OPEN_STATUSES)
        return queryset.filter(still) if value else queryset.exclude(still)


def owed_by(team=None):
    """Warranty requests a contractor (or `team`) is responsible for."""
    # A job reassigned away is not theirs any more: only a work order still standing counts.
    standing = [*WorkOrder.OPEN, WorkOrder.State.DONE]
    if team is None:
        return Q(category__team__kind=CONTRACTOR) | Q(
            case__work_orders__team__kind=CONTRACTOR, case__work_orders__state__in=standing
        )
    return Q(category__team=team) | Q(
        case__work_orders__team=team, case__work_orders__state__in=standing
    )


class DefectIndexView(LedgerIndexView):
    page_title = gettext_lazy("Warranty claims")

    def to_row_dict(self, repair):
        return {
            **super().to_row_dict(repair),
            "contractor": str(contractor(repair) or ""),
            "days": days_since(repair.case.created_at)
            if repair.case.status in Case.OPEN_STATUSES
            else None,
        }


class DefectViewSet(RepairLedgerViewSet):
    """保修索赔: each warranty repair a contractor is responsible for (the builder for
    waterproofing, the lift company…), open until its case is closed, with its age."""

    name = "repair_defects"
    url_prefix = "repairs/defects"
    icon = "warning"
    menu_label = gettext_lazy("Warranty claims")
    index_view_class = DefectIndexView
    filterset_class = DefectFilterSet
    list_display = [
        "case",
        ValueColumn("contractor", contractor, label=gettext_lazy("Contractor")),
        "category",
        ValueColumn("place", lambda repair: repair.where, label=gettext_lazy("Where")),
        ValueColumn("status", status, label=gettext_lazy("Status")),
        PlainDateColumn("filed", label=gettext_lazy("Filed on"), accessor="case.created_at"),
    ]
    export_headings = {
        "reference": gettext_lazy("Reference"),
        "contractor": gettext_lazy("Contractor"),
        "category": gettext_lazy("Repair category"),
        "place": gettext_lazy("Where"),
        "status": gettext_lazy("Status"),
        "filed": gettext_lazy("Filed on"),
        "days": gettext_lazy("Days open"),
    }
    list_export = list(export_headings)
    export_filename = "warranty-claims"

    def get_index_view_kwargs(self, **kwargs):
        claims = rows().filter(owed_by(), under_warranty=True).distinct()
        return super(RepairLedgerViewSet, self).get_index_view_kwargs(queryset=claims, **kwargs)
