"""The dedicated complaint inbox (专用投诉邮箱): every email becomes a case or joins one.

Each message is handled exactly once, however often or concurrently the inbox is polled: its
Message-ID is recorded in the same transaction as the case it creates, so a second poller (or a
retry after a crash) finds it recorded and only moves it on. Messages are never deleted; they are
moved to the processed folder once their case is saved.

One bad message never stops the inbox: a message that cannot be handled is recorded
(`QuarantinedEmail`), moved to the quarantine folder, shown to staff and emailed to the case
managers, and the poll goes on with the next one. A failure of a service the inbox needs (the
IMAP server, the database) fails the whole poll instead, and leaves the message for the next
one; every poll's outcome is kept (`InboxHealth`) and `inbox_trouble()` says when staff should
know.

Trust: an email is the owner's only when the receiving mail server authenticated its sender
(`Authentication-Results` of the trusted authserv-id: DMARC, or SPF or DKIM aligned with the
From domain) or it quotes a reply token of ours (cases.casework.reply_token). Any other email
from an owner's address is an "unverified sender" case that belongs to nobody until staff match
it, and it never joins a case by the reference in its subject.
"""

import codecs
import contextlib
import email
import email.errors
import email.message
import email.policy
import hashlib
import imaplib
import re
import traceback
from datetime import timedelta
from email.header import decode_header
from email.parser import BytesHeaderParser
from email.utils import parseaddr, parsedate_to_datetime

import authres
import nh3
from allauth.account.models import EmailAddress
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.validators import validate_email
from django.db import (
    DatabaseError,
    IntegrityError,
    InterfaceError,
    OperationalError,
    transaction,
)
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext as _
from wagtail.log_actions import log

from cases import casework
from cases.models import Case, InboundEmail, InboxHealth, QuarantinedEmail
from cases.rules import CaseError, check_handler, handles_cases
from portal.actions import Refused
from portal.files import clean_attachment
from portal.health import BROKER_CHECK_SECONDS, Remembered
from portal.notifications import email_user

REFERENCE_RE = re.compile(r"TS-\d{6}-\d{4}")
#: A reply token (casework.reply_token): the reference, a dot, the signature.
TOKEN_RE = re.compile(r"TS-\d{6}-\d{4}\.[A-Za-z0-9_-]{20,}")
MAX_TEXT = 10_000
#: Failures of what the inbox runs on, not of one message: the poll fails and is tried again.
#: (A CaseError here is the site's setup, e.g. no case category yet: inbox_trouble() says so.)
SERVICE_ERRORS = (OperationalError, InterfaceError, imaplib.IMAP4.error, OSError, CaseError)
#: Declared charsets read as GB18030, the superset Chinese mail clients really write.
GB_CHARSETS = {"gb2312", "gbk"}


class Unhandleable(Refused):
    """A message the inbox refuses to turn into a case; the message is the reason staff see."""


def configured():
    return bool(settings.CASE_IMAP["host"] and settings.CASE_IMAP["user"])


def folders():
    config = settings.CASE_IMAP
    return (
        config["folder"],
        config["processed_folder"],
        config.get("quarantine_folder") or "Quarantine",
    )


def connect():
    config = settings.CASE_IMAP
    if config["security"] == "ssl":
        imap = imaplib.IMAP4_SSL(config["host"], config["port"], timeout=30)
    else:
        imap = imaplib.IMAP4(config["host"], config["port"], timeout=30)
        if config["security"] == "starttls":
            imap.starttls()
    imap.login(config["user"], config["password"])
    return imap


# -- Polling --------------------------------------------------------------------------------


#: How long a poll holds the inbox without news (renewed after each message).
LEASE = timedelta(minutes=5)


def poll():
    """Read every message waiting in the inbox folder; return how many cases or replies it made.

    One poller at a time: a poll started while another runs (a slow poll overtaken by the next
    beat, two beats, a manual run) returns 0 at once. The outcome is recorded either way; a
    failed poll raises (Celery shows it, beat tries again).
    """
    if not _claim():
        return 0
    try:
        handled = _poll()
    except Exception as error:
        with contextlib.suppress(DatabaseError):  # the database may be what failed
            _record_poll(error)
        raise
    _record_poll(None)
    return handled


def _claim():
    """Take the inbox for LEASE, unless a poll holds it; a crashed poll's lease runs out."""
    now = timezone.now()
    InboxHealth.objects.get_or_create(pk=1)
    free = Q(polling_until__isnull=True) | Q(polling_until__lt=now)
    return InboxHealth.objects.filter(free, pk=1).update(polling_until=now + LEASE) == 1


def _renew():
    InboxHealth.objects.filter(pk=1).update(polling_until=timezone.now() + LEASE)


def _poll():
    inbox, processed, quarantine = folders()
    imap = connect()
    handled = 0
    try:
        for folder in (processed, quarantine):
            imap.create(folder)  # harmless when it exists
        imap.select(inbox)
        _status, data = imap.uid("SEARCH", None, "ALL")
        for uid in data[0].split():
            _status, parts = imap.uid("FETCH", uid, "(BODY.PEEK[])")
            raw = next((part[1] for part in parts if isinstance(part, tuple)), None)
            if raw is None:
                continue  # moved by another poller meanwhile
            if _quarantined_before(raw):
                _move(imap, uid, quarantine)  # never tried again until staff handle it
                continue
            try:
                made = handle(raw)
            except SERVICE_ERRORS:
                raise  # not this message's fault: it waits for the next poll
            except Exception as error:  # noqa: BLE001 (whatever a message does, the poll goes on)
                quarantine_message(raw, error, quarantine)
                _move(imap, uid, quarantine)
                _renew()
                continue
            handled += int(made)
            _move(imap, uid, processed)
            _renew()
    finally:
        with contextlib.suppress(OSError, imaplib.IMAP4.error):
            imap.logout()
    return handled


def _move(imap, uid, folder):
    status, _data = imap.uid("MOVE", uid, folder)
    if status != "OK":  # servers without MOVE: copy, then flag; never expunge
        imap.uid("COPY", uid, folder)
        imap.uid("STORE", uid, "+FLAGS", r"(\Seen)")


def _record_poll(error):
    now = timezone.now()
    with transaction.atomic():
        InboxHealth.objects.get_or_create(pk=1)
        health = InboxHealth.objects.select_for_update().get(pk=1)
        health.polling_until = None
        if error is None:
            health.last_success_at, health.failures_in_a_row, health.failing_since = now, 0, None
        else:
            health.last_failure_at = now
            health.last_error = _one_line(error)[:1000]
            health.failures_in_a_row = F("failures_in_a_row") + 1
            health.failing_since = health.failing_since or now
        health.save()


def _inbox_health():
    return InboxHealth.objects.filter(pk=1).first()


#: The inbox's health as the admin's warning reads it: asked again at most every
#: BROKER_CHECK_SECONDS by each process, not on every admin page (a trouble is news after
#: minutes of failed polls, not at once).
remembered_health = Remembered(_inbox_health, BROKER_CHECK_SECONDS)


def admin_warning():
    """inbox_trouble, for the top of every admin page, from the health remembered."""
    return _trouble(remembered_health())


def inbox_trouble(now=None):
    """A short message for staff when the inbox has not been read for a while (the last
    CASE_INBOX_TROUBLE_POLLS polls failed, or polls have failed for CASE_INBOX_TROUBLE_MINUTES);
    None while it is fine."""
    return _trouble(_inbox_health(), now)


def _trouble(health, now=None):
    if health is None or not health.failures_in_a_row or health.failing_since is None:
        return None
    now = now or timezone.now()
    minutes = timedelta(minutes=settings.CASE_INBOX_TROUBLE_MINUTES)
    if (
        health.failures_in_a_row < settings.CASE_INBOX_TROUBLE_POLLS
        and now - health.failing_since < minutes
    ):
        return None
    return _(
        "The complaint inbox cannot be read: %(count)s polls in a row have failed since "
        "%(time)s (%(error)s). Emails wait in the inbox and are read once it works again."
    ) % {
        "count": health.failures_in_a_row,
        "time": timezone.localtime(health.failing_since).strftime("%Y-%m-%d %H:%M"),
        "error": health.last_error[:200],
    }


# -- Quarantine -----------------------------------------------------------------------------


def _fingerprint(raw):
    message_id = _header_text(_raw_headers(raw), "Message-ID")[0].strip()
    return message_id[:255] or hashlib.sha256(raw).hexdigest()


def _quarantined_before(raw):
    return QuarantinedEmail.objects.filter(
        fingerprint=_fingerprint(raw), handled_at__isnull=True
    ).exists()


def quarantine_message(raw, error, folder):
    """Record a message that could not be handled, and tell the case managers, once."""
    headers = _raw_headers(raw)
    sent_at = None
    with contextlib.suppress(TypeError, ValueError, IndexError):
        sent_at = parsedate_to_datetime(_header_text(headers, "Date")[0])
        if timezone.is_naive(sent_at):
            sent_at = timezone.make_aware(sent_at, timezone.utc)
    reason = str(error) if isinstance(error, Unhandleable) else _one_line(error)
    details = "" if isinstance(error, Unhandleable) else _traceback(error)
    with transaction.atomic():
        item, created = QuarantinedEmail.objects.get_or_create(
            fingerprint=_fingerprint(raw),
            defaults={
                "message_id": _header_text(headers, "Message-ID")[0].strip()[:255],
                "sender": _header_text(headers, "From")[0][:255],
                "subject": " ".join(_header_text(headers, "Subject")[0].split())[:255],
                "sent_at": sent_at,
                "folder": folder,
                "reason": reason[:255],
                "details": details,
            },
        )
        if not created and item.handled_at is None:
            return item  # another poller quarantined it meanwhile, and told the managers
        if not created:
            # Staff handled it and moved it back, and it failed again: ask them again.
            item.handled_at = item.handled_by = None
            item.reason, item.details = reason[:255], details
            item.quarantined_at = timezone.now()
            item.save()
        for manager in casework.case_managers():
            email_user(manager, "cases/email/inbox_quarantine", {"item": item})
    return item


def mark_handled(item, staff, note=""):
    """Staff have dealt with a quarantined message (answered the sender, filed the case by hand,
    or moved it back to the inbox folder to be read again)."""
    check_handler(staff)
    with transaction.atomic():
        item = QuarantinedEmail.objects.select_for_update().get(pk=item.pk)
        if item.handled_at is not None:
            raise CaseError(
                _("%(name)s has already handled this email.")
                % {"name": item.handled_by.display_name if item.handled_by else "—"}
            )
        item.handled_by, item.handled_at = staff, timezone.now()
        item.handled_note = note.strip()
        item.save(update_fields=["handled_by", "handled_at", "handled_note"])
        log(item, "cases.quarantine.handled", user=staff)
    return item


def can_mark_handled(user, item):
    return handles_cases(user) and item.handled_at is None


def _one_line(error):
    return f"{type(error).__name__}: {' '.join(str(error).split())}"[:255]


def _traceback(error):
    """Where it failed: the site's own frames and the innermost two, then the error; enough to
    find the cause, short enough to show."""
    frames = traceback.extract_tb(error.__traceback__)
    kept = [
        frame
        for n, frame in enumerate(frames)
        if "site-packages" not in frame.filename or n >= len(frames) - 2
    ]
    lines = traceback.format_list(traceback.StackSummary.from_list(kept[-12:]))
    return ("".join(lines) + "".join(traceback.format_exception_only(error)))[-3000:]


# -- One message ----------------------------------------------------------------------------


def handle(raw):
    """Turn one raw message into a case or a case message. False if it was handled before."""
    message = email.message_from_bytes(raw, policy=email.policy.default)
    headers = _raw_headers(raw)
    message_id = _header_text(headers, "Message-ID")[0].strip() or hashlib.sha256(raw).hexdigest()
    from_text, from_fallback = _header_text(headers, "From")
    sender = parseaddr(from_text)[1].lower()
    try:
        validate_email(sender)
    except ValidationError as error:
        raise Unhandleable(_("The email has no valid sender address to answer.")) from error
    subject, subject_fallback = _header_text(headers, "Subject")
    subject = " ".join(subject.split())[:120] or "(无主题)"
    text, text_fallback = _text(message)
    fallback = from_fallback or subject_fallback or text_fallback
    files, not_kept = _attachments(message)
    trusted = authenticated(headers, sender)
    try:
        with transaction.atomic():
            record = InboundEmail.objects.create(message_id=message_id[:255], sender=sender)
            mail = EmailCase(sender, subject, text, files, fallback, not_kept)
            record.case = _reply_to_case(headers, mail, trusted) or _new_case(mail, trusted)
            record.save(update_fields=["case"])
    except IntegrityError:
        return False  # the same message, handled by another run
    return True


class EmailCase:
    """What one email says, decoded: who, about what, the text and files, what was left out."""

    def __init__(self, sender, subject, text, files, fallback, not_kept):
        self.sender, self.subject, self.text, self.files = sender, subject, text, files
        self.fallback = fallback
        folder = folders()[1]
        self.not_kept = [{**item, "folder": folder} for item in not_kept]


def _owner_for(sender):
    address = EmailAddress.objects.filter(email__iexact=sender, verified=True).select_related(
        "user"
    )
    found = address.first()
    return found.user if found else None


def _is_from_case_sender(sender, case):
    owner_email = case.owner.email.lower() if case.owner else case.contact_email.lower()
    return sender == owner_email or (case.owner is not None and _owner_for(sender) == case.owner)


def _reply_to_case(headers, mail, trusted):
    """The case this email answers, with the email added to it; None when it answers none, is
    not proven to come from the case's owner, or answers a closed case, which takes no more
    messages: then it becomes a new case, as the case page asks the owner to do."""
    token_case = _token_case(headers)
    quoted = " ".join(
        _header_text(headers, name)[0] for name in ("Subject", "In-Reply-To", "References")
    )
    match = REFERENCE_RE.search(quoted)
    case = token_case
    if case is None and match:
        case = Case.objects.filter(reference=match[0]).select_related("owner").first()
    if case is None or not _is_from_case_sender(mail.sender, case):
        return None  # a stranger quoting a reference opens a case of their own
    if not (trusted or token_case == case):
        return None  # the reference alone proves nothing: an unverified sender's new case
    try:
        casework.emailed_message(
            case,
            mail.text,
            mail.files,
            decoded_with_fallback=mail.fallback,
            not_kept=mail.not_kept,
        )
    except CaseError:
        return None
    return case


def _token_case(headers):
    """The case whose reply token the email quotes (in the addresses it was sent to, or the
    Message-IDs it answers), or None."""
    for name in ("In-Reply-To", "References", "To", "Cc", "Delivered-To", "X-Original-To"):
        for token in TOKEN_RE.findall(_header_text(headers, name)[0]):
            case = casework.case_for_reply_token(token)
            if case is not None:
                return case
    return None


def _new_case(mail, trusted):
    owner = _owner_for(mail.sender)
    if owner is not None and not trusted:
        owner = None  # anyone can write an owner's address in From: staff match it
    return casework.file_case(
        owner,
        contact_email="" if owner else mail.sender,
        kind=Case.Kind.COMPLAINT,
        category=casework.default_category(),
        subject=mail.subject,
        description=mail.text or mail.subject,
        files=mail.files,
        channel=Case.Channel.EMAIL,
        sender_unverified=not trusted,
        decoded_with_fallback=mail.fallback,
        not_kept=mail.not_kept,
    )


# -- Sender authentication ------------------------------------------------------------------


def trusted_authserv_ids():
    value = settings.CASE_IMAP_TRUSTED_AUTHSERV_ID
    return {part.strip().lower() for part in value.split(",") if part.strip()}


def authenticated(headers, sender):
    """Whether the receiving mail server (one of the trusted authserv-ids) says the From domain
    passed DMARC, or SPF or DKIM for a domain aligned with it (RFC 8601, RFC 7489 relaxed
    alignment). Headers with any other authserv-id are ignored: a sender may write them."""
    trusted = trusted_authserv_ids()
    if not trusted or len(headers.get_all("From") or []) != 1:
        return False
    domain = sender.rpartition("@")[2].rstrip(".").lower()
    for value in headers.get_all("Authentication-Results") or []:
        text, _fallback = _decoded(value)
        try:
            parsed = authres.AuthenticationResultsHeader.parse_value(" ".join(text.split()))
        except Exception:  # noqa: BLE001 (authres raises its own types for every bad header)
            continue
        if (parsed.authserv_id or "").lower() not in trusted:
            continue
        if any(_passes(result, domain) for result in parsed.results):
            return True
    return False


def _passes(result, domain):
    if (result.result or "").lower() != "pass":
        return False
    method = (result.method or "").lower()
    props = {f"{p.type}.{p.name}".lower(): (p.value or "") for p in result.properties}
    if method == "dmarc":
        checked = props.get("header.from", domain)
        return checked.rstrip(".").lower() == domain
    if method == "spf":
        checked = props.get("smtp.mailfrom", "")
    elif method == "dkim":
        checked = props.get("header.d") or props.get("header.i", "")
    else:
        return False
    return _aligned(checked.rpartition("@")[2], domain)


def _aligned(checked, domain):
    """Relaxed alignment without the public-suffix list: the same domain, or one a subdomain
    of the other (a bare top-level domain never aligns)."""
    checked = checked.rstrip(".").lower()
    if "." not in checked or not domain:
        return False
    return checked == domain or domain.endswith("." + checked) or checked.endswith("." + domain)


# -- Decoding -------------------------------------------------------------------------------


def decode_text(data, declared, default="us-ascii"):
    """Text from bytes in the charset a message declared, read generously: GB2312 and GBK as
    GB18030 (what Chinese mail clients really write); an unknown or wrong charset falls back to
    UTF-8, then GB18030, then Latin-1 with replacement. Returns (text, fell_back)."""
    try:
        name = codecs.lookup((declared or default).strip().strip('"')).name
    except (LookupError, ValueError):
        name = None
    if name in GB_CHARSETS:
        name = "gb18030"
    if name is not None:
        try:
            return data.decode(name), False
        except (UnicodeDecodeError, LookupError, TypeError):
            pass  # wrong, or not a text encoding at all (rot13, hex…)
    for fallback in ("utf-8", "gb18030"):
        try:
            return data.decode(fallback), True
        except UnicodeDecodeError:
            continue
    return data.decode("latin-1", errors="replace"), True


def _raw_headers(raw):
    """The message's headers as sent (compat32 never raises on a malformed header)."""
    return BytesHeaderParser(policy=email.policy.compat32).parsebytes(raw)


def _header_text(headers, name):
    """A header decoded (RFC 2047 encoded words, raw 8-bit bytes), with whether it took a guess."""
    for field, value in headers.raw_items():
        if field.lower() == name.lower():
            return _decoded(value)
    return "", False


def _decoded(value):
    value = str(value)
    try:
        parts = decode_header(value)
    except (email.errors.HeaderParseError, ValueError):
        parts = [(value, None)]
    texts, fell_back = [], False
    for chunk, charset in parts:
        if isinstance(chunk, str):
            chunk = chunk.encode("utf-8", "surrogateescape")
        text, guessed = decode_text(chunk, charset, default="utf-8")
        texts.append(text)
        fell_back = fell_back or guessed
    return _clean("".join(texts)), fell_back


def _clean(text):
    """PostgreSQL keeps no NUL character in text."""
    return text.replace("\x00", "")


def _text(message):
    body = message.get_body(preferencelist=("plain", "html"))
    if body is None:
        return "", False
    payload = body.get_payload(decode=True) or b""
    content, fell_back = decode_text(payload, body.get_content_charset())
    if body.get_content_type() == "text/html":
        content = nh3.clean(content, tags=set())
    return _clean(content).strip()[:MAX_TEXT], fell_back


def _filename(part):
    """The attachment's name as its sender's mail client wrote it: RFC 2231 or, as many
    Chinese mail clients do, RFC 2047 words in GB2312 (read as GB18030) inside the quotes."""
    holder = email.message.Message()  # compat32: parameters as sent, decoded here
    for field, value in part.raw_items():
        if field.lower() in ("content-disposition", "content-type"):
            holder[field] = str(value)
    name, _guessed = _decoded(holder.get_filename() or "")
    return name.replace("/", "_").replace("\\", "_").strip()[:150] or "attachment"


def _attachments(message):
    """Pictures and PDFs, checked like uploads from the site; and those not kept, with why."""
    files, not_kept = [], []
    for part in message.iter_attachments():
        payload = part.get_payload(decode=True)
        if not payload:
            continue
        name = _filename(part)
        # The part's declared type is ignored: clean_attachment looks at the content.
        try:
            files.append(clean_attachment(SimpleUploadedFile(name, payload)))
        except ValidationError as error:
            not_kept.append(
                {"name": name, "size": len(payload), "reason": " ".join(error.messages)}
            )
    return files, not_kept
