"""Panels on the Wagtail admin dashboard."""

from django.db.models import Count, Min
from wagtail.admin.ui.components import Component

from portal.models import Case, OwnershipClaim


class PendingClaimsPanel(Component):
    """The claims waiting for review, oldest first: nobody should wait longest unseen."""

    name = "pending_claims"
    template_name = "portal/admin/pending_claims_panel.html"
    order = 50

    def get_context_data(self, parent_context):
        pending = OwnershipClaim.objects.filter(status=OwnershipClaim.Status.PENDING)
        return {
            **pending.aggregate(count=Count("pk"), oldest=Min("created_at")),
            "claims": pending.select_related("owner", "unit__estate").order_by("created_at")[:5],
        }


class CasesPanel(Component):
    """New cases nobody has accepted yet, the agent's own open cases, and what is overdue."""

    name = "cases"
    template_name = "portal/admin/cases_panel.html"
    order = 40

    def get_context_data(self, parent_context):
        user = parent_context["request"].user
        return {
            **Case.objects.filter(status="new").aggregate(
                new=Count("pk"), oldest=Min("created_at")
            ),
            "mine": Case.objects.open().filter(first_responder=user).count(),
            "overdue": Case.objects.overdue().count(),
        }
