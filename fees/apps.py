from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FeesConfig(AppConfig):
    name = "fees"
    verbose_name = _("Fees")
    admin_choices = ("BillingRun",)  # listed in the bills' filters (portal.admin_listing)

    def ready(self):
        from fees import home_parts  # noqa: F401
