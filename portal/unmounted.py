"""Wagtail's v3 API left unloaded while the site does not mount it.

Wagtail 8's images, documents, snippets and redirects apps add their routers to the v3 API
(django-ninja on pydantic) in their `ready()`, whether or not the API is installed. Loading it
costs every web worker and task process about 15 MiB and 80 modules that no request uses: the
site mounts no v3 API, and the admin talks to Wagtail's own admin API.

So while "wagtail.api.v3" is not an installed app, `leave_v3_api_unloaded()` answers the
imports of Wagtail's v3 modules with inert ones: every name in them is a callable that does
nothing (`api.add_router(...)`, `register_content_types()`). Installing the app, to mount the
API, brings the real modules back. It is called from `portal.apps.PortalConfig.ready`, which
runs before Wagtail's apps' (portal is the first installed app); a test starts a process and
checks django-ninja was never imported.

Written here rather than taken from a library: no setting of Wagtail's turns the registrations
off, and this is the one import machinery hook Python provides for it (`sys.meta_path`).
"""

import importlib.abc
import importlib.util
import re
import sys
import types

from django.apps import apps

#: Wagtail's v3 modules: wagtail.api.v3 and each app's api.v3 (wagtail.images.api.v3.router).
V3_MODULES = re.compile(r"^wagtail\.(?:\w+\.)*api\.v3(?:\.|$)")


class _Nothing:
    """What every name of an inert module is: called or asked for anything, itself."""

    def __call__(self, *args, **kwargs):
        return self

    def __getattr__(self, name):
        return self


_NOTHING = _Nothing()


class _InertModule(types.ModuleType):
    def __getattr__(self, name):
        if name.startswith("__"):
            raise AttributeError(name)
        return _NOTHING


class _V3Finder(importlib.abc.MetaPathFinder, importlib.abc.Loader):
    def find_spec(self, fullname, path, target=None):
        if not V3_MODULES.match(fullname):
            return None
        return importlib.util.spec_from_loader(fullname, self, is_package=True)

    def create_module(self, spec):
        return _InertModule(spec.name)

    def exec_module(self, module):
        pass


def leave_v3_api_unloaded():
    if apps.is_installed("wagtail.api.v3"):
        return
    if not any(isinstance(finder, _V3Finder) for finder in sys.meta_path):
        sys.meta_path.insert(0, _V3Finder())
