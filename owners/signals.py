from allauth.account.signals import email_confirmed
from django.contrib.auth.signals import user_logged_in
from django.db.models.signals import post_save
from django.dispatch import receiver

from owners import archive
from owners.models import User


@receiver(user_logged_in)
def use_the_owners_language(sender, request, user, **kwargs):
    """On a new device, the site speaks the language saved on the owner's profile."""
    request.session["language"] = user.language


@receiver(post_save, sender=User)
def link_on_verified_mobile(sender, instance, update_fields=None, **kwargs):
    """A number just verified (allauth's phone flows save exactly these fields): the account
    finds its record in the owner archive."""
    if instance.mobile_verified and update_fields and "mobile_verified" in update_fields:
        archive.link_new_account(instance)


@receiver(email_confirmed)
def link_on_confirmed_email(sender, request, email_address, **kwargs):
    archive.link_new_account(email_address.user)
