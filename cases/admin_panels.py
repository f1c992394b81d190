"""The cases panel on the admin's home page."""

from django.db.models import Count, Min
from wagtail.admin.ui.components import Component

from cases.models import Case, QuarantinedEmail


class CasesPanel(Component):
    """New cases nobody has accepted yet, the agent's own open cases, and what is overdue."""

    name = "cases"
    template_name = "cases/admin/cases_panel.html"
    order = 40

    def get_context_data(self, parent_context):
        user = parent_context["request"].user
        return {
            **Case.objects.filter(status="new").aggregate(
                new=Count("pk"), oldest=Min("created_at")
            ),
            "mine": Case.objects.open().filter(first_responder=user).count(),
            "overdue": Case.objects.overdue().count(),
            "unverified": Case.objects.open().filter(sender_unverified=True).count(),
            "quarantined": QuarantinedEmail.objects.filter(handled_at__isnull=True).count(),
        }
