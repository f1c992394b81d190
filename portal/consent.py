"""Recording what an owner agreed to: the privacy policy at sign-up or when it changes, the club
rules when applying. Sign-up, the re-consent page, the club application and tests call these."""

from wagtail.log_actions import log

from portal.models import Consent

Document = Consent.Document


def record(user, document, version):
    """Add a consent row and log it; returns the new Consent."""
    consent = Consent.objects.create(user=user, document=document, version=version)
    log(consent, "portal.consent.give", user=user, data={"version": version})
    return consent


def has_agreed(user, document, version):
    return Consent.objects.filter(user=user, document=document, version=version).exists()
