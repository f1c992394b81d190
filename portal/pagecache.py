"""Whole pages for anonymous visitors, answered from the shared cache before anything else runs.

A visitor without a cookie is anonymous and has nothing waiting (no session, no message, no
language of their own), so every such visitor sees the same page for an address in a language.
`SharedPageCacheMiddleware` is first in MIDDLEWARE: a hit is answered before the security
headers, the session, the language, CSRF, authentication and the URL resolver run — no SQL, no
session. Under gunicorn, `SharedPagesApplication` answers it before Django's request handling
starts at all.

What may be shared is decided by the page itself: a view (or a page's `serve`) calls
`share(request, scope)` when what it shows depends on nothing but the address and the
language. The middleware stores the response only if, once rendered, it still qualifies: a
cookie-less GET, 200, no cookie set, nothing that says private, varying on nothing but the
language and the cookie. The headers are stored with the body and replayed as they were sent
(the security headers and the page policy's included: this middleware runs outside them).

A scope is a version number in the cache, part of every entry stored under it: its owner bumps
it on every change that shows on its pages (`Scope.bump`), and every page of the scope is
refreshed at once, without hunting keys. Entries also expire after `TIMEOUT`.

Query strings: an address with one is answered fresh unless every parameter is in
`settings.PAGE_CACHE_QUERY_PARAMETERS` with a value its pattern allows (each parameter once),
so nobody can fill the cache by inventing addresses.

Signed-in owners: a page that shows every owner of a kind the same thing (a news item to any
owner; an issue's articles to any club member) is kept once per kind — its *variant* — with
the reader's parts of the frame as marks (portal.framing), and each owner gets a copy with
their own parts written in (`reader_copy`, `keep_for_reader`). This runs in the page's own
view, after the session, authentication, the second step and the consent check, and after
Wagtail's view restrictions; staff, who get the editing bar, and anyone with a message
waiting get the page rendered afresh.
"""

import hashlib
import os
import pickle
import re
import sys
import threading
import time
from collections import OrderedDict
from functools import cache as memoize
from http import HTTPStatus
from pathlib import Path

from django.conf import settings
from django.contrib.messages import get_messages
from django.core.cache import cache
from django.core.exceptions import DisallowedHost
from django.core.handlers.wsgi import WSGIRequest
from django.db import transaction
from django.http import HttpResponse
from django.template.response import SimpleTemplateResponse
from django.utils import translation

from portal import framing, memo

TIMEOUT = 60 * 60
#: The scopes pages are kept under, by name (`Scope(name)` registers itself).
SCOPES = {}
#: Headers a shared response may vary on: the key holds the language, and only cookie-less
#: requests are answered.
SHAREABLE_VARY = {"accept-language", "cookie", "accept-encoding"}
#: What a cookie-less request can still carry that makes it someone's own.
PERSONAL_HEADERS = ("HTTP_AUTHORIZATION",)
CACHE_CONTROL_PRIVATE = re.compile(r"\b(private|no-store|no-cache)\b", re.IGNORECASE)
#: What a scope keeps (`Scope.kept`) is held in each process too, this long at most (a value
#: kept for less, the time it is kept for), in this many entries at most.
LOCAL_SECONDS = 60
LOCAL_ENTRIES = 500


class Scope:
    """A group of pages refreshed together: its version is part of every entry stored in it.
    The version is read once a request (portal.memo): every part of a page sees the same."""

    def __init__(self, name, *, pages=True):
        """`pages`: whether whole pages are kept under it (`share`, `keep_for_reader`). Every
        cookie-less request reads the versions of those scopes (`lookup`); a scope of parts
        alone (the admin's menus) stays out of SCOPES, and out of that read."""
        self.name = name
        self.key = f"{name}:version"
        if pages:
            SCOPES[name] = self

    def version(self):
        return memo.once(self.key, self._read_version)

    def _read_version(self):
        version = memo.cached(self.key)  # read ahead with the request's first reads, or now
        return cache.get_or_set(self.key, time.time_ns, None) if version is None else version

    def bump(self, **kwargs):
        """Refresh every page of the scope: now, and again once the transaction commits, so a
        page rendered from the old rows meanwhile is not kept under the new version."""
        self._set()
        transaction.on_commit(self._set)

    def _set(self):
        version = time.time_ns()
        cache.set(self.key, version, None)
        memo.put(self.key, version)

    def kept(self, key, build, timeout=TIMEOUT, *, local=True):
        """What `build()` makes of the scope's content for `key` (a route, a menu, a part of
        the home page), under the scope's current version and the release: from this
        process's memory, else from the shared cache, else built and kept in both (None is not
        kept). A change bumps the version, so neither ever answers with what it replaced;
        `timeout` bounds what changes with time alone, in both (LOCAL_SECONDS in the process
        at most). Each answer is a copy of its own, as from the shared cache. Values of which
        there are many (searches) say `local=False`: kept in the shared cache alone, they
        never push the routes and menus out of the process's few entries."""
        if not local:
            return kept_together([(self, key, build)], timeout)[0]
        full = self._full_key(key)
        with _local_lock:
            found = _local.get(full)
            if found is not None and found[0] > time.time():
                _local.move_to_end(full)
                return pickle.loads(found[1])
        # Kept with its deadline, so a process that reads it late keeps it no longer.
        deadline, value = cache.get(full) or (None, None)
        if value is None:
            value = build()
            if value is None:
                return None
            deadline = time.time() + timeout
            cache.set(full, (deadline, value), timeout)
        kept = pickle.dumps(value, pickle.HIGHEST_PROTOCOL)
        with _local_lock:
            _local[full] = (min(deadline, time.time() + LOCAL_SECONDS), kept)
            _local.move_to_end(full)
            while len(_local) > LOCAL_ENTRIES:
                _local.popitem(last=False)
        return value

    def _full_key(self, key):
        return f"{self.name}:{release()}:{key}:{self.version()}"


def read_versions(scopes):
    """Read the versions of `scopes` this request has not read yet in one round trip to the
    shared cache (with the keys read ahead, portal.memo), for each `Scope.version()` after."""
    wanted = [scope.key for scope in scopes if not memo.has(scope.key)]
    if wanted:
        found = memo.get_many(wanted)
        for key in wanted:
            if key in found:  # a scope never bumped is given its first version by version()
                memo.put(key, found[key])


def kept_together(wanted, timeout=TIMEOUT):
    """`Scope.kept(key, build, timeout, local=False)` for each (scope, key, build) of `wanted`,
    read from the shared cache in one round trip: their values, in order."""
    keys = [scope._full_key(key) for scope, key, _build in wanted]
    found = cache.get_many(keys)
    values, built = [], {}
    try:
        for full, (_scope, _key, build) in zip(keys, wanted, strict=True):
            _deadline, value = found.get(full) or (None, None)
            if value is None:
                value = build()
                if value is not None:
                    built[full] = (time.time() + timeout, value)
            values.append(value)
    finally:  # what was built before a build failed is kept all the same
        if built:
            cache.set_many(built, timeout)
    return values


#: The CMS pages: home.caching bumps it on every change a page shows (a publication, a view
#: restriction, a site); the pages' routes and parts and the site search's pages follow it.
PAGES = Scope("pages")
memo.read_ahead(lambda reader: PAGES.key)  # every page's menus and parts follow it


#: Scopes' values held in this process (`Scope.kept`): key -> (expires, as time.time(),
#: pickled value).
_local = OrderedDict()
_local_lock = threading.Lock()


#: The site's own packages, whose code and templates pages are rendered from.
SITE_PACKAGES = (
    "portal",
    "owners",
    "cases",
    "forum",
    "club",
    "events",
    "home",
    "publications",
    "search",
    "repairs",
    "notices",
    "fees",
)
#: What a page is made of: code, templates, catalogues, and the static files whose hashed
#: names it links to.
SOURCE_SUFFIXES = {".py", ".html", ".txt", ".svg", ".mo", ".css", ".js"}


@memoize
def release():
    """A digest of the code, templates, catalogues and static files of the site as deployed,
    and of the libraries installed with their versions (`_libraries`: Wagtail's tags and
    scripts are in its pages and screens too): a page kept by one release is never answered by
    the next, and every machine of a release agrees on it (it reads the files' contents)."""
    package_dir = Path(__file__).resolve().parent.parent
    roots = [package_dir / name for name in SITE_PACKAGES]
    roots += [Path(settings.SHARED_DIR) / name for name in ("templates", "locale", "static")]
    digest = hashlib.blake2b(digest_size=6)
    digest.update(repr(_libraries()).encode())
    for root in roots:
        for path in sorted(root.rglob("*")):
            parts = path.relative_to(root).parts
            if path.suffix in SOURCE_SUFFIXES and "tests" not in parts and path.is_file():
                digest.update(str(path.relative_to(root)).encode())
                digest.update(path.read_bytes())
    return digest.hexdigest()


def _libraries():
    """The distributions installed where Python imports from, by their metadata folders'
    names, which hold their versions (wagtail-8.0.1.dist-info): read from the folders' listing
    alone, in a few milliseconds, from a checkout or an installed wheel alike."""
    names = set()
    for entry in sys.path:
        try:
            with os.scandir(entry or ".") as found:
                names.update(
                    each.name for each in found if each.name.endswith((".dist-info", ".egg-info"))
                )
        except OSError:  # a zip, or a folder that is not there
            continue
    return sorted(names)


def share(request, scope, timeout=TIMEOUT):
    """The page being answered shows nothing but what everyone sees at its address: the
    middleware may keep it for cookie-less visitors, in `scope` (a `Scope` or its name), for
    `timeout` seconds at most (less for a page that says how long ago something was)."""
    request.shared_page_scope = scope if isinstance(scope, str) else scope.name
    request.shared_page_timeout = timeout


@memoize
def _parameter_patterns():
    return {
        name: re.compile(pattern)
        for name, pattern in getattr(settings, "PAGE_CACHE_QUERY_PARAMETERS", {}).items()
    }


def _query_part(request):
    """The query string in a fixed order, or None when this address is never kept."""
    if not request.GET:
        return ""
    patterns = _parameter_patterns()
    parts = []
    for name, values in request.GET.lists():
        pattern = patterns.get(name)
        if pattern is None or len(values) != 1 or not pattern.fullmatch(values[0]):
            return None
        parts.append(f"{name}={values[0]}")
    return "&".join(sorted(parts))


def _address_digest(request):
    """The address with its allowed query, hashed; None when the query is never kept."""
    query = _query_part(request)
    if query is None:
        return None
    try:
        host = request.get_host()
    except DisallowedHost:
        return None  # Django answers it with 400 further down
    address = f"{request.scheme}://{host}{request.path}?{query}"
    return hashlib.blake2b(address.encode(), digest_size=16).hexdigest()


def cache_key(request):
    """The entry for this request, or None when it is never answered from the cache."""
    if request.method not in ("GET", "HEAD") or request.COOKIES:
        return None
    if request.path_info.startswith(tuple(getattr(settings, "PAGE_CACHE_NEVER", ()))):
        return None
    if any(request.META.get(header) for header in PERSONAL_HEADERS):
        return None
    digest = _address_digest(request)
    if digest is None:
        return None
    # The language LocaleMiddleware picks for a request without a cookie or a session.
    language = translation.get_language_from_request(request)
    return f"page:{release()}:{language}:{digest}"


def lookup(request):
    """(key, what the cache holds for it and for the scopes' versions), or (None, None) when
    this request is never answered from the cache. Asked once a request: the WSGI application
    and the middleware share the answer."""
    if LOOKUP not in request.META:
        key = cache_key(request)
        found = cache.get_many([key, *(scope.key for scope in SCOPES.values())]) if key else None
        request.META[LOOKUP] = (key, found)
    return request.META[LOOKUP]


def _hit(found, key):
    """The stored (status, headers, content) when it is of the scope's current version."""
    entry = found.get(key)
    if entry is not None:
        scope, version, status, headers, content = entry
        if version is not None and found.get(SCOPES[scope].key) == version:
            return status, headers, content
    return None


#: Where a request keeps the answer of `lookup` (its WSGI environ).
LOOKUP = "portal.pagecache.lookup"


class SharedPageCacheMiddleware:
    """First in MIDDLEWARE: a hit is answered before anything else runs, with the headers the
    whole stack added when the page was stored (the security headers and the page policy's)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        key, found = lookup(request)
        if key is None:
            return self.get_response(request)
        hit = _hit(found, key)
        if hit is not None:
            return _rebuild(*hit)
        # The versions as they were before the page was rendered: a change meanwhile leaves
        # what is stored below out of date at once.
        versions = {name: found.get(scope.key) or scope.version() for name, scope in SCOPES.items()}
        response = self.get_response(request)
        scope = getattr(request, "shared_page_scope", None)
        if scope in SCOPES and _shareable(request, response):
            timeout = getattr(request, "shared_page_timeout", TIMEOUT)
            cache.set(key, _entry(scope, versions[scope], response), timeout)
        return response


class SharedPagesApplication:
    """The WSGI application, answering a hit before Django's request handling starts (no
    request signals, no middleware, no response object): about a third of a hit's time. A miss
    goes on to Django, which reuses the lookup (`lookup`), and the middleware stores the page."""

    def __init__(self, application):
        self.application = application

    def __call__(self, environ, start_response):
        if environ.get("REQUEST_METHOD") in ("GET", "HEAD") and not environ.get("HTTP_COOKIE"):
            request = WSGIRequest(environ)  # the same request Django would build
            key, found = lookup(request)
            hit = _hit(found, key) if key else None
            if hit is not None:
                status, headers, content = hit
                start_response(f"{status} {HTTPStatus(status).phrase}", headers)
                return [content] if environ["REQUEST_METHOD"] == "GET" else []
        return self.application(environ, start_response)


def _shareable(request, response):
    if request.method != "GET" or response.status_code != 200 or response.streaming:
        return False
    if response.cookies or CACHE_CONTROL_PRIVATE.search(response.get("Cache-Control", "")):
        return False
    vary = {part.strip().lower() for part in response.get("Vary", "").split(",") if part.strip()}
    return vary <= SHAREABLE_VARY


def _entry(scope, version, response):
    return (scope, version, response.status_code, list(response.items()), response.content)


def _rebuild(status, headers, content):
    response = HttpResponse(content, status=status)
    for name, value in headers:
        response[name] = value
    return response


# Signed-in owners ------------------------------------------------------------------------------


def may_keep_for_reader(request):
    """Whether this visit may be answered from, and kept as, a copy shared by its variant:
    an owner's GET with nothing waiting for them. Staff get the editing bar, so their own page."""
    user = request.user
    return (
        request.method in ("GET", "HEAD")
        and user.is_authenticated
        and not user.is_staff
        and not getattr(request, "is_preview", False)
        and len(get_messages(request)) == 0
    )


def reader_copy(request, scope, variant):
    """The copy kept for readers of `variant` at this address: (its HTML with the marks of the
    readers' parts, what the page kept beside it). Or None, and the page about to be rendered
    writes marks and is kept by `keep_for_reader`."""
    if hasattr(request, "reader_copy"):
        return None  # asked already, and missed: the page is being rendered to be kept
    digest = _address_digest(request)
    if digest is None:
        return None
    scope = SCOPES[scope if isinstance(scope, str) else scope.name]
    key = f"page:{release()}:{variant}:{translation.get_language()}:{digest}"
    reader = request.user.pk if request.user.is_authenticated else None
    known = memo.has(scope.key)  # read ahead with the session, or asked already
    found = memo.get_many([key] if known else [key, scope.key], reader)
    entry = found.get(key)
    version = scope.version() if known else found.get(scope.key)
    framing.start(request)  # parts as marks, written in on the way out
    if entry is not None and version is not None and entry[0] == version:
        return entry[1:]
    # The version the page's parts are rendered under (the request's, read once: portal.memo),
    # as it was before rendering: a change meanwhile leaves the copy out of date.
    request.reader_copy = (
        key,
        scope.version() if version is None else memo.once(scope.key, lambda: version),
    )
    return None


def keep_for_reader(request, response, kept=None, timeout=TIMEOUT):
    """Keep the page rendered after a `reader_copy` miss, with `kept`: what the page needs to
    write its readers' parts when the copy is found; for `timeout` seconds at most."""
    if not hasattr(request, "reader_copy"):
        return response
    if isinstance(response, SimpleTemplateResponse) and not response.is_rendered:
        response.add_post_render_callback(lambda rendered: _keep(request, rendered, kept, timeout))
    elif not response.streaming:
        _keep(request, response, kept, timeout)
    return response


def _keep(request, response, kept, timeout):
    # A page that wrote a CSRF token or set a cookie is this reader's own after all.
    if (
        response.status_code == 200
        and response.get("Content-Type", "").startswith("text/html")
        and not response.cookies
        and not request.META.get("CSRF_COOKIE_NEEDS_UPDATE")
    ):
        key, version = request.reader_copy
        cache.set(key, (version, response.content.decode(response.charset), kept), timeout)
