from wagtail import hooks

from events.admin_views import EventFillPanel, EventsViewSetGroup


@hooks.register("register_admin_viewset")
def register_event_viewsets():
    return EventsViewSetGroup()


@hooks.register("construct_homepage_panels")
def add_events_panel(request, panels):
    if request.user.has_perm("events.view_registration"):
        panels.append(EventFillPanel())
