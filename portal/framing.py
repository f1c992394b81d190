"""The reader's own parts of a page: written in last, so the rest can be kept for every reader.

A page that shows signed-in owners the same thing (a news item, the magazine, the listings) is
rendered once and kept in the shared cache (`portal.pagecache.reader_copy`); what is one
reader's own in its frame — the account link with their avatar and name, the count of their
unread notifications — is a *part*. While a page is rendered to be kept, a part is written as a
mark (`<!--reader:account-->`); every reader's copy then gets the marks replaced by their own
parts (`fill`), which costs a dictionary lookup and a cached count instead of a page render.
Any other page writes its parts in place, the same way.

Templates ask for a part with `{% load reader_parts %}{% reader_part "account" %}`.
"""

import re

from django.contrib.auth.models import AnonymousUser
from django.template.loader import render_to_string
from django.utils.html import format_html
from django.utils.safestring import mark_safe
from django.utils.translation import ngettext

from portal.notifications import unread_count

MARK = "<!--reader:{}-->"
_MARKS = re.compile(r"<!--reader:([a-z_]+)-->")
#: Part name -> function(request) -> HTML.
PARTS = {}


def part(name):
    """Register the function that writes one reader's part called `name`."""

    def register(function):
        PARTS[name] = function
        return function

    return register


def start(request):
    """The page now being rendered is to be kept for every reader of its kind: write marks."""
    request.writes_reader_marks = True


def write(request, name):
    """A part, for the template tag: its mark while the page is rendered to be kept, else this
    reader's own (each part worked out once a request: the frame shows some twice)."""
    if request is None:
        return ""
    if getattr(request, "writes_reader_marks", False):
        return mark_safe(MARK.format(name))
    return _own_part(request, name)


def fill(request, html):
    """A kept page with this reader's parts in place of the marks."""
    return _MARKS.sub(lambda found: _own_part(request, found[1]), html)


def _own_part(request, name):
    written = request.__dict__.setdefault("_reader_parts", {})
    if name not in written:
        written[name] = PARTS[name](request)
    return written[name]


def reader(request):
    """Who reads the page; a page answered before authentication (a 413) has nobody signed in."""
    return getattr(request, "user", None) or AnonymousUser()


@part("account")
def account(request):
    """The header's link to 我的 with the reader's avatar and name, or "sign in"."""
    return render_to_string("includes/account_link.html", {"user": reader(request)})


@part("unread")
def unread(request):
    """The count on 我的 in the navigation: the reader's unread notifications, if any."""
    user = reader(request)
    count = unread_count(user) if user.is_authenticated else 0
    if not count:
        return ""
    label = ngettext(
        "%(counter)s unread notification", "%(counter)s unread notifications", count
    ) % {"counter": count}
    return format_html('<span class="nav-count" aria-label="{}">{}</span>', label, count)
