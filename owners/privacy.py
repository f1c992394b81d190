"""Owners' rights over their data (PIPL): download everything the site holds about them ("my
data"), and close the account.

Each app says what it holds about an owner in its own `privacy.py`, which registers a `Part`
(forum/privacy.py, club/privacy.py): an export asks every part for its files, a closure asks
every part to erase or keep its records. Dependencies keep running one way: portal never imports
the forum or the club. portal's own records (profile, email addresses, homes, cases,
notifications) are exported first and erased last, so the other parts can still reach the owner
while they work (a cancelled seat emails the next on the waitlist, not the owner).

What is kept after a closure, why and for how long: docs/privacy.md.
"""

import csv
import io
import json
import logging
import tempfile
import uuid
import zipfile
from datetime import date, datetime, timedelta
from decimal import Decimal
from pathlib import PurePosixPath

from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from allauth.socialaccount.models import SocialAccount
from celery import shared_task
from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied
from django.core.files import File
from django.core.serializers.json import DjangoJSONEncoder
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.module_loading import autodiscover_modules
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext_lazy
from wagtail.log_actions import log
from wagtail.models import ModelLogEntry
from wagtail.users.models import UserProfile

from owners.models import AccountClosure, DataExport, OwnerRecord, OwnershipClaim, User
from portal import limits, outbox, phones
from portal.actions import Refused
from portal.exports import neutralise
from portal.models import Notification
from portal.notifications import delete_notifications, email_user
from portal.signin import can_open_admin
from portal.storage import private_storage

logger = logging.getLogger(__name__)

#: An export still "being prepared" after this long was lost (a worker died): it is failed, and
#: the owner may ask again.
EXPORT_STALE_AFTER = timedelta(hours=1)


class PrivacyError(Refused):
    """A request that cannot be made or carried out; the message is shown as it is."""


# -- What each app holds about an owner --------------------------------------------------------


class Part:
    """One app's records about an owner. Subclass in `<app>/privacy.py` and `register()` it."""

    #: {"count key": label}: how the closure log names what `erase` returns.
    labels = {}

    def export(self, user, out):
        """Write this app's records about `user` to `out` (an ExportWriter)."""

    def summary(self, user):
        """[(label, number)] staff check before they close the account (open cases, …)."""
        return []

    def erase(self, user, closure, by):
        """Erase or keep this app's records at a closure; return {"count key": number}. Runs in
        the closure's transaction; files are deleted with `delete_files_on_commit`."""
        return {}

    def named_in_log(self, user):
        """Objects whose name in Wagtail's audit log holds the owner's name (a claim is
        "王建国 · 3栋 1201"): their entries are renamed once the name is erased."""
        return []


_registered = {}


def register(part):
    _registered[type(part).__name__] = part
    return part


def parts():
    """portal's own part first, then every app's, in the order of INSTALLED_APPS."""
    autodiscover_modules("privacy")
    return [OwnersPart(), *_registered.values()]


def count_labels():
    labels = {}
    for part in parts():
        labels.update(part.labels)
    return labels


def delete_files_on_commit(storage, names):
    """Delete stored files once the closure commits: a rollback must not lose them."""
    names = [name for name in names if name]
    if names:
        transaction.on_commit(lambda: [storage.delete(name) for name in names])
    return len(names)


def relabel_log_entries(instances):
    """Wagtail's audit log keeps each object's name as it was: give the entries the object's
    name as it is now, after erasure."""
    for instance in instances:
        ModelLogEntry.objects.filter(
            content_type=ContentType.objects.get_for_model(instance, for_concrete_model=False),
            object_id=str(instance.pk),
        ).update(label=str(instance))


# -- Writing the ZIP ---------------------------------------------------------------------------


def local(value):
    """A time as the owner reads it: in the site's time zone, 24 h."""
    if isinstance(value, datetime):
        return timezone.localtime(value).strftime("%Y-%m-%d %H:%M:%S")
    if isinstance(value, date):
        return value.isoformat()
    return value


class _Encoder(DjangoJSONEncoder):
    def default(self, o):
        if isinstance(o, datetime):
            return timezone.localtime(o).isoformat(timespec="seconds")
        if isinstance(o, Decimal):
            return str(o)
        return super().default(o)


class ExportWriter:
    """Files into the archive, each remembered with a description for the README."""

    def __init__(self, archive):
        self.archive = archive
        self.contents = []  # (path, description)
        self._taken = set()

    def json(self, path, data, description):
        text = json.dumps(data, cls=_Encoder, ensure_ascii=False, indent=2)
        self.archive.writestr(path, text)
        self.contents.append((path, description))

    def csv(self, path, header, rows, description):
        buffer = io.StringIO()
        writer = csv.writer(buffer)
        writer.writerow([str(title) for title in header])
        for row in rows:
            writer.writerow(["" if v is None else _cell(v) for v in row])
        # With a byte-order mark, so a spreadsheet opens the Chinese text as UTF-8.
        self.archive.writestr(path, "\ufeff" + buffer.getvalue())
        self.contents.append((path, description))

    def file(self, path, field_file):
        """Copy a stored file into the archive at `path`; "" when it is missing."""
        if not field_file:
            return ""
        path = self._unique(path)
        try:
            with (
                field_file.storage.open(field_file.name, "rb") as source,
                self.archive.open(path, "w", force_zip64=True) as target,
            ):
                for chunk in iter(lambda: source.read(1024 * 1024), b""):
                    target.write(chunk)
        except FileNotFoundError:
            logger.warning("A file for a data export is missing: %s", field_file.name)
            return ""
        return path

    def folder(self, path, description):
        """Describe a folder of copied files in the README."""
        self.contents.append((path, description))

    def _unique(self, path):
        candidate, number = path, 1
        while candidate in self._taken:
            stem = PurePosixPath(path)
            candidate = str(stem.with_name(f"{stem.stem}-{number}{stem.suffix}"))
            number += 1
        self._taken.add(candidate)
        return candidate


def _cell(value):
    """Text as a spreadsheet shows it, never as a formula: other owners' topic titles land in
    these files too."""
    if isinstance(value, bool):
        return _("Yes") if value else _("No")
    return neutralise(str(local(value)))


def safe_name(name):
    """A file name from an upload, usable in any archive tool."""
    cleaned = "".join(c for c in name if c not in '/\\:*?"<>|' and ord(c) >= 32).strip(". ")
    return cleaned[:120] or "file"


# -- "My data" ---------------------------------------------------------------------------------


EXPORTS_DAILY = ngettext_lazy(
    "You can ask for your data %(count)s time a day. Please try again after %(time)s.",
    "You can ask for your data %(count)s times a day. Please try again after %(time)s.",
    "count",
)


def lost(export, now=None):
    """An export still "being prepared" after EXPORT_STALE_AFTER was lost (the worker died or
    the broker dropped the task): it no longer holds the owner back."""
    return (
        export.status == DataExport.Status.PENDING
        and export.created_at < (now or timezone.now()) - EXPORT_STALE_AFTER
    )


def fail_lost_exports(now=None, **filters):
    """Mark lost exports failed (the owner's own at a new request, everyone's hourly)."""
    return DataExport.objects.filter(
        status=DataExport.Status.PENDING,
        created_at__lt=(now or timezone.now()) - EXPORT_STALE_AFTER,
        **filters,
    ).update(status=DataExport.Status.FAILED)


def why_not_export(user, now=None):
    """Why `user` may not ask for their data now, or "" when they may."""
    now = now or timezone.now()
    exports = DataExport.objects.filter(user=user)
    if exports.filter(
        status=DataExport.Status.PENDING, created_at__gte=now - EXPORT_STALE_AFTER
    ).exists():
        return _("Your data is being prepared. We will email you as soon as it is ready.")
    return limits.wait_message(
        exports,
        per_day=settings.DATA_EXPORTS_PER_DAY,
        daily_message=EXPORTS_DAILY,
        now=now,
    )


def request_export(user):
    """Ask for a ZIP of everything the site holds about `user`; it is built in the background
    and the owner is emailed a link when it is ready."""
    now = timezone.now()
    with transaction.atomic():
        # One owner's requests one at a time, so a double click cannot pass the limits twice.
        limits.lock_person(user)
        fail_lost_exports(now, user=user)
        problem = why_not_export(user, now)
        if problem:
            raise PrivacyError(problem)
        try:
            with transaction.atomic():
                export = DataExport.objects.create(user=user)
        except IntegrityError as error:  # the database's own guard: one pending per owner
            raise PrivacyError(why_not_export(user)) from error
        log(export, "owners.data.export", user=user)
        outbox.add_task(build_data_export, key=f"data-export:{export.pk}", export_id=export.pk)
    return export


def build_export(export_id):
    """Write the ZIP for a pending export, store it privately and email the owner. Returns the
    export, or None when there is nothing (left) to build."""
    export = DataExport.objects.select_related("user").filter(pk=export_id).first()
    if export is None or export.status != DataExport.Status.PENDING:
        return None
    user = export.user
    try:
        with tempfile.TemporaryFile() as spool:
            with (
                zipfile.ZipFile(spool, "w", zipfile.ZIP_DEFLATED) as archive,
                translation.override(user.language or settings.LANGUAGE_CODE),
            ):
                out = ExportWriter(archive)
                for part in parts():
                    part.export(user, out)
                archive.writestr("README.txt", readme(user, out.contents))
            spool.seek(0)
            name = private_storage.save(
                export.file.field.generate_filename(export, ""), File(spool)
            )
    except Exception:
        logger.exception("Data export %s could not be built", export.pk)
        DataExport.objects.filter(pk=export.pk, status=DataExport.Status.PENDING).update(
            status=DataExport.Status.FAILED
        )
        return None
    now = timezone.now()
    with transaction.atomic():
        done = DataExport.objects.filter(pk=export.pk, status=DataExport.Status.PENDING).update(
            status=DataExport.Status.READY,
            file=name,
            size=private_storage.size(name),
            ready_at=now,
            expires_at=now + timedelta(days=settings.DATA_EXPORT_DAYS),
        )
        if not done:  # the account was closed (or the export removed) meanwhile
            delete_files_on_commit(private_storage, [name])
            return None
        export.refresh_from_db()
        email_user(user, "owners/email/data_export_ready", {"export": export})
    return export


@shared_task(verbose_name=gettext_lazy("Build a “my data” download"))
def build_data_export(export_id):
    """The Celery task that builds an owner's "my data" ZIP (queued by request_export)."""
    export = build_export(export_id)
    return export.pk if export else None


def readme(user, contents):
    """README.txt: in Chinese, with a line of English, whatever the owner's language."""
    with translation.override("zh-hans"):
        return render_to_string(
            "owners/privacy/export_readme.txt",
            {
                "user": user,
                "contents": [(path, str(description)) for path, description in contents],
                "made_at": local(timezone.now()),
                "site_name": settings.WAGTAIL_SITE_NAME,
                "days": settings.DATA_EXPORT_DAYS,
            },
        )


def expire_exports(now=None):
    """Hourly: lost exports are marked failed, so their owners see it; exports past their date
    (and failed ones as old) are deleted, files first. Returns how many were deleted."""
    now = now or timezone.now()
    fail_lost_exports(now)
    old = DataExport.objects.filter(
        Q(expires_at__lte=now)
        | Q(
            status=DataExport.Status.FAILED,
            created_at__lte=now - timedelta(days=settings.DATA_EXPORT_DAYS),
        )
    )
    count = 0
    for export in old:
        if export.file:
            private_storage.delete(export.file.name)
        export.delete()
        count += 1
    return count


def downloadable(export, now=None):
    return export.is_ready and export.expires_at > (now or timezone.now())


# -- Closing an account -----------------------------------------------------------------------


def why_not_close(user):
    """Why `user` may not ask to close their account on the site, or "" when they may."""
    if user.closed_at:
        return _("This account is already closed.")
    if can_open_admin(user):
        return _("Staff accounts are closed by the site's administrators. Please ask your manager.")
    pending = user.closures.filter(status=AccountClosure.Status.PENDING).first()
    if pending:
        return _(
            "You asked to close your account on %(date)s; we will carry it out by %(deadline)s."
        ) % {
            "date": timezone.localtime(pending.requested_at).strftime("%Y-%m-%d"),
            "deadline": timezone.localtime(deadline(pending)).strftime("%Y-%m-%d"),
        }
    return ""


def deadline(closure):
    """When the daily task carries a request out if staff have not."""
    return closure.requested_at + timedelta(days=settings.ACCOUNT_CLOSURE_DAYS)


def request_closure(user, *, posts):
    if posts not in AccountClosure.Posts.values:
        raise PrivacyError(_("Choose what happens to your forum posts."))
    with transaction.atomic():
        limits.lock_person(user)
        problem = why_not_close(user)
        if problem:
            raise PrivacyError(problem)
        try:
            with transaction.atomic():
                closure = AccountClosure.objects.create(user=user, posts=posts)
        except IntegrityError as error:
            raise PrivacyError(why_not_close(user)) from error
        log(closure, "owners.account.close_request", user=user, data={"posts": posts})
        email_user(
            user,
            "owners/email/closure_requested",
            {"closure": closure, "deadline": deadline(closure)},
        )
    return closure


def withdraw_closure(closure, user):
    """The owner changes their mind before the request is carried out."""
    if closure.user_id != user.pk:
        raise PermissionDenied
    with transaction.atomic():
        closure = AccountClosure.objects.select_for_update().get(pk=closure.pk)
        if not closure.is_pending:
            raise PrivacyError(
                _("This request is already %(status)s.") % {"status": closure.get_status_display()}
            )
        closure.status, closure.withdrawn_at = AccountClosure.Status.WITHDRAWN, timezone.now()
        closure.save(update_fields=["status", "withdrawn_at"])
        log(closure, "owners.account.close_withdraw", user=user)
    return closure


def can_carry_out(staff, closure=None):
    """The question the admin's button asks, and the action checks."""
    if not staff.has_perm("owners.close_account"):
        return False
    return closure is None or (closure.is_pending and closure.user_id != staff.pk)


def summary(user):
    """What staff check before closing: open cases, pending redemptions, upcoming events…"""
    rows = []
    for part in parts():
        rows += part.summary(user)
    return rows


def carry_out_closure(closure, by=None):
    """Close the account: every part erases what it must and keeps what it must, the owner is
    told at their old address, the closure log gets the counts and Wagtail's audit log an entry.
    `by` is the staff member; None is the daily task, once the request's deadline has come."""
    with transaction.atomic():
        closure = AccountClosure.objects.select_for_update().get(pk=closure.pk)
        if not closure.is_pending:
            raise PrivacyError(
                _("This request is already %(status)s.") % {"status": closure.get_status_display()}
            )
        if by is not None and not can_carry_out(by, closure):
            raise PermissionDenied
        user = User.objects.select_for_update().get(pk=closure.user_id)
        if can_open_admin(user):
            raise PrivacyError(_("This is a staff account; remove it from its roles first."))
        # Emails still waiting for this address are not sent, and those sent are not kept
        # (portal.outbox); the last one, rendered now, goes to the address about to be erased.
        counts = {
            "outgoing_emails": outbox.forget_recipient(user.email),
            "outgoing_texts": outbox.forget_recipient(phones.international(user.mobile)),
            "outgoing_wechat": sum(
                outbox.forget_recipient(account.extra_data.get("openid", ""))
                for account in SocialAccount.objects.filter(user=user, provider="weixin_mp")
            ),
        }
        email_user(user, "owners/email/account_closed", {"closure": closure})
        own, *others = parts()
        for part in [*others, own]:
            counts.update(part.erase(user, closure, by))
        user = User.objects.get(pk=user.pk)
        for part in parts():
            relabel_log_entries(part.named_in_log(user))
        closure.status, closure.done_at, closure.done_by = (
            AccountClosure.Status.DONE,
            timezone.now(),
            by,
        )
        closure.counts = counts
        closure.save(update_fields=["status", "done_at", "done_by", "counts"])
        log(closure, "owners.account.close", user=by, data={"posts": closure.posts, **counts})
    return closure


def carry_out_due_closures(now=None):
    """Daily: requests nobody carried out within ACCOUNT_CLOSURE_DAYS are carried out now, so
    every owner is answered in time."""
    now = now or timezone.now()
    due = AccountClosure.objects.filter(
        status=AccountClosure.Status.PENDING,
        requested_at__lte=now - timedelta(days=settings.ACCOUNT_CLOSURE_DAYS),
    )
    done = 0
    for closure in due:
        # Each in its own transaction: one that cannot be carried out today (a staff account,
        # an event starting at that moment, a fault) is logged and retried tomorrow; the
        # others go ahead.
        try:
            carry_out_closure(closure)
        except PrivacyError as error:
            logger.warning("Closure request %s could not be carried out: %s", closure.pk, error)
            continue
        except Exception:
            logger.exception("Closure request %s failed", closure.pk)
            continue
        done += 1
    return done


class OwnersPart(Part):
    labels = {
        "email_addresses": gettext_lazy("email addresses deleted"),
        "authenticators": gettext_lazy("two-factor authenticators deleted"),
        "wechat_accounts": gettext_lazy("WeChat sign-ins unlinked"),
        "notifications": gettext_lazy("notifications deleted"),
        "outgoing_emails": gettext_lazy("emails to the account deleted from the outbox"),
        "outgoing_texts": gettext_lazy("text messages to its number deleted from the outbox"),
        "outgoing_wechat": gettext_lazy("WeChat messages to it deleted from the outbox"),
        "data_exports": gettext_lazy("data exports deleted"),
        "claims": gettext_lazy("ownership claims kept without proof, verification ended"),
        "avatar": gettext_lazy("avatar deleted"),
    }

    # -- export

    def export(self, user, out):
        avatar = ""
        if user.avatar:
            extension = user.avatar.name.rsplit(".", 1)[-1].lower()
            avatar = out.file(f"profile/avatar.{extension}", user.avatar)
        out.json(
            "profile/profile.json",
            {
                "username": user.username,
                "email": user.email,
                "real_name": user.real_name,
                "nickname": user.nickname,
                "show_real_name": user.show_real_name,
                "mobile": user.mobile,
                "mobile_verified": user.mobile_verified,
                "language": user.language,
                "email_notifications": user.email_notifications,
                "notification_channels": user.notification_channels,
                "verified_owner": user.is_verified_owner,
                "avatar": avatar,
                "joined": user.date_joined,
                "last_sign_in": user.last_login,
            },
            gettext_lazy(
                "Your profile: name, nickname, mobile number, language, which notifications are "
                "emailed to you, when you joined and last signed in."
            ),
        )
        if avatar:
            out.folder(avatar, gettext_lazy("Your avatar."))
        out.csv(
            "profile/email_addresses.csv",
            [_("Email address"), _("Verified"), _("Primary")],
            EmailAddress.objects.filter(user=user)
            .order_by("-primary", "email")
            .values_list("email", "verified", "primary"),
            gettext_lazy("The email addresses on your account."),
        )
        out.csv(
            "profile/wechat.csv",
            [_("WeChat name"), _("Linked"), _("Last signed in with it")],
            [
                (account.extra_data.get("nickname", ""), account.date_joined, account.last_login)
                for account in SocialAccount.objects.filter(
                    user=user, provider__in=("weixin", "weixin_mp")
                )
            ],
            gettext_lazy("The WeChat account that signs you in, if you linked one."),
        )
        out.csv(
            "profile/two_factor.csv",
            [_("Kind"), _("Added"), _("Last used")],
            # Never the secrets themselves.
            [
                (a.get_type_display(), a.created_at, a.last_used_at)
                for a in Authenticator.objects.filter(user=user).order_by("created_at")
            ],
            gettext_lazy("Your two-factor authenticators (without their secrets)."),
        )
        out.csv(
            "homes/claims.csv",
            [
                _("Estate"),
                _("Building"),
                _("Unit number"),
                _("Role"),
                _("Proof of ownership"),
                _("Status"),
                _("Reason"),
                _("Submitted"),
                _("Reviewed"),
            ],
            [
                (
                    c.unit.estate.name,
                    c.unit.building,
                    c.unit.number,
                    c.get_role_display(),
                    c.proof,
                    c.get_status_display(),
                    c.reason,
                    c.created_at,
                    c.reviewed_at,
                )
                for c in user.claims.select_related("unit__estate").order_by("created_at")
            ],
            gettext_lazy("Your claims to homes and what customer service decided."),
        )
        out.csv(
            "profile/consents.csv",
            [_("Document"), _("Version"), _("Agreed at")],
            [
                (c.get_document_display(), c.version, c.given_at)
                for c in user.consents.order_by("given_at")
            ],
            gettext_lazy("What you agreed to (the privacy policy, the club rules), and when."),
        )

    # -- closure

    def summary(self, user):
        return [
            (_("Verified homes"), user.claims.filter(status="approved").count()),
        ]

    def erase(self, user, closure, by):
        now = timezone.now()
        # Sessions need no scan: the new password hash and is_active end every one of them at
        # its next request (Django checks the session's password hash).
        counts = {
            "email_addresses": EmailAddress.objects.filter(user=user).delete()[0],
            "authenticators": Authenticator.objects.filter(user=user).delete()[0],
            # Their own, and others' that carry their name as the one who acted.
            "notifications": delete_notifications(
                Notification.objects.filter(Q(recipient=user) | Q(actor=user))
            ),
        }
        exports = list(DataExport.objects.filter(user=user))
        delete_files_on_commit(private_storage, [e.file.name for e in exports])
        counts["data_exports"] = DataExport.objects.filter(user=user).delete()[0]
        # WeChat's ids for the person, their WeChat name and picture: gone with the link.
        _deleted, by_model = SocialAccount.objects.filter(user=user).delete()
        counts["wechat_accounts"] = by_model.get(SocialAccount._meta.label, 0)
        UserProfile.objects.filter(user=user).delete()

        # Homes: the claim rows stay, so a unit's history stays whole; the proof goes and the
        # verification ends.
        claims = OwnershipClaim.objects.filter(owner=user)
        claims.filter(status__in=("pending", "approved")).update(
            status=OwnershipClaim.Status.REVOKED,
            reason=_("The account was closed."),
            reviewed_at=now,
            reviewed_by=by,
        )
        counts["claims"] = claims.update(proof="")

        if user.avatar:
            counts["avatar"] = delete_files_on_commit(user.avatar.storage, [user.avatar.name])
        placeholder = uuid.uuid4().hex
        user.username = f"closed-{placeholder[:20]}"
        # .invalid never routes (RFC 2606); email_user sends nothing to a closed account.
        user.email = f"{placeholder}@closed.invalid"
        user.password = make_password(None)
        user.real_name = user.nickname = user.first_name = user.last_name = user.mobile = ""
        user.avatar = ""
        user.show_real_name = user.is_verified_owner = user.is_active = user.mobile_verified = False
        user.email_notifications = User.EmailNotifications.NEVER
        user.notification_channels = {}
        user.last_login = None
        user.closed_at = now
        user.save()
        return counts

    def named_in_log(self, user):
        return [user, *OwnershipClaim.objects.filter(owner=user).select_related("unit__estate")]


class ArchivePart(Part):
    """The desk's record of the person (客户档案), once linked to the account. The record itself
    belongs to the management of the homes and outlives the account: a closure unlinks it."""

    labels = {"archive_record": gettext_lazy("owner record unlinked, kept by the service desk")}

    def export(self, user, out):
        record = OwnerRecord.objects.filter(user=user).first()
        if record is None:
            return
        out.csv(
            "homes/owner_record.csv",
            [
                _("Name"),
                _("Mobile number"),
                _("Email address"),
                _("ID document"),
                _("ID number"),
                _("Emergency contact"),
                _("Postal address"),
                _("Wants printed mail"),
            ],
            [
                (
                    record.name,
                    record.mobile,
                    record.email,
                    record.get_id_type_display(),
                    record.masked_id,
                    " ".join(filter(None, [record.emergency_contact, record.emergency_phone])),
                    " ".join(filter(None, [record.postcode, record.postal_address])),
                    record.printed_mail,
                )
            ],
            gettext_lazy("What the service desk keeps about you (your ID number shortened here)."),
        )
        out.csv(
            "homes/units_and_roles.csv",
            [_("Unit"), _("Role"), _("Since"), _("Until")],
            [
                (str(o.unit), o.get_role_display(), o.since, o.until)
                for o in record.occupancies.select_related("unit__estate")
            ],
            gettext_lazy("The homes the service desk has you in, with your role and dates."),
        )
        out.csv(
            "homes/vehicles.csv",
            [_("Plate"), _("Make and colour"), _("Parking space")],
            record.vehicles.values_list("plate", "description", "parking_space"),
            gettext_lazy("Your vehicles and parking spaces on record."),
        )
        out.csv(
            "homes/visits.csv",
            [_("Time"), _("Kind"), _("What about"), _("What was done")],
            [(v.at, v.get_kind_display(), v.subject, v.outcome) for v in record.visits.all()],
            gettext_lazy("Your visits and calls to the service desk."),
        )

    def summary(self, user):
        return [(_("Owner record"), OwnerRecord.objects.filter(user=user).count())]

    def erase(self, user, closure, by):
        return {"archive_record": OwnerRecord.objects.filter(user=user).update(user=None)}


register(ArchivePart())
