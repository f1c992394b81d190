from django.apps import AppConfig
from django.utils.translation import pgettext_lazy


class CasesConfig(AppConfig):
    name = "cases"
    verbose_name = pgettext_lazy("app", "Cases")
    admin_choices = ("Category",)  # listed in the ledger's filters (portal.admin_listing)

    def ready(self):
        from cases import home_parts  # noqa: F401
