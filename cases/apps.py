from django.apps import AppConfig
from django.utils.translation import pgettext_lazy


class CasesConfig(AppConfig):
    name = "cases"
    verbose_name = pgettext_lazy("app", "Cases")

    def ready(self):
        from cases import home_parts  # noqa: F401
