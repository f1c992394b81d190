from django.db.models import Count, Min
from wagtail.admin.ui.components import Component

from forum.models import Report, Topic


class ForumQueuesPanel(Component):
    """Owner questions waiting for a spokesperson, and reports waiting for a moderator."""

    name = "forum_queues"
    template_name = "forum/admin/queues_panel.html"
    order = 60

    def __init__(self, show_questions, show_reports):
        self.show_questions, self.show_reports = show_questions, show_reports

    def get_context_data(self, parent_context):
        context = {}
        if self.show_questions:
            waiting = Topic.objects.awaiting_official_reply()
            context["questions"] = waiting.aggregate(count=Count("pk"), oldest=Min("created_at"))
        if self.show_reports:
            context["reports"] = Report.objects.filter(status=Report.Status.OPEN).aggregate(
                count=Count("pk"), oldest=Min("created_at")
            )
        return context
