from django.apps import AppConfig
from django.utils.translation import pgettext_lazy


class NoticesConfig(AppConfig):
    name = "notices"
    verbose_name = pgettext_lazy("app", "Notices")

    def ready(self):
        from notices import signals  # noqa: F401 (connects the publishing signal)
