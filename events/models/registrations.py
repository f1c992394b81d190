"""Members' registrations for events, and what the registrants were last told about one."""

from django.conf import settings
from django.db import models
from django.db.models import Count, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from events.models.base import LIVE, OPEN, Refusal, when


def _waiting_ahead():
    """How many of the event's waitlisted registrations came before this one: the waitlist is
    in sign-up order, and ids are handed out under the event's lock."""
    earlier = (
        Registration.objects.filter(
            event=OuterRef("event"), status="waitlisted", pk__lt=OuterRef("pk")
        )
        .values("event")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return Coalesce(Subquery(earlier), 0)


class RegistrationQuerySet(models.QuerySet):
    def live(self):
        return self.filter(status__in=LIVE)

    def with_waitlist_position(self):
        """Each registration with its place in line counted by the database at once;
        `waitlist_position()` answers from it."""
        return self.annotate(waiting_ahead=_waiting_ahead())

    def mark_mine(self, user, events):
        """Set `event.mine` to `user`'s live registration for each of `events`, in one query."""
        mine = {}
        if user.is_authenticated and events:
            registrations = self.live().filter(user=user, event__in=[e.pk for e in events])
            mine = {r.event_id: r for r in registrations}
        for event in events:
            event.mine = mine.get(event.pk)
        return events


class Registration(models.Model):
    class Status(models.TextChoices):
        CONFIRMED = "confirmed", _("Confirmed")
        WAITLISTED = "waitlisted", _("On the waitlist")
        CANCELLED = "cancelled", _("Cancelled")
        ATTENDED = "attended", _("Attended")

    event = models.ForeignKey(
        "events.EventPage",
        on_delete=models.CASCADE,
        related_name="registrations",
        verbose_name=_("event"),
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="event_registrations",
        verbose_name=_("registrant"),
    )
    guests = models.PositiveSmallIntegerField(_("guests"), default=0)
    #: The registrant and their guests: what the registration takes of the capacity.
    seats = models.PositiveSmallIntegerField(_("seats"), default=1, editable=False)
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, db_index=True)
    walk_in = models.BooleanField(_("walk-in"), default=False)
    created_at = models.DateTimeField(_("signed up"), auto_now_add=True, db_index=True)
    promoted_at = models.DateTimeField(_("moved off the waitlist"), null=True, blank=True)
    cancelled_at = models.DateTimeField(_("cancelled"), null=True, blank=True)
    checked_in_at = models.DateTimeField(_("checked in"), null=True, blank=True)
    checked_in_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("checked in by"),
    )
    reminded_at = models.DateTimeField(null=True, blank=True, editable=False)

    objects = RegistrationQuerySet.as_manager()

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = _("registration")
        verbose_name_plural = _("registrations")
        constraints = [
            # One live registration per person and event, even when the button is pressed twice.
            models.UniqueConstraint(
                fields=["event", "user"],
                condition=Q(status__in=["confirmed", "waitlisted", "attended"]),
                name="club_one_live_registration",
            ),
            models.CheckConstraint(condition=Q(seats__gte=1), name="club_registration_seats"),
        ]
        permissions = [("check_in", _("Can check members in at events"))]

    def __str__(self):
        return f"{self.event.title} · {self.user}"

    def get_absolute_url(self):
        return reverse("events:mine")

    @property
    def has_ticket(self):
        """A confirmed registration comes with a QR to show at the door."""
        return self.status == self.Status.CONFIRMED

    def waitlist_position(self):
        """1 for the first in line; None when not on the waitlist. From
        `with_waitlist_position()` when listed with it, else counted now."""
        if self.status != self.Status.WAITLISTED:
            return None
        ahead = getattr(self, "waiting_ahead", None)
        if ahead is None:
            ahead = (
                Registration.objects.filter(pk=self.pk)
                .annotate(ahead=_waiting_ahead())
                .values_list("ahead", flat=True)
                .get()
            )
        return ahead + 1

    def cancel_refusal(self, *, staff=False, closing_account=False, now=None):
        """Why this registration may not be cancelled now (a `Refusal`), or None when it may.

        Registrants cancel until the event starts; a confirmed seat only until the cancellation
        deadline, so it can still be offered to someone else. Staff may cancel later, and an
        account being closed gives its seats back after the deadline too: nobody will come.
        Who may cancel whose registration is the action's question."""
        now = now or timezone.now()
        if self.status not in OPEN:
            return Refusal(
                "done",
                gettext("This registration is already %(status)s.")
                % {"status": self.get_status_display()},
            )
        if self.event.has_started(now):
            return Refusal(
                "started", gettext("The event has started; it can no longer be cancelled.")
            )
        deadline = self.event.cancellation_deadline()
        late = now >= deadline and not (staff or closing_account)
        if self.status == self.Status.CONFIRMED and late:
            return Refusal(
                "deadline",
                gettext(
                    "The cancellation deadline was %(when)s. Please call the club desk if you "
                    "cannot come, so we can offer your seat to someone else."
                )
                % {"when": when(deadline)},
            )
        return None


class AnnouncedDetails(models.Model):
    """The time, place and state of an event as its registrants were last told them.

    A publication is compared with this, not with the revision before it, so two publications
    in quick succession (or a task run twice) tell each change once. Kept beside the page, not
    on it: publishing a revision rewrites every page field."""

    event = models.OneToOneField(
        "events.EventPage", on_delete=models.CASCADE, primary_key=True, related_name="announced"
    )
    starts_at = models.DateTimeField()
    ends_at = models.DateTimeField()
    place = models.CharField(max_length=120)
    is_cancelled = models.BooleanField(default=False)
    updated_at = models.DateTimeField(auto_now=True)

    #: The fields registrants are told about when they change (a cancellation has its own
    #: email).
    MOVED = ("starts_at", "ends_at", "place")
    TOLD = (*MOVED, "is_cancelled")

    class Meta:
        verbose_name = _("details told to registrants")
        verbose_name_plural = _("details told to registrants")

    def __str__(self):
        return f"{self.event_id}: {self.starts_at:%Y-%m-%d %H:%M} {self.place}"
