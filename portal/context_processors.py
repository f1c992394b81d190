from django.conf import settings
from django.contrib import messages as django_messages
from django.contrib.messages.storage.base import Message
from django.utils.translation import get_language

from portal import health
from portal.csp import admin_prefix


def site(request):
    # The reader's own bits of the frame (their name, their unread count) are parts, asked
    # for where they show (portal.framing): nothing here costs a lookup. English readers get
    # the site's English name.
    english = (get_language() or "").startswith("en")
    return {"SITE_NAME": settings.SITE_NAME_EN if english else settings.WAGTAIL_SITE_NAME}


class AdminMessages:
    """Wagtail's messages on an admin page, after the warnings of portal.health: Wagtail draws
    them all alike, at the top of the page. Lazy, like Django's own: nothing is asked until the
    page shows its messages."""

    def __init__(self, request):
        self.request = request
        self._messages = None

    def _all(self):
        if self._messages is None:
            warnings = [Message(django_messages.WARNING, text) for text in health.admin_warnings()]
            self._messages = warnings + list(django_messages.get_messages(self.request))
        return self._messages

    def __iter__(self):
        return iter(self._all())

    def __len__(self):
        return len(self._all())

    def __bool__(self):
        return bool(self._all())


def admin_warnings(request):
    """On admin pages, the warnings for staff join the messages (after Django's processor)."""
    user = getattr(request, "user", None)
    if not request.path.startswith(admin_prefix()) or user is None or not user.is_authenticated:
        return {}
    return {"messages": AdminMessages(request)}
