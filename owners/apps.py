from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _
from wagtail.users.apps import WagtailUsersAppConfig


class OwnersConfig(AppConfig):
    default = True
    name = "owners"
    verbose_name = _("Owners")
    #: What the admin's filters list (portal.admin_listing.follow_choices): estates, and staff
    #: with their roles and permissions (a case's handlers, a repair's technicians).
    admin_choices = ("Estate", "User", "User.groups", "User.user_permissions")

    def ready(self):
        from owners import signals  # noqa: F401


class UsersAppConfig(WagtailUsersAppConfig):
    """Wagtail's user admin, with the owner's profile fields on its forms."""

    default = False
    user_viewset = "owners.viewsets.UserViewSet"
