from django.contrib.auth.signals import user_logged_in
from django.dispatch import receiver


@receiver(user_logged_in)
def use_the_owners_language(sender, request, user, **kwargs):
    """On a new device, the site speaks the language saved on the owner's profile."""
    request.session["language"] = user.language
