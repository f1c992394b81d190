"""The event pages: the year's plan (EventIndexPage) and each event (EventPage)."""

import re
from functools import cache as memoize
from urllib.parse import quote

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Count, OuterRef, Subquery
from django.db.models.functions import Coalesce, ExtractYear
from django.http import HttpResponse
from django.template.context_processors import csrf
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel, FieldRowPanel, MultiFieldPanel
from wagtail.contrib.routable_page.models import RoutablePageMixin, path
from wagtail.fields import StreamField
from wagtail.models import Page, PageManager
from wagtail.query import PageQuerySet
from wagtail.search import index

from club.models import is_active_member
from events import ics
from events.models.base import Refusal, sum_of_seats, when
from events.models.registrations import Registration
from events.page_forms import EventPageForm
from home.blocks import BodyBlock
from home.caching import PAGES, CachedPageMixin
from home.models.pages import EnglishArticle, EnglishVersion, english_panels
from portal import framing
from portal.statements import Statement, columns


def ics_response(text, filename):
    response = HttpResponse(text, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


class EventIndexPage(RoutablePageMixin, EnglishVersion, Page):
    intro = models.CharField(_("introduction"), max_length=250, blank=True)

    content_panels = [*Page.content_panels, FieldPanel("intro"), *EnglishVersion.english_panels]
    parent_page_types = ["club.ClubPage"]
    subpage_types = ["events.EventPage"]
    max_count = 1

    class Meta:
        verbose_name = _("event list")

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        now = timezone.now()
        events = (
            EventPage.objects.live().child_of(self).with_seats_taken().select_related("lead_image")
        )
        year = request.GET.get("year", "")
        if re.fullmatch(r"20\d\d", year):
            plan = list(events.filter(starts_at__year=int(year)).order_by("starts_at"))
            # Grouped by the month in China, not in UTC: 1 March 06:00 is March.
            months = {}
            for event in plan:
                months.setdefault(timezone.localtime(event.starts_at).month, []).append(event)
            context.update(year=int(year), months=list(months.values()))
            shown = plan
        else:
            upcoming = list(events.filter(starts_at__gte=now).order_by("starts_at"))
            past = list(events.filter(starts_at__lt=now).order_by("-starts_at")[:12])
            context.update(upcoming=upcoming, past=past)
            shown = upcoming + past
        Registration.objects.mark_mine(request.user, shown)
        context["years"] = self.plan_years()
        return context

    def plan_years(self):
        """The years of the plan; they change only when an event is published: cached until
        then."""
        return PAGES.kept(
            f"club:event-years:{self.pk}",
            lambda: sorted(
                set(
                    EventPage.objects.live()
                    .child_of(self)
                    .annotate(y=ExtractYear("starts_at"))
                    .values_list("y", flat=True)
                )
            ),
            60 * 60,
        )

    # Wagtail's page addresses allow no dot, so the files live at calendar/ and ics/.
    @path("calendar/")
    def calendar(self, request):
        """The whole plan as a calendar feed phones can subscribe to."""
        events = EventPage.objects.live().child_of(self).order_by("starts_at")
        return ics_response(ics.calendar(events, self.title), "club-events.ics")


class EventQuerySet(PageQuerySet):
    def with_seats_taken(self):
        """Each event with its seats taken (guests included), summed by the database at once;
        `seats_taken()` answers from it."""
        return self.annotate(seats_taken_sum=sum_of_seats("registrations__"))

    def with_waitlist_length(self):
        """Each event with `waiting`, how many registrations are on its waitlist."""
        waiting = (
            Registration.objects.filter(event=OuterRef("pk"), status="waitlisted")
            .values("event")
            .annotate(n=Count("pk"))
            .values("n")
        )
        return self.annotate(waiting=Coalesce(Subquery(waiting), 0))

    def for_seat_change(self):
        """Locked: every change that moves seats of an event queues on its row."""
        return self.select_for_update(of=("self",))


#: The event page's per-reader queries, built once (portal.statements): the seats taken, and
#: the reader's live registration with their place in line.
_SEATS_TAKEN = Statement(
    lambda event: (
        Registration.objects.filter(event_id=event)
        .order_by()
        .values("event")
        .annotate(taken=sum_of_seats())
        .values_list("taken")
    )
)
_READERS_REGISTRATION = Statement(
    lambda event, user: (
        Registration.objects.live()
        .filter(event_id=event, user_id=user)
        .with_waitlist_position()
        .order_by("pk")
        .values_list(*columns(Registration), "waiting_ahead")[:1]
    )
)


class EventPage(CachedPageMixin, RoutablePageMixin, EnglishArticle, Page):
    base_form_class = EventPageForm

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
    place_en = models.CharField(_("place in English"), max_length=120, blank=True)
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
                FieldRowPanel(
                    [
                        FieldPanel("signup_opens_at"),
                        FieldPanel(
                            "signup_closes_at",
                            help_text=_("Empty: the evening before the event, 18:00."),
                        ),
                    ]
                ),
                FieldPanel("cancel_by"),
                FieldPanel("points"),
            ],
            heading=_("Sign-up"),
        ),
        FieldPanel("body"),
        *english_panels("title_en", "summary_en", "place_en", "body_en"),
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
        return "https://uri.amap.com/search?keyword=" + quote(self.address or self.place)

    # -- Seats: counted by the database, the same way for every screen and action -------------

    def seats_taken(self):
        """Seats held by confirmed and attended registrations, guests included. From
        `with_seats_taken()` when the event was listed with it, else counted now (as the actions
        do, on the event they have just locked)."""
        taken = getattr(self, "seats_taken_sum", None)
        if taken is None:
            rows = _SEATS_TAKEN.rows(event=self.pk)
            taken = rows[0][0] if rows else 0
        return taken

    def seats_left(self):
        return max(self.capacity - self.seats_taken(), 0)

    def has_room_for(self, seats):
        """Whether a party of `seats` fits now (else it waits, or is turned away at the door)."""
        return self.seats_taken() + seats <= self.capacity

    # -- Dates ---------------------------------------------------------------------------------

    def has_started(self, now=None):
        return self.starts_at <= (now or timezone.now())

    def cancellation_deadline(self):
        return self.cancel_by or self.starts_at

    def signup_state(self, now=None):
        """ "open", or why sign-up is not open: "cancelled", "past", "not_yet", "closed"."""
        now = now or timezone.now()
        if self.is_cancelled:
            return "cancelled"
        if self.has_started(now):
            return "past"
        if self.signup_opens_at and now < self.signup_opens_at:
            return "not_yet"
        if self.signup_closes_at and now >= self.signup_closes_at:
            return "closed"
        return "open"

    def signup_refusal(self, user, now=None, member=None):
        """Why `user` may not sign up now (a `Refusal`), or None when they may. Whether they
        are signed up already is the action's question: it asks under the event's lock.
        `member`: whether the user is an active club member, when the caller has asked."""
        state = self.signup_state(now)
        if state == "cancelled":
            return Refusal(state, gettext("This event is cancelled."))
        if state == "past":
            return Refusal(state, gettext("This event has already started."))
        if state == "not_yet":
            return Refusal(
                state, gettext("Sign-up opens on %(when)s.") % {"when": when(self.signup_opens_at)}
            )
        if state == "closed":
            return Refusal(
                state,
                gettext("Sign-up closed on %(when)s.") % {"when": when(self.signup_closes_at)},
            )
        if self.audience == self.Audience.MEMBERS:
            if not (is_active_member(user) if member is None else member):
                return Refusal(
                    "members_only",
                    gettext("This event is for club members. Join the club to sign up."),
                )
        elif not user.is_verified_owner:
            return Refusal(
                "owners_only",
                gettext("This event is for verified owners. Claim your unit to sign up."),
            )
        return None

    # -- The page ------------------------------------------------------------------------------
    # Kept once for every owner (home.caching); the seats left and the reader's own sign-up are
    # parts, written in as each page is answered (portal.framing).

    #: A visitor's copy is answered before any code runs: it could not show today's seats.
    shared_with_visitors = False

    def reader_parts(self, request):
        seats_left = memoize(self.seats_left)  # one count for both parts
        framing.page_parts(
            request,
            seats=lambda _: render_to_string(
                "events/includes/seats.html", {"page": self, "seats_left": seats_left()}
            ),
            signup=lambda _: self.signup_html(request, seats_left()),
        )

    def signup_html(self, request, seats_left):
        """The reader's sign-up: their registration and ticket, why they may not sign up, or
        the form."""
        user = request.user
        registration = problem = None
        if user.is_authenticated:
            found = _READERS_REGISTRATION.objects(
                Registration, "waiting_ahead", event=self.pk, user=user.pk
            )
            registration = found[0] if found else None
            if registration is not None:
                registration.event, registration.user = self, user
            else:
                problem = self.signup_refusal(user)
        context = {
            **csrf(request),  # the token, asked only if a form shows
            "page": self,
            "user": user,
            "registration": registration,
            "problem": problem,
            "seats_left": seats_left,
            "guest_choices": range(self.guests_allowed + 1),
        }
        return render_to_string("events/includes/signup.html", context)

    @path("ics/")
    def ics_file(self, request):
        """ "Add to calendar": this event alone."""
        return ics_response(ics.calendar([self], self.title), f"event-{self.pk}.ics")
