"""收费管理 in the admin: the estates' fee rules (收费标准), kept by the fee desk (收费员)."""

import django_filters
from django import forms
from django.db.models import Q
from django.urls import path, reverse
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext_lazy
from wagtail.admin.filters import WagtailFilterSet
from wagtail.admin.forms import WagtailAdminModelForm
from wagtail.admin.menu import MenuItem
from wagtail.admin.panels import FieldPanel, FieldRowPanel, ObjectList
from wagtail.admin.ui.tables import Column
from wagtail.admin.viewsets.base import ViewSet, ViewSetGroup
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.admin.widgets.button import HeaderButton

from fees import billing
from fees.admin_forms import BankAccountForm, MeterForm, UnitByLabelForm
from fees.admin_views import (
    ArrearsView,
    BankImportScreen,
    BillView,
    ReadingView,
    ReportView,
    RunView,
    StatementView,
    bill_request,
    readings_listing,
    receipt,
    run_requests,
    runs_with_totals,
)
from fees.models import (
    BankAccount,
    BankImport,
    Bill,
    BillingRun,
    BillingTerms,
    FeeItem,
    Meter,
    ParkingSpace,
    Reading,
    clean_tiers,
)
from fees.money import unit_price, yuan
from owners.models import Estate
from portal.admin_actions import ActionsOnlyViewSet, InspectFirstIndexView
from portal.admin_listing import (
    PlainColumn,
    PlainDateColumn,
    PlainListingMixin,
    PlainTitleColumn,
    ValueColumn,
)
from portal.exports import SafeIndexView


def tiers_text(tiers):
    """[{"up_to": "180", "price": "0.538"}, …] as staff type them: "180 0.538", one a line,
    the last with its price alone."""
    return "\n".join(
        f"{t['up_to']} {t['price']}" if t["up_to"] is not None else t["price"] for t in tiers
    )


class FeeItemForm(WagtailAdminModelForm):
    tiers_text = forms.CharField(
        label=gettext_lazy("Tiered prices"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3, "placeholder": "180 0.5380\n280 0.5880\n0.8380"}),
        help_text=gettext_lazy(
            "For a tiered metered price: one tier a line, its upper limit and its price; the "
            "last line the price above the last limit."
        ),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["tiers_text"].initial = tiers_text(self.instance.tiers or [])
        if "use" in self.fields:
            self.fields["use"].choices = [("", _("All units")), *self.fields["use"].choices[1:]]

    def clean_tiers_text(self):
        tiers = []
        for line in (self.cleaned_data.get("tiers_text") or "").splitlines():
            parts = line.replace("，", " ").replace(",", " ").split()
            if not parts:
                continue
            if len(parts) > 2:
                raise forms.ValidationError(_("Each line: a limit and a price, or a price."))
            up_to, price = (None, parts[0]) if len(parts) == 1 else parts
            tiers.append({"up_to": up_to, "price": price})
        try:
            return clean_tiers(tiers)
        except ValueError as error:
            raise forms.ValidationError(str(error)) from error

    def clean(self):
        cleaned = super().clean()
        self.instance.tiers = cleaned.get("tiers_text") or []
        return cleaned


def price_text(item):
    if item.tiers:
        return " / ".join(
            f"≤{t['up_to']}：{t['price']}" if t["up_to"] is not None else f"＞：{t['price']}"
            for t in item.tiers
        )
    return f"{unit_price(item.price)} 元" if item.price is not None else "—"


class FeeItemViewSet(ModelViewSet):
    model = FeeItem
    icon = "table"
    menu_label = gettext_lazy("Fee rules")
    name = "fee_items"
    url_prefix = "fees/rules"
    edit_handler = ObjectList(
        base_form_class=FeeItemForm,
        children=[
            FieldRowPanel([FieldPanel("estate"), FieldPanel("kind"), FieldPanel("use")]),
            FieldRowPanel([FieldPanel("name"), FieldPanel("basis"), FieldPanel("cycle")]),
            FieldPanel("price"),
            FieldPanel("tiers_text"),
            FieldRowPanel([FieldPanel("effective_from"), FieldPanel("effective_to")]),
            FieldPanel("note"),
        ],
    )
    list_display = [
        "name",
        "estate",
        Column("kind", label=gettext_lazy("Fee"), accessor="get_kind_display"),
        Column("basis", label=gettext_lazy("Charged"), accessor="get_basis_display"),
        Column("price", label=gettext_lazy("Price"), accessor=price_text),
        "effective_from",
        "effective_to",
    ]
    list_filter = ["estate", "kind"]
    list_export = ["estate", "kind", "name", "basis", "use", "price", "tiers", "cycle"]
    export_filename = "fee-rules"
    index_view_class = SafeIndexView  # the spreadsheet in the staff's words, safe from formulas
    copy_view_enabled = True


class BillingTermsViewSet(ModelViewSet):
    model = BillingTerms
    icon = "cog"
    menu_label = gettext_lazy("Terms of payment")
    name = "billing_terms"
    url_prefix = "fees/terms"
    form_fields = [
        "estate",
        "payee",
        "due_day",
        "late_fee_rate",
        "late_fee_grace_days",
        "late_fee_cap",
        "remind_after",
        "notice_after",
        "call_after",
        "how_to_pay",
    ]
    list_display = ["estate", "payee", "due_day", "late_fee_rate", "late_fee_cap"]
    index_view_class = SafeIndexView
    copy_view_enabled = False


class MeterViewSet(ModelViewSet):
    model = Meter
    icon = "time"
    menu_label = gettext_lazy("Meters")
    name = "meters"
    url_prefix = "fees/meters"
    edit_handler = ObjectList(
        base_form_class=MeterForm,
        children=[
            FieldRowPanel([FieldPanel("estate"), FieldPanel("kind"), FieldPanel("role")]),
            FieldRowPanel([FieldPanel("code"), FieldPanel("unit_label"), FieldPanel("building")]),
        ],
    )
    list_display = [
        "code",
        "estate",
        Column("place", label=gettext_lazy("Place"), accessor="place"),
        Column("kind", label=gettext_lazy("Kind"), accessor="get_kind_display"),
        Column("role", label=pgettext_lazy("meter", "Role"), accessor="get_role_display"),
    ]
    list_filter = ["estate", "kind", "role"]
    list_export = ["estate", "code", "kind", "role", "building", "unit"]
    export_filename = "meters"
    search_fields = ["code", "building", "unit__number"]
    index_view_class = SafeIndexView
    copy_view_enabled = False

    def get_index_view_kwargs(self, **kwargs):
        queryset = Meter.objects.select_related("estate", "unit")
        return super().get_index_view_kwargs(queryset=queryset, **kwargs)


class ParkingSpaceViewSet(ModelViewSet):
    model = ParkingSpace
    icon = "site"
    menu_label = gettext_lazy("Parking spaces")
    name = "parking_spaces"
    url_prefix = "fees/spaces"
    edit_handler = ObjectList(
        base_form_class=UnitByLabelForm,
        children=[
            FieldRowPanel([FieldPanel("estate"), FieldPanel("code"), FieldPanel("unit_label")])
        ],
    )
    list_display = [
        "code",
        "estate",
        Column("unit", label=gettext_lazy("Billed to"), accessor="unit.label"),
    ]
    list_filter = ["estate"]
    list_export = ["estate", "code", "unit"]
    export_filename = "parking-spaces"
    search_fields = ["code", "unit__number"]
    index_view_class = SafeIndexView
    copy_view_enabled = False

    def get_index_view_kwargs(self, **kwargs):
        queryset = ParkingSpace.objects.select_related("estate", "unit")
        return super().get_index_view_kwargs(queryset=queryset, **kwargs)


class ReadingFilterSet(WagtailFilterSet):
    estate = django_filters.ModelChoiceFilter(
        field_name="meter__estate", queryset=Estate.objects.all(), label=gettext_lazy("Estate")
    )
    period = django_filters.DateFilter(label=gettext_lazy("Month (first day)"))
    building = django_filters.CharFilter(method="in_building", label=gettext_lazy("Building"))
    flag = django_filters.ChoiceFilter(
        method="flagged",
        label=gettext_lazy("Check"),
        choices=[
            ("waiting", gettext_lazy("Waiting for a second look")),
            ("checked", gettext_lazy("Looked at again")),
        ],
    )

    class Meta:
        model = Reading
        fields = ["estate", "period", "building", "flag"]

    def in_building(self, queryset, name, value):
        return queryset.filter(Q(meter__unit__building=value) | Q(meter__building=value))

    def flagged(self, queryset, name, value):
        queryset = queryset.filter(flag__gt="")
        return queryset.filter(checked_at__isnull=value == "waiting")


def day(value):
    return f"{value:%Y-%m-%d}" if value else "—"


def flag_text(reading):
    if not reading.flag:
        return "—"
    if reading.checked_at:
        return _("%(flag)s · looked at again") % {"flag": reading.get_flag_display()}
    return reading.get_flag_display()


class ReadingIndexView(PlainListingMixin, InspectFirstIndexView):
    @cached_property
    def header_buttons(self):
        buttons = list(super().header_buttons)
        if self.request.user.has_perm("fees.add_reading"):
            buttons += [
                HeaderButton(_("Read the meters"), url=reverse("fees_read"), icon_name="edit"),
                HeaderButton(
                    _("Import readings"), url=reverse("fees_import_readings"), icon_name="upload"
                ),
            ]
        return buttons


class ReadingViewSet(ActionsOnlyViewSet):
    model = Reading
    icon = "time"
    menu_label = gettext_lazy("Meter readings")
    name = "readings"
    url_prefix = "fees/readings"
    filterset_class = ReadingFilterSet
    list_display = [
        PlainTitleColumn("meter", label=gettext_lazy("Meter")),
        ValueColumn("place", lambda r: r.meter.place, label=gettext_lazy("Place")),
        ValueColumn(
            "period", lambda r: f"{r.period:%Y-%m}", label=pgettext_lazy("billing", "Month")
        ),
        PlainColumn("value", label=gettext_lazy("Reading")),
        ValueColumn("flag", flag_text, label=gettext_lazy("Check")),
        ValueColumn("read_on", lambda r: day(r.read_on), label=gettext_lazy("Read on")),
        ValueColumn(
            "entered_by",
            lambda r: r.entered_by and r.entered_by.display_name,
            label=gettext_lazy("Entered by"),
        ),
    ]
    list_export = [
        "meter",
        "period",
        "value",
        "read_on",
        "flag",
        "checked_at",
        "note",
        "entered_by",
    ]
    export_filename = "meter-readings"
    search_fields = ["meter__code", "meter__unit__number"]
    index_view_class = ReadingIndexView
    inspect_view_enabled = True
    inspect_view_class = ReadingView
    list_per_page = 50

    def get_index_view_kwargs(self, **kwargs):
        queryset = readings_listing().order_by("-period", "meter__code")
        return super().get_index_view_kwargs(queryset=queryset, **kwargs)


class RunIndexView(PlainListingMixin, InspectFirstIndexView):
    @cached_property
    def header_buttons(self):
        buttons = list(super().header_buttons)
        if billing.can_run(self.request.user):
            buttons.append(
                HeaderButton(_("Bill a month"), url=reverse("fees_start_run"), icon_name="plus")
            )
        return buttons


class BillingRunViewSet(ActionsOnlyViewSet):
    model = BillingRun
    icon = "doc-full-inverse"
    menu_label = gettext_lazy("Billing runs")
    name = "billing_runs"
    url_prefix = "fees/runs"
    list_display = [
        PlainTitleColumn("estate", label=gettext_lazy("Estate")),
        ValueColumn(
            "period", lambda r: f"{r.period:%Y-%m}", label=pgettext_lazy("billing", "Month")
        ),
        ValueColumn("status", lambda r: r.get_status_display(), label=gettext_lazy("Status")),
        PlainColumn("bill_count", label=gettext_lazy("Bills")),
        ValueColumn("total", lambda r: yuan(r.total or 0), label=gettext_lazy("Total (元)")),
        PlainDateColumn("confirmed_at", label=gettext_lazy("Confirmed")),
    ]
    list_filter = ["estate", "status"]
    index_view_class = RunIndexView
    inspect_view_enabled = True
    inspect_view_class = RunView

    def get_index_view_kwargs(self, **kwargs):
        return super().get_index_view_kwargs(queryset=runs_with_totals(), **kwargs)

    def get_urlpatterns(self):
        return [
            *super().get_urlpatterns(),
            path("<int:pk>/requests.pdf", run_requests, name="requests"),
        ]


class BillFilterSet(WagtailFilterSet):
    estate = django_filters.ModelChoiceFilter(
        field_name="unit__estate", queryset=Estate.objects.all(), label=gettext_lazy("Estate")
    )
    run = django_filters.ModelChoiceFilter(
        queryset=BillingRun.objects.select_related("estate"), label=gettext_lazy("Billing run")
    )
    building = django_filters.CharFilter(
        field_name="unit__building", label=gettext_lazy("Building")
    )
    state = django_filters.ChoiceFilter(
        method="in_state",
        label=gettext_lazy("Status"),
        choices=[
            ("owing", gettext_lazy("Not paid in full")),
            ("overdue", gettext_lazy("Overdue")),
            ("paid", gettext_lazy("Paid in full")),
        ],
    )

    class Meta:
        model = Bill
        fields = ["estate", "run", "building", "state"]

    def in_state(self, queryset, name, value):
        if value == "paid":
            return queryset.settled()
        queryset = queryset.owing()
        if value == "overdue":
            queryset = queryset.filter(due_on__lt=timezone.localdate())
        return queryset


class BillViewSet(ActionsOnlyViewSet):
    model = Bill
    icon = "doc-full"
    menu_label = gettext_lazy("Bills")
    name = "bills"
    url_prefix = "fees/bills"
    filterset_class = BillFilterSet
    list_display = [
        PlainTitleColumn("number", label=gettext_lazy("Bill number")),
        ValueColumn("unit", lambda b: str(b.unit), label=gettext_lazy("Unit")),
        ValueColumn(
            "period", lambda b: f"{b.period:%Y-%m}", label=pgettext_lazy("billing", "Month")
        ),
        ValueColumn(
            "charged", lambda b: yuan(b.charged + b.adjusted), label=gettext_lazy("Billed (元)")
        ),
        ValueColumn("paid", lambda b: yuan(b.paid), label=gettext_lazy("Paid (元)")),
        ValueColumn("owed", lambda b: yuan(b.owed), label=gettext_lazy("Owed (元)")),
        ValueColumn("due_on", lambda b: day(b.due_on), label=gettext_lazy("Due on")),
    ]
    list_export = ["number", "unit", "period", "charged", "adjusted", "paid", "owed", "due_on"]
    export_filename = "bills"
    search_fields = ["number", "unit__number"]
    index_view_class = type("BillIndexView", (PlainListingMixin, InspectFirstIndexView), {})
    inspect_view_enabled = True
    inspect_view_class = BillView
    list_per_page = 50

    def get_index_view_kwargs(self, **kwargs):
        queryset = (
            Bill.objects.issued()
            .with_figures()
            .select_related("unit__estate")
            .order_by("-period", "number")
        )
        return super().get_index_view_kwargs(queryset=queryset, **kwargs)

    def get_urlpatterns(self):
        return [
            *super().get_urlpatterns(),
            path("statement/<int:unit>/", StatementView.as_view(), name="statement"),
            path("<int:pk>/request.pdf", bill_request, name="request"),
            path("receipts/<int:pk>.pdf", receipt, name="receipt"),
        ]


class BankAccountViewSet(ModelViewSet):
    model = BankAccount
    icon = "key"
    menu_label = gettext_lazy("Direct-debit accounts")
    name = "bank_accounts"
    url_prefix = "fees/bank/accounts"
    edit_handler = ObjectList(
        base_form_class=BankAccountForm,
        children=[
            FieldRowPanel([FieldPanel("estate"), FieldPanel("unit_label")]),
            FieldRowPanel([FieldPanel("holder"), FieldPanel("bank"), FieldPanel("number")]),
            FieldRowPanel([FieldPanel("signed_on"), FieldPanel("ended_on")]),
        ],
    )
    list_display = [
        Column("unit", label=gettext_lazy("Unit"), accessor="unit"),
        "holder",
        "bank",
        Column("number", label=gettext_lazy("Account number"), accessor="masked_number"),
        "signed_on",
        "ended_on",
    ]
    list_filter = ["unit__estate"]
    search_fields = ["holder", "unit__number"]
    index_view_class = SafeIndexView
    copy_view_enabled = False

    def get_index_view_kwargs(self, **kwargs):
        queryset = BankAccount.objects.select_related("unit__estate")
        return super().get_index_view_kwargs(queryset=queryset, **kwargs)


class BankImportIndexView(PlainListingMixin, InspectFirstIndexView):
    @cached_property
    def header_buttons(self):
        buttons = list(super().header_buttons)
        if self.request.user.has_perm("fees.collect_by_bank"):
            buttons += [
                HeaderButton(
                    _("Direct debits for the bank"),
                    url=reverse("fees_bank_export"),
                    icon_name="download",
                ),
                HeaderButton(
                    _("Import the bank's results"),
                    url=reverse("fees_bank_import"),
                    icon_name="upload",
                ),
            ]
        return buttons


class BankImportViewSet(ActionsOnlyViewSet):
    model = BankImport
    icon = "upload"
    menu_label = gettext_lazy("Bank collection")
    name = "bank_imports"
    url_prefix = "fees/bank/imports"
    list_display = [
        PlainTitleColumn("filename", label=gettext_lazy("File")),
        ValueColumn("estate", lambda b: str(b.estate), label=gettext_lazy("Estate")),
        PlainDateColumn("imported_at", label=gettext_lazy("Imported")),
        PlainColumn("paid", label=gettext_lazy("Collected")),
        ValueColumn("failed", lambda b: len(b.failures), label=gettext_lazy("Not collected")),
    ]
    index_view_class = BankImportIndexView
    inspect_view_enabled = True
    inspect_view_class = BankImportScreen

    def get_index_view_kwargs(self, **kwargs):
        queryset = BankImport.objects.select_related("estate", "imported_by")
        return super().get_index_view_kwargs(queryset=queryset, **kwargs)


class ArrearsViewSet(ViewSet):
    name = "arrears"
    url_prefix = "fees/arrears"
    icon = "warning"
    menu_label = gettext_lazy("Arrears ledger")

    def get_urlpatterns(self):
        return [path("", ArrearsView.as_view(), name="index")]

    menu_item_class = type(
        "ArrearsMenuItem",
        (MenuItem,),
        {"is_shown": lambda self, request: request.user.has_perm("fees.view_bill")},
    )


class ReportViewSet(ViewSet):
    name = "fee_report"
    url_prefix = "fees/report"
    icon = "table"
    menu_label = gettext_lazy("Collection report")

    def get_urlpatterns(self):
        return [path("", ReportView.as_view(), name="index")]

    menu_item_class = type(
        "FeeReportMenuItem",
        (MenuItem,),
        {"is_shown": lambda self, request: request.user.has_perm("fees.view_bill")},
    )


class FeesViewSetGroup(ViewSetGroup):
    menu_label = gettext_lazy("Fees")
    menu_icon = "doc-full"
    menu_order = 260
    items = (
        ArrearsViewSet,
        BillViewSet,
        ReportViewSet,
        BillingRunViewSet,
        BankImportViewSet,
        ReadingViewSet,
        MeterViewSet,
        BankAccountViewSet,
        ParkingSpaceViewSet,
        FeeItemViewSet,
        BillingTermsViewSet,
    )
