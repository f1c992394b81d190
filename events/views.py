"""Signing up for events and "My events"; the event pages themselves are Wagtail pages."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from events import signup
from events.models import EventIndexPage, EventPage, Registration

Status = Registration.Status


@require_POST
@login_required
def sign_up(request, event_id):
    try:
        guests = int(request.POST.get("guests", "0"))
    except ValueError:
        guests = -1
    try:
        # The action reads the event under its lock; reading it here too would be a second
        # query for every one of a crowd pressing at once.
        registration = signup.sign_up(event_id, request.user, guests)
    except EventPage.DoesNotExist:
        raise Http404 from None
    except signup.SignupError as error:
        messages.error(request, str(error))
        return redirect(get_object_or_404(EventPage.objects.live(), pk=event_id).url)
    else:
        if registration.status == Status.CONFIRMED:
            messages.success(
                request,
                _("You are signed up. Show the QR code at the door; we have emailed it to you."),
            )
        else:
            messages.warning(
                request,
                _(
                    "The event is full: you are number %(n)s on the waitlist. We will email you "
                    "if a seat frees up."
                )
                % {"n": registration.waitlist_position()},
            )
    return redirect(registration.event.url)


@require_POST
@login_required
def cancel(request, pk):
    registration = get_object_or_404(
        Registration.objects.select_related("event"), pk=pk, user=request.user
    )
    try:
        signup.cancel(registration, request.user)
    except signup.SignupError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("Your registration is cancelled."))
    back = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(back, {request.get_host()}, request.is_secure()):
        back = "events:mine"
    return redirect(back or "events:mine")


@login_required
def my_events(request):
    now = timezone.now()
    registrations = (
        Registration.objects.filter(user=request.user)
        .exclude(status=Status.CANCELLED, event__starts_at__lt=now)
        .select_related("event")
        .with_waitlist_position()
        .order_by("event__starts_at")
    )
    upcoming = [r for r in registrations if not r.event.has_started(now)]
    past = [r for r in registrations if r.event.has_started(now)][::-1]
    index = EventIndexPage.objects.live().first()
    return render(
        request,
        "events/my_events.html",
        {"upcoming": upcoming, "past": past, "events_url": index.url if index else ""},
    )
