"""The Celery app. Workers: `celery -A portal worker`; schedules: `celery -A portal beat`."""

import os

from celery import Celery

# Importing the package runs this first, for the worker, gunicorn (portal.wsgi) and jindu-portal
# alike: like them, production unless told otherwise. manage.py chooses development before.
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings.production")

app = Celery("portal")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
