"""The complaint mailbox in the Wagtail admin: the inbox, the ledger, the case screen and the
hotline form. The actions live in cases.casework and who may take them in cases.rules; these
screens only collect what the actions need and show what cases.rules allows."""

import re
from datetime import date

import django_filters
from django import forms
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.urls import path, reverse
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.html import format_html
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext_lazy
from django.views.generic import FormView, TemplateView
from wagtail.admin import messages
from wagtail.admin.filters import WagtailFilterSet
from wagtail.admin.menu import MenuItem
from wagtail.admin.ui.tables import BooleanColumn, Column, DateColumn
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin
from wagtail.admin.viewsets.base import ViewSet, ViewSetGroup
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.admin.widgets.button import HeaderButton

from cases import casework, mailbox, rules
from cases.forms import AttachmentsField
from cases.models import Case, Category, QuarantinedEmail
from cases.reports import Period, figures, trend
from owners import archive
from owners.models import Estate, OwnerRecord, Unit, Visit
from portal.admin_actions import ActionsInspectView, ActionsOnlyViewSet, InspectFirstIndexView
from portal.admin_listing import (
    PlainChoiceColumn,
    PlainColumn,
    PlainDateColumn,
    PlainListingMixin,
)

User = get_user_model()


class CaseActionForm(forms.Form):
    text = forms.CharField(
        label=gettext_lazy("Reply, note or reason"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    attachments = AttachmentsField(label=gettext_lazy("Files for the owner"))
    #: The moves cases.rules allows this person on this case now (set by the screen).
    status = forms.ChoiceField(label=gettext_lazy("New status"), required=False, choices=[])
    owner = forms.ModelChoiceField(
        label=gettext_lazy("The owner who wrote"),
        queryset=User.objects.filter(is_verified_owner=True).order_by("real_name"),
        required=False,
    )
    to = forms.ModelChoiceField(
        label=gettext_lazy("Transfer to"), queryset=User.objects.none(), required=False
    )
    into = forms.CharField(
        label=gettext_lazy("The owner's case (reference)"),
        max_length=20,
        required=False,
        help_text=gettext_lazy("For example TS-202612-0042: this email joins it as the owner's."),
    )
    score = forms.TypedChoiceField(
        label=gettext_lazy("Owner's satisfaction"),
        required=False,
        coerce=int,
        empty_value=None,
        choices=[("", "—"), *[(n, "★" * n) for n in range(5, 0, -1)]],
    )
    method = forms.ChoiceField(
        label=gettext_lazy("Follow-up by"),
        required=False,
        choices=[
            ("电话回访", gettext_lazy("Phone call")),
            ("上门回访", gettext_lazy("Home visit")),
            ("短信回访", gettext_lazy("Text message")),
        ],
    )

    def __init__(self, *args, moves=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["to"].queryset = casework.case_handlers()
        self.fields["status"].choices = [("", "—"), *[(s, Case.Status(s).label) for s in moves]]


def _message(case, text):
    return f"{case.reference}: {text}"


def accept(view, data):
    casework.accept(view.object, view.request.user)
    return _message(view.object, _("you are now its first responder."))


def reply(view, data):
    casework.reply(view.object, view.request.user, data["text"], data["attachments"])
    return _message(view.object, _("reply sent to the owner."))


def note(view, data):
    casework.note(view.object, view.request.user, data["text"])
    return _message(view.object, _("note added."))


def change_status(view, data):
    if not data["status"]:
        raise rules.CaseError(_("Choose the new status."))
    casework.set_status(view.object, view.request.user, data["status"], data["text"])
    return _message(view.object, view.object.get_status_display())


def transfer(view, data):
    if not data["to"]:
        raise rules.CaseError(_("Choose who takes the case over."))
    casework.transfer(view.object, view.request.user, data["to"], data["text"])
    return _message(view.object, _("transferred to %(name)s.") % {"name": data["to"].display_name})


def match(view, data):
    if not data["owner"]:
        raise rules.CaseError(_("Choose the owner."))
    casework.match_owner(view.object, view.request.user, data["owner"])
    return _message(
        view.object, _("now belongs to %(name)s.") % {"name": data["owner"].display_name}
    )


def join(view, data):
    target = Case.objects.filter(reference=data["into"].strip().upper()).first()
    if target is None:
        raise rules.CaseError(_("No case has this reference."))
    casework.join_case(view.object, view.request.user, target)
    return _message(view.object, _("added to %(reference)s.") % {"reference": target.reference})


def follow_up(view, data):
    casework.record_follow_up(
        view.object,
        view.request.user,
        score=data["score"],
        method=data["method"],
        remarks=data["text"],
    )
    return _message(view.object, _("follow-up recorded; the case is closed."))


class CaseScreen(ActionsInspectView):
    """Everything about a case, with the actions its first responder takes."""

    actions = {
        "accept": accept,
        "reply": reply,
        "note": note,
        "status": change_status,
        "transfer": transfer,
        "follow_up": follow_up,
        "match": match,
        "join": join,
    }
    action_form_class = CaseActionForm
    page_title = gettext_lazy("Case")

    def get_action_form(self, data=None):
        return CaseActionForm(
            data,
            self.request.FILES if data is not None else None,
            moves=rules.moves(self.request.user, self.object),
        )

    def get_object(self, queryset=None):
        cases = Case.objects.select_related("owner", "category", "unit__estate", "first_responder")
        return get_object_or_404(cases, pk=self.pk)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        case, user = self.object, self.request.user
        context.update(
            case=case,
            events=case.events.select_related("author").prefetch_related("attachments"),
            # The same questions the actions ask (cases.rules), for the buttons to show.
            can_accept=rules.can_accept(user, case),
            can_act=rules.can_act(user, case),
            can_follow_up=rules.can_follow_up(user, case),
            can_match=rules.can_match(user, case),
            can_join=rules.can_join(user, case),
            moves=rules.moves(user, case),
            reference_in_subject=" ".join(mailbox.REFERENCE_RE.findall(case.subject)),
            processed_folder=mailbox.folders()[1],
        )
        return context


class OverdueFilter(django_filters.BooleanFilter):
    def filter(self, queryset, value):
        if value is None:
            return queryset
        overdue = Case.objects.overdue().values("pk")
        return queryset.filter(pk__in=overdue) if value else queryset.exclude(pk__in=overdue)


def in_month(queryset, value, field="created_at"):
    """The rows of `field`'s month, typed YYYY-MM (none for anything else): the ledgers' filter."""
    try:
        year, month = (int(part) for part in value.split("-"))
    except ValueError:
        return queryset.none()
    return queryset.filter(**{f"{field}__year": year, f"{field}__month": month})


class CaseFilterSet(WagtailFilterSet):
    month = django_filters.CharFilter(label=gettext_lazy("Month (YYYY-MM)"), method="filter_month")
    estate = django_filters.ModelChoiceFilter(
        label=gettext_lazy("Estate"), queryset=Estate.objects.all(), field_name="unit__estate"
    )
    overdue = OverdueFilter(label=gettext_lazy("Overdue"))
    # Only staff who handle cases, not every account on the site; by name, in the same order
    # every time.
    first_responder = django_filters.ModelChoiceFilter(
        label=gettext_lazy("First responder"),
        queryset=lambda request: casework.case_handlers().order_by("real_name", "pk"),
    )

    class Meta:
        model = Case
        fields = [
            "status",
            "kind",
            "category",
            "channel",
            "first_responder",
            "sender_unverified",
            "decoded_with_fallback",
        ]

    def filter_month(self, queryset, name, value):
        return in_month(queryset, value)


class OverdueColumn(PlainColumn):
    """A red flag on cases past a deadline, so they stand out in the ledger."""

    def cell_html(self, case):
        if not self.get_value(case):
            return mark_safe("<td></td>")
        return format_html(
            '<td><span class="w-status w-status--label" style="color:#cd4444;'
            'border-color:#cd4444">{}</span></td>',
            _("Overdue"),
        )


class CaseIndexView(PlainListingMixin, InspectFirstIndexView):
    """The ledger's rows written in one pass (portal.admin_listing): a page of cases costs a
    few milliseconds, not one template per cell."""

    phone_url_name = None

    def get_base_queryset(self):
        queryset = super().get_base_queryset()
        if self.is_export:  # the export's columns besides the listing's
            queryset = queryset.select_related("owner", "unit__estate")
        return queryset

    @cached_property
    def header_buttons(self):
        buttons = list(super().header_buttons)
        if rules.handles_cases(self.request.user):
            buttons.append(
                HeaderButton(
                    _("Record a hotline call"), url=reverse(self.phone_url_name), icon_name="mail"
                )
            )
        return buttons


class CaseViewSet(ActionsOnlyViewSet):
    """The ledger (客服工单台账): every case, filterable and exportable; a case changes only through
    the actions on its screen."""

    model = Case
    name = "case_ledger"
    url_prefix = "cases"
    icon = "mail"
    menu_label = gettext_lazy("Case ledger")
    index_view_class = CaseIndexView
    filterset_class = CaseFilterSet
    list_display = [
        "reference",
        "subject",
        PlainChoiceColumn("kind", Case.Kind.choices, label=gettext_lazy("Kind")),
        "category",
        PlainChoiceColumn("status", Case.Status.choices, label=gettext_lazy("Status")),
        OverdueColumn("is_overdue", label=gettext_lazy("Overdue")),
        "first_responder",
        PlainDateColumn("created_at", label=gettext_lazy("Filed")),
    ]
    list_export = [
        "reference",
        "created_at",
        "kind",
        "channel",
        "category",
        "unit",
        "owner",
        "subject",
        "status",
        "first_responder",
        "first_response_due",
        "first_responded_at",
        "resolution_due",
        "resolved_at",
        "closed_at",
        "satisfaction",
        "sender_unverified",
        "decoded_with_fallback",
    ]
    export_filename = "case-ledger"
    search_fields = ["reference", "subject", "description"]
    inspect_view_enabled = True
    inspect_view_class = CaseScreen
    inspect_template_name = "cases/admin/case_screen.html"

    def get_index_view_kwargs(self, **kwargs):
        # Everything the listing shows, in the same query (the export adds its own columns').
        queryset = Case.objects.select_related("category", "first_responder").order_by(
            "-created_at"
        )
        return super().get_index_view_kwargs(
            queryset=queryset, phone_url_name=self.get_url_name("phone"), **kwargs
        )

    @property
    def phone_view(self):
        return HotlineView.as_view(
            index_url_name=self.get_url_name("index"), case_url_name=self.get_url_name("inspect")
        )

    def get_urlpatterns(self):
        return [*super().get_urlpatterns(), path("phone/", self.phone_view, name="phone")]


class HotlineForm(forms.Form):
    owner = forms.ModelChoiceField(
        label=pgettext_lazy("property", "Owner"),
        queryset=User.objects.filter(is_verified_owner=True).order_by("real_name"),
        required=False,
        help_text=gettext_lazy("Leave empty when the caller is not a registered owner."),
    )
    caller = forms.CharField(
        label=gettext_lazy("Caller's name and number"), max_length=100, required=False
    )
    kind = forms.ChoiceField(label=gettext_lazy("Kind"), choices=Case.Kind.choices)
    category = forms.ModelChoiceField(
        label=gettext_lazy("Category"), queryset=Category.objects.all()
    )
    unit = forms.ModelChoiceField(
        label=gettext_lazy("Unit"), queryset=Unit.objects.select_related("estate"), required=False
    )
    subject = forms.CharField(label=gettext_lazy("Subject"), max_length=120)
    description = forms.CharField(
        label=gettext_lazy("What the caller said"), widget=forms.Textarea(attrs={"rows": 5})
    )
    #: From a person's page in the owner archive: the case is also kept as their visit or call.
    record = forms.ModelChoiceField(
        queryset=OwnerRecord.objects.all(), required=False, widget=forms.HiddenInput
    )
    came = forms.ChoiceField(
        label=gettext_lazy("They"), choices=Visit.Kind.choices, initial=Visit.Kind.CALL
    )


class HotlineView(WagtailAdminTemplateMixin, FormView):
    """热线: a call recorded as a case on the owner's behalf."""

    form_class = HotlineForm
    template_name = "cases/admin/hotline.html"
    page_title = gettext_lazy("Record a hotline call")
    header_icon = "mail"
    index_url_name = case_url_name = None

    def dispatch(self, request, *args, **kwargs):
        rules.check_handler(request.user)
        return super().dispatch(request, *args, **kwargs)

    def get_breadcrumbs_items(self):
        return [
            *self.breadcrumbs_items,
            {"url": reverse(self.index_url_name), "label": _("Case ledger")},
            {"url": "", "label": self.page_title},
        ]

    @cached_property
    def record(self):
        """The person of the owner archive the case is for, for staff who may read the archive
        and keep their visits."""
        pk = self.request.POST.get("record") or self.request.GET.get("record")
        user = self.request.user
        if not (pk and str(pk).isdigit()) or not (
            user.has_perm("owners.view_ownerrecord") and user.has_perm("owners.add_visit")
        ):
            return None
        return OwnerRecord.objects.filter(pk=pk).select_related("user").first()

    def get_form(self, form_class=None):
        form = super().get_form(form_class)
        if self.record is None:
            del form.fields["came"], form.fields["record"]
        return form

    def get_initial(self):
        """From a person's page: who they are, their number and their home, filled in."""
        record = self.record
        if record is None:
            return super().get_initial()
        home = record.occupancies.filter(until__isnull=True).order_by("since").first()
        account = record.user if record.user and record.user.is_verified_owner else None
        return {
            "record": record,
            "owner": account,
            "caller": " ".join(filter(None, [record.name, record.mobile])),
            "unit": home.unit_id if home else None,
        }

    def form_valid(self, form):
        data = form.cleaned_data
        description = data["description"]
        if data["caller"]:
            description = f"{_('Caller')}: {data['caller']}\n\n{description}"
        try:
            with transaction.atomic():
                case = casework.file_case(
                    data["owner"],
                    kind=data["kind"],
                    category=data["category"],
                    unit=data["unit"],
                    subject=data["subject"],
                    description=description,
                    channel=Case.Channel.PHONE,
                    recorded_by=self.request.user,
                )
                # Whoever takes the call is its first responder.
                casework.accept(case, self.request.user)
                if data.get("record") is not None:
                    archive.record_visit(
                        data["record"],
                        self.request.user,
                        kind=data["came"],
                        subject=data["subject"],
                        outcome=_("Case %(reference)s recorded") % {"reference": case.reference},
                    )
        except rules.CaseError as error:
            form.add_error(None, str(error))
            return self.form_invalid(form)
        messages.success(
            self.request,
            _("%(reference)s recorded; you are its first responder.")
            % {"reference": case.reference},
        )
        return redirect(reverse(self.case_url_name, args=[case.pk]))


class CategoryViewSet(ModelViewSet):
    model = Category
    name = "case_categories"
    url_prefix = "cases/categories"
    icon = "tag"
    menu_label = gettext_lazy("Categories and deadlines")
    form_fields = ["name", "first_response_hours", "resolution_hours", "is_default"]
    list_display = [
        "name",
        "first_response_hours",
        "resolution_hours",
        BooleanColumn("is_default", label=gettext_lazy("For email and forum cases")),
    ]
    sort_order_field = "sort_order"
    add_to_reference_index = False


class ServiceReportView(WagtailAdminTemplateMixin, TemplateView):
    """项目客服日报、周报、月报: a day's, a report week's or a month's cases by kind, category,
    estate and channel, with timeliness, follow-up visits, calls, overdue cases and
    satisfaction; managers also see each first responder's figures. The month has a 12-month
    trend and downloads (Excel, slide deck)."""

    template_name = "cases/admin/case_report.html"
    page_title = gettext_lazy("Service reports")
    header_icon = "doc-full"

    def dispatch(self, request, *args, **kwargs):
        if not request.user.has_perm("cases.view_case"):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get_breadcrumbs_items(self):
        return [*self.breadcrumbs_items, {"url": "", "label": self.page_title}]

    def chosen_period(self):
        """?period=day|week with ?date=YYYY-MM-DD, or the month of ?month=YYYY-MM (the default,
        this month); a date or month that cannot be read is today's."""
        today = timezone.localdate()
        kind = self.request.GET.get("period", Period.MONTH)
        if kind in (Period.DAY, Period.WEEK):
            try:
                day = date.fromisoformat(self.request.GET.get("date", "")[:10])
            except ValueError:
                day = today
            return Period(kind, day)
        chosen = self.request.GET.get("month", "")
        if re.fullmatch(r"\d{4}-\d{2}", chosen) and 1 <= int(chosen[5:]) <= 12:
            return Period(Period.MONTH, date(int(chosen[:4]), int(chosen[5:]), 1))
        return Period(Period.MONTH, today)

    def get(self, request, *args, **kwargs):
        download = request.GET.get("download")
        period = self.chosen_period()
        if download in DOWNLOADS and period.kind == Period.MONTH:
            # Imported at the first download, not with the admin: openpyxl and python-pptx are
            # some 15 MiB that a web worker otherwise never needs (make bench-http, "Workers").
            from cases import report_files

            write, mime = report_files.FORMATS[download]
            report = report_files.Report(period.first.year, period.first.month)
            return HttpResponse(
                write(report),
                content_type=mime,
                headers={
                    "Content-Disposition": f'attachment; filename="{report.filename(download)}"'
                },
            )
        return super().get(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        period = self.chosen_period()
        manager = self.request.user.has_perm("cases.manage_cases")
        context = {
            **super().get_context_data(**kwargs),
            "period": period,
            "figures": figures(period, by_agent=manager),
            "chosen": f"{period.first:%Y-%m}",
            "earlier": period.previous(),
        }
        if period.kind == Period.MONTH:
            context["trend"] = trend(period.first.year, period.first.month)
        return context


#: The report's files, ?download=xlsx or pptx: the keys of cases.report_files.FORMATS, which
#: is imported at the first download.
DOWNLOADS = ("xlsx", "pptx")


class ServiceReportViewSet(ViewSet):
    name = "case_report"
    url_prefix = "cases/report"
    icon = "doc-full"
    menu_label = gettext_lazy("Service reports")

    def get_urlpatterns(self):
        return [path("", ServiceReportView.as_view(), name="index")]

    menu_item_class = type(
        "ReportMenuItem",
        (MenuItem,),
        {"is_shown": lambda self, request: request.user.has_perm("cases.view_case")},
    )


class QuarantineForm(forms.Form):
    note = forms.CharField(
        label=gettext_lazy("How it was handled"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


def mark_handled(view, data):
    mailbox.mark_handled(view.object, view.request.user, data["note"])
    return _("Marked as handled.")


class QuarantineScreen(ActionsInspectView):
    """One email the inbox could not handle: what it was, why, and "handled"."""

    actions = {"handled": mark_handled}
    action_form_class = QuarantineForm
    page_title = gettext_lazy("Quarantined email")

    def get_object(self, queryset=None):
        return get_object_or_404(QuarantinedEmail.objects.select_related("handled_by"), pk=self.pk)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(
            item=self.object,
            can_mark_handled=mailbox.can_mark_handled(self.request.user, self.object),
        )
        return context


class QuarantineFilterSet(WagtailFilterSet):
    handled = django_filters.BooleanFilter(
        label=pgettext_lazy("email", "Handled"), method="filter_handled"
    )

    class Meta:
        model = QuarantinedEmail
        fields = []

    def filter_handled(self, queryset, name, value):
        if value is None:
            return queryset
        return queryset.filter(handled_at__isnull=not value)


class QuarantineViewSet(ActionsOnlyViewSet):
    """隔离邮件: emails the inbox moved aside, newest first; staff mark them handled."""

    model = QuarantinedEmail
    name = "inbox_quarantine"
    url_prefix = "cases/quarantine"
    icon = "warning"
    menu_label = gettext_lazy("Quarantined emails")
    list_display = [
        DateColumn("quarantined_at", label=gettext_lazy("Quarantined")),
        "sender",
        "subject",
        "reason",
        "folder",
        Column("handled_by", label=gettext_lazy("Handled by")),
    ]
    filterset_class = QuarantineFilterSet
    search_fields = ["sender", "subject", "message_id"]
    inspect_view_enabled = True
    inspect_view_class = QuarantineScreen
    inspect_template_name = "cases/admin/quarantine_screen.html"

    def get_index_view_kwargs(self, **kwargs):
        queryset = QuarantinedEmail.objects.select_related("handled_by").order_by(
            "-quarantined_at", "-pk"
        )
        return super().get_index_view_kwargs(queryset=queryset, **kwargs)


class CasesViewSetGroup(ViewSetGroup):
    menu_label = gettext_lazy("Customer cases")
    menu_icon = "mail"
    menu_order = 150
    items = (CaseViewSet, QuarantineViewSet, ServiceReportViewSet, CategoryViewSet)
