from django.urls import path
from django.utils.translation import gettext_lazy as _
from wagtail import hooks

from repairs.admin_views import (
    ContractorWorkView,
    DeskRepairView,
    DispatchView,
    JobSheetView,
    RepairsViewSetGroup,
    ServiceDecisionView,
)


@hooks.register("register_admin_viewset")
def register_repairs_viewsets():
    return RepairsViewSetGroup()


@hooks.register("register_admin_urls")
def register_dispatch_url():
    return [
        path("repairs/dispatch/<int:pk>/", DispatchView.as_view(), name="repairs_dispatch"),
        path(
            "repairs/services/<int:pk>/",
            ServiceDecisionView.as_view(),
            name="repairs_service_decide",
        ),
        path(
            "repairs/work/<int:pk>/",
            ContractorWorkView.as_view(),
            name="repairs_contractor_work",
        ),
        path("repairs/work/<int:pk>/sheet/", JobSheetView.as_view(), name="repairs_job_sheet"),
        path("repairs/desk/<int:record>/", DeskRepairView.as_view(), name="repairs_desk"),
    ]


@hooks.register("register_log_actions")
def register_repairs_log_actions(actions):
    actions.register_action(
        "repairs.work_order.dispatch", _("Dispatch a work order"), _("Work order dispatched")
    )
    actions.register_action(
        "repairs.work_order.arrive", _("Arrive for a job"), _("Technician arrived")
    )
    actions.register_action("repairs.work_order.finish", _("Finish a job"), _("Job done"))
    actions.register_action(
        "repairs.service.approved", _("Approve a special service"), _("Special service approved")
    )
    actions.register_action(
        "repairs.service.declined", _("Decline a special service"), _("Special service declined")
    )
    actions.register_action("repairs.service.used", _("Let goods out"), _("Gate pass used"))
