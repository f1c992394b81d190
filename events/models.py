"""Club events (会员活动): Wagtail pages for the year's plan, and members' registrations.

Seats are counted from the registrations by the database, never kept as a number on the
page: publishing a page revision rewrites every page field, and would put back an old count.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q, Sum
from django.db.models.functions import Coalesce
from django.http import HttpResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel, FieldRowPanel, MultiFieldPanel
from wagtail.contrib.routable_page.models import RoutablePageMixin, path
from wagtail.fields import StreamField
from wagtail.models import Page, PageManager
from wagtail.query import PageQuerySet
from wagtail.search import index

from events import ics
from home.blocks import BodyBlock

#: Registrations that hold seats.
SEATED = ("confirmed", "attended")


def ics_response(text, filename):
    response = HttpResponse(text, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


class EventIndexPage(RoutablePageMixin, Page):
    intro = models.CharField(_("introduction"), max_length=250, blank=True)

    content_panels = [*Page.content_panels, FieldPanel("intro")]
    parent_page_types = ["club.ClubPage"]
    subpage_types = ["events.EventPage"]
    max_count = 1

    class Meta:
        verbose_name = _("event list")

    def get_context(self, request, *args, **kwargs):
        from events.pages import index_context

        context = super().get_context(request, *args, **kwargs)
        context.update(index_context(self, request))
        return context

    # Wagtail's page addresses allow no dot, so the files live at calendar/ and ics/.
    @path("calendar/")
    def calendar(self, request):
        """The whole plan as a calendar feed phones can subscribe to."""
        events = EventPage.objects.live().child_of(self).order_by("starts_at")
        return ics_response(ics.calendar(events, self.title), "club-events.ics")


class EventQuerySet(PageQuerySet):
    def with_seats_taken(self):
        """Each event with `seats_taken` (guests included), summed by the database."""
        return self.annotate(
            seats_taken=Coalesce(
                Sum("registrations__seats", filter=Q(registrations__status__in=SEATED)), 0
            )
        )


class EventPage(RoutablePageMixin, Page):
    class Audience(models.TextChoices):
        MEMBERS = "members", _("Club members")
        OWNERS = "owners", _("All verified owners")

    lead_image = models.ForeignKey(
        "home.SiteImage",
        verbose_name=_("image"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    summary = models.CharField(_("summary"), max_length=200, blank=True)
    body = StreamField(BodyBlock(), verbose_name=_("details"), blank=True)
    starts_at = models.DateTimeField(_("starts"), db_index=True)
    ends_at = models.DateTimeField(_("ends"))
    place = models.CharField(_("place"), max_length=120)
    address = models.CharField(_("address"), max_length=200, blank=True)
    capacity = models.PositiveIntegerField(_("seats"), help_text=_("Guests take seats too."))
    signup_opens_at = models.DateTimeField(_("sign-up opens"), null=True, blank=True)
    signup_closes_at = models.DateTimeField(_("sign-up closes"), null=True, blank=True)
    cancel_by = models.DateTimeField(
        _("cancellation deadline"),
        null=True,
        blank=True,
        help_text=_("After this, members cannot cancel on the site. Empty: until it starts."),
    )
    audience = models.CharField(
        _("who may sign up"), max_length=20, choices=Audience.choices, default=Audience.MEMBERS
    )
    guests_allowed = models.PositiveSmallIntegerField(
        _("guests per registration"), default=1, help_text=_("Family or friends a member brings.")
    )
    points = models.PositiveIntegerField(_("points for attending"), default=0)
    is_cancelled = models.BooleanField(_("cancelled"), default=False)
    cancel_reason = models.CharField(_("reason for cancelling"), max_length=200, blank=True)

    objects = PageManager.from_queryset(EventQuerySet)()

    content_panels = [
        *Page.content_panels,
        FieldPanel("summary"),
        FieldPanel("lead_image"),
        MultiFieldPanel(
            [
                FieldRowPanel([FieldPanel("starts_at"), FieldPanel("ends_at")]),
                FieldPanel("place"),
                FieldPanel("address"),
            ],
            heading=_("When and where"),
        ),
        MultiFieldPanel(
            [
                FieldRowPanel([FieldPanel("capacity"), FieldPanel("guests_allowed")]),
                FieldPanel("audience"),
                FieldRowPanel([FieldPanel("signup_opens_at"), FieldPanel("signup_closes_at")]),
                FieldPanel("cancel_by"),
                FieldPanel("points"),
            ],
            heading=_("Sign-up"),
        ),
        FieldPanel("body"),
        MultiFieldPanel(
            [FieldPanel("is_cancelled"), FieldPanel("cancel_reason")],
            heading=_("Cancel the event"),
        ),
    ]
    search_fields = [
        *Page.search_fields,
        index.SearchField("summary"),
        index.SearchField("body"),
        index.SearchField("place"),
    ]
    parent_page_types = ["events.EventIndexPage"]
    subpage_types = []

    class Meta:
        verbose_name = _("club event")
        verbose_name_plural = _("club events")

    def clean(self):
        from django.core.exceptions import ValidationError

        super().clean()
        errors = {}
        if self.starts_at and self.ends_at and self.ends_at <= self.starts_at:
            errors["ends_at"] = _("The event must end after it starts.")
        if self.signup_closes_at and self.starts_at and self.signup_closes_at > self.starts_at:
            errors["signup_closes_at"] = _("Sign-up must close before the event starts.")
        opens, closes = self.signup_opens_at, self.signup_closes_at
        if opens and closes and opens >= closes:
            errors["signup_closes_at"] = _("Sign-up must close after it opens.")
        if self.is_cancelled and not self.cancel_reason.strip():
            errors["cancel_reason"] = _("Tell the registrants why the event is cancelled.")
        if errors:
            raise ValidationError(errors)

    @property
    def map_url(self):
        from urllib.parse import quote

        return "https://uri.amap.com/search?keyword=" + quote(self.address or self.place)

    def seats_left(self):
        taken = getattr(self, "seats_taken", None)
        if taken is None:
            taken = self.registrations.filter(status__in=SEATED).aggregate(
                n=Coalesce(Sum("seats"), 0)
            )["n"]
        return max(self.capacity - taken, 0)

    def signup_state(self, now=None):
        """ "open", or why sign-up is not open: "cancelled", "past", "not_yet", "closed"."""
        now = now or timezone.now()
        if self.is_cancelled:
            return "cancelled"
        if self.starts_at <= now:
            return "past"
        if self.signup_opens_at and now < self.signup_opens_at:
            return "not_yet"
        if self.signup_closes_at and now >= self.signup_closes_at:
            return "closed"
        return "open"

    def cancellation_deadline(self):
        return self.cancel_by or self.starts_at

    def get_context(self, request, *args, **kwargs):
        from events.pages import event_context

        context = super().get_context(request, *args, **kwargs)
        context.update(event_context(self, request))
        return context

    @path("ics/")
    def ics_file(self, request):
        """ "Add to calendar": this event alone."""
        return ics_response(ics.calendar([self], self.title), f"event-{self.pk}.ics")


class Registration(models.Model):
    class Status(models.TextChoices):
        CONFIRMED = "confirmed", _("Confirmed")
        WAITLISTED = "waitlisted", _("On the waitlist")
        CANCELLED = "cancelled", _("Cancelled")
        ATTENDED = "attended", _("Attended")

    event = models.ForeignKey(
        EventPage, on_delete=models.CASCADE, related_name="registrations", verbose_name=_("event")
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
