"""Publishing a notice delivers it."""

from django.dispatch import receiver
from wagtail.signals import page_published

from notices import delivery
from notices.models import NoticePage


@receiver(page_published)
def deliver_on_publish(sender, instance, **kwargs):
    # Wagtail also says "published" of a revision scheduled for later: it goes out when live.
    if isinstance(instance, NoticePage) and instance.live and instance.alias_of_id is None:
        delivery.start(instance)
