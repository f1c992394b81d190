from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PortalConfig(AppConfig):
    name = "portal"
    verbose_name = _("Site")

    def ready(self):
        from portal import address, admin_menu, hours, roles, signin  # noqa: F401
        from portal.weixin import linking  # noqa: F401 (its receiver)

        roles.connect_staff_flag()
        admin_menu.connect()
