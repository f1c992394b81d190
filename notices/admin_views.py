"""Notices in the admin (通知公告): who each notice reached, read it and confirmed it, per
building; the owners still to confirm with their numbers, the calls made to them (二次确认) and
a form to record the next; all exported to a spreadsheet. Notices themselves are written in the
page explorer, under 通知公告."""

import django_filters
from django import forms
from django.core.exceptions import PermissionDenied
from django.db.models import Count, Prefetch, Q
from django.urls import path
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext_lazy
from django.views.generic import TemplateView
from wagtail.admin.filters import WagtailFilterSet
from wagtail.admin.menu import MenuItem
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin
from wagtail.admin.viewsets.base import ViewSet, ViewSetGroup
from wagtail.permissions import register_permission_policy

from notices import delivery
from notices.models import Call, NoticePage, Receipt
from portal.admin_actions import (
    ActionsInspectView,
    ActionsOnlyViewSet,
    InspectFirstIndexView,
    RulesOnlyPolicy,
)
from portal.admin_listing import PlainColumn, PlainDateColumn, PlainListingMixin, ValueColumn

# Written by delivery and the owners' confirmations; staff list them and record calls.
register_permission_policy(Receipt, RulesOnlyPolicy(Receipt), exact_class=True)


def receipts():
    calls = Call.objects.select_related("made_by").order_by("made_at", "pk")
    return Receipt.objects.select_related("user", "notice").prefetch_related(
        Prefetch("calls", queryset=calls, to_attr="call_list")
    )


def last_call(receipt):
    if not receipt.call_list:
        return ""
    call = receipt.call_list[-1]
    return f"{call.get_outcome_display()} · {call.made_by.display_name}"


class ReceiptFilterSet(WagtailFilterSet):
    notice = django_filters.ModelChoiceFilter(
        label=gettext_lazy("Notice"), queryset=NoticePage.objects.order_by("-first_published_at")
    )
    building = django_filters.CharFilter(label=gettext_lazy("Building"), field_name="building")
    confirmed = django_filters.BooleanFilter(
        label=gettext_lazy("Confirmed"),
        field_name="acknowledged_at",
        lookup_expr="isnull",
        exclude=True,
    )
    read = django_filters.BooleanFilter(
        label=gettext_lazy("Read"), field_name="read_at", lookup_expr="isnull", exclude=True
    )

    class Meta:
        model = Receipt
        fields = []


class ReceiptIndexView(PlainListingMixin, InspectFirstIndexView):
    def to_row_dict(self, receipt):
        return {
            "notice": receipt.notice.title,
            "owner": receipt.user.display_name,
            "mobile": receipt.user.mobile,
            "building": receipt.building,
            "delivered": receipt.delivered_at,
            "read": receipt.read_at,
            "confirmed": receipt.acknowledged_at,
            "by_phone": receipt.by_phone,
            "last_call": last_call(receipt),
        }


class CallForm(forms.Form):
    outcome = forms.ChoiceField(
        label=gettext_lazy("Outcome"), choices=[("", "—"), *Call.Outcome.choices], required=False
    )
    note = forms.CharField(label=gettext_lazy("Note"), max_length=200, required=False)


def _call(view, data):
    delivery.record_call(view.object, view.request.user, outcome=data["outcome"], note=data["note"])
    return _("Call recorded.")


class ReceiptCallView(ActionsInspectView):
    """An owner's copy of a notice, the calls made to them, and the form for the next."""

    actions = {"call": _call}
    action_form_class = CallForm
    page_title = gettext_lazy("Confirmation call")

    def get_object(self, queryset=None):
        return receipts().select_related("notice").get(pk=self.pk)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        receipt = self.object
        context.update(
            receipt=receipt,
            homes=receipt.user.claims.filter(status="approved").select_related("unit__estate"),
            can_call=receipt.notice.important and self.request.user.has_perm("notices.add_call"),
        )
        return context


class ReceiptViewSet(ActionsOnlyViewSet):
    """Each owner's copy of each notice: to find who has not confirmed, call them, export."""

    model = Receipt
    name = "notice_receipts"
    url_prefix = "notices/receipts"
    icon = "list-ul"
    menu_label = gettext_lazy("Delivery and confirmation")
    index_view_class = ReceiptIndexView
    filterset_class = ReceiptFilterSet
    inspect_view_enabled = True
    inspect_view_class = ReceiptCallView
    inspect_template_name = "notices/admin/receipt.html"
    list_display = [
        "user",
        ValueColumn("mobile", lambda r: r.user.mobile, label=gettext_lazy("Mobile number")),
        PlainColumn("building", label=gettext_lazy("Building")),
        ValueColumn("notice", lambda r: r.notice.title, label=gettext_lazy("Notice")),
        PlainDateColumn("read_at", label=gettext_lazy("Read")),
        PlainDateColumn("acknowledged_at", label=gettext_lazy("Confirmed")),
        ValueColumn("last_call", last_call, label=gettext_lazy("Last call")),
    ]
    export_headings = {
        "notice": gettext_lazy("Notice"),
        "owner": gettext_lazy("Owner"),
        "mobile": gettext_lazy("Mobile number"),
        "building": gettext_lazy("Building"),
        "delivered": pgettext_lazy("notice", "Delivered"),
        "read": gettext_lazy("Read"),
        "confirmed": gettext_lazy("Confirmed"),
        "by_phone": gettext_lazy("Confirmed by phone"),
        "last_call": gettext_lazy("Last call"),
    }
    list_export = list(export_headings)
    export_filename = "notice-receipts"
    search_fields = ["user__real_name", "user__mobile"]
    list_per_page = 50

    def get_index_view_kwargs(self, **kwargs):
        ordered = receipts().order_by("building", "user__real_name", "pk")
        return super().get_index_view_kwargs(queryset=ordered, **kwargs)


class NoticeReportView(WagtailAdminTemplateMixin, TemplateView):
    """Every notice with how many it reached, read and confirmed; a notice's figures per
    building, with the way to those still to confirm."""

    template_name = "notices/admin/report.html"
    page_title = gettext_lazy("Notice statistics")
    header_icon = "doc-full"

    def dispatch(self, request, *args, **kwargs):
        if not request.user.has_perm("notices.view_receipt"):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get_breadcrumbs_items(self):
        return [*self.breadcrumbs_items, {"url": "", "label": self.page_title}]

    def get_context_data(self, **kwargs):
        notices = NoticePage.objects.order_by("-first_published_at", "-pk").annotate(
            delivered=Count("receipts"),
            read=Count("receipts", filter=Q(receipts__read_at__isnull=False)),
            confirmed=Count("receipts", filter=Q(receipts__acknowledged_at__isnull=False)),
        )[:50]
        picked = self.request.GET.get("notice", "")
        chosen = NoticePage.objects.filter(pk=picked).first() if picked.isdigit() else None
        return super().get_context_data(
            notices=notices,
            chosen=chosen,
            figures=delivery.statistics(chosen) if chosen else None,
            progress=delivery.progress(chosen) if chosen else None,
            **kwargs,
        )


class NoticeReportViewSet(ViewSet):
    name = "notice_report"
    url_prefix = "notices/report"
    icon = "doc-full"
    menu_label = gettext_lazy("Notice statistics")

    def get_urlpatterns(self):
        return [path("", NoticeReportView.as_view(), name="index")]

    menu_item_class = type(
        "NoticeReportMenuItem",
        (MenuItem,),
        {"is_shown": lambda self, request: request.user.has_perm("notices.view_receipt")},
    )


class NoticesViewSetGroup(ViewSetGroup):
    menu_label = gettext_lazy("Notices")
    menu_icon = "warning"
    menu_order = 170
    items = (NoticeReportViewSet, ReceiptViewSet)
