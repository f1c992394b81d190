"""Local development: `make run`."""

from .base import *  # noqa: F403
from .base import INSTALLED_APPS, env

DEBUG = True
SECRET_KEY = env("SECRET_KEY", "dev-only-insecure-key-do-not-use-in-production")

# Demo content, `load_demo` and the benchmarks: never installed in production.
INSTALLED_APPS = [*INSTALLED_APPS, "demo"]
