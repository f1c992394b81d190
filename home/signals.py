"""Publishing a magazine issue (or a listing or news item marked for members) mails it."""

from django.dispatch import receiver
from wagtail.signals import page_published


@receiver(page_published)
def mail_to_members(sender, instance, **kwargs):
    from home.mailing import start, wants_mailing

    # An alias is published with its original: the original's mailing covers it.
    if instance.alias_of_id is None and wants_mailing(instance):
        start(instance)
