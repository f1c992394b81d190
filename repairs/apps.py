from django.apps import AppConfig
from django.utils.translation import pgettext_lazy


class RepairsConfig(AppConfig):
    name = "repairs"
    verbose_name = pgettext_lazy("app", "Repairs")
