"""The club desk's panel on the Wagtail dashboard: what is waiting for club staff."""

from django.db.models import Count, Min
from wagtail.admin.ui.components import Component

from club.models import MembershipApplication, Redemption, Referral


class ClubDeskPanel(Component):
    name = "club_desk"
    template_name = "club/admin/club_panel.html"
    order = 60

    def get_context_data(self, parent_context):
        applications = MembershipApplication.objects.filter(
            status=MembershipApplication.Status.PENDING
        ).aggregate(count=Count("pk"), oldest=Min("created_at"))
        return {
            "applications": applications,
            "redemptions": Redemption.objects.filter(status=Redemption.Status.REQUESTED).count(),
            "referrals": Referral.objects.filter(status=Referral.Status.PENDING).count(),
        }
