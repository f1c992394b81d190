"""Emails and texts to people, rendered in their own language and written to the outbox with the
change that causes them; a worker delivers them after commit."""

from django.conf import settings
from django.core import signing
from django.core.cache import cache
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.text import Truncator

from portal import outbox, phones
from portal.models import Notification
from portal.outbox import MAIL


def tell(user, template, context, *, text=None, inbox=None, headers=None, key=None, queue=MAIL):
    """A message to a person by the way they can be reached: by email (`template`, as
    `email_user`) where they have an address, else, for a message that has a text version
    (`text`: a template of portal.sms and its values), by SMS to their verified number. (Until
    owners choose their channels in 我的 → 通知设置, an owner who signed up with a number alone
    hears by SMS what others read by email.) `inbox`: (kind, words, url) of the entry it also
    leaves in the person's notifications on the site, whatever way it went. Returns the outbox
    row's id, or None."""
    if inbox and hasattr(user, "notifications") and not getattr(user, "closed_at", None):
        _leave_in_inbox(user, *inbox)
    if user.email:
        return email_user(user, template, context, headers=headers, key=key, queue=queue)
    if text and getattr(user, "mobile_verified", False) and not getattr(user, "closed_at", None):
        name, params = text
        phone = phones.international(user.mobile)
        return outbox.add_text(phone, name, params, key=key, queue=queue)
    return None


def _leave_in_inbox(user, kind, words, url):
    """An entry in the site's notifications for a message already sent by email or SMS: marked
    as sent, so the daily digest does not send it again."""
    limit = Notification._meta.get_field("text").max_length
    now = timezone.now()
    Notification.objects.create(
        recipient=user, kind=kind, text=Truncator(words).chars(limit), url=url, emailed_at=now
    )
    forget_unread([user.pk])


def site_link(path):
    """An address on the site, whole, for a text or an email."""
    return settings.WAGTAILADMIN_BASE_URL.rstrip("/") + path


def email_user(
    user, template, context, headers=None, attachments=(), *, key=None, queue=MAIL, group=""
):
    """Render `<template>_subject.txt`, `.txt` and `.html` for `user` and put the email in the
    outbox (portal/outbox.py), in the caller's transaction.

    Rendering happens now, while the objects are at hand; the worker only delivers, so a retry
    sends the same message. Nothing is sent if the surrounding transaction rolls back.
    `attachments`: (filename, bytes, MIME type) triples. `key`: what makes this email once (a
    period and a recipient, a case event): a second email with the same key is not written.
    Returns the outbox row's id, or None when nothing was written.
    """
    if not user.email or getattr(user, "closed_at", None):
        return None  # a closed account's address is a placeholder that must never be mailed
    context = {"user": user, "site_url": settings.WAGTAILADMIN_BASE_URL, **context}
    with translation.override(user.language or settings.LANGUAGE_CODE):
        subject = render_to_string(f"{template}_subject.txt", context).strip()
        text = render_to_string(f"{template}.txt", context)
        html = render_to_string(f"{template}.html", context)
    return queue_email(
        settings.EMAIL_SUBJECT_PREFIX + subject,
        text,
        [user.email],
        html=html,
        headers=headers,
        attachments=attachments,
        key=key,
        queue=queue,
        group=group,
    )


def queue_email(
    subject,
    text,
    to,
    html=None,
    from_email=None,
    headers=None,
    attachments=(),
    *,
    key=None,
    queue=MAIL,
    group="",
):
    """An email already rendered, into the outbox; see `email_user`."""
    payload = outbox.email_payload(
        subject,
        text,
        to,
        html=html,
        from_email=from_email,
        headers=headers,
        attachments=attachments,
    )
    return outbox.add_email(payload, key=key, queue=queue, group=group)


def notify(recipient, kind, *, text, url, actor=None, queue=MAIL, group=""):
    """Record an in-site notification and, if the person wants it at once, email it (through
    the outbox, in the same transaction: the caller's, or one of its own here)."""
    if recipient.closed_at:
        return None  # nobody reads it, and it would keep the account's activity going
    with transaction.atomic():
        return _notify(recipient, kind, text=text, url=url, actor=actor, queue=queue, group=group)


def _notify(recipient, kind, *, text, url, actor, queue, group):
    limit = Notification._meta.get_field("text").max_length
    notification = Notification.objects.create(
        recipient=recipient, kind=kind, actor=actor, text=Truncator(text).chars(limit), url=url
    )
    forget_unread([recipient.pk])
    wants_email = recipient.email_notifications == type(recipient).EmailNotifications.IMMEDIATELY
    if wants_email and kind != Notification.Kind.LIKE:
        stop = NOTIFICATIONS.url(recipient)
        email_user(
            recipient,
            "portal/email/notification",
            {"notification": notification, "unsubscribe_url": stop},
            headers=unsubscribe_headers(stop),
            key=f"notification:{notification.pk}",
            queue=queue,
            group=group,
        )
        notification.emailed_at = notification.created_at
        notification.save(update_fields=["emailed_at"])
    return notification


# -- The unread count on every page ---------------------------------------------------------

#: How long a person's unread count is kept at most; every path below that writes, reads or
#: deletes their notifications forgets it at once.
UNREAD_SECONDS = 3600


def _unread_key(user_id):
    return f"notifications:unread:{user_id}"


def unread_count(user):
    """The badge in the navigation: counted once, then read from the shared cache (a Redis
    outage is a miss, and the count is taken again)."""
    key = _unread_key(user.pk)
    count = cache.get(key)
    if count is None:
        count = user.notifications.unread().count()
        cache.set(key, count, UNREAD_SECONDS)
    return count


def forget_unread(user_ids):
    """These people's notifications were written, read or deleted: count their badge again. At
    once, and again when the transaction commits, so a count another request took meanwhile
    from the rows as they were before is not kept."""
    keys = [_unread_key(pk) for pk in set(user_ids)]
    if keys:
        cache.delete_many(keys)
        transaction.on_commit(lambda: cache.delete_many(keys))


def mark_read(user, ids):
    """The owner has seen these notifications (the notifications page)."""
    marked = Notification.objects.filter(recipient=user, pk__in=ids, read_at__isnull=True).update(
        read_at=timezone.now()
    )
    forget_unread([user.pk])
    return marked


def delete_notifications(notifications):
    """Delete a queryset of notifications (an account's closure); returns how many."""
    recipients = list(notifications.order_by().values_list("recipient_id", flat=True).distinct())
    deleted = notifications.delete()[1].get(Notification._meta.label, 0)
    forget_unread(recipients)
    return deleted


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
