from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EventsConfig(AppConfig):
    name = "events"
    verbose_name = _("Club events")

    def ready(self):
        from events import home_parts, signals  # noqa: F401
