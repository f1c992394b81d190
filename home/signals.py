"""A change to the privacy policy clears its cached version; signing in checks the owner's
agreement to it; deleting an image or a document refreshes the cached pages that show it."""

from django.contrib.auth.signals import user_logged_in
from django.db import transaction
from django.db.models.signals import post_delete
from django.dispatch import receiver
from wagtail.documents import get_document_model
from wagtail.signals import page_published, page_slug_changed, page_unpublished, post_page_move

from home.caching import bump_pages_version
from home.models import PrivacyPolicyPage, SiteImage
from home.privacy import check_at_sign_in, forget_policy
from owners.models import User


@receiver(page_published, sender=PrivacyPolicyPage)
@receiver(page_unpublished, sender=PrivacyPolicyPage)
@receiver(post_delete, sender=PrivacyPolicyPage)
@receiver(page_slug_changed)  # any page: an ancestor's new slug changes the policy's address
@receiver(post_page_move)
def forget_privacy_policy(**kwargs):
    # Once the change is committed: a request reading the policy meanwhile would otherwise
    # cache the old version again.
    transaction.on_commit(forget_policy)


@receiver(user_logged_in, sender=User)
def check_consent_at_sign_in(request, user, **kwargs):
    check_at_sign_in(request, user)


@receiver(post_delete, sender=SiteImage)
@receiver(post_delete, sender=get_document_model())
def refresh_pages_showing_it(**kwargs):
    bump_pages_version()
