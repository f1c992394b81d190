"""The outbox in the admin: every email and job with its state, the failures with their error,
and a button that tries a failed one again (portal.outbox.retry)."""

from django import forms
from django.shortcuts import get_object_or_404
from django.template.defaultfilters import truncatechars
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from wagtail.admin.ui.tables import Column, DateColumn
from wagtail.permissions import register_permission_policy

from portal import outbox
from portal.admin_actions import ActionsInspectView, ActionsOnlyViewSet, RulesOnlyPolicy
from portal.models import Outgoing

# Rows are written by the changes that cause them and moved on by workers and the retry action.
register_permission_policy(Outgoing, RulesOnlyPolicy(Outgoing), exact_class=True)


class RetryForm(forms.Form):
    """The retry button carries no fields."""


def _retry(view, data):
    row = outbox.retry(view.object, view.request.user)
    return _("“%(message)s” will be tried again now.") % {"message": outbox.describe(row)}


class OutgoingInspectView(ActionsInspectView):
    actions = {"retry": _retry}
    action_form_class = RetryForm
    page_title = gettext_lazy("Outgoing message")

    def get_object(self, queryset=None):
        return get_object_or_404(Outgoing, pk=self.pk)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        row = self.object
        context.update(
            row=row,
            can_retry=outbox.can_retry(self.request.user, row),
            job=outbox.describe(row),
            attachments=[name for name, _data, _mime in row.payload.get("attachments") or ()],
        )
        return context


class SummaryColumn(Column):
    def get_value(self, instance):
        return outbox.describe(instance)


class ErrorColumn(Column):
    def get_value(self, instance):
        return truncatechars(instance.last_error, 80)


class OutgoingViewSet(ActionsOnlyViewSet):
    """Emails and jobs waiting, sent and failed; failures first when filtered by state."""

    model = Outgoing
    name = "outbox"
    url_prefix = "outbox"
    icon = "mail"
    menu_label = gettext_lazy("Outgoing messages")
    add_to_settings_menu = True
    menu_order = 900
    list_display = [
        SummaryColumn("summary", label=gettext_lazy("Subject or job")),
        Column("recipient", label=gettext_lazy("To")),
        Column("state", label=gettext_lazy("State"), accessor="get_state_display"),
        Column("queue", label=gettext_lazy("Queue")),
        Column("attempts", label=gettext_lazy("Attempts")),
        ErrorColumn("last_error", label=gettext_lazy("Last error")),
        DateColumn("created_at", label=gettext_lazy("Created")),
        DateColumn("sent_at", label=gettext_lazy("Sent")),
    ]
    list_filter = ["state", "kind", "queue"]
    search_fields = ["key", "group", "recipient"]
    list_per_page = 50
    inspect_view_enabled = True
    inspect_view_class = OutgoingInspectView
    inspect_template_name = "portal/admin/outgoing_inspect.html"
    inspect_view_fields = ["key", "kind", "state"]

    def get_index_view_kwargs(self, **kwargs):
        queryset = Outgoing.objects.order_by("-created_at", "-pk")
        return super().get_index_view_kwargs(queryset=queryset, **kwargs)
