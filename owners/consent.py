"""Recording what an owner agreed to: the privacy policy at sign-up or when it changes, the club
rules when applying. Sign-up, the re-consent page, the club application and tests call these."""

from wagtail.log_actions import log

from owners.models import Consent

Document = Consent.Document


def record(user, document, version):
    """Add a consent row and log it; returns the new Consent."""
    consent = Consent.objects.create(user=user, document=document, version=version)
    log(consent, "owners.consent.give", user=user, data={"version": version})
    return consent


def has_agreed(user, document, version):
    return Consent.objects.filter(user=user, document=document, version=version).exists()


def consent_exempt(view):
    """Mark a view an owner may use before agreeing to a changed privacy policy (home.privacy):
    unsubscribing, downloading their data or closing the account must never be harder for
    someone who does not agree."""
    view.consent_exempt = True
    return view
