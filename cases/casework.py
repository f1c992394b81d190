"""The complaint mailbox's actions: filing, first-responder ownership, replies, status, follow-up.

Every change is one function in the shape of portal.actions: inside one transaction it locks
the case's row and re-reads it, asks cases.rules whether this person may take this step on the
case as it is now, writes the case and its timeline, logs to Wagtail's audit log, and emails the
owner (with the reference in the subject, so they can answer by email) once the transaction
commits. The owner's page, the admin case screen and the inbox all call these functions.
"""

import secrets
from datetime import timedelta
from email.utils import parseaddr
from types import SimpleNamespace

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core import signing
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.db.models import F, Q
from django.template.defaultfilters import filesizeformat
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext_lazy
from wagtail.log_actions import log

from cases import rules
from cases.models import Case, CaseAttachment, CaseEvent, Category, ReferenceCounter
from cases.rules import CaseError
from forum.models import Topic
from portal import hours, images, limits
from portal.files import VerifiedFile, clean_attachment
from portal.notifications import email_user, site_link, tell

Status, Event = Case.Status, CaseEvent.Kind


def _locked(case):
    """Lock the case's row and refresh `case` from it (call inside a transaction).

    Every action checks who may act and the status only after this, so a double tap, two tabs,
    a rating link opened twice or two staff members on the same case act one after the other:
    the second waits for the first to commit and then sees what it did.
    """
    case.refresh_from_db(from_queryset=Case.objects.select_for_update())
    return case


# -- Categories -----------------------------------------------------------------------------


def default_category():
    """The category for cases nobody has sorted (emails, forum topics): the one staff ticked in
    Categories and deadlines; the first in their order when none is ticked."""
    category = Category.objects.filter(is_default=True).first() or Category.objects.first()
    if category is None:
        raise CaseError(_("There is no case category yet: add one in Categories and deadlines."))
    return category


# -- References -----------------------------------------------------------------------------


def next_reference(now=None):
    """TS-<year><month>-<number>, numbered per month without gaps or duplicates."""
    month = timezone.localtime(now).strftime("%Y%m")
    with transaction.atomic():
        try:
            with transaction.atomic():
                ReferenceCounter.objects.create(month=month, last=0)
        except IntegrityError:
            pass  # this month's counter exists already
        ReferenceCounter.objects.filter(month=month).update(last=F("last") + 1)
        number = ReferenceCounter.objects.get(month=month).last
    return f"TS-{month}-{number:04d}"


# -- Owners ---------------------------------------------------------------------------------


def file_case(
    owner,
    *,
    kind,
    category,
    subject,
    description,
    unit=None,
    files=(),
    channel=Case.Channel.WEB,
    recorded_by=None,
    contact_email="",
    sender_unverified=False,
    decoded_with_fallback=False,
    not_kept=(),
):
    """A new case from an owner, recorded on their behalf by staff from a phone call, or read
    from the inbox (then `owner` may be None and `contact_email` says whom to answer).

    Only owners typing on the site are held to the flood limits: staff recording a call and
    the complaint inbox are not people filling in our form. From the inbox also: whether the
    sender is unauthenticated, whether the text was decoded with a guess, and the attachments
    not kept (see `not_kept_text`), which are written on the case and told to the sender."""
    if (
        unit is not None
        and owner is not None
        and not owner.claims.filter(unit=unit, status="approved").exists()
    ):
        raise CaseError(_("Choose one of your verified units."))
    with transaction.atomic():
        if channel == Case.Channel.WEB and recorded_by is None and owner is not None:
            _check_case_flood(owner, files)
        now = timezone.now()
        calendar = hours.Calendar()
        case = Case.objects.create(
            created_at=now,
            reference=next_reference(now),
            owner=owner,
            kind=kind,
            channel=channel,
            category=category,
            unit=unit,
            subject=subject.strip(),
            description=_with_not_kept(description, not_kept),
            contact_email=contact_email,
            sender_unverified=sender_unverified,
            decoded_with_fallback=decoded_with_fallback,
            first_response_due=calendar.due(now, category.first_response_hours),
            resolution_due=calendar.due(now, category.resolution_hours),
        )
        event = CaseEvent.objects.create(
            case=case, kind=Event.FILED, author=recorded_by or owner, text=case.description
        )
        attach(case, event, files)
        log(case, "cases.case.file", user=recorded_by or owner)
        _tell_owner(case, "cases/email/case_filed")
        _tell_not_kept(case, not_kept)
    return case


def not_kept_text(not_kept):
    """ "Not kept: name (size): reason; the original email is kept in folder X." for each file
    of an email that was refused; `not_kept` holds dicts of name, size, reason and folder."""
    return "\n".join(
        _(
            "Not kept: %(name)s (%(size)s): %(reason)s The original email is kept in folder %(folder)s."
        )
        % {**item, "size": filesizeformat(item["size"])}
        for item in not_kept
    )


def _with_not_kept(text, not_kept):
    return f"{text.strip()}\n\n{not_kept_text(not_kept)}".strip()


def _tell_not_kept(case, not_kept):
    if not_kept:
        _tell_owner(
            case,
            "cases/email/attachments_not_kept",
            not_kept=not_kept,
            max_mb=settings.CASE_ATTACHMENT_MAX_BYTES // 2**20,
        )


CASES_DAILY = ngettext_lazy(
    "You have filed %(count)s case in the last 24 hours. Try again after %(time)s, "
    "or call customer service on 400-800-1234 if it is urgent.",
    "You have filed %(count)s cases in the last 24 hours. Try again after %(time)s, "
    "or call customer service on 400-800-1234 if it is urgent.",
    "count",
)
MESSAGES_DAILY = ngettext_lazy(
    "You have added information %(count)s time in the last 24 hours. Try again after %(time)s.",
    "You have added information %(count)s times in the last 24 hours. Try again after %(time)s.",
    "count",
)


def _check_case_flood(owner, files):
    limits.lock_person(owner)
    problem = limits.wait_message(
        Case.objects.filter(owner=owner, channel=Case.Channel.WEB),
        seconds_between=settings.CASE_SECONDS_BETWEEN_CASES,
        per_day=settings.CASES_PER_DAY,
        daily_message=CASES_DAILY,
    ) or _upload_quota_message(owner, files)
    if problem:
        raise CaseError(problem)


def _upload_quota_message(owner, files):
    """Each case or message may carry 6 files of 10 MB; this bounds what one owner stores a day.

    Counts every attachment the owner sent in 24 hours (on the site or by email); only what they
    send on the site is held to it."""
    quota_mb = settings.CASE_UPLOAD_MB_PER_DAY
    return limits.quota_message(
        CaseAttachment.objects.filter(event__author=owner).annotate(
            created_at=F("event__created_at")
        ),
        sum(upload.size for upload in files),
        per_day=quota_mb * 2**20,
        message=_(
            "The attachments you have sent today have reached %(mb)s MB. Try again tomorrow, "
            "or call customer service."
        )
        % {"mb": quota_mb},
    )


def owner_message(case, owner, text, files=()):
    """More information from the owner on their case page."""
    rules.check_owner(owner, case)
    with transaction.atomic():
        _locked(case)
        rules.check_message(owner, case)
        limits.lock_person(owner)
        problem = limits.wait_message(
            CaseEvent.objects.filter(author=owner, kind=Event.OWNER_MESSAGE),
            seconds_between=settings.CASE_SECONDS_BETWEEN_MESSAGES,
            per_day=settings.CASE_MESSAGES_PER_DAY,
            daily_message=MESSAGES_DAILY,
        ) or _upload_quota_message(owner, files)
        if problem:
            raise CaseError(problem)
        return _owner_event(case, owner, text, files)


def emailed_message(case, text, files=(), *, decoded_with_fallback=False, not_kept=()):
    """An email answering the case, from the address the inbox matched to it (the owner's, or
    the sender of an email case who is not a registered owner) and authenticated (by the mail
    server or a reply token: cases.mailbox). The same rule as the case page: a closed case
    takes no more messages (cases.mailbox then files a new case)."""
    with transaction.atomic():
        _locked(case)
        rules.check_takes_messages(case)
        if decoded_with_fallback and not case.decoded_with_fallback:
            case.decoded_with_fallback = True
            case.save(update_fields=["decoded_with_fallback"])
        event = _owner_event(case, case.owner, _with_not_kept(text, not_kept), files)
        _tell_not_kept(case, not_kept)
        return event


def _owner_event(case, owner, text, files):
    event = CaseEvent.objects.create(
        case=case, kind=Event.OWNER_MESSAGE, author=owner, text=text.strip()
    )
    attach(case, event, files)
    log(case, "cases.case.message", user=owner)
    return event


def confirm_resolved(case, owner):
    rules.check_owner(owner, case)
    with transaction.atomic():
        _locked(case)
        rules.check_confirm(owner, case)
        if case.is_confirmed:
            return  # confirmed already: a second press changes nothing
        case.confirmed_at = timezone.now()
        case.save(update_fields=["confirmed_at"])
        CaseEvent.objects.create(
            case=case,
            kind=Event.OWNER_MESSAGE,
            author=owner,
            text=_("The owner confirms the case is resolved."),
        )
        log(case, "cases.case.confirm", user=owner)


def reopen(case, owner, reason):
    rules.check_owner(owner, case)
    if not reason.strip():
        raise CaseError(_("Tell us what is still wrong."))
    with transaction.atomic():
        _locked(case)
        rules.check_reopen(owner, case)
        _set_status(case, Status.REOPENED, owner, reason)
    return case


def rate(case, owner, score, comment=""):
    """The owner's satisfaction (1–5): the follow-up, done by the owner; the case is then closed."""
    rules.check_owner(owner, case)
    return _rate(case, owner, score, comment, check=rules.check_rate)


REPLY_SALT = "cases.case.reply"


def _reply_signer():
    # "." joins reference and signature: both stay valid in a Message-ID and an address.
    return signing.Signer(salt=REPLY_SALT, sep=".")


def reply_token(case):
    """Carried by every email about the case (Message-ID, Reply-To): an answer quoting it comes
    from someone who received our email, so the inbox may add it to the case."""
    return _reply_signer().sign(case.reference)


def case_for_reply_token(token):
    """The case a reply token was made for, or None for a forged or mangled one."""
    try:
        reference = _reply_signer().unsign(token)
    except signing.BadSignature:
        return None
    return Case.objects.select_related("owner").filter(reference=reference).first()


def reply_headers(case):
    """The headers that carry the reply token: a Message-ID the answer quotes back (In-Reply-To,
    References), and, when the inbox's address is set, a Reply-To with the token in it."""
    token = reply_token(case)
    domain = parseaddr(settings.DEFAULT_FROM_EMAIL)[1].rpartition("@")[2] or "localhost"
    headers = {"Message-ID": f"<{token}.{secrets.token_hex(6)}@{domain}>"}
    local, _at, inbox_domain = settings.CASE_IMAP.get("reply_address", "").partition("@")
    if local and inbox_domain:
        headers["Reply-To"] = f"{local}+{token}@{inbox_domain}"
    return headers


RATING_SALT = "cases.case.rating"


def rating_token(case):
    """For the link in the "resolved" email: rates this case, this resolution, once, no login."""
    return signing.dumps([case.pk, case.resolved_at.isoformat()], salt=RATING_SALT)


def rate_by_token(token, score, comment=""):
    case, resolved_at = _read_rating_token(token)
    rules.check_rating_link(case, resolved_at)

    def check(owner, locked):
        rules.check_rating_link(locked, resolved_at)

    return _rate(case, case.owner, score, comment, check=check)


def case_for_rating_token(token):
    """The case a rating link is for, or CaseError when the link is forged, old or used."""
    case, resolved_at = _read_rating_token(token)
    rules.check_rating_link(case, resolved_at)
    return case


def _read_rating_token(token):
    try:
        pk, resolved_at = signing.loads(token, salt=RATING_SALT, max_age=timedelta(days=30))
        return Case.objects.select_related("owner").get(pk=pk), resolved_at
    except (signing.BadSignature, ValueError, TypeError, Case.DoesNotExist) as error:
        raise CaseError(_("This rating link is not valid.")) from error


def _rate(case, owner, score, comment, *, check):
    text = _("%(score)s/5. %(comment)s") % {"score": score, "comment": comment.strip()}
    return _close_with_rating(case, owner, score, text, by_owner=True, check=check)


def _close_with_rating(case, by, score, text, *, by_owner, check):
    """The follow-up (回访) with the owner's satisfaction; then the case closes. Once: the
    rating link, the case page and staff's follow-up form all lock the case and `check(by,
    case)` it again.

    An owner who rates online sees their rating but no "followed up" step (there was no visit)
    and needs no email about closing it; a visit recorded by staff stays internal, while its
    outcome (followed up, closed) is shown and sent to the owner.
    """
    if score not in range(1, 6):
        raise CaseError(_("Choose from 1 to 5 stars."))
    with transaction.atomic():
        _locked(case)
        check(by, case)
        case.satisfaction = score
        case.save(update_fields=["satisfaction"])
        CaseEvent.objects.create(
            case=case, kind=Event.FOLLOW_UP, author=by, visible_to_owner=by_owner, text=text
        )
        _set_status(case, Status.FOLLOWED_UP, by, "", tell=False, visible=not by_owner)
        _set_status(case, Status.CLOSED, by, "", tell=not by_owner)
    return case


# -- Staff ----------------------------------------------------------------------------------


def case_from_topic(topic, staff, *, kind=Case.Kind.COMPLAINT):
    """Turn a forum topic into a case owned by the topic's author; the staff member accepts it.
    Once per topic: two agents pressing the button together get the same case."""
    rules.check_handler(staff)
    with transaction.atomic():
        # The topic's row is the lock; a unique constraint on Case.forum_topic stands behind it.
        Topic.objects.select_for_update().filter(pk=topic.pk).first()
        existing = Case.objects.filter(forum_topic=topic).first()
        if existing:
            return existing
        opening = topic.posts.filter(position=1).first()
        case = file_case(
            topic.author,
            kind=kind,
            category=default_category(),
            subject=topic.title,
            description=opening.search_text if opening else topic.title,
            channel=Case.Channel.FORUM,
            recorded_by=staff,
        )
        case.forum_topic = topic
        case.save(update_fields=["forum_topic"])
        accept(case, staff)
    return case


def accept(case, staff):
    """首问负责制: whoever accepts a new case owns it until it is closed."""
    rules.check_handler(staff)
    with transaction.atomic():
        # The row lock makes two agents pressing "accept" together take turns.
        _locked(case)
        rules.check_accept(staff, case)
        case.first_responder = staff
        case.save(update_fields=["first_responder"])
        _set_status(case, Status.ACCEPTED, staff, "")
    return case


def reply(case, staff, text, files=()):
    if not text.strip():
        raise CaseError(_("Write the reply first."))
    with transaction.atomic():
        _locked(case)
        rules.check_act(staff, case)
        event = CaseEvent.objects.create(
            case=case, kind=Event.REPLY, author=staff, text=text.strip()
        )
        attach(case, event, files)
        if case.first_responded_at is None:
            case.first_responded_at = event.created_at
            case.save(update_fields=["first_responded_at"])
        log(case, "cases.case.reply", user=staff)
        _tell_owner(case, "cases/email/case_update", event=event)
    return event


def note(case, staff, text):
    """An internal note: never shown or sent to the owner."""
    if not text.strip():
        raise CaseError(_("Write the note first."))
    with transaction.atomic():
        _locked(case)
        rules.check_act(staff, case)
        event = CaseEvent.objects.create(
            case=case, kind=Event.NOTE, author=staff, text=text.strip(), visible_to_owner=False
        )
        log(case, "cases.case.note", user=staff)
    return event


def set_status(case, staff, status, text=""):
    """A change of status by the person responsible; with words to the owner, it answers them
    (the first response, if none was made yet)."""
    with transaction.atomic():
        _locked(case)
        rules.check_move(staff, case, status)
        event = _set_status(case, status, staff, text)
        if text.strip() and case.first_responded_at is None:
            case.first_responded_at = event.created_at
            case.save(update_fields=["first_responded_at"])
    return case


def record_work(case, worker, status, text, files=()):
    """A step of the work a work order sent someone to do (repairs.workorders decides who may:
    the technician of the case's open work order): in progress when they arrive, resolved with
    what was done, and its photos, when they finish. The owner hears of each; the case stays
    with its first responder, and the owner confirms or reopens it as after any resolution."""
    if status not in (Status.IN_PROGRESS, Status.RESOLVED):
        raise ValueError(f"work does not move a case to {status!r}")
    with transaction.atomic():
        _locked(case)
        if case.status not in (Status.ACCEPTED, Status.IN_PROGRESS, Status.REOPENED):
            raise CaseError(_("This case is not waiting for work."))
        event = _set_status(case, status, worker, text)
        attach(case, event, files)
    return event


def record_follow_up(case, staff, *, score, method, remarks=""):
    """回访: staff record the owner's satisfaction after a visit or a call; the case closes."""
    text = f"{method}: {score}/5. {remarks.strip()}"
    return _close_with_rating(case, staff, score, text, by_owner=False, check=rules.check_follow_up)


def match_owner(case, staff, owner):
    """An email case from an unknown or unverified address: staff find the owner who sent it
    (and, for an unverified sender, have made sure they did)."""
    rules.check_handler(staff)
    with transaction.atomic():
        _locked(case)
        rules.check_match(staff, case)
        case.owner = owner
        case.sender_unverified = False
        case.save(update_fields=["owner", "sender_unverified"])
        CaseEvent.objects.create(
            case=case,
            kind=Event.NOTE,
            author=staff,
            visible_to_owner=False,
            text=_("Matched %(email)s to %(name)s.")
            % {"email": case.contact_email or "—", "name": owner.display_name},
        )
        log(case, "cases.case.match", user=staff, data={"owner": owner.pk})
    return case


def join_case(case, staff, target):
    """An email case from an unverified sender that staff found belongs to the owner's open case
    `target`: its text and files join `target` as the owner's message, and it is closed with a
    note pointing there. The inbox never does this on its own (a reference is easy to copy)."""
    rules.check_handler(staff)
    with transaction.atomic():
        # Both rows, always in the same order, so two joins the other way round take turns.
        for locked in sorted((case, target), key=lambda item: item.pk):
            _locked(locked)
        rules.check_join(staff, case, target)
        message = _owner_event(target, target.owner, case.description, ())
        CaseAttachment.objects.filter(case=case).update(case=target, event=message)
        if case.decoded_with_fallback and not target.decoded_with_fallback:
            target.decoded_with_fallback = True
            target.save(update_fields=["decoded_with_fallback"])
        case.sender_unverified = False
        case.save(update_fields=["sender_unverified"])
        text = _("Added to %(reference)s by %(name)s.") % {
            "reference": target.reference,
            "name": staff.display_name,
        }
        CaseEvent.objects.create(
            case=case, kind=Event.NOTE, author=staff, visible_to_owner=False, text=text
        )
        _set_status(case, Status.CLOSED, staff, text, tell=False)
        log(case, "cases.case.join", user=staff, data={"into": target.pk})
    return target


def transfer(case, staff, to, reason):
    """Hand a case to another staff member: with a reason, on the record."""
    if not reason.strip():
        raise CaseError(_("Give a reason for the transfer."))
    if not rules.handles_cases(to):
        raise CaseError(_("%(name)s does not handle cases.") % {"name": to.display_name})
    with transaction.atomic():
        _locked(case)
        rules.check_act(staff, case)
        previous = case.first_responder
        case.first_responder = to
        case.save(update_fields=["first_responder"])
        CaseEvent.objects.create(
            case=case,
            kind=Event.TRANSFER,
            author=staff,
            visible_to_owner=False,
            text=_("From %(old)s to %(new)s: %(reason)s")
            % {
                "old": previous.display_name if previous else "—",
                "new": to.display_name,
                "reason": reason.strip(),
            },
        )
        log(case, "cases.case.transfer", user=staff, data={"to": to.pk, "reason": reason})
    return case


# -- Shared ---------------------------------------------------------------------------------


def _set_status(case, status, by, text, tell=True, visible=True):
    case.status = status
    now = timezone.now()
    fields = ["status"]
    if status == Status.RESOLVED:
        case.resolved_at = now
        fields.append("resolved_at")
    if status == Status.CLOSED:
        case.closed_at = now
        fields.append("closed_at")
    case.save(update_fields=fields)
    event = CaseEvent.objects.create(
        case=case,
        kind=Event.STATUS,
        author=by,
        status=status,
        text=text.strip(),
        visible_to_owner=visible,
    )
    log(case, f"cases.case.{status}", user=by)
    if tell:
        _tell_owner(case, "cases/email/case_update", event=event)
    return event


def attach(case, event, files):
    """Store files with the type found in their content, never the browser's or the email's."""
    for upload in files:
        if not isinstance(upload, VerifiedFile):  # forms have checked theirs already
            try:
                upload = clean_attachment(upload)
            except ValidationError as error:
                raise CaseError(" ".join(error.messages)) from error
        CaseAttachment.objects.create(
            case=case,
            event=event,
            file=upload,
            name=upload.name[:200],
            verified_type=upload.verified_type,
            size=upload.size,
            thumbnail=_thumbnail(upload),
        )


def _thumbnail(upload):
    """The small square copy a photo is shown by; nothing for any other file."""
    if upload.verified_type not in CaseAttachment.THUMBNAIL_TYPES:
        return ""
    upload.seek(0)
    small = images.thumbnail(upload.read())
    upload.seek(0)
    return ContentFile(small, name=upload.name.rsplit(".", 1)[0] + ".jpg")


def _tell_owner(case, template, **context):
    """Tell the owner on the channels they chose for case progress, or for repairs and their
    appointments (portal.channels), or the sender of an email case who is not a registered
    owner by email."""
    recipient = case.owner or _unregistered_sender(case)
    if recipient is None:
        return
    if case.status == Status.RESOLVED and case.owner is not None:
        context["rating_token"] = rating_token(case)
    event = context.get("event")
    with translation.override(getattr(recipient, "language", "") or settings.LANGUAGE_CODE):
        if event is not None and event.kind == CaseEvent.Kind.REPLY:
            words = _("Customer service replied on your case %(reference)s") % {
                "reference": case.reference
            }
        else:
            words = _("Your case %(reference)s: %(status)s") % {
                "reference": case.reference,
                "status": case.get_status_display(),
            }
    tell(
        recipient,
        "repair" if case.kind in Case.OWN_FORMS else "case",
        case.get_absolute_url(),
        words=words,
        email=(template, {"case": case, **context}),
        short=_text_of(case, template),
        headers=reply_headers(case),
        key=f"case-event:{event.pk}" if event else None,
    )


def _text_of(case, template):
    """The short message (a text or a WeChat message) of a case email: in the words the
    providers approved (Chinese), with the case's address."""
    url = site_link(case.get_absolute_url())
    with translation.override(settings.LANGUAGE_CODE):
        if template == "cases/email/case_filed":
            due = timezone.localtime(case.first_response_due)
            return "case_filed", {
                "reference": case.reference,
                "due": f"{due:%m-%d %H:%M}",
                "url": url,
            }
        status = str(case.get_status_display())
        return "case_update", {"reference": case.reference, "status": status, "url": url}


def _unregistered_sender(case):
    if not case.contact_email:
        return None
    return SimpleNamespace(
        email=case.contact_email,
        language=settings.LANGUAGE_CODE,
        real_name="",  # no name known: the email says 尊敬的业主： (portal.salutations)
    )


# -- Deadlines ------------------------------------------------------------------------------

MANAGERS_AFTER = timedelta(hours=24)


def case_handlers():
    """Staff who accept and answer cases."""
    return (
        get_user_model()
        .objects.filter(
            Q(groups__permissions__codename="handle_case") | Q(is_superuser=True), is_active=True
        )
        .distinct()
    )


def case_managers():
    """Staff told about overdue cases and sent the monthly report."""
    return (
        get_user_model()
        .objects.filter(
            Q(groups__permissions__codename="manage_cases") | Q(is_superuser=True), is_active=True
        )
        .distinct()
    )


def escalate_overdue(now=None):
    """Remind the first responder of an overdue case, then tell managers a day later.

    Each case moves up a level with a conditional UPDATE, and each reminder's outbox key is the
    case, the level, the deadline and the person, so each reminder is sent once per level even
    when two workers run this at the same moment. Returns how many emails were written.
    """
    now = now or timezone.now()
    sent = 0
    for case in (
        Case.objects.overdue(now).filter(escalation_level__lt=2).select_related("first_responder")
    ):
        due = case.first_response_due if case.first_responded_at is None else case.resolution_due
        level = 2 if now - due > MANAGERS_AFTER else 1
        if level <= case.escalation_level:
            continue
        won = Case.objects.filter(pk=case.pk, escalation_level__lt=level).update(
            escalation_level=level
        )
        if not won:
            continue  # another worker took this step
        if level == 1:
            people = [case.first_responder] if case.first_responder else case_handlers()
        else:
            people = case_managers()
        for person in people:
            # The key names the deadline: a case reopened with a new one is reminded again.
            key = f"case-overdue:{case.pk}:{level}:{due.isoformat()}:{person.pk}"
            if email_user(
                person, "cases/email/case_overdue", {"case": case, "level": level}, key=key
            ):
                sent += 1
    return sent
