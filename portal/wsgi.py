"""The WSGI application for gunicorn (`gunicorn portal.wsgi`; README, "Running it in production").

Everything every request needs is loaded here, not by each worker's first request: the URLconf
(every app's views) with its reverse() tables filled for each language, the template engines
with every tag library, the translation catalogues, the caches.
With `gunicorn --preload` the master loads this module once and its workers share those pages
with it (copy-on-write); `gc.freeze()` keeps the collector from writing to them in the workers.
Nothing here opens a database, Redis or broker connection, or starts a thread: each worker
opens its own on its first request.
"""

import gc
import os
from importlib import import_module

from django.conf import settings
from django.core.cache import caches
from django.core.wsgi import get_wsgi_application
from django.db import connections
from django.template import engines
from django.urls import URLResolver, get_resolver
from django.utils import translation

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings.production")
django_application = get_wsgi_application()
# Shared pages for visitors are answered before Django's request handling (portal.pagecache).
application = import_module("portal.pagecache").SharedPagesApplication(django_application)


def fill_url_lookups(resolver):
    """The URLconf's tables for reverse() in the current language, in every included URLconf:
    Django builds them at the first reverse() in each language, and each worker building its
    own made some 20 MiB of every worker's memory its own (make bench-http, "Workers")."""
    resolver.reverse_dict, resolver.namespace_dict, resolver.app_dict  # noqa: B018
    for pattern in resolver.url_patterns:
        if isinstance(pattern, URLResolver):
            fill_url_lookups(pattern)


import_module(settings.ROOT_URLCONF)  # imports every app's urls and views
engines.all()  # each engine imports every template tag library as it starts
caches.all()  # each cache imports its client's modules; its connections come at first use
for code, _name in settings.LANGUAGES:
    with translation.override(code):  # reads the language's catalogues
        fill_url_lookups(get_resolver())
import_module(
    "portal.pagecache"
).release()  # the digest of this release's files, part of every kept page's key
connections.close_all()  # none should be open; a fork must never share one
gc.freeze()
