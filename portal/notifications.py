"""Emails to people, rendered in their own language and sent by a Celery task after commit."""

from django.conf import settings
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import translation

from portal.tasks import send_email


def email_user(user, template, context):
    """Render `<template>_subject.txt`, `.txt` and `.html` for `user` and queue the email.

    Rendering happens now, while the objects are at hand; the task only delivers, so a retry
    sends the same message. Nothing is queued if the surrounding transaction rolls back.
    """
    if not user.email:
        return
    context = {"user": user, "site_url": settings.WAGTAILADMIN_BASE_URL, **context}
    with translation.override(user.language or settings.LANGUAGE_CODE):
        subject = render_to_string(f"{template}_subject.txt", context).strip()
        text = render_to_string(f"{template}.txt", context)
        html = render_to_string(f"{template}.html", context)
    queue_email(settings.EMAIL_SUBJECT_PREFIX + subject, text, [user.email], html=html)


def queue_email(subject, text, to, html=None, from_email=None):
    transaction.on_commit(
        lambda: send_email.delay(
            subject=" ".join(subject.split()),
            text=text,
            to=list(to),
            html=html,
            from_email=from_email or settings.DEFAULT_FROM_EMAIL,
        )
    )
