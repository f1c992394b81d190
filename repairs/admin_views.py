"""The repairs in the admin (报修): departments and contractors, repair categories with their
deadlines and warranty, the price list of paid services and the materials; 派单 from a case,
and the decision on a special service."""

import re
from datetime import date, timedelta

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect
from django.urls import path, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import FormView, TemplateView
from wagtail.admin.menu import MenuItem
from wagtail.admin.ui.tables import BooleanColumn
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin
from wagtail.admin.viewsets.base import ViewSet, ViewSetGroup
from wagtail.admin.viewsets.model import ModelViewSet

from cases import rules as case_rules
from cases.forms import AttachmentsField
from cases.models import Case
from owners.models import OwnerRecord, User
from portal.actions import Refused
from portal.exports import SafeIndexView
from repairs import reports, requests, services, workorders
from repairs.dates import day_label
from repairs.forms import DeskRepairForm
from repairs.ledger import DefectViewSet, FollowUpViewSet, RepairLedgerViewSet
from repairs.models import (
    Material,
    PriceItem,
    RepairCategory,
    RepairRequest,
    SpecialService,
    Team,
    WorkOrder,
)


class TeamViewSet(ModelViewSet):
    model = Team
    name = "repair_teams"
    url_prefix = "repairs/teams"
    icon = "group"
    menu_label = gettext_lazy("Departments and contractors")
    form_fields = ["name", "kind", "members", "contact_name", "phone", "is_active"]
    list_display = ["name", "kind", "contact_name", "phone", BooleanColumn("is_active")]
    list_filter = ["kind", "is_active"]
    sort_order_field = "sort_order"
    add_to_reference_index = False


class RepairCategoryViewSet(ModelViewSet):
    model = RepairCategory
    name = "repair_categories"
    url_prefix = "repairs/categories"
    icon = "tag"
    menu_label = gettext_lazy("Repair categories")
    form_fields = [
        "name",
        "help_text",
        "team",
        "case_category",
        "arrival_hours",
        "completion_hours",
        "warranty_months",
        "is_active",
    ]
    list_display = [
        "name",
        "team",
        "arrival_hours",
        "completion_hours",
        "warranty_months",
        BooleanColumn("is_active"),
    ]
    sort_order_field = "sort_order"
    add_to_reference_index = False


class PriceItemViewSet(ModelViewSet):
    model = PriceItem
    index_view_class = SafeIndexView  # spreadsheets that never run a formula
    name = "repair_prices"
    url_prefix = "repairs/prices"
    icon = "list-ul"
    menu_label = gettext_lazy("Price list")
    form_fields = ["category", "name", "unit", "price", "note", "is_active"]
    list_display = ["name", "category", "price", "unit", BooleanColumn("is_active")]
    list_filter = ["category", "is_active"]
    list_export = ["category", "name", "unit", "price", "note", "is_active"]
    search_fields = ["name"]
    add_to_reference_index = False


class MaterialViewSet(ModelViewSet):
    model = Material
    index_view_class = SafeIndexView
    name = "repair_materials"
    url_prefix = "repairs/materials"
    icon = "pick"
    menu_label = gettext_lazy("Materials")
    form_fields = ["name", "unit", "unit_price", "is_active"]
    list_display = ["name", "unit", "unit_price", BooleanColumn("is_active")]
    list_export = ["name", "unit", "unit_price", "is_active"]
    search_fields = ["name"]
    add_to_reference_index = False


class DispatchForm(forms.Form):
    """派单 for one case: the team, its technician and one of the owner's times (any day and
    time for a complaint handed to another department)."""

    team = forms.ModelChoiceField(
        label=gettext_lazy("Department or contractor"),
        queryset=Team.objects.filter(is_active=True),
    )
    technician = forms.ModelChoiceField(
        label=gettext_lazy("Technician"),
        queryset=User.objects.none(),
        required=False,
        help_text=gettext_lazy("For a contractor's job leave it empty: they send someone."),
    )
    slot = forms.ChoiceField(label=gettext_lazy("Appointment"), widget=forms.RadioSelect)
    reason = forms.CharField(
        label=gettext_lazy("Why it goes to someone else"),
        required=False,
        max_length=200,
        help_text=gettext_lazy("Only when the case has a work order already."),
    )

    def __init__(self, *args, repair, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["technician"].queryset = User.objects.filter(
            teams__is_active=True, is_active=True
        ).distinct()
        self.fields["technician"].label_from_instance = lambda user: user.display_name
        if repair is not None:
            self.fields["slot"].choices = [
                (f"{slot['date']}|{slot['window']}", f"{label['day']} {label['window']}")
                for slot, label in zip(repair.slots, repair.slot_list, strict=True)
            ]
        else:
            self.fields["slot"].choices = [
                (f"{day.isoformat()}|{window}", f"{day_label(day)} {name}")
                for day in requests.slot_days()
                for window, name in RepairRequest.Window.choices
            ]
            self.fields["slot"].widget = forms.Select()

    def clean_slot(self):
        day, window = self.cleaned_data["slot"].split("|")
        return date.fromisoformat(day), window


class FromTheCase(WagtailAdminTemplateMixin):
    """A step staff take from a case's screen: the breadcrumbs and success lead back there.
    The view sets `self.case` when it dispatches."""

    header_icon = "cogs"

    def case_url(self):
        return reverse("case_ledger:inspect", args=[self.case.pk])

    def get_breadcrumbs_items(self):
        return [
            *self.breadcrumbs_items,
            {"url": reverse("case_ledger:index"), "label": _("Case ledger")},
            {"url": self.case_url(), "label": self.case.reference},
            {"url": "", "label": self.page_title},
        ]


class DispatchView(FromTheCase, FormView):
    """派单 from the case screen."""

    form_class = DispatchForm
    template_name = "repairs/admin/dispatch.html"
    page_title = gettext_lazy("Dispatch a work order")

    def dispatch(self, request, *args, **kwargs):
        case_rules.check_handler(request.user)
        self.case = get_object_or_404(Case.objects.select_related("owner", "unit"), pk=kwargs["pk"])
        self.repair = (
            RepairRequest.objects.filter(case=self.case)
            .select_related("category", "estate")
            .first()
        )
        return super().dispatch(request, *args, **kwargs)

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs["repair"] = self.repair
        if self.repair and self.repair.category.team_id:
            kwargs.setdefault("initial", {})["team"] = self.repair.category.team_id
        return kwargs

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(
            case=self.case,
            repair=self.repair,
            orders=self.case.work_orders.select_related("team", "technician", "cancelled_by"),
            open_states=WorkOrder.OPEN,
        )
        return context

    def form_valid(self, form):
        data = form.cleaned_data
        day, window = data["slot"]
        try:
            order = workorders.dispatch(
                self.case,
                self.request.user,
                team=data["team"],
                technician=data["technician"],
                day=day,
                window=window,
                reason=data["reason"],
            )
        except Refused as error:
            form.add_error(None, str(error))
            return self.form_invalid(form)
        messages.success(
            self.request,
            _("%(reference)s: %(team)s booked for %(day)s.")
            % {"reference": self.case.reference, "team": order.team, "day": day_label(order.day)},
        )
        return redirect(self.case_url())


class DecisionForm(forms.Form):
    note = forms.CharField(
        label=gettext_lazy("Words to the owner"),
        required=False,
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=gettext_lazy(
            "Needed to decline: why. When approving, anything they should know (where to "
            "wait, what to bring)."
        ),
    )


class ServiceDecisionView(FromTheCase, FormView):
    """批准 or 不批准 a special service, from the case screen."""

    form_class = DecisionForm
    template_name = "repairs/admin/decide.html"
    page_title = gettext_lazy("Special service")

    def dispatch(self, request, *args, **kwargs):
        case_rules.check_handler(request.user)
        self.service = get_object_or_404(
            SpecialService.objects.select_related("case__owner", "case__unit__estate"),
            case_id=kwargs["pk"],
        )
        self.case = self.service.case
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            service=self.service,
            case=self.service.case,
            may_decide=services.can_decide(self.request.user, self.service),
            **kwargs,
        )

    def form_valid(self, form):
        approve = self.request.POST.get("decision") == "approve"
        try:
            service = services.decide(
                self.service, self.request.user, approve=approve, note=form.cleaned_data["note"]
            )
        except Refused as error:
            form.add_error(None, str(error))
            return self.form_invalid(form)
        messages.success(
            self.request,
            _("%(reference)s: %(state)s; the owner is told.")
            % {"reference": service.case.reference, "state": service.get_state_display()},
        )
        return redirect(self.case_url())


class ContractorWorkForm(forms.Form):
    notes = forms.CharField(
        label=gettext_lazy("What the contractor did"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=gettext_lazy("As their people reported it; the owner reads it on their case."),
    )
    attachments = AttachmentsField(label=gettext_lazy("Photos"))
    amount = forms.DecimalField(
        label=gettext_lazy("Amount the owner pays (yuan)"),
        required=False,
        min_value=0,
        max_digits=8,
        decimal_places=2,
    )

    def __init__(self, *args, paid, **kwargs):
        super().__init__(*args, **kwargs)
        if not paid:
            del self.fields["amount"]


class ContractorWorkView(FromTheCase, FormView):
    """登记完工 for a contractor's job: its people have no account, so the case's first
    responder records what they did."""

    form_class = ContractorWorkForm
    template_name = "repairs/admin/contractor_work.html"
    page_title = gettext_lazy("Record a contractor's work")

    def dispatch(self, request, *args, **kwargs):
        case_rules.check_handler(request.user)
        self.order = get_object_or_404(
            WorkOrder.objects.select_related("team", "case__repair__price_item"),
            pk=kwargs["pk"],
            team__kind=Team.Kind.CONTRACTOR,
        )
        self.case = self.order.case
        self.repair = getattr(self.case, "repair", None)
        return super().dispatch(request, *args, **kwargs)

    def get_form_kwargs(self):
        paid = bool(self.repair and self.repair.is_paid)
        kwargs = {**super().get_form_kwargs(), "paid": paid}
        if paid:
            kwargs.setdefault("initial", {})["amount"] = self.repair.accepted_price
        return kwargs

    def get_context_data(self, **kwargs):
        return super().get_context_data(order=self.order, case=self.order.case, **kwargs)

    def form_valid(self, form):
        data = form.cleaned_data
        try:
            workorders.record_contractor_work(
                self.order,
                self.request.user,
                notes=data["notes"],
                files=data["attachments"],
                amount=data.get("amount"),
            )
        except Refused as error:
            form.add_error(None, str(error))
            return self.form_invalid(form)
        messages.success(
            self.request,
            _("%(reference)s: the work is recorded; the owner is asked to confirm.")
            % {"reference": self.order.case.reference},
        )
        return redirect(self.case_url())


class DeskRepairView(WagtailAdminTemplateMixin, FormView):
    """报修 for a person of the owner archive who came to the desk or called, account or not:
    their homes, the owner's form, and the case taken by whoever records it."""

    form_class = DeskRepairForm
    template_name = "repairs/admin/desk_repair.html"
    page_title = gettext_lazy("Report a repair for them")
    header_icon = "cogs"

    def dispatch(self, request, *args, **kwargs):
        user = request.user
        if not all(
            user.has_perm(p)
            for p in ("cases.handle_case", "owners.view_ownerrecord", "owners.add_visit")
        ):
            raise PermissionDenied
        self.record = get_object_or_404(OwnerRecord, pk=kwargs["record"])
        return super().dispatch(request, *args, **kwargs)

    def get_page_subtitle(self):
        return self.record.name

    def get_breadcrumbs_items(self):
        return [
            *self.breadcrumbs_items,
            {
                "url": reverse("owner_records:inspect", args=[self.record.pk]),
                "label": self.record.name,
            },
            {"url": "", "label": self.page_title},
        ]

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "record": self.record}

    def get_context_data(self, **kwargs):
        return {**super().get_context_data(**kwargs), "record": self.record}

    def form_valid(self, form):
        data = form.cleaned_data
        try:
            repair = requests.report_repair(
                None,
                category=data["category"],
                place=data["place"],
                unit=data["unit"],
                estate=data["estate"],
                common_area=data["common_area"],
                description=data["description"],
                files=data["attachments"],
                slots=data["slots"],
                price_item=data["price_item"],
                accept_price=data["accept_price"],
                record=self.record,
                by=self.request.user,
                came=data["came"],
            )
        except requests.RepairError as error:
            form.add_error(None, str(error))
            return self.form_invalid(form)
        messages.success(
            self.request,
            _("%(reference)s recorded; you are its first responder: dispatch it from here.")
            % {"reference": repair.case.reference},
        )
        return redirect(reverse("case_ledger:inspect", args=[repair.case_id]))


class JobSheetView(WagtailAdminTemplateMixin, TemplateView):
    """派工单 for a contractor, to print or read to them on the phone: only what their people
    need (workorders.job_facts), never the owner's name or number."""

    template_name = "repairs/admin/job_sheet.html"
    page_title = gettext_lazy("Job sheet")
    header_icon = "doc-full"

    def dispatch(self, request, *args, **kwargs):
        case_rules.check_handler(request.user)
        self.order = get_object_or_404(
            WorkOrder.objects.select_related("team", "case__owner", "case__unit"),
            pk=kwargs["pk"],
            team__kind=Team.Kind.CONTRACTOR,
        )
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        facts = workorders.job_facts(self.order, self.order.case)
        return super().get_context_data(facts=facts, order=self.order, **kwargs)


class RepairReportView(WagtailAdminTemplateMixin, TemplateView):
    """报修月报: the month's requests, their timeliness, first-time fixes, satisfaction, paid
    revenue, materials issued, and warranty claims per contractor (repairs.reports)."""

    template_name = "repairs/admin/report.html"
    page_title = gettext_lazy("Repairs month")
    header_icon = "doc-full"

    def dispatch(self, request, *args, **kwargs):
        if not request.user.has_perm("repairs.view_repairrequest"):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get_breadcrumbs_items(self):
        return [*self.breadcrumbs_items, {"url": "", "label": self.page_title}]

    def get_context_data(self, **kwargs):
        chosen = self.request.GET.get("month", "")
        first = timezone.localdate().replace(day=1)
        if re.fullmatch(r"(19|20)\d{2}-\d{2}", chosen) and 1 <= int(chosen[5:]) <= 12:
            first = date(int(chosen[:4]), int(chosen[5:]), 1)
        earlier = (first - timedelta(days=1)).replace(day=1)
        return super().get_context_data(
            f=reports.monthly_figures(first.year, first.month),
            first=first,
            earlier=earlier,
            **kwargs,
        )


class RepairReportViewSet(ViewSet):
    name = "repair_report"
    url_prefix = "repairs/report"
    icon = "doc-full"
    menu_label = gettext_lazy("Repairs month")

    def get_urlpatterns(self):
        return [path("", RepairReportView.as_view(), name="index")]

    menu_item_class = type(
        "RepairReportMenuItem",
        (MenuItem,),
        {"is_shown": lambda self, request: request.user.has_perm("repairs.view_repairrequest")},
    )


class RepairsViewSetGroup(ViewSetGroup):
    menu_label = gettext_lazy("Repairs")
    menu_icon = "cogs"
    menu_order = 160
    items = (
        RepairLedgerViewSet,
        FollowUpViewSet,
        DefectViewSet,
        RepairReportViewSet,
        TeamViewSet,
        RepairCategoryViewSet,
        PriceItemViewSet,
        MaterialViewSet,
    )
