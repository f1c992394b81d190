"""The owner archive in the admin (客户档案): the list staff filter and export (客户明细表 /
通讯录), each person's record with their homes, household, vehicles, history, visits and
account, the procedures done at the desk with their confirmation slips, and the address labels
for the printed magazine.

Who sees what: names and homes need owners.view_ownerrecord; phone numbers, addresses and the
spreadsheet need owners.view_contacts; ID numbers in full need owners.view_id_number (managers).
"""

import io

import django_filters
from django import forms
from django.core.exceptions import PermissionDenied
from django.db.models import Prefetch, Q
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.urls import path, reverse
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext
from django.views.generic import FormView
from wagtail.admin import messages
from wagtail.admin.filters import WagtailFilterSet
from wagtail.admin.forms import WagtailAdminModelForm
from wagtail.admin.forms.choosers import BaseFilterForm
from wagtail.admin.panels import (
    FieldPanel,
    FieldRowPanel,
    InlinePanel,
    MultiFieldPanel,
    ObjectList,
)
from wagtail.admin.views.generic import CreateView, EditView, InspectView
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin
from wagtail.admin.viewsets.chooser import ChooserViewSet
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.admin.widgets import AdminDateInput, Button

from owners import archive, paper
from owners.models import Estate, Occupancy, OwnerRecord, Unit, UnitEvent, Visit
from portal.actions import Refused
from portal.admin_listing import PlainListingMixin, ValueColumn
from portal.exports import SafeIndexView
from portal.files import serve_user_file, sniffed_type

Role = Occupancy.Role


def may_see_contacts(user):
    return user.has_perm("owners.view_contacts")


def current_homes(record):
    return [o for o in record.occupancy_list if o.until is None]


def homes_text(record):
    return "；".join(f"{o.unit} · {o.get_role_display()}" for o in current_homes(record))


def moved_in(record):
    dates = [o.since for o in current_homes(record)]
    return min(dates) if dates else None


def records():
    occupancies = Occupancy.objects.select_related("unit__estate").order_by("until", "since")
    return OwnerRecord.objects.select_related("user").prefetch_related(
        Prefetch("occupancies", queryset=occupancies, to_attr="occupancy_list")
    )


# The edit form -----------------------------------------------------------------------------


class OwnerRecordForm(WagtailAdminModelForm):
    """The record as typed at the desk. The ID number is never put back into the page for
    those who may not see it: they see it masked and may type a new one to replace it."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        user = self.for_user
        self.hides_id = (
            self.instance.pk
            and self.instance.id_number
            and not (user and user.has_perm("owners.view_id_number"))
        )
        field = self.fields.get("id_number")
        if field is not None and self.hides_id:
            field.required = False
            field.help_text = _("On record: %(masked)s. Leave empty to keep it.") % {
                "masked": self.instance.masked_id
            }
            self.initial["id_number"] = ""
        if "mobile" in self.fields:
            self.fields["mobile"].widget.attrs.update(inputmode="tel", autocomplete="off")

    def clean_id_number(self):
        value = (self.cleaned_data.get("id_number") or "").strip().upper()
        if not value and self.hides_id:
            return self.instance.id_number
        return value or None

    def clean(self):
        cleaned = super().clean()
        probe = OwnerRecord(
            pk=self.instance.pk,
            id_type=cleaned.get("id_type") or "",
            id_number=cleaned.get("id_number") or "",
        )
        for field, message in archive.record_problems(probe).items():
            if field in self.fields and field not in self.errors:
                self.add_error(field, message)
        return cleaned


class SaveThroughArchive:
    """Create and edit save through owners.archive.save_record (its checks, the log, and the
    link to an account with the same verified mobile or email)."""

    def save_instance(self):
        record = self.form.save(commit=False)
        return archive.save_record(record, self.request.user)

    def form_valid(self, form):
        try:
            return super().form_valid(form)
        except Refused as error:
            form.add_error(None, str(error))
            return self.form_invalid(form)


class RecordCreateView(SaveThroughArchive, CreateView):
    def get_success_url(self):
        return reverse("owner_records:inspect", args=[self.object.pk])


class RecordEditView(SaveThroughArchive, EditView):
    def get_success_url(self):
        return reverse("owner_records:inspect", args=[self.object.pk])


# The list (客户明细表) ----------------------------------------------------------------------


class RecordFilterSet(WagtailFilterSet):
    """Filters on the person's current homes, all met by the same home (estate and building
    and role and moved in between)."""

    estate = django_filters.ModelChoiceFilter(
        label=gettext_lazy("Estate"), queryset=Estate.objects.all(), method="by_home"
    )
    building = django_filters.CharFilter(label=gettext_lazy("Building"), method="by_home")
    role = django_filters.ChoiceFilter(
        label=gettext_lazy("Role"), choices=Role.choices, method="by_home"
    )
    since_from = django_filters.DateFilter(
        label=gettext_lazy("Since, from"), method="by_home", widget=AdminDateInput
    )
    since_to = django_filters.DateFilter(
        label=gettext_lazy("Since, until"), method="by_home", widget=AdminDateInput
    )
    account = django_filters.BooleanFilter(
        label=gettext_lazy("Has an account"),
        field_name="user",
        lookup_expr="isnull",
        exclude=True,
    )

    class Meta:
        model = OwnerRecord
        fields = []

    def by_home(self, queryset, name, value):
        return queryset  # all of them at once, in filter_queryset

    def filter_queryset(self, queryset):
        queryset = super().filter_queryset(queryset)
        data = self.form.cleaned_data
        home = Q(occupancies__until__isnull=True)
        if data.get("estate"):
            home &= Q(occupancies__unit__estate=data["estate"])
        if data.get("building"):
            home &= Q(occupancies__unit__building=data["building"].strip())
        if data.get("role"):
            home &= Q(occupancies__role=data["role"])
        if data.get("since_from"):
            home &= Q(occupancies__since__gte=data["since_from"])
        if data.get("since_to"):
            home &= Q(occupancies__since__lte=data["since_to"])
        if any(data.get(name) for name in ("estate", "building", "role", "since_from", "since_to")):
            queryset = queryset.filter(pk__in=OwnerRecord.objects.filter(home).values("pk"))
        return queryset


class RecordIndexView(PlainListingMixin, SafeIndexView):
    @property
    def search_fields(self):
        if may_see_contacts(self.request.user):
            return ["name", "mobile", "email", "vehicles__plate"]
        return ["name", "vehicles__plate"]

    @search_fields.setter
    def search_fields(self, value):
        """The viewset's list is the full one; the property above chooses per reader."""

    def get(self, request, *args, **kwargs):
        if self.is_export and not may_see_contacts(request.user):
            raise PermissionDenied
        return super().get(request, *args, **kwargs)

    @property
    def show_export_buttons(self):
        return may_see_contacts(self.request.user)

    @cached_property
    def header_more_buttons(self):
        buttons = super().header_more_buttons.copy()
        if may_see_contacts(self.request.user):
            url = reverse("owner_records:labels")
            buttons.append(Button(_("Address labels"), url=url, icon_name="mail", priority=80))
        return buttons

    def get_base_queryset(self):
        return records()

    def to_row_dict(self, record):
        return {
            "name": record.name,
            "homes": homes_text(record),
            "since": moved_in(record),
            "mobile": record.mobile,
            "email": record.email,
            "emergency": " ".join(filter(None, [record.emergency_contact, record.emergency_phone])),
            "address": " ".join(filter(None, [record.postcode, record.postal_address])),
            "printed_mail": record.printed_mail,
            "account": bool(record.user_id),
        }

    @property
    def columns(self):
        columns = super().columns
        if may_see_contacts(self.request.user):
            return columns
        mobile = ValueColumn(
            "mobile", lambda r: r.masked_mobile, label=gettext_lazy("Mobile number")
        )
        return [mobile if column.name == "mobile" else column for column in columns]


# The record's page -------------------------------------------------------------------------


class ProcedureForm(forms.Form):
    """A procedure at the desk for this person and up to two others."""

    kind = forms.ChoiceField(label=gettext_lazy("Procedure"), choices=UnitEvent.Kind.choices)
    unit = forms.ModelChoiceField(label=gettext_lazy("Unit"), queryset=Unit.objects.all())
    on = forms.DateField(label=gettext_lazy("Date"), widget=AdminDateInput)
    second = forms.ModelChoiceField(
        label=gettext_lazy("With"),
        queryset=OwnerRecord.objects.all(),
        required=False,
        help_text=gettext_lazy("A co-owner, another household member or another tenant."),
    )
    third = forms.ModelChoiceField(
        label=gettext_lazy("And"), queryset=OwnerRecord.objects.all(), required=False
    )
    relation = forms.CharField(
        label=gettext_lazy("Relation to the owner"),
        max_length=20,
        required=False,
        help_text=gettext_lazy("For a household member moving in: 配偶, 子女, 父母…"),
    )
    note = forms.CharField(
        label=gettext_lazy("Note"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].widget = UnitChooser.widget_class()
        self.fields["second"].widget = RecordChooser.widget_class()
        self.fields["third"].widget = RecordChooser.widget_class()


def _procedure(view, data):
    record, by = view.object, view.request.user
    people = [record, data["second"], data["third"]]
    people = [p for p in people if p is not None]
    unit, on, note, kind = data["unit"], data["on"], data["note"], data["kind"]
    Kind = UnitEvent.Kind
    if kind == Kind.HANDOVER:
        event = archive.hand_over(unit, by, owners=people, on=on, note=note)
    elif kind == Kind.MOVE_IN:
        household = [(p, data["relation"]) for p in people]
        event = archive.move_in(unit, by, household=household, on=on, note=note)
    elif kind == Kind.LET:
        event = archive.let(unit, by, tenants=people, on=on, note=note)
    elif kind == Kind.TENANCY_END:
        event = archive.end_tenancy(unit, by, on=on, note=note)
    elif kind == Kind.TRANSFER:
        event = archive.transfer(unit, by, owners=people, on=on, note=note)
    else:
        event = archive.move_out(unit, by, people=people, on=on, note=note)
    if event.slip_title:
        return _("%(procedure)s recorded. Print the confirmation slip for signing.") % {
            "procedure": event.get_kind_display()
        }
    return _("%(procedure)s recorded.") % {"procedure": event.get_kind_display()}


class VisitForm(forms.Form):
    kind = forms.ChoiceField(label=gettext_lazy("Kind"), choices=Visit.Kind.choices)
    subject = forms.CharField(label=gettext_lazy("What about"), max_length=100)
    outcome = forms.CharField(
        label=gettext_lazy("What was done"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class SlipForm(forms.Form):
    event = forms.IntegerField(widget=forms.HiddenInput)
    scan = forms.FileField(label=gettext_lazy("Signed slip (photo or PDF)"))


class LinkForm(forms.Form):
    account = forms.IntegerField(widget=forms.HiddenInput)


class RecordView(InspectView):
    """One person: details, homes now and before, household, vehicles, the history of their
    homes with the slips, visits, the account; and the desk's forms."""

    template_name = "owners/admin/record.html"
    page_title = gettext_lazy("Owner record")
    forms = {
        "procedure": ProcedureForm,
        "visit": VisitForm,
        "slip": SlipForm,
        "link": LinkForm,
    }

    def get_object(self, queryset=None):
        return get_object_or_404(records().prefetch_related("vehicles"), pk=self.pk)

    def get_page_title(self):
        return self.page_title

    def post(self, request, *args, **kwargs):
        self.object = self.get_object()
        action = request.POST.get("action")
        form_class = self.forms.get(action)
        if form_class is None:
            raise Http404
        form = form_class(request.POST, request.FILES)
        if form.is_valid():
            try:
                message = getattr(self, f"do_{action}")(form.cleaned_data)
            except Refused as error:
                form.add_error(None, str(error))
            else:
                messages.success(request, message)
                return redirect(request.path)
        return self.render_to_response(self.get_context_data(**{f"{action}_form": form}))

    def do_procedure(self, data):
        return _procedure(self, data)

    def do_visit(self, data):
        visit = archive.record_visit(self.object, self.request.user, **data)
        return _("%(kind)s recorded.") % {"kind": visit.get_kind_display()}

    def do_slip(self, data):
        event = get_object_or_404(self.events(), pk=data["event"])
        archive.attach_signed_slip(event, self.request.user, data["scan"])
        return _("Signed slip kept with the record.")

    def do_link(self, data):
        candidates = {user.pk: user for user in archive.accounts_for(self.object)}
        if data["account"] not in candidates:
            raise archive.ArchiveError(_("This account cannot be linked to this record."))
        archive.link_account(self.object, candidates[data["account"]], self.request.user)
        return _("Account linked: the owner sees their homes as verified.")

    def events(self):
        units = {o.unit_id for o in self.object.occupancy_list}
        return UnitEvent.objects.filter(unit_id__in=units)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        record, user = self.object, self.request.user
        homes = current_homes(record)
        units = [o.unit_id for o in homes]
        household = (
            Occupancy.objects.filter(unit_id__in=units, until__isnull=True)
            .exclude(record=record)
            .select_related("record", "unit")
            .order_by("unit", "role")
        )
        events = (
            self.events()
            .select_related("unit__estate", "recorded_by")
            .prefetch_related("people", "previous")
        )
        may_change = archive.can_change(user)
        context.update(
            record=record,
            homes=homes,
            past=[o for o in record.occupancy_list if o.until is not None],
            household=household,
            vehicles=list(record.vehicles.all()),
            events=events,
            visits=record.visits.select_related("served_by")[:50],
            contacts=may_see_contacts(user),
            full_id=user.has_perm("owners.view_id_number"),
            may_change=may_change,
            may_record=archive.can_record_unit_change(user),
            may_visit=user.has_perm("owners.add_visit"),
            candidates=(
                list(archive.accounts_for(record)[:5])
                if record.user_id is None and user.has_perm("owners.link_account")
                else []
            ),
            edit_url=reverse("owner_records:edit", args=[record.pk]) if may_change else "",
            hotline_url=reverse("case_ledger:phone") if user.has_perm("cases.handle_case") else "",
        )
        for name, form_class in self.forms.items():
            context.setdefault(f"{name}_form", form_class())
        return context


class UnitView(InspectView):
    """房屋档案: a unit, who is in it now (with their role and since when), and its history."""

    template_name = "owners/admin/unit.html"
    page_title = gettext_lazy("Unit record")

    def get_object(self, queryset=None):
        return get_object_or_404(Unit.objects.select_related("estate"), pk=self.pk)

    def get_page_title(self):
        return self.page_title

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        unit, user = self.object, self.request.user
        people = user.has_perm("owners.view_ownerrecord")
        context.update(
            unit=unit,
            people=people,
            contacts=people and may_see_contacts(user),
            now=Occupancy.objects.filter(unit=unit, until__isnull=True)
            .select_related("record")
            .order_by("role", "since")
            if people
            else [],
            events=UnitEvent.objects.filter(unit=unit)
            .select_related("recorded_by")
            .prefetch_related("people", "previous")
            if people
            else [],
        )
        return context


# Slips and labels --------------------------------------------------------------------------


def slip_pdf(request, pk):
    """The confirmation slip to print and sign (its people's numbers on it: contacts only)."""
    if not (request.user.has_perm("owners.view_ownerrecord") and may_see_contacts(request.user)):
        raise PermissionDenied
    event = get_object_or_404(UnitEvent.objects.select_related("unit__estate"), pk=pk)
    if event.slip_title is None:
        raise Http404
    roles = {
        o.record_id: o.get_role_display()
        for o in Occupancy.objects.filter(unit=event.unit).filter(
            Q(since=event.happened_on) | Q(until=event.happened_on)
        )
    }
    people = [(p, roles.get(p.pk, "")) for p in event.people.all()]
    previous = [(p, roles.get(p.pk, "")) for p in event.previous.all()]
    staff = event.recorded_by.display_name if event.recorded_by else ""
    data = paper.slip(event, people, previous, estate_name=event.unit.estate.name, staff_name=staff)
    response = HttpResponse(data, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="slip-{event.pk}.pdf"'
    response["Cache-Control"] = "private, no-store"
    return response


def signed_slip(request, pk):
    """The signed scan carries what the printed slip does: for those who may see contacts."""
    if not (request.user.has_perm("owners.view_ownerrecord") and may_see_contacts(request.user)):
        raise PermissionDenied
    event = get_object_or_404(UnitEvent, pk=pk)
    if not event.signed_slip:
        raise Http404
    file = event.signed_slip.open("rb")
    kind = sniffed_type(file)
    file.seek(0)
    return serve_user_file(file, verified_type=kind, filename=f"slip-{event.pk}-signed")


class LabelsForm(forms.Form):
    estate = forms.ModelChoiceField(
        label=gettext_lazy("Estate"),
        queryset=Estate.objects.all(),
        required=False,
        empty_label=gettext_lazy("All estates"),
    )
    format = forms.ChoiceField(
        label=gettext_lazy("As"),
        choices=[
            ("pdf", gettext_lazy("Address labels (PDF, A4 24-up)")),
            ("xlsx", gettext_lazy("Mailing list (XLSX)")),
        ],
    )


def mailing_records(estate=None):
    """Owners, co-owners and tenants in a home now who want printed mail and gave an address;
    one label per person."""
    homes = Occupancy.objects.filter(
        until__isnull=True, role__in=[Role.OWNER, Role.CO_OWNER, Role.TENANT]
    )
    if estate is not None:
        homes = homes.filter(unit__estate=estate)
    return (
        OwnerRecord.objects.filter(pk__in=homes.values("record_id"), printed_mail=True)
        .exclude(postal_address="")
        .order_by("postcode", "postal_address", "name")
    )


class LabelsView(WagtailAdminTemplateMixin, FormView):
    """Address labels and the mailing list for the printed magazine and brochures."""

    form_class = LabelsForm
    template_name = "owners/admin/labels.html"
    page_title = gettext_lazy("Address labels")
    header_icon = "mail"

    def dispatch(self, request, *args, **kwargs):
        if not may_see_contacts(request.user) or not request.user.has_perm(
            "owners.view_ownerrecord"
        ):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get_breadcrumbs_items(self):
        return [
            *self.breadcrumbs_items,
            {"url": reverse("owner_records:index"), "label": _("Owner archive")},
            {"url": "", "label": self.page_title},
        ]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["total"] = mailing_records().count()
        context["opted_out"] = OwnerRecord.objects.filter(printed_mail=False).count()
        return context

    def form_valid(self, form):
        people = list(mailing_records(form.cleaned_data["estate"]))
        if not people:
            form.add_error(None, _("Nobody there has a postal address and wants printed mail."))
            return self.form_invalid(form)
        stamp = timezone.localdate().isoformat()
        if form.cleaned_data["format"] == "pdf":
            data = paper.labels([(p.postcode, p.postal_address, p.name) for p in people])
            response = HttpResponse(data, content_type="application/pdf")
            response["Content-Disposition"] = f'attachment; filename="labels-{stamp}.pdf"'
            return response
        return mailing_list(people, stamp)


def mailing_list(people, stamp):
    # openpyxl is imported for the first spreadsheet, not with the admin: some 13 MiB that a
    # web worker otherwise never needs (make bench-http, "Workers").
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.title = _("Mailing list")
    sheet.append([_("Name"), _("Postcode"), _("Postal address"), _("Mobile number")])
    for person in people:
        sheet.append([person.name, person.postcode, person.postal_address, person.mobile])
    buffer = io.BytesIO()
    book.save(buffer)
    response = HttpResponse(
        buffer.getvalue(),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    response["Content-Disposition"] = f'attachment; filename="mailing-list-{stamp}.xlsx"'
    return response


# Viewsets ----------------------------------------------------------------------------------


class RecordSearchForm(BaseFilterForm):
    q = forms.CharField(
        label=gettext_lazy("Search term"),
        required=False,
        widget=forms.TextInput(attrs={"placeholder": gettext_lazy("Name or mobile number")}),
    )
    #: Set by the view: whether the person choosing may see phone numbers (and so look by one).
    by_mobile = False

    def filter(self, objects):
        term = (self.cleaned_data.get("q") or "").strip()
        if term:
            self.is_searching, self.search_query = True, term
            found = Q(name__icontains=term)
            if self.by_mobile:
                found |= Q(mobile__startswith=term)
            objects = objects.filter(found)
        return objects


class OnlyFor:
    """A chooser's views for those who hold `permission` (Wagtail checks only its create tab);
    the person chooser looks up numbers only for those who may see them."""

    permission = None

    def dispatch(self, request, *args, **kwargs):
        if not request.user.has_perm(self.permission):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get_filter_form(self):
        form = super().get_filter_form()
        form.by_mobile = may_see_contacts(self.request.user)
        return form


def guarded(viewset_class, permission):
    """`viewset_class` with each of its views asking for `permission`."""
    names = ("choose_view_class", "choose_results_view_class", "chosen_view_class")
    return type(
        viewset_class.__name__,
        (viewset_class,),
        {
            name: type(
                getattr(viewset_class, name).__name__,
                (OnlyFor, getattr(viewset_class, name)),
                {"permission": permission},
            )
            for name in names
        },
    )


class RecordChooserViewSet(ChooserViewSet):
    model = OwnerRecord
    icon = "user"
    choose_one_text = gettext_lazy("Choose a person")
    choose_another_text = gettext_lazy("Choose another person")
    per_page = 20

    def get_common_view_kwargs(self, **kwargs):
        return super().get_common_view_kwargs(filter_form_class=RecordSearchForm, **kwargs)


class UnitSearchForm(BaseFilterForm):
    q = forms.CharField(
        label=gettext_lazy("Search term"),
        required=False,
        widget=forms.TextInput(attrs={"placeholder": gettext_lazy("Estate, building or number")}),
    )

    def filter(self, objects):
        for word in (self.cleaned_data.get("q") or "").split():
            self.is_searching, self.search_query = True, word
            objects = objects.filter(
                Q(number__icontains=word) | Q(building=word) | Q(estate__name__icontains=word)
            )
        return objects


class UnitChooserViewSet(ChooserViewSet):
    model = Unit
    icon = "home"
    choose_one_text = gettext_lazy("Choose a unit")
    choose_another_text = gettext_lazy("Choose another unit")
    per_page = 20
    register_widget = False  # the unit fields elsewhere keep their plain select

    def get_common_view_kwargs(self, **kwargs):
        return super().get_common_view_kwargs(filter_form_class=UnitSearchForm, **kwargs)


RecordChooser = guarded(RecordChooserViewSet, "owners.view_ownerrecord")(
    "owner_record_chooser", url_prefix="owners/record-chooser"
)
UnitChooser = guarded(UnitChooserViewSet, "owners.view_unit")(
    "unit_chooser", url_prefix="owners/unit-chooser"
)


class OwnerRecordViewSet(ModelViewSet):
    model = OwnerRecord
    name = "owner_records"
    url_prefix = "owners/archive"
    icon = "user"
    menu_label = gettext_lazy("Owner archive")
    edit_handler = ObjectList(
        base_form_class=OwnerRecordForm,
        children=[
            FieldRowPanel([FieldPanel("name"), FieldPanel("mobile"), FieldPanel("email")]),
            FieldRowPanel([FieldPanel("id_type"), FieldPanel("id_number")]),
            FieldRowPanel([FieldPanel("emergency_contact"), FieldPanel("emergency_phone")]),
            MultiFieldPanel(
                [
                    FieldRowPanel([FieldPanel("postcode"), FieldPanel("postal_address")]),
                    FieldPanel("printed_mail"),
                ],
                heading=gettext_lazy("Post"),
            ),
            InlinePanel("vehicles", label=gettext_lazy("Vehicles and parking")),
            FieldPanel("remarks"),
        ],
    )
    index_view_class = RecordIndexView
    add_view_class = RecordCreateView
    edit_view_class = RecordEditView
    inspect_view_enabled = True
    inspect_view_class = RecordView
    filterset_class = RecordFilterSet
    search_fields = ["name", "mobile", "email", "vehicles__plate"]
    search_backend_name = None
    list_display = [
        "name",
        ValueColumn("homes", homes_text, label=gettext_lazy("Homes and roles")),
        "mobile",
        ValueColumn("since", moved_in, label=gettext_lazy("Since")),
        ValueColumn(
            "account",
            lambda r: pgettext("account", "Linked") if r.user_id else "—",
            label=gettext_lazy("Account"),
        ),
    ]
    export_headings = {
        "name": gettext_lazy("Name"),
        "homes": gettext_lazy("Homes and roles"),
        "since": gettext_lazy("Since"),
        "mobile": gettext_lazy("Mobile number"),
        "email": gettext_lazy("Email address"),
        "emergency": gettext_lazy("Emergency contact"),
        "address": gettext_lazy("Postal address"),
        "printed_mail": gettext_lazy("Wants printed mail"),
        "account": gettext_lazy("Has an account"),
    }
    list_export = list(export_headings)
    export_filename = "owner-archive"
    list_per_page = 50
    copy_view_enabled = False

    def get_urlpatterns(self):
        return [
            *super().get_urlpatterns(),
            path("slips/<int:pk>.pdf", slip_pdf, name="slip"),
            path("slips/<int:pk>/signed/", signed_slip, name="signed_slip"),
            path("labels/", LabelsView.as_view(), name="labels"),
        ]
