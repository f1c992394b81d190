"""Closure requests (注销申请) in the Wagtail admin: the queue, each request with what staff
check before closing, the button that carries it out, and the log of closures done."""

from django import forms
from django.conf import settings
from django.db.models import Case, IntegerField, Value, When
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext_lazy
from wagtail.admin.ui.components import Component
from wagtail.admin.ui.tables import Column, DateColumn
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.permissions import register_permission_policy

from owners import privacy
from owners.models import AccountClosure
from portal.admin_actions import ActionsInspectView, InspectFirstIndexView, RulesOnlyPolicy

# Requests change only through owners.privacy: listed and inspected, never edited.
register_permission_policy(
    AccountClosure, RulesOnlyPolicy(AccountClosure, ("view",)), exact_class=True
)


class CarryOutForm(forms.Form):
    confirm = forms.BooleanField(
        label=gettext_lazy("I have checked the list above. Close this account now."),
        error_messages={"required": gettext_lazy("Tick the box to confirm.")},
    )


def carry_out(view, data):
    privacy.carry_out_closure(view.object, view.request.user)
    return _("%(closure)s: the account is closed.") % {"closure": view.object}


class ClosureScreen(ActionsInspectView):
    actions = {"carry_out": (carry_out, privacy.PrivacyError)}
    action_form_class = CarryOutForm
    page_title = gettext_lazy("Closure request")

    def get_object(self, queryset=None):
        closures = AccountClosure.objects.select_related("user", "done_by")
        return get_object_or_404(closures, pk=self.pk)

    def get_page_subtitle(self):
        return f"#{self.object.pk} · {self.object.user.display_name}"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        closure = self.object
        labels = privacy.count_labels()
        context.update(
            closure=closure,
            deadline=privacy.deadline(closure),
            may_carry_out=privacy.can_carry_out(self.request.user, closure),
            checks=privacy.summary(closure.user) if closure.is_pending else [],
            counts=[
                (labels.get(key, key), number) for key, number in closure.counts.items() if number
            ],
            retention_days=settings.CASE_RETENTION_DAYS,
        )
        return context


class DeadlineColumn(Column):
    def get_value(self, instance):
        if not instance.is_pending:
            return ""
        return timezone.localtime(privacy.deadline(instance)).strftime("%Y-%m-%d")


class AccountClosureViewSet(ModelViewSet):
    """The queue: waiting requests first, oldest first; then the closures done (the log)."""

    model = AccountClosure
    name = "closures"
    url_prefix = "owners/closures"
    icon = "user"
    menu_label = gettext_lazy("Closure requests")
    list_display = [
        "__str__",
        Column("user", label=pgettext_lazy("property", "Owner"), accessor="user.display_name"),
        Column("posts", label=gettext_lazy("Forum posts"), accessor="get_posts_display"),
        Column("status", label=gettext_lazy("Status"), accessor="get_status_display"),
        DateColumn("requested_at", label=gettext_lazy("Requested")),
        DeadlineColumn("deadline", label=gettext_lazy("Carry out by")),
        DateColumn("done_at", label=gettext_lazy("Carried out")),
    ]
    list_filter = ["status", "posts"]
    index_view_class = InspectFirstIndexView
    inspect_view_enabled = True
    inspect_view_class = ClosureScreen
    inspect_template_name = "owners/admin/closure_screen.html"
    form_fields = []  # never edited here: see RulesOnlyPolicy
    add_to_reference_index = False
    copy_view_enabled = False

    def get_index_view_kwargs(self, **kwargs):
        waiting_first = Case(
            When(status=AccountClosure.Status.PENDING, then=Value(0)),
            default=Value(1),
            output_field=IntegerField(),
        )
        queryset = (
            AccountClosure.objects.select_related("user")
            .annotate(waiting_first=waiting_first)
            .order_by("waiting_first", "requested_at")
        )
        return super().get_index_view_kwargs(queryset=queryset, **kwargs)


class PendingClosuresPanel(Component):
    """On the admin dashboard of those who carry closures out: how many wait, the next due."""

    name = "pending_closures"
    template_name = "owners/admin/pending_closures_panel.html"
    order = 60

    def get_context_data(self, parent_context):
        pending = list(
            AccountClosure.objects.filter(status=AccountClosure.Status.PENDING)
            .select_related("user")
            .order_by("requested_at")[:5]
        )
        for closure in pending:
            closure.deadline = privacy.deadline(closure)
        return {
            "closures": pending,
            "count": AccountClosure.objects.filter(status=AccountClosure.Status.PENDING).count(),
        }
