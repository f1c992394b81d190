from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _
from wagtail.users.apps import WagtailUsersAppConfig


class PortalConfig(AppConfig):
    default = True
    name = "portal"
    verbose_name = _("Owners")

    def ready(self):
        from portal import signals, signin  # noqa: F401


class UsersAppConfig(WagtailUsersAppConfig):
    """Wagtail's user admin, with the owner's profile fields on its forms."""

    default = False
    user_viewset = "portal.viewsets.UserViewSet"
