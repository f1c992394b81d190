"""What a registration brings its registrant: the signed code in its QR, the QR itself, and the
confirmation's files (the event for the calendar and the QR to show at the door)."""

from io import BytesIO

import segno
from django.core import signing

from club.cards import qr_svg
from events import ics

SIGNER = signing.Signer(salt="club.registration")


def registration_payload(registration):
    return SIGNER.sign(f"R{registration.pk}")


def registration_id(code):
    """The registration a scanned code names, or None when it names none (e.g. a member card)."""
    try:
        value = SIGNER.unsign(code)
    except signing.BadSignature:
        return None
    return int(value[1:]) if value.startswith("R") and value[1:].isdigit() else None


def registration_qr_svg(registration):
    return qr_svg(registration_payload(registration))


def registration_attachments(registration):
    """A confirmed seat's files: the event for the calendar and the QR to show at the door. A
    place on the waitlist is no seat yet: it brings none."""
    if not registration.has_ticket:
        return []
    event = registration.event
    buffer = BytesIO()
    segno.make(registration_payload(registration), error="m").save(
        buffer, kind="png", scale=8, border=2
    )
    return [
        (f"event-{event.pk}.ics", ics.calendar([event], event.title).encode(), "text/calendar"),
        (f"registration-{registration.pk}.png", buffer.getvalue(), "image/png"),
    ]
