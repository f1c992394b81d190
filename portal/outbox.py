"""The outbox: every side effect is a row written with the change that causes it.

An email (already rendered) or a background job becomes an `Outgoing` row in the same
transaction as the change, under a unique key; a second row with the same key is never written,
so a retried task, a second beat or a double click adds nothing. After the commit the row's id
is handed to Celery (`deliver`) on the row's queue, best effort: a broker that does not answer
is logged and the request goes on. Every minute `relay` hands over again whatever is still due,
so a row waits at most a few minutes for a broker or a worker that was away. Delivery takes the
row's lock and skips rows already sent, so delivering twice sends once; a failure is retried
with a growing delay and ends as "failed", shown in the admin with its error and a retry button.

Redis carries only the nudges; the rows in the database are the record.

Without a broker (the embedded default, the tests) `deliver` runs in-process when the
transaction commits, so an email is in `mail.outbox` just after the change commits.
"""

import base64
import logging
import os
import threading
import uuid
from datetime import timedelta

from celery import current_app, shared_task
from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.core.mail import EmailMultiAlternatives, get_connection
from django.db import connection, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from wagtail.log_actions import log

from portal import sms, wechat
from portal.actions import Refused
from portal.models import Outgoing

logger = logging.getLogger(__name__)

#: The queues, by how long their work may wait: the inbox poll and one-to-one emails (cases,
#: accounts) never wait behind bulk ones (mailings, digests, forum followers).
INBOX, MAIL, BULK, DEFAULT = "inbox", "mail", "bulk", "default"
QUEUES = (INBOX, MAIL, BULK, DEFAULT)
#: Rows handed to one `deliver`: their emails share one SMTP connection.
CHUNK = 50

State, Kind = Outgoing.State, Outgoing.Kind


def queue_name(queue):
    """The broker's name for one of QUEUES (a prefix keeps test runs apart on one broker)."""
    return settings.CELERY_QUEUE_PREFIX + queue


# -- Writing rows ---------------------------------------------------------------------------


def email_payload(subject, text, to, *, html=None, from_email=None, headers=None, attachments=()):
    """An email as a row keeps it: rendered, JSON only (file contents as base64 text)."""
    return {
        "subject": " ".join(subject.split()),
        "text": text,
        "html": html,
        "to": list(to),
        "from_email": from_email or settings.DEFAULT_FROM_EMAIL,
        "headers": headers or {},
        "attachments": [
            [name, base64.b64encode(data).decode(), mime] for name, data, mime in attachments
        ],
    }


def add_email(payload, *, key=None, queue=MAIL, group=""):
    """Write an email row (see `email_payload`); delivered after commit. Returns the new row's
    id, or None when a row with this key exists already (nothing is written then)."""
    recipient = payload["to"][0] if payload["to"] else ""
    return _add(Kind.EMAIL, payload, key=key, queue=queue, group=group, recipient=recipient)


def add_text(phone, template, params, *, urgent=False, key=None, queue=MAIL, group=""):
    """Write a text message row: the `template` of portal.sms with its `params`, to `phone`
    (+86…); delivered after commit, or, unless `urgent` (a code someone is waiting for), at the
    end of the quiet hours when written during them (SMS_QUIET_HOURS: no text wakes an owner).
    Returns the new row's id, or None for a key written."""
    payload = {"phone": phone, "template": template, "params": params}
    later = None if urgent else sms.quiet_until()
    return _add(Kind.TEXT, payload, key=key, queue=queue, group=group, recipient=phone, at=later)


def add_wechat(openid, template, params, url, *, key=None, queue=MAIL, group=""):
    """Write a WeChat template message row (portal.wechat): the short message `template` of
    portal.sms with its `params`, opening `url`, to the official account's follower `openid`.
    Returns the new row's id, or None for a key written."""
    payload = {"openid": openid, "template": template, "params": params, "url": url}
    return _add(Kind.WECHAT, payload, key=key, queue=queue, group=group, recipient=openid)


def add_task(task, *, key=None, queue=DEFAULT, group="", **kwargs):
    """Write a job row: `task` (a Celery task) runs with `kwargs` (JSON) after commit, until it
    ends without an error. Returns the new row's id, or None for a key already written."""
    payload = {"task": task.name, "kwargs": kwargs}
    return _add(Kind.TASK, payload, key=key, queue=queue, group=group)


def describe(row):
    """What staff read for a row: an email's subject, or a job's name in their language (the
    `verbose_name` its task is declared with; the task's dotted name when it has none)."""
    if row.kind == Kind.EMAIL:
        return row.payload.get("subject", "")
    if row.kind in (Kind.TEXT, Kind.WECHAT):
        return sms.shown(row.payload["template"], row.payload["params"])
    name = row.payload.get("task", "")
    return str(getattr(current_app.tasks.get(name), "verbose_name", "") or name)


def _add(kind, payload, *, key, queue, group, recipient="", at=None):
    """`at`: not before then (the relay hands it over when it is due); else at once."""
    if queue not in QUEUES:
        raise ValueError(f"unknown queue {queue!r}")
    row = Outgoing(
        kind=kind,
        key=key or f"{kind}:{uuid.uuid4().hex}",
        group=group,
        queue=queue,
        recipient=recipient,
        payload=payload,
        next_attempt_at=at or timezone.now() + timedelta(seconds=settings.OUTBOX_RELAY_AFTER),
    )
    row_id = _insert_unless_key_exists(row)
    if row_id is not None and at is None:
        _kick_after_commit(row_id, queue)
    return row_id


def _insert_unless_key_exists(row):
    """One INSERT … ON CONFLICT DO NOTHING (PostgreSQL and SQLite alike): a repeated key is a
    no-op without a savepoint, and the surrounding transaction goes on."""
    meta = Outgoing._meta
    fields = [field for field in meta.concrete_fields if not field.primary_key]
    quote = connection.ops.quote_name
    values = [field.get_db_prep_save(field.pre_save(row, add=True), connection) for field in fields]
    sql = (
        f"INSERT INTO {quote(meta.db_table)} ({', '.join(quote(f.column) for f in fields)}) "
        f"VALUES ({', '.join(['%s'] * len(fields))}) "
        f"ON CONFLICT ({quote(meta.get_field('key').column)}) DO NOTHING "
        f"RETURNING {quote(meta.pk.column)}"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, values)
        found = cursor.fetchone()
    return found[0] if found else None


class _Kick:
    """Hands one row to a worker when its transaction commits, together with the rows written
    after it in that transaction (their own kicks then have nothing left to do): the rows of
    one transaction leave in one delivery per queue, their emails over one SMTP connection."""

    def __init__(self, row_id, queue):
        self.row_id, self.queue, self.done = row_id, queue, False

    def __call__(self):
        if self.done:
            return
        # At a commit Django has taken this callback off the list; when a test runs captured
        # callbacks it has not, and only those after this one belong to the same block.
        waiting = [entry[1] for entry in transaction.get_connection().run_on_commit]
        later = waiting[waiting.index(self) + 1 :] if self in waiting else waiting
        by_queue = {}
        for each in [self, *later]:
            if isinstance(each, _Kick) and not each.done:
                each.done = True
                by_queue.setdefault(each.queue, []).append(each.row_id)
        for queue, ids in by_queue.items():
            kick(ids, queue)


def _kick_after_commit(row_id, queue):
    transaction.on_commit(_Kick(row_id, queue))


def kick(ids, queue):
    """Hand rows to a worker now, best effort: an unreachable broker costs no more than its
    connection timeout, is logged, and leaves the rows to the relay."""
    try:
        if current_app.conf.task_always_eager:
            for start in range(0, len(ids), CHUNK):
                deliver.apply_async((list(ids[start : start + CHUNK]),))
            return
        broker = _kept_connection()
        for start in range(0, len(ids), CHUNK):
            deliver.apply_async(
                (list(ids[start : start + CHUNK]),),
                queue=queue_name(queue),
                connection=broker,
                retry=False,
            )
    except Exception as error:
        # The next kick connects afresh (a broker restarted leaves the kept one stale).
        _drop_kept_connection()
        logger.warning("Outbox: rows %s wait for the relay (%r)", list(ids), error)


#: The broker connection kicks reuse, one per thread and process (connecting costs more than
#: the message: some 30 ms against 5). Its own, tried once: the pool's would retry for seconds
#: on a broker down. Made at the first kick, so a forked worker never shares its parent's.
_kept = threading.local()


def _kept_connection():
    url = current_app.conf.broker_write_url or current_app.conf.broker_url
    if getattr(_kept, "key", None) != (os.getpid(), url):
        _drop_kept_connection()
        _kept.connection = current_app.connection_for_write(transport_options={"max_retries": 0})
        _kept.key = (os.getpid(), url)
    return _kept.connection


def _drop_kept_connection():
    connection, _kept.connection, _kept.key = getattr(_kept, "connection", None), None, None
    if connection is not None:
        try:
            connection.release()
        except Exception:
            logger.debug("Outbox: closing the broker connection failed", exc_info=True)


# -- Delivering rows ------------------------------------------------------------------------

#: (group prefix, function(group)) called after rows of a matching group were delivered.
_followers = []


def when_delivered(prefix, function):
    """Register `function(group)`, called after a delivery touched rows of a group starting
    with `prefix` (the mailing counts its emails actually sent this way)."""
    _followers.append((prefix, function))


@shared_task(ignore_result=True, acks_late=True, reject_on_worker_lost=True)
def deliver(ids):
    """Deliver the rows `ids` that are still pending: emails over one SMTP connection, texts,
    then jobs. Safe to run twice, or at once in two workers: a row is sent once."""
    rows = Outgoing.objects.filter(pk__in=ids, state=State.PENDING).order_by("pk")
    rows = list(rows.values_list("pk", "kind", "group"))
    _send_emails([pk for pk, kind, _group in rows if kind == Kind.EMAIL])
    _send_texts([pk for pk, kind, _group in rows if kind == Kind.TEXT])
    _send_wechat([pk for pk, kind, _group in rows if kind == Kind.WECHAT])
    for pk in [pk for pk, kind, _group in rows if kind == Kind.TASK]:
        _run_job(pk)
    for group in sorted({group for _pk, _kind, group in rows if group}):
        for prefix, function in _followers:
            if group.startswith(prefix):
                function(group)


def _locked(ids):
    """Each row of `ids` still pending, in its own transaction with the row locked while it is
    sent: another worker skips it, and once it is marked sent nobody sends it again. A worker
    killed meanwhile rolls back: the row stays pending."""
    for pk in ids:
        with transaction.atomic():
            row = (
                Outgoing.objects.select_for_update(skip_locked=True)
                .filter(pk=pk, state=State.PENDING)
                .first()
            )
            if row is not None:
                yield row


def _send_emails(ids):
    smtp = None
    try:
        for row in _locked(ids):
            try:
                if smtp is None:
                    smtp = get_connection()
                    smtp.open()
                _message(row.payload, smtp).send()
            except Exception as error:
                _failed(row, error, count=True)
                smtp = _close(smtp)  # it may be broken: the next email opens a new one
            else:
                _sent(row)
    finally:
        _close(smtp)


def _send_texts(ids):
    provider = sms.backend() if ids else None
    for row in _locked(ids):
        text = row.payload
        try:
            sent_as = provider.send(text["phone"], text["template"], text["params"])
        except sms.TextRefused as error:
            _failed(row, error, count=True, final=True)
        except Exception as error:  # TextDeferred, a network failure: tried again later
            _failed(row, error, count=True)
        else:
            _sent(row, payload={**text, "sent_as": sent_as} if sent_as else None)


def _send_wechat(ids):
    sender = wechat.TemplateMessages() if ids else None
    for row in _locked(ids):
        message = row.payload
        try:
            msgid = sender.send(
                message["openid"], message["template"], message["params"], message["url"]
            )
        except sms.TextRefused as error:
            _failed(row, error, count=True, final=True)
        except Exception as error:
            _failed(row, error, count=True)
        else:
            _sent(row, payload={**message, "sent_as": msgid} if msgid else None)


def _close(smtp):
    if smtp is not None:
        try:
            smtp.close()
        except Exception:
            logger.warning("Outbox: closing the mail connection failed", exc_info=True)
    return None


#: On every email the site sends: written by the site, not a person (RFC 3834), so mail
#: servers and out-of-office replies do not answer it (Exchange reads the second).
AUTOMATED = {"Auto-Submitted": "auto-generated", "X-Auto-Response-Suppress": "All"}


def _message(payload, smtp):
    message = EmailMultiAlternatives(
        payload["subject"],
        payload["text"],
        payload["from_email"],
        payload["to"],
        headers={**AUTOMATED, **(payload.get("headers") or {})},
        connection=smtp,
    )
    if payload.get("html"):
        message.attach_alternative(payload["html"], "text/html")
    for name, data, mime in payload.get("attachments") or ():
        message.attach(name, base64.b64decode(data), mime)
    return message


def _run_job(pk):
    """A job takes a lease rather than a lock (it may run for minutes and commit on its own):
    only one worker claims it, and one killed mid-way leaves it to be claimed again once the
    lease is over."""
    now = timezone.now()
    row = Outgoing.objects.filter(pk=pk, state=State.PENDING).first()
    if row is None or (row.attempts and row.next_attempt_at > now):
        return  # running elsewhere, or waiting for its next attempt
    lease = now + timedelta(seconds=settings.OUTBOX_LEASE_SECONDS)
    claimed = Outgoing.objects.filter(
        pk=pk, state=State.PENDING, attempts=row.attempts, next_attempt_at=row.next_attempt_at
    ).update(attempts=F("attempts") + 1, next_attempt_at=lease)
    if not claimed:
        return
    row.attempts += 1
    try:
        current_app.tasks[row.payload["task"]](**row.payload.get("kwargs", {}))
    except Exception as error:
        _failed(row, error, count=False)
    else:
        _sent(row)


def _sent(row, payload=None):
    changes = {"payload": payload} if payload else {}
    Outgoing.objects.filter(pk=row.pk).update(
        state=State.SENT, sent_at=timezone.now(), last_error="", **changes
    )


def backoff(attempts):
    """Seconds before attempt `attempts + 1`: 30 s, 1 min, 2 min, … at most an hour."""
    return min(30 * 2 ** max(attempts - 1, 0), 3600)


def _failed(row, error, *, count, final=False):
    attempts = row.attempts + 1 if count else row.attempts
    final = final or attempts >= settings.OUTBOX_MAX_ATTEMPTS
    logger.warning("Outbox: %s %s failed (attempt %s)", row.kind, row.key, attempts, exc_info=True)
    Outgoing.objects.filter(pk=row.pk).update(
        attempts=attempts,
        state=State.FAILED if final else State.PENDING,
        next_attempt_at=timezone.now() + timedelta(seconds=backoff(attempts)),
        last_error=f"{type(error).__name__}: {error}"[:2000],
    )


@shared_task(ignore_result=True)
def relay():
    """Every minute: hand workers again the rows still due (a broker that was away, a worker
    killed, a retry whose time has come). Returns how many were handed over."""
    now = timezone.now()
    with transaction.atomic():
        due = list(
            Outgoing.objects.select_for_update(skip_locked=True)
            .filter(state=State.PENDING, next_attempt_at__lte=now)
            .order_by("next_attempt_at")
            .values_list("pk", "kind", "queue")[:2000]
        )
        # Emails, texts and WeChat messages come back in RELAY_AFTER if still not sent; jobs keep the lease
        # they take.
        Outgoing.objects.filter(pk__in=[pk for pk, kind, _ in due if kind != Kind.TASK]).update(
            next_attempt_at=now + timedelta(seconds=settings.OUTBOX_RELAY_AFTER)
        )
    by_queue = {}
    for pk, _kind, queue in due:
        by_queue.setdefault(queue, []).append(pk)
    for queue, ids in by_queue.items():
        kick(ids, queue)
    return len(due)


def forget_recipient(address):
    """Every row for `address` goes, sent or not (an account being closed): nothing more is
    sent there, and what was sent is not kept. Returns how many rows went. No address, no
    rows: the jobs' rows have none."""
    if not address:
        return 0
    deleted, _counts = Outgoing.objects.filter(recipient=address).delete()
    return deleted


@shared_task(ignore_result=True, verbose_name=gettext_lazy("Delete sent messages past their time"))
def purge():
    """Daily: sent rows older than OUTBOX_KEEP_DAYS go (their keys guard a period no more)."""
    old = timezone.now() - timedelta(days=settings.OUTBOX_KEEP_DAYS)
    deleted, _counts = Outgoing.objects.filter(state=State.SENT, sent_at__lt=old).delete()
    return deleted


# -- Staff: retry ---------------------------------------------------------------------------


def can_retry(user, row):
    return user.has_perm("portal.retry_outgoing") and row.state != State.SENT


def retry(row, by):
    """A failed (or waiting) row is tried again now, from its first attempt."""
    if not by.has_perm("portal.retry_outgoing"):
        raise PermissionDenied
    with transaction.atomic():
        row = Outgoing.objects.select_for_update().get(pk=row.pk)
        if row.state == State.SENT:
            raise Refused(_("This message was sent already."))
        row.state, row.attempts, row.next_attempt_at = State.PENDING, 0, timezone.now()
        row.save(update_fields=["state", "attempts", "next_attempt_at"])
        log(row, "portal.outgoing.retry", user=by)
        transaction.on_commit(lambda: kick([row.pk], row.queue))
    return row
