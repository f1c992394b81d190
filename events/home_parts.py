"""The home page's "coming up" part (portal.framing): the next events of the club, the same for
every reader; kept for a few minutes under the pages' version, so a publication shows at once
and an event that has ended drops off soon after."""

from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import get_language

from events.models import EventIndexPage, EventPage
from home.caching import PAGES
from portal import framing

SHOWN = 3
KEPT = 5 * 60


@framing.part("home_events")
def coming_up(request):
    def build():
        events = list(
            EventPage.objects.live()
            .filter(ends_at__gte=timezone.now(), is_cancelled=False)
            .order_by("starts_at")[:SHOWN]
        )
        plan = EventIndexPage.objects.live().first()
        return render_to_string(
            "events/includes/home_events.html",
            {
                "events": [(event, event.get_url(request)) for event in events],
                "plan_url": plan.get_url(request) if plan else "",
            },
        )

    # Kept a few minutes: an event that has ended leaves the list without a publication.
    return PAGES.kept(f"home:events:{get_language()}", build, KEPT)
