"""Messages to people: in their notifications on the site and by email, SMS or WeChat, rendered in
their own language and written to the outbox with the change that causes them; a worker
delivers them after commit."""

from django.conf import settings
from django.core import signing
from django.core.cache import cache
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.text import Truncator

from portal import channels, memo, outbox, sms, wechat
from portal.channels import EMAIL, SMS, WECHAT
from portal.models import Notification, Outgoing
from portal.outbox import MAIL


def tell(
    user,
    topic,
    url,
    *,
    words=None,
    email=None,
    attachments=(),
    short=None,
    headers=None,
    key=None,
    queue=MAIL,
    group="",
):
    """A message of `topic` (portal.channels.TOPICS) to a person, by every channel they chose
        for it (portal.channels.route decides), and always in their notifications on the site.

        `url`: the page the message opens. `words`: its line in the site's notifications, in the
        person's language (by default the email's subject). `email`: (template, context) as
        `email_user`, with its `attachments`. `short`: (name, values) of a short message of
        portal.sms, sent as a text or a WeChat template message opening `url`; a name alone takes
        the email's subject (in Chinese, as the providers approve them) as its `news`. `key`:
        what makes the message once: told again with the same key, nobody hears it twice. `queue`
    and `group`: the outbox's, for the message's rows beyond the site. A person
        without an account (the sender of an email case) is told by email alone.

        Returns the notification on the site (None for a person without an account, or a key told
        already)."""

    def by_email(key):
        return email_user(
            user,
            *email,
            headers=headers,
            attachments=attachments,
            key=key,
            queue=queue,
            group=group,
        )

    if not hasattr(user, "notifications"):
        if email:
            by_email(key)
        return None
    if getattr(user, "closed_at", None):
        return None
    if words is None:
        words = _render(user, f"{email[0]}_subject.txt", email[1]).strip()
    if isinstance(short, str):
        with translation.override(settings.LANGUAGE_CODE):
            news = render_to_string(f"{email[0]}_subject.txt", {"user": user, **email[1]})
        short = (short, {"news": news.strip(), "url": site_link(url)})
    notification = _leave_in_inbox(user, topic, words, url, key)
    if notification is None:
        return None
    short_name = short[0] if short else None
    can = [EMAIL] if email else []
    if short_name and short_name in sms.TEMPLATES:
        can += [SMS, *([WECHAT] if wechat.template(short_name) else [])]
    ways = channels.route(user, topic, can=can)
    key = key or f"notification:{notification.pk}"
    rows = []
    if EMAIL in ways:
        rows.append(by_email(key))
    if SMS in ways:
        rows.append(outbox.add_text(ways[SMS], *short, key=f"{key}:sms", queue=queue, group=group))
    if WECHAT in ways:
        rows.append(
            _by_wechat(ways[WECHAT], short, url, key=f"{key}:wechat", queue=queue, group=group)
        )
    _carried(notification, rows)
    return notification


def _by_wechat(openid, short, url, *, key, queue, group=""):
    """A short message as the official account's template message, opening `url`."""
    name, values = short
    return outbox.add_wechat(
        openid, name, values, site_link(url), key=key, queue=queue, group=group
    )


def _carried(notification, rows):
    """The outbox rows that carry `notification` beyond the site, for staff to see."""
    Outgoing.objects.filter(pk__in=[pk for pk in rows if pk]).update(notification=notification)


def _leave_in_inbox(user, topic, words, url, key):
    """The message's entry in the site's notifications, marked as sent (the daily digest of
    forum notifications does not send it again); None when one with this key exists."""
    limit = Notification._meta.get_field("text").max_length
    entry = Notification(
        recipient=user,
        kind=topic,
        text=Truncator(words).chars(limit),
        url=url,
        key=key,
        emailed_at=timezone.now(),
    )
    if key:
        try:
            with transaction.atomic():
                entry.save()
        except IntegrityError:
            return None
    else:
        entry.save()
    forget_unread([user.pk])
    return entry


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
    subject, text, html = (
        _render(user, f"{template}{part}", context) for part in ("_subject.txt", ".txt", ".html")
    )
    return queue_email(
        settings.EMAIL_SUBJECT_PREFIX + subject.strip(),
        text,
        [user.email],
        html=html,
        headers=headers,
        attachments=attachments,
        key=key,
        queue=queue,
        group=group,
    )


def _render(user, template, context):
    """A template of a message to `user`, in their language."""
    context = {"user": user, "site_url": settings.WAGTAILADMIN_BASE_URL, **context}
    with translation.override(user.language or settings.LANGUAGE_CODE):
        return render_to_string(template, context)


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
    if kind == Notification.Kind.LIKE:
        return notification
    rows = []
    wants_email = recipient.email_notifications == type(recipient).EmailNotifications.IMMEDIATELY
    if wants_email:
        stop = NOTIFICATIONS.url(recipient)
        rows.append(
            email_user(
                recipient,
                "portal/email/notification",
                {"notification": notification, "unsubscribe_url": stop},
                headers=unsubscribe_headers(stop),
                key=f"notification:{notification.pk}",
                queue=queue,
                group=group,
            )
        )
        notification.emailed_at = notification.created_at
        notification.save(update_fields=["emailed_at"])
    # By WeChat too where the owner chose it (the email follows its own setting, above).
    ways = channels.route(recipient, "forum", can=[WECHAT]) if wechat.template("forum_news") else {}
    if WECHAT in ways:
        short = ("forum_news", {"news": notification.text, "url": site_link(url)})
        key = f"notification:{notification.pk}:wechat"
        rows.append(_by_wechat(ways[WECHAT], short, url, key=key, queue=queue, group=group))
    _carried(notification, rows)
    return notification


# -- The unread count on every page ---------------------------------------------------------

#: How long a person's unread count is kept at most; every path below that writes, reads or
#: deletes their notifications forgets it at once.
UNREAD_SECONDS = 3600


def _unread_key(user_id):
    return f"notifications:unread:{user_id}"


#: On every page a signed-in owner opens: read with the page's first reads (portal.memo).
memo.read_ahead(lambda reader: None if reader is None else _unread_key(reader))


def unread_count(user):
    """The badge in the navigation: counted once, then read from the shared cache (a Redis
    outage is a miss, and the count is taken again)."""
    key = _unread_key(user.pk)
    count = memo.cached(key)
    if count is None:
        count = user.notifications.unread().count()
        cache.set(key, count, UNREAD_SECONDS)
    return count


def forget_unread(user_ids):
    """These people's notifications were written, read or deleted: count their badge again. At
    once, and again when the transaction commits, so a count another request took meanwhile
    from the rows as they were before is not kept."""
    keys = [_unread_key(pk) for pk in set(user_ids)]
    for key in keys:
        memo.forget(key)
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
