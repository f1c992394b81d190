"""A change to the privacy policy clears its cached version."""

from django.db import transaction
from django.db.models.signals import post_delete
from django.dispatch import receiver
from wagtail.signals import page_published, page_slug_changed, page_unpublished, post_page_move

from home.models import PrivacyPolicyPage
from home.privacy import forget_policy


@receiver(page_published, sender=PrivacyPolicyPage)
@receiver(page_unpublished, sender=PrivacyPolicyPage)
@receiver(post_delete, sender=PrivacyPolicyPage)
@receiver(page_slug_changed)  # any page: an ancestor's new slug changes the policy's address
@receiver(post_page_move)
def forget_privacy_policy(**kwargs):
    # Once the change is committed: a request reading the policy meanwhile would otherwise
    # cache the old version again.
    transaction.on_commit(forget_policy)
