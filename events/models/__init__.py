"""Club events (会员活动): Wagtail pages for the year's plan, and members' registrations.

The models hold the data and every answer that is a pure read of it: seats taken and left,
a waitlisted registration's place in line, whether someone may sign up or cancel and why not.
The actions (events.signup, events.checkin, events.notices), the admin screens, the pages'
contexts and the templates all ask these methods, so each rule is written once. The models
import no service of this app: the actions import them, never the other way round. (The pages'
calendar routes use events.ics, a formatter of the event's fields that imports nothing of the
app; the QR a template shows comes from a template tag, events.templatetags.events_tags.)

  base.py           which registrations hold seats or count as signed up; Refusal
  registrations.py  Registration (place in line, may it be cancelled) and AnnouncedDetails
  pages.py          EventIndexPage and EventPage (seats, may someone sign up, the pages' context)

Seats are counted from the registrations by the database, never kept as a number on the
page: publishing a page revision rewrites every page field, and would put back an old count.
"""

from events.models.base import LIVE, OPEN, SEATED, Refusal
from events.models.pages import EventIndexPage, EventPage, EventQuerySet, ics_response
from events.models.registrations import AnnouncedDetails, Registration, RegistrationQuerySet

__all__ = [
    "LIVE",
    "OPEN",
    "SEATED",
    "AnnouncedDetails",
    "EventIndexPage",
    "EventPage",
    "EventQuerySet",
    "Refusal",
    "Registration",
    "RegistrationQuerySet",
    "ics_response",
]
