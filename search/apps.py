from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class SearchConfig(AppConfig):
    name = "search"
    verbose_name = _("Site search")

    def ready(self):
        from search import searching, signals  # noqa: F401 (receivers)

        post_migrate.connect(signals.rebuild_after_migrate, sender=self)
