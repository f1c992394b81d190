from django.utils.translation import gettext_lazy as _
from wagtail import hooks


@hooks.register("register_log_actions")
def register_notice_log_actions(actions):
    actions.register_action(
        "notices.notice.acknowledge", _("Confirm a notice"), _("Notice confirmed by the owner")
    )
