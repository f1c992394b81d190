"""The club's page shows the tiers and earn rules: changing them refreshes the cached page. A
record of the owner archive linked to its account brings its membership along."""

from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from club.membership import attach_account
from club.models import ClubSettings, Tier
from home.caching import bump_pages_version
from owners.models import OwnerRecord


@receiver(post_save, sender=Tier)
@receiver(post_delete, sender=Tier)
@receiver(post_save, sender=ClubSettings)
@receiver(post_delete, sender=ClubSettings)
def refresh_club_page(**kwargs):
    bump_pages_version()


@receiver(post_save, sender=OwnerRecord)
def membership_follows_the_account(instance, **kwargs):
    if instance.user_id:
        attach_account(instance)
