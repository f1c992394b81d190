"""Club events in the admin: registrations per event with export, the door check-in screen
and the dashboard's fill rates. The event pages themselves are edited in the page explorer."""

from datetime import timedelta

import django_filters
from django import forms
from django.contrib.auth import get_user_model
from django.shortcuts import redirect
from django.urls import path, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from wagtail.admin import messages
from wagtail.admin.filters import WagtailFilterSet
from wagtail.admin.menu import MenuItem
from wagtail.admin.ui.components import Component
from wagtail.admin.ui.tables import Column, DateColumn
from wagtail.admin.viewsets.base import ViewSet, ViewSetGroup
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.permissions import register_permission_policy

from club.admin_views import StaffFormView
from events import checkin
from events.models import EventPage, Registration
from portal.admin_actions import RulesOnlyPolicy
from portal.exports import SafeIndexView


def recent_and_upcoming_events():
    since = timezone.now() - timedelta(days=2)
    return (
        EventPage.objects.live()
        .filter(ends_at__gte=since, is_cancelled=False)
        .order_by("starts_at")
    )


class RegistrationFilterSet(WagtailFilterSet):
    event = django_filters.ModelChoiceFilter(
        label=gettext_lazy("Event"), queryset=EventPage.objects.order_by("-starts_at")
    )

    class Meta:
        model = Registration
        fields = ["event", "status", "walk_in"]


# Registrations change only through sign-up, cancellation and check-in: staff may only look.
register_permission_policy(Registration, RulesOnlyPolicy(Registration, ("view",)), exact_class=True)


class RegistrationViewSet(ModelViewSet):
    """报名名单: who signed up for what, exportable for the event team."""

    model = Registration
    name = "club_registrations"
    url_prefix = "club/registrations"
    icon = "list-ul"
    menu_label = gettext_lazy("Event registrations")
    filterset_class = RegistrationFilterSet
    list_display = [
        Column("event", label=gettext_lazy("Event"), accessor="event.title"),
        Column("user", label=gettext_lazy("Name"), accessor="user"),
        Column("seats", label=gettext_lazy("Seats")),
        Column("status", label=gettext_lazy("Status"), accessor="get_status_display"),
        DateColumn("created_at", label=gettext_lazy("Signed up")),
        DateColumn("checked_in_at", label=gettext_lazy("Checked in")),
    ]
    list_export = [
        "event.title",
        "event.starts_at",
        "user.real_name",
        "user.mobile",
        "user.email",
        "guests",
        "seats",
        "status",
        "walk_in",
        "created_at",
        "checked_in_at",
    ]
    export_headings = {
        "event.title": gettext_lazy("Event"),
        "event.starts_at": gettext_lazy("Starts"),
        "user.real_name": gettext_lazy("Name"),
        "user.mobile": gettext_lazy("Mobile number"),
        "user.email": gettext_lazy("Email address"),
    }
    export_filename = "event-registrations"
    index_view_class = SafeIndexView
    search_fields = ["user__real_name", "user__mobile", "event__title"]
    form_fields = []  # registrations change only through sign-up, cancel and check-in
    add_to_reference_index = False
    copy_view_enabled = False
    list_per_page = 100

    def get_index_view_kwargs(self, **kwargs):
        queryset = Registration.objects.select_related("event", "user").order_by(
            "-event__starts_at", "pk"
        )
        return super().get_index_view_kwargs(queryset=queryset, **kwargs)


class CheckInForm(forms.Form):
    event = forms.ModelChoiceField(
        label=gettext_lazy("Event"), queryset=EventPage.objects.none(), empty_label=None
    )
    code = forms.CharField(
        label=gettext_lazy(
            "Scan the registration QR or the member card, or type a card, member or mobile "
            "number, or a name"
        ),
        max_length=200,
        required=False,
        widget=forms.TextInput(attrs={"autofocus": True, "autocomplete": "off"}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["event"].queryset = recent_and_upcoming_events()


class CheckInView(StaffFormView):
    """At the door, on a phone: scan, see who it is and their party size, let them in."""

    form_class = CheckInForm
    template_name = "events/admin/check_in.html"
    page_title = gettext_lazy("Event check-in")
    header_icon = "calendar-check"
    permission = "events.check_in"

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        if self.request.method == "GET" and "event" in self.request.GET:
            kwargs["data"] = self.request.GET
        return kwargs

    def get(self, request, *args, **kwargs):
        form = self.get_form()
        if form.is_bound and form.is_valid():
            return self.lookup(form)
        return super().get(request, *args, **kwargs)

    def post(self, request, *args, **kwargs):
        action = request.POST.get("action")
        if action in ("check_in", "walk_in"):
            return self.act(action)
        form = self.get_form()
        return self.lookup(form) if form.is_valid() else self.form_invalid(form)

    def lookup(self, form):
        event = form.cleaned_data["event"]
        context = {"form": CheckInForm(initial={"event": event}), "event": event}
        code = form.cleaned_data["code"]
        person = self.request.GET.get("person", "")
        found = None
        if code:
            found = checkin.find(event, code)
        elif person.isdigit():
            found = checkin.find_person(event, int(person))
        if found:
            context.update(
                registration=found.registration,
                person=found.person,
                problem=found.problem,
                how=found.how_label,
                matches=found.matches,
            )
            if found.registration is None and found.person is not None and not found.problem:
                context["walk_in_choices"] = range(event.guests_allowed + 1)
        context["seats_left"] = event.seats_left()
        return self.render_to_response(self.get_context_data(**context))

    def act(self, action):
        event_id = self.request.POST.get("event", "")
        event = (
            recent_and_upcoming_events().filter(pk=event_id).first() if event_id.isdigit() else None
        )
        if event is None:
            return redirect(self.request.path)
        try:
            if action == "check_in":
                registration = Registration.objects.get(
                    pk=self.request.POST.get("registration"), event=event
                )
                registration = checkin.check_in(registration, self.request.user)
            else:
                person = get_user_model().objects.get(pk=self.request.POST.get("user"))
                guests = int(self.request.POST.get("guests", "0"))
                if not 0 <= guests <= event.guests_allowed:
                    raise checkin.CheckInError(_("Too many guests for this event."))
                registration = checkin.admit_walk_in(event, person, guests, self.request.user)
        except (Registration.DoesNotExist, get_user_model().DoesNotExist, ValueError):
            messages.error(self.request, _("That registration or person was not found."))
        except checkin.CheckInError as error:
            messages.error(self.request, str(error))
        else:
            messages.success(
                self.request,
                _("%(name)s checked in: party of %(seats)s.")
                % {"name": registration.user.display_name, "seats": registration.seats},
            )
        return redirect(f"{self.request.path}?event={event.pk}")


class CheckInViewSet(ViewSet):
    name = "club_check_in"
    url_prefix = "club/check-in"
    icon = "calendar-check"
    menu_label = gettext_lazy("Event check-in")

    def get_urlpatterns(self):
        return [path("", CheckInView.as_view(), name="index")]

    menu_item_class = type(
        "CheckInMenuItem",
        (MenuItem,),
        {"is_shown": lambda self, request: request.user.has_perm("events.check_in")},
    )


class EventFillPanel(Component):
    """Upcoming events: seats taken of capacity, and who is waiting."""

    name = "club_events"
    template_name = "events/admin/events_panel.html"
    order = 65

    def get_context_data(self, parent_context):
        events = list(
            EventPage.objects.live()
            .filter(starts_at__gte=timezone.now(), is_cancelled=False)
            .with_seats_taken()
            .with_waitlist_length()
            .order_by("starts_at")[:6]
        )
        for event in events:
            taken = event.seats_taken()
            event.percent = round(100 * taken / event.capacity) if event.capacity else 0
        return {
            "events": events,
            "registrations_url": reverse("club_registrations:index"),
            "check_in_url": reverse("club_check_in:index"),
        }


class EventsViewSetGroup(ViewSetGroup):
    menu_label = gettext_lazy("Club events")
    menu_icon = "calendar-alt"
    menu_order = 161
    items = (CheckInViewSet, RegistrationViewSet)
