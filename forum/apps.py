from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ForumConfig(AppConfig):
    name = "forum"
    verbose_name = _("Owner forum")

    def ready(self):
        # The search source and its index receivers; the shared page cache's receivers.
        from forum import caching, searching  # noqa: F401
