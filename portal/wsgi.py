"""The WSGI application for gunicorn (`gunicorn portal.wsgi`; README, "Running it in production").

Everything every request needs is loaded here, not by each worker's first request: the URLconf
(every app's views), the template engines with every tag library, the translation catalogues.
With `gunicorn --preload` the master loads this module once and its workers share those pages
with it (copy-on-write); `gc.freeze()` keeps the collector from writing to them in the workers.
Nothing here opens a database, Redis or broker connection, or starts a thread: each worker
opens its own on its first request.
"""

import gc
import os
from importlib import import_module

from django.conf import settings
from django.core.wsgi import get_wsgi_application
from django.db import connections
from django.template import engines
from django.utils import translation

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings.production")
django_application = get_wsgi_application()
# Shared pages for visitors are answered before Django's request handling (portal.pagecache).
application = import_module("portal.pagecache").SharedPagesApplication(django_application)

import_module(settings.ROOT_URLCONF)  # imports every app's urls and views
engines.all()  # each engine imports every template tag library as it starts
for code, _name in settings.LANGUAGES:
    with translation.override(code):  # reads the language's catalogues
        pass
import_module(
    "portal.pagecache"
).release()  # the digest of this release's files, part of every kept page's key
connections.close_all()  # none should be open; a fork must never share one
gc.freeze()
