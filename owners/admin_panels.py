"""Panels on the Wagtail admin dashboard."""

from django.db.models import Count, Min
from wagtail.admin.ui.components import Component

from owners.models import OwnershipClaim


class PendingClaimsPanel(Component):
    """The claims waiting for review, oldest first: nobody should wait longest unseen."""

    name = "pending_claims"
    template_name = "owners/admin/pending_claims_panel.html"
    order = 50

    def get_context_data(self, parent_context):
        pending = OwnershipClaim.objects.filter(status=OwnershipClaim.Status.PENDING)
        return {
            **pending.aggregate(count=Count("pk"), oldest=Min("created_at")),
            "claims": pending.select_related("owner", "unit__estate").order_by("created_at")[:5],
        }
