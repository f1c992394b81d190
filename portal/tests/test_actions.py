"""Every app refuses an action the same way: a subclass of portal.actions.Refused."""

import importlib
import inspect
import pkgutil

from django.apps import apps

from portal.actions import Refused

#: Control flow, the cache's outage signal and the SMS providers' answers to the outbox, not
#: refusals shown to a person.
NOT_REFUSALS = {
    "forum.views._LoginNeeded",
    "portal.cache.CacheUnavailable",
    "portal.sms.TextRefused",
    "portal.sms.TextDeferred",
}


#: Modules that are run, not imported (the production settings refuse to load in tests).
SKIPPED = (".tests", ".migrations", ".management", ".settings", "__main__", "wsgi", "asgi")


def project_modules():
    for config in apps.get_app_configs():
        if "site-packages" in str(config.path) or "." in config.name:
            continue  # Django's, Wagtail's and the libraries' apps
        for info in pkgutil.walk_packages([config.path], prefix=f"{config.name}."):
            if not any(part in info.name for part in SKIPPED):
                yield importlib.import_module(info.name)


def test_every_refusal_error_is_a_refused():
    errors = {
        f"{module.__name__}.{name}": value
        for module in project_modules()
        for name, value in vars(module).items()
        if inspect.isclass(value)
        and issubclass(value, Exception)
        and value.__module__ == module.__name__
    }
    assert "cases.rules.CaseError" in errors and "owners.claims.ClaimError" in errors
    strays = sorted(
        name
        for name, error in errors.items()
        if not issubclass(error, Refused) and name not in NOT_REFUSALS
    )
    assert strays == []
