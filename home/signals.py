"""Publishing a magazine issue (or a listing or news item marked for members) mails it; a change
to the privacy policy clears its cached version."""

from django.db.models.signals import post_delete
from django.dispatch import receiver
from wagtail.signals import page_published, page_slug_changed, page_unpublished, post_page_move

from home.models import PrivacyPolicyPage


@receiver(page_published)
def mail_to_members(sender, instance, **kwargs):
    from home.mailing import start, wants_mailing

    # An alias is published with its original: the original's mailing covers it.
    if instance.alias_of_id is None and wants_mailing(instance):
        start(instance)


@receiver(page_published, sender=PrivacyPolicyPage)
@receiver(page_unpublished, sender=PrivacyPolicyPage)
@receiver(post_delete, sender=PrivacyPolicyPage)
@receiver(page_slug_changed)  # any page: an ancestor's new slug changes the policy's address
@receiver(post_page_move)
def forget_privacy_policy(**kwargs):
    from home.privacy import forget_policy

    forget_policy()
