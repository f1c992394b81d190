"""The club's page shows the tiers and earn rules: changing them refreshes the cached page."""

from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from club.models import ClubSettings, Tier
from home.caching import bump_pages_version


@receiver(post_save, sender=Tier)
@receiver(post_delete, sender=Tier)
@receiver(post_save, sender=ClubSettings)
def refresh_club_page(**kwargs):
    bump_pages_version()
