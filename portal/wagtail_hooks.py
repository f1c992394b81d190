from django.utils.translation import gettext_lazy as _
from wagtail import hooks

from portal.notifications_admin import NotificationViewSet
from portal.outbox_admin import OutgoingViewSet
from portal.signin_views import SignInSettingsPanel


@hooks.register("register_admin_viewset")
def register_outbox_viewset():
    return OutgoingViewSet()


@hooks.register("register_admin_viewset")
def register_messages_viewset():
    return NotificationViewSet()


@hooks.register("register_log_actions")
def register_sign_in_log_actions(actions):
    actions.register_action(
        "portal.two_step.on", _("Turn on two-step verification"), _("Two-step verification on")
    )
    actions.register_action(
        "portal.two_step.off", _("Turn off two-step verification"), _("Two-step verification off")
    )
    actions.register_action(
        "portal.outgoing.retry", _("Retry an outgoing message"), _("Outgoing message retried")
    )
    actions.register_action(
        "portal.two_step.codes", _("Generate new recovery codes"), _("New recovery codes")
    )


@hooks.register("register_account_settings_panel")
def add_sign_in_settings_panel(request, user, profile):
    return SignInSettingsPanel(request, user, profile)
