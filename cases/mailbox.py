"""The dedicated complaint inbox (专用投诉邮箱): every email becomes a case or joins one.

Each message is handled exactly once, however often or concurrently the inbox is polled: its
Message-ID is recorded in the same transaction as the case it creates, so a second poller (or a
retry after a crash) finds it recorded and only moves it on. Messages are never deleted; they are
moved to the processed folder once their case is saved.
"""

import contextlib
import email
import email.policy
import hashlib
import imaplib
import re
from email.utils import parseaddr

import nh3
from allauth.account.models import EmailAddress
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from cases import casework
from cases.models import Case, InboundEmail
from portal.files import clean_attachment

REFERENCE_RE = re.compile(r"TS-\d{6}-\d{4}")
MAX_TEXT = 10_000


def configured():
    return bool(settings.CASE_IMAP["host"] and settings.CASE_IMAP["user"])


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


def poll():
    """Read every message waiting in the inbox folder; return how many cases or replies it made."""
    config = settings.CASE_IMAP
    imap = connect()
    handled = 0
    try:
        imap.create(config["processed_folder"])  # harmless when it exists
        imap.select(config["folder"])
        _status, data = imap.uid("SEARCH", None, "ALL")
        for uid in data[0].split():
            _status, parts = imap.uid("FETCH", uid, "(BODY.PEEK[])")
            raw = next((part[1] for part in parts if isinstance(part, tuple)), None)
            if raw is None:
                continue  # moved by another poller meanwhile
            if handle(raw):
                handled += 1
            _move(imap, uid, config["processed_folder"])
    finally:
        with contextlib.suppress(OSError, imaplib.IMAP4.error):
            imap.logout()
    return handled


def _move(imap, uid, folder):
    status, _data = imap.uid("MOVE", uid, folder)
    if status != "OK":  # servers without MOVE: copy, then flag; never expunge
        imap.uid("COPY", uid, folder)
        imap.uid("STORE", uid, "+FLAGS", r"(\Seen)")


def handle(raw):
    """Turn one raw message into a case or a case message. False if it was handled before."""
    message = email.message_from_bytes(raw, policy=email.policy.default)
    message_id = (message["Message-ID"] or "").strip() or hashlib.sha256(raw).hexdigest()
    sender = parseaddr(str(message["From"] or ""))[1].lower()
    subject = " ".join(str(message["Subject"] or "").split())[:120] or "(无主题)"
    text = _text(message)
    files, refused = _attachments(message)
    if refused:
        # The mail is kept either way; staff and the owner see what was left out.
        note = _("Attachments not kept (only photos and plain PDFs are accepted): %(names)s")
        text = f"{text}\n\n{note % {'names': '、'.join(refused)}}".strip()
    try:
        with transaction.atomic():
            record = InboundEmail.objects.create(message_id=message_id[:255], sender=sender)
            record.case = _reply_to_case(message, subject, sender, text, files) or _new_case(
                subject, sender, text, files
            )
            record.save(update_fields=["case"])
    except IntegrityError:
        return False  # the same message, handled by another run
    return True


def _owner_for(sender):
    address = EmailAddress.objects.filter(email__iexact=sender, verified=True).select_related(
        "user"
    )
    found = address.first()
    return found.user if found else None


def _reply_to_case(message, subject, sender, text, files):
    """The case this email answers, with the email added to it; None when it answers none, or
    answers a closed case, which takes no more messages: then it becomes a new case, as the case
    page asks the owner to do."""
    headers = " ".join(str(message[name] or "") for name in ("In-Reply-To", "References"))
    match = REFERENCE_RE.search(subject) or REFERENCE_RE.search(headers)
    if not match:
        return None
    case = Case.objects.filter(reference=match[0]).select_related("owner").first()
    if case is None:
        return None
    owner_email = case.owner.email.lower() if case.owner else case.contact_email.lower()
    if sender != owner_email and _owner_for(sender) != case.owner:
        return None  # a stranger quoting a reference opens a case of their own
    try:
        casework.emailed_message(case, text, files)
    except casework.CaseError:
        return None
    return case


def _new_case(subject, sender, text, files):
    owner = _owner_for(sender)
    case = casework.file_case(
        owner,
        contact_email="" if owner else sender,
        kind=Case.Kind.COMPLAINT,
        category=casework.default_category(),
        subject=subject,
        description=text or subject,
        files=files,
        channel=Case.Channel.EMAIL,
    )
    return case


def _text(message):
    body = message.get_body(preferencelist=("plain", "html"))
    if body is None:
        return ""
    content = body.get_content()
    if body.get_content_type() == "text/html":
        content = nh3.clean(content, tags=set())
    return content.strip()[:MAX_TEXT]


def _attachments(message):
    """Pictures and PDFs, checked like uploads from the site; and the names of those refused."""
    files, refused = [], []
    for part in message.iter_attachments():
        payload = part.get_payload(decode=True)
        if not payload:
            continue
        name = (part.get_filename() or "attachment")[:150]
        # The part's declared type is ignored: clean_attachment looks at the content.
        try:
            files.append(clean_attachment(SimpleUploadedFile(name, payload)))
        except ValidationError:
            refused.append(name)
    return files, refused
