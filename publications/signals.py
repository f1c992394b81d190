"""Publishing a magazine issue (or a listing or news item marked for members) mails it."""

from django.dispatch import receiver
from wagtail.signals import page_published

from publications.mailing import start, wants_mailing


@receiver(page_published)
def mail_to_members(sender, instance, **kwargs):
    # An alias is published with its original: the original's mailing covers it. A revision
    # scheduled for later is "published" too: it is mailed when it goes live.
    if instance.live and instance.alias_of_id is None and wants_mailing(instance):
        start(instance)
