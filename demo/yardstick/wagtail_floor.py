"""A bare Wagtail site for the HTTP benchmark's memory yardstick: the apps, middleware and URLs
`wagtail start` gives a new project, no page models of its own, a SQLite database.

`make bench-http` migrates it into a folder of its own (WAGTAIL_FLOOR_DIR, required), serves it
with gunicorn as it serves the site (`gunicorn --pythonpath demo/yardstick wagtail_floor`),
loads its home page and a few admin screens, and reports its workers' memory beside the site's:
a lower bound of what a site on this Wagtail costs before it has a line of its own. Commands run
as with manage.py: `WAGTAIL_FLOOR_DIR=/tmp/floor python demo/yardstick/wagtail_floor.py
migrate`. It configures Django itself, so it lives outside the packages the site and its tests
import.
"""

import os
import sys
from pathlib import Path

from django.conf import settings

FOLDER = Path(os.environ["WAGTAIL_FLOOR_DIR"])
FOLDER.mkdir(parents=True, exist_ok=True)

# Run as a script, Django imports this file again by its name for its URLs: configured once
# (that import also makes the WSGI application below, which nothing then uses).
if not settings.configured:
    settings.configure(
        DEBUG=False,
        ROOT_URLCONF="wagtail_floor",
        ALLOWED_HOSTS=["127.0.0.1", "localhost", "testserver"],
        SECRET_KEY=os.environ.get(
            "WAGTAIL_FLOOR_SECRET", "a bare Wagtail site; a key of some length"
        ),
        INSTALLED_APPS=[
            "wagtail.contrib.forms",
            "wagtail.contrib.redirects",
            "wagtail.embeds",
            "wagtail.sites",
            "wagtail.users",
            "wagtail.snippets",
            "wagtail.documents",
            "wagtail.images",
            "wagtail.search",
            "wagtail.admin",
            "wagtail",
            "modelcluster",
            "taggit",
            "django_filters",
            "django.contrib.admin",
            "django.contrib.auth",
            "django.contrib.contenttypes",
            "django.contrib.sessions",
            "django.contrib.messages",
            "django.contrib.staticfiles",
        ],
        MIDDLEWARE=[
            "django.middleware.security.SecurityMiddleware",
            "django.contrib.sessions.middleware.SessionMiddleware",
            "django.middleware.common.CommonMiddleware",
            "django.middleware.csrf.CsrfViewMiddleware",
            "django.contrib.auth.middleware.AuthenticationMiddleware",
            "django.contrib.messages.middleware.MessageMiddleware",
            "django.middleware.clickjacking.XFrameOptionsMiddleware",
            "wagtail.contrib.redirects.middleware.RedirectMiddleware",
        ],
        TEMPLATES=[
            {
                "BACKEND": "django.template.backends.django.DjangoTemplates",
                "APP_DIRS": True,
                "OPTIONS": {
                    "context_processors": [
                        "django.template.context_processors.request",
                        "django.contrib.auth.context_processors.auth",
                        "django.contrib.messages.context_processors.messages",
                    ]
                },
            }
        ],
        DATABASES={
            "default": {"ENGINE": "django.db.backends.sqlite3", "NAME": FOLDER / "db.sqlite3"}
        },
        DEFAULT_AUTO_FIELD="django.db.models.BigAutoField",
        STATIC_URL="/static/",
        STATIC_ROOT=FOLDER / "static",
        STORAGES={
            "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
            "staticfiles": {
                "BACKEND": "django.contrib.staticfiles.storage.ManifestStaticFilesStorage"
            },
        },
        MEDIA_ROOT=FOLDER / "media",
        USE_TZ=True,
        WAGTAIL_SITE_NAME="floor",
        WAGTAILADMIN_BASE_URL="http://127.0.0.1",
    )

if __name__ == "__main__":
    from django.core.management import execute_from_command_line

    execute_from_command_line(sys.argv)
else:
    from django.core.wsgi import get_wsgi_application

    application = get_wsgi_application()

    from django.contrib import admin
    from django.urls import include, path
    from wagtail import urls as wagtail_urls
    from wagtail.admin import urls as wagtailadmin_urls
    from wagtail.documents import urls as wagtaildocs_urls

    urlpatterns = [
        path("django-admin/", admin.site.urls),
        path("admin/", include(wagtailadmin_urls)),
        path("documents/", include(wagtaildocs_urls)),
        path("", include(wagtail_urls)),
    ]
