"""Publishing an event tells its registrants what changed."""

from django.dispatch import receiver
from wagtail.signals import page_published

from events.models import EventPage
from events.notices import event_published


@receiver(page_published, sender=EventPage)
def tell_registrants(sender, instance, revision, **kwargs):
    event_published(instance, revision)
