from django.apps import AppConfig
from django.utils.translation import pgettext_lazy


class NoticesConfig(AppConfig):
    name = "notices"
    verbose_name = pgettext_lazy("app", "Notices")

    def ready(self):
        from notices import home_parts, signals  # noqa: F401 (the home page's part, publishing)
