"""Emails to people, rendered in their own language and sent by a Celery task after commit."""

import base64
from smtplib import SMTPException

from celery import shared_task
from django.conf import settings
from django.core import signing
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.text import Truncator

from portal.models import Notification


@shared_task(
    autoretry_for=(SMTPException, OSError),
    retry_backoff=30,
    retry_backoff_max=3600,
    max_retries=8,
)
def send_email(*, subject, text, to, html=None, from_email=None, headers=None, attachments=None):
    message = EmailMultiAlternatives(subject, text, from_email, to, headers=headers)
    if html:
        message.attach_alternative(html, "text/html")
    for name, data, mime in attachments or ():
        message.attach(name, base64.b64decode(data), mime)
    message.send()


def email_user(user, template, context, headers=None, attachments=()):
    """Render `<template>_subject.txt`, `.txt` and `.html` for `user` and queue the email.

    Rendering happens now, while the objects are at hand; the task only delivers, so a retry
    sends the same message. Nothing is queued if the surrounding transaction rolls back.
    `attachments`: (filename, bytes, MIME type) triples.
    """
    if not user.email or getattr(user, "closed_at", None):
        return  # a closed account's address is a placeholder that must never be mailed
    context = {"user": user, "site_url": settings.WAGTAILADMIN_BASE_URL, **context}
    with translation.override(user.language or settings.LANGUAGE_CODE):
        subject = render_to_string(f"{template}_subject.txt", context).strip()
        text = render_to_string(f"{template}.txt", context)
        html = render_to_string(f"{template}.html", context)
    queue_email(
        settings.EMAIL_SUBJECT_PREFIX + subject,
        text,
        [user.email],
        html=html,
        headers=headers,
        attachments=attachments,
    )


def queue_email(subject, text, to, html=None, from_email=None, headers=None, attachments=()):
    # Task arguments travel as JSON: file contents go as base64 text.
    encoded = [(name, base64.b64encode(data).decode(), mime) for name, data, mime in attachments]
    transaction.on_commit(
        lambda: send_email.delay(
            subject=" ".join(subject.split()),
            text=text,
            to=list(to),
            html=html,
            from_email=from_email or settings.DEFAULT_FROM_EMAIL,
            headers=headers,
            attachments=encoded or None,
        )
    )


def notify(recipient, kind, *, text, url, actor=None):
    """Record an in-site notification and, if the person wants it at once, email it."""
    if recipient.closed_at:
        return None  # nobody reads it, and it would keep the account's activity going
    limit = Notification._meta.get_field("text").max_length
    notification = Notification.objects.create(
        recipient=recipient, kind=kind, actor=actor, text=Truncator(text).chars(limit), url=url
    )
    wants_email = recipient.email_notifications == type(recipient).EmailNotifications.IMMEDIATELY
    if wants_email and kind != Notification.Kind.LIKE:
        stop = NOTIFICATIONS.url(recipient)
        email_user(
            recipient,
            "portal/email/notification",
            {"notification": notification, "unsubscribe_url": stop},
            headers=unsubscribe_headers(stop),
        )
        notification.emailed_at = notification.created_at
        notification.save(update_fields=["emailed_at"])
    return notification


class EmailList:
    """A kind of email a person can stop from a link in one of them, without signing in.

    The link carries a signed token naming the person, and the list's purpose is part of the
    signature, so a link that stops one kind of email never stops another. Each list has its
    own page (its words, its switch), a `portal.views.UnsubscribeView` that reads the token back.
    """

    def __init__(self, purpose, url_name):
        self.purpose, self.url_name = purpose, url_name
        self.salt = f"portal.unsubscribe:{purpose}"

    def token(self, user):
        return signing.dumps(user.pk, salt=self.salt)

    def read(self, token):
        """The id of the person `token` was made for, or None for a forged or mistyped one."""
        try:
            user_id = signing.loads(token, salt=self.salt)
        except signing.BadSignature:
            return None
        return user_id if isinstance(user_id, int) else None

    def url(self, user):
        return settings.WAGTAILADMIN_BASE_URL + reverse(self.url_name, args=[self.token(user)])


#: Notifications of replies, mentions and official answers, and their daily digest.
NOTIFICATIONS = EmailList("notifications", "owners:unsubscribe")


def unsubscribe_headers(url):
    """Mail apps show their own "unsubscribe" button and POST to `url` (RFC 8058)."""
    return {"List-Unsubscribe": f"<{url}>", "List-Unsubscribe-Post": "List-Unsubscribe=One-Click"}
