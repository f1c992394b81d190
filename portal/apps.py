from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PortalConfig(AppConfig):
    name = "portal"
    verbose_name = _("Site")

    def ready(self):
        from portal.unmounted import leave_v3_api_unloaded

        leave_v3_api_unloaded()  # first, and before Wagtail's apps' ready(), which load it

        from django.contrib.auth.models import Group, Permission
        from wagtail.models import get_page_models

        from portal import address, admin_listing, admin_menu, hours, roles, signin  # noqa: F401
        from portal.weixin import linking  # noqa: F401 (its receiver)

        roles.connect_staff_flag()
        admin_menu.connect()
        # The lists in the admin's filters: roles and their permissions (a case handler's),
        # pages of every kind (a page's save is sent by its own class: a notice's title), and
        # each app's `admin_choices`.
        admin_listing.follow_choices(
            Group, Permission, Group.permissions.through, *get_page_models()
        )
