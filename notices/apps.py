from django.apps import AppConfig
from django.utils.translation import pgettext_lazy


class NoticesConfig(AppConfig):
    name = "notices"
    verbose_name = pgettext_lazy("app", "Notices")
    admin_choices = ("NoticePage",)  # listed in the receipts' filters (portal.admin_listing)

    def ready(self):
        from notices import home_parts, signals  # noqa: F401 (the home page's part, publishing)
