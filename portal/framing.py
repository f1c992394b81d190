"""The reader's own parts of a page: written in last, so the rest can be kept for every reader.

A page that shows signed-in owners the same thing (a news item, the magazine, the listings) is
rendered once and kept in the shared cache (`portal.pagecache.reader_copy`); what is one
reader's own in its frame — the account link with their avatar and name, the count of their
unread notifications — is a *part*. While a page is rendered to be kept, a part is written as a
mark (`<!--reader:account-->`); every reader's copy then gets the marks replaced by their own
parts (`fill`), which costs a dictionary lookup and a cached count instead of a page render.
Any other page writes its parts in place, the same way.

Parts of the frame are registered once (`part`); a page adds parts of its own for the request
(`page_parts`: the topic page's follow button and each post's buttons), and a part may take a
number (`<!--reader:post:1234-->`). Templates ask for a part with
`{% load reader_parts %}{% reader_part "account" %}`.
"""

import re

from django.contrib.auth.models import AnonymousUser
from django.middleware.csrf import get_token
from django.template.loader import render_to_string
from django.utils.html import format_html
from django.utils.safestring import mark_safe
from django.utils.translation import ngettext

from portal.notifications import unread_count

_MARKS = re.compile(r"<!--reader:([a-z_]+)(?::([0-9]+))?-->")
#: Part name -> function(request) -> HTML.
PARTS = {}


def part(name):
    """Register the function that writes one reader's part called `name`."""

    def register(function):
        PARTS[name] = function
        return function

    return register


def start(request):
    """This request's page is (or comes from) a copy kept for every reader of its kind: its
    parts are written as marks, and `ReaderPartsMiddleware` writes the reader's own in."""
    request.writes_reader_marks = True


class ReaderPartsMiddleware:
    """The reader's own parts in place of the marks, on the way out: whatever the page became
    (a kept copy, a fresh render, or a 404 or 500 page rendered meanwhile), no mark is left."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        html = response.get("Content-Type", "").startswith("text/html")
        if html and writes_marks(request) and not response.streaming:
            response.content = fill(request, response.content.decode(response.charset))
        return response


def page_parts(request, **parts):
    """Parts of this request's page, by name: function(number or None) -> HTML."""
    request.__dict__.setdefault("_page_parts", {}).update(parts)


def writes_marks(request):
    return getattr(request, "writes_reader_marks", False)


def write(request, name, number=None):
    """A part: its mark while the page is rendered to be kept, else this reader's own."""
    if request is None:
        return ""
    if writes_marks(request):
        return mark_safe(f"<!--reader:{name}:{number}-->" if number else f"<!--reader:{name}-->")
    return _own_part(request, name, number)


def fill(request, html):
    """A kept page with this reader's parts in place of the marks."""
    return _MARKS.sub(lambda found: _own_part(request, found[1], found[2]), html)


def _own_part(request, name, number=None):
    """This reader's part, worked out once a request (the frame shows some twice)."""
    number = int(number) if number else None
    written = request.__dict__.setdefault("_reader_parts", {})
    if (name, number) not in written:
        own = getattr(request, "_page_parts", {}).get(name)
        written[name, number] = own(number) if own else PARTS[name](request)
    return written[name, number]


def reader(request):
    """Who reads the page; a page answered before authentication (a 413) has nobody signed in."""
    return getattr(request, "user", None) or AnonymousUser()


def csrf(request):
    """A form's CSRF field with the reader's own token, the same for every form of the page
    (Django masks the token anew each time it is asked)."""
    return _own_part(request, "csrf")


@part("csrf")
def _csrf_field(request):
    return format_html(
        '<input type="hidden" name="csrfmiddlewaretoken" value="{}">', get_token(request)
    )


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
