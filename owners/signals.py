import contextlib

from allauth.account.signals import email_confirmed
from django.contrib.auth.signals import user_logged_in
from django.db.models.signals import post_save
from django.dispatch import receiver

from owners import archive
from owners.models import User
from portal.actions import Refused


@receiver(user_logged_in)
def use_the_owners_language(sender, request, user, **kwargs):
    """On a new device, the site speaks the language saved on the owner's profile."""
    request.session["language"] = user.language


@receiver(post_save, sender=User)
def link_on_verified_mobile(sender, instance, update_fields=None, **kwargs):
    """A number just verified (allauth's phone flows save exactly these fields): the account
    finds its record in the owner archive."""
    if instance.mobile_verified and update_fields and "mobile_verified" in update_fields:
        _link(instance)


@receiver(email_confirmed)
def link_on_confirmed_email(sender, request, email_address, **kwargs):
    _link(email_address.user)


def _link(user):
    """Linking is a help, never a reason for verification to fail: a record taken by another
    account at the same moment is left for staff."""
    with contextlib.suppress(Refused):
        archive.link_new_account(user)
