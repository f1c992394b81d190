"""The club's page shows the tiers and earn rules: changing them refreshes the cached page.
Publishing an event tells its registrants what changed."""

from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver
from wagtail.signals import page_published

from club.models import ClubSettings, Tier
from home.caching import bump_pages_version


@receiver(post_save, sender=Tier)
@receiver(post_delete, sender=Tier)
@receiver(post_save, sender=ClubSettings)
def refresh_club_page(**kwargs):
    bump_pages_version()


@receiver(page_published)
def tell_registrants(sender, instance, revision, **kwargs):
    from club.events import event_published
    from club.models import EventPage

    if isinstance(instance, EventPage):
        event_published(instance, revision)
