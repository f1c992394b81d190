"""Publishing a magazine issue (or a listing or news item marked for members) mails it."""

from django.dispatch import receiver
from wagtail.signals import page_published


@receiver(page_published)
def mail_to_members(sender, instance, **kwargs):
    from home.mailing import start, wants_mailing

    if wants_mailing(instance):
        start(instance)
