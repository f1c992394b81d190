"""What every part of the events' models shares: which registrations hold seats or count as
signed up, and the answer a rule gives when it refuses."""

from dataclasses import dataclass

from django.db.models import Q, Sum
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.formats import date_format

#: Registrations that hold seats.
SEATED = ("confirmed", "attended")
#: Registrations that count as signed up: one per person and event.
LIVE = ("confirmed", "waitlisted", "attended")
#: Registrations still to come: the registrant may cancel, and is told when the event changes.
OPEN = ("confirmed", "waitlisted")


@dataclass(frozen=True)
class Refusal:
    """Why something may not be done now: a message shown as it is, and a code screens may
    test to offer the way forward (e.g. "members_only" links to joining the club)."""

    code: str
    message: str

    def __str__(self):
        return self.message


def when(moment):
    return date_format(timezone.localtime(moment), "Y-m-d H:i")


def sum_of_seats(prefix=""):
    """The one sum of seats taken, from an event (`prefix` "registrations__") or its
    registrations."""
    return Coalesce(Sum(f"{prefix}seats", filter=Q(**{f"{prefix}status__in": SEATED})), 0)
