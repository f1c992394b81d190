from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ForumConfig(AppConfig):
    name = "forum"
    verbose_name = _("Owner forum")

    def ready(self):
        from forum import searching  # noqa: F401  (the search source and its index receivers)
