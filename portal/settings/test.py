"""The test suite: fast hashing, in-memory email, tasks eager unless a broker is given."""

from .base import *  # noqa: F403
from .base import INSTALLED_APPS, env

DEBUG = False
SECRET_KEY = "test-only-insecure-key"
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
# Requests and the code under test run eagerly in-process; the Celery integration test
# starts a real worker against CELERY_BROKER_URL on its own.
CELERY_TASK_ALWAYS_EAGER = True
WAGTAILADMIN_BASE_URL = env("SITE_URL", "http://testserver")

# Demo content, `load_demo` and the benchmarks: never installed in production.
INSTALLED_APPS = [*INSTALLED_APPS, "demo"]
