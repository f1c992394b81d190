from django.utils.translation import gettext_lazy as _
from wagtail import hooks

from notices.admin_views import NoticesViewSetGroup


@hooks.register("register_log_actions")
def register_notice_log_actions(actions):
    actions.register_action(
        "notices.notice.acknowledge", _("Confirm a notice"), _("Notice confirmed by the owner")
    )
    actions.register_action(
        "notices.notice.call", _("Call about a notice"), _("Confirmation call recorded")
    )


@hooks.register("register_admin_viewset")
def register_notices_admin():
    return NoticesViewSetGroup()
