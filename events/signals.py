"""Publishing an event queues telling its registrants what changed (events.notices): the
editor's request neither locks the event nor renders an email."""

from django.dispatch import receiver
from wagtail.signals import page_published

from events.models import EventPage
from events.notices import queue_telling_registrants


@receiver(page_published, sender=EventPage)
def tell_registrants(sender, instance, revision, **kwargs):
    queue_telling_registrants(instance, revision)
