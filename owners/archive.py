"""Every change to the owner archive (客户档案): records, the procedures that change who owns or
lives in a unit, signed slips, visits to the desk and the link to an owner's account.

Each function is one action (portal.actions): it checks the permission, locks the unit or the
record, checks the state on the locked row, writes, and logs who did it. A unit's history is
only ever added to: a procedure ends the occupancies it replaces (keeping their dates) and
starts new ones, and records itself as a `UnitEvent`.
"""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _
from wagtail.log_actions import log

from owners import claims
from owners.models import OwnershipClaim, Unit, User
from owners.models.archive import Occupancy, OwnerRecord, UnitEvent, Visit, id_digest
from portal.actions import Refused
from portal.files import clean_attachment
from portal.validators import resident_id_problem

Kind = UnitEvent.Kind
Role = Occupancy.Role
#: The roles that own a unit; a transfer ends them (and the household living with them).
OWNING = (Role.OWNER, Role.CO_OWNER)
#: Roles an account linked to a record is verified for, as an ownership claim's role.
CLAIM_ROLES = {
    Role.OWNER: OwnershipClaim.Role.OWNER,
    Role.CO_OWNER: OwnershipClaim.Role.CO_OWNER,
    Role.FAMILY: OwnershipClaim.Role.FAMILY,
}


class ArchiveError(Refused):
    """A change to the archive that cannot be made as asked; the message says why."""


def can_change(user):
    return user.has_perm("owners.change_ownerrecord")


def can_record_unit_change(user):
    return user.has_perm("owners.record_unit_change")


# Records -----------------------------------------------------------------------------------


def record_problems(record):
    """What is wrong with a record's identity as typed: {field: message}."""
    problems = {}
    if record.id_number:
        record.id_number = record.id_number.strip().upper()
        if not record.id_type:
            problems["id_type"] = _("Say which document this number is from.")
        elif record.id_type == OwnerRecord.IdType.RESIDENT:
            problem = resident_id_problem(record.id_number)
            if problem:
                problems["id_number"] = problem
        if "id_number" not in problems:
            twin = (
                OwnerRecord.objects.filter(id_digest=id_digest(record.id_number))
                .exclude(pk=record.pk)
                .first()
            )
            if twin:
                problems["id_number"] = _(
                    "Another record has this ID number: %(name)s. Open it instead of "
                    "making a second one."
                ) % {"name": twin.name}
    return problems


def save_record(record, by):
    """Create or change a record (the admin's form calls this after its own checks)."""
    creating = record.pk is None
    if not by.has_perm("owners.add_ownerrecord" if creating else "owners.change_ownerrecord"):
        raise PermissionDenied
    problems = record_problems(record)
    if problems:
        raise ArchiveError(" ".join(str(problem) for problem in problems.values()))
    try:
        with transaction.atomic():
            if creating:
                record.created_by = by
            else:  # two desks editing one person take turns
                OwnerRecord.objects.select_for_update().filter(pk=record.pk).first()
            record.save()
            log(record, "wagtail.create" if creating else "wagtail.edit", user=by)
            linked = None if record.user_id else _link_if_one(record)
    except IntegrityError as error:  # the same ID number saved by another desk at once
        problems = record_problems(record) or {"id_number": _("Another record has this ID number.")}
        raise ArchiveError(" ".join(str(p) for p in problems.values())) from error
    if linked is not None:
        record.user = linked.user
    return record


# Linking accounts --------------------------------------------------------------------------


def accounts_for(record):
    """Accounts whose verified mobile or verified email is the record's, not linked yet."""
    match = Q()
    if record.mobile:
        match |= Q(mobile=record.mobile, mobile_verified=True)
    if record.email:
        match |= Q(emailaddress__email__iexact=record.email, emailaddress__verified=True)
    if not match:
        return User.objects.none()
    return (
        User.objects.filter(match, record__isnull=True, closed_at__isnull=True, is_active=True)
        .distinct()
        .order_by("pk")
    )


def records_for(user):
    """Unlinked records with the account's verified mobile or a verified email of it."""
    match = Q()
    if user.mobile and user.mobile_verified:
        match |= Q(mobile=user.mobile)
    emails = list(user.emailaddress_set.filter(verified=True).values_list("email", flat=True))
    for email in emails:
        match |= Q(email__iexact=email)
    if not match:
        return OwnerRecord.objects.none()
    return OwnerRecord.objects.filter(match, user__isnull=True).order_by("pk")


def _link_if_one(record):
    accounts = list(accounts_for(record)[:2])
    if len(accounts) == 1 and len(records_for(accounts[0])[:2]) == 1:
        try:
            with transaction.atomic():
                return _link(record, accounts[0], by=None)
        except ArchiveError:  # linked elsewhere at the same moment: staff will see it
            return None
    return None


def link_new_account(user):
    """An account has just verified a mobile or an email: link it to its record when exactly
    one record and no other account have them. Anything less clear waits for staff, who see
    the candidates on the record (`accounts_for`)."""
    if user.closed_at or OwnerRecord.objects.filter(user=user).exists():
        return None
    records = list(records_for(user)[:2])
    if len(records) != 1 or len(accounts_for(records[0])[:2]) != 1:
        return None
    with transaction.atomic():
        return _link(records[0], user, by=None)


def link_account(record, user, by):
    """Staff link a record to an account (where the site could not tell which)."""
    if not by.has_perm("owners.link_account"):
        raise PermissionDenied
    with transaction.atomic():
        return _link(record, user, by=by)


def _link(record, user, by):
    record = OwnerRecord.objects.select_for_update().get(pk=record.pk)
    if record.user_id:
        raise ArchiveError(_("This record is already linked to an account."))
    if OwnerRecord.objects.filter(user=user).exists():
        raise ArchiveError(_("This account is already linked to another record."))
    record.user = user
    try:
        with transaction.atomic():
            record.save(update_fields=["user", "updated_at"])
    except IntegrityError as error:  # the same account linked elsewhere at the same moment
        raise ArchiveError(_("This account is already linked to another record.")) from error
    _verify_units(record, user, by)
    log(record, "owners.record.link", user=by, data={"account": user.pk})
    return record


def _verify_units(record, user, by=None):
    """The desk knows this person's homes: the account is verified for them at once."""
    for occupancy in record.occupancies.filter(until__isnull=True, role__in=list(CLAIM_ROLES)):
        claims.grant_from_archive(user, occupancy.unit, CLAIM_ROLES[occupancy.role], by)


# Unit procedures ---------------------------------------------------------------------------


def _check_date(on):
    if on is None:
        raise ArchiveError(_("Give the date."))
    if on > timezone.localdate():
        raise ArchiveError(_("The date cannot be after today."))


def _current(unit):
    return list(Occupancy.objects.filter(unit=unit, until__isnull=True).select_related("record"))


def _procedure(unit, by, kind, on, *, start=(), end=(), note=""):
    """Record one procedure on a locked unit: end `end` (occupancies), start `start`
    ((record, role, relation) triples), and keep it as a UnitEvent."""
    for occupancy in end:
        if occupancy.since > on:
            raise ArchiveError(
                _("%(name)s's place in this unit began on %(date)s, after the date given.")
                % {"name": occupancy.record.name, "date": occupancy.since.isoformat()}
            )
        occupancy.until = on
        occupancy.save(update_fields=["until"])
    starting = []
    for record, role, relation in start:
        starting.append(
            Occupancy(record=record, unit=unit, role=role, relation=relation or "", since=on)
        )
    try:
        with transaction.atomic():
            Occupancy.objects.bulk_create(starting)
    except IntegrityError as error:
        raise ArchiveError(_("One of these people is already recorded in this unit.")) from error
    event = UnitEvent.objects.create(
        unit=unit, kind=kind, happened_on=on, note=(note or "").strip(), recorded_by=by
    )
    event.people.set([record for record, _role, _relation in start])
    event.previous.set([occupancy.record for occupancy in end])
    # Accounts linked to these people are verified for the unit, or no longer.
    for occupancy in end:
        if occupancy.record.user_id and occupancy.role in CLAIM_ROLES:
            claims.withdraw_from_archive(occupancy.record.user, unit, by)
    for record, role, _relation in start:
        if record.user_id and role in CLAIM_ROLES:
            claims.grant_from_archive(record.user, unit, CLAIM_ROLES[role], by)
    log(unit, f"owners.unit.{kind}", user=by, data={"event": event.pk, "on": on.isoformat()})
    return event


def _locked_unit(unit, by):
    if not can_record_unit_change(by):
        raise PermissionDenied
    return Unit.objects.select_for_update().select_related("estate").get(pk=unit.pk)


def _distinct(records):
    records = [r for r in records if r is not None]
    if len({r.pk for r in records}) != len(records):
        raise ArchiveError(_("The same person is named twice."))
    return records


def hand_over(unit, by, *, owners, on, note=""):
    """交房: the buyers take the keys. The first named is the owner of record, the others
    co-owners; the date becomes the unit's handover date (warranties start from it)."""
    _check_date(on)
    owners = _distinct(owners)
    if not owners:
        raise ArchiveError(_("Name the owner who takes the keys."))
    with transaction.atomic():
        unit = _locked_unit(unit, by)
        if any(o.role in OWNING for o in _current(unit)):
            raise ArchiveError(
                _("This unit already has an owner: record a change of owner instead.")
            )
        start = [(owners[0], Role.OWNER, "")] + [(o, Role.CO_OWNER, "") for o in owners[1:]]
        event = _procedure(unit, by, Kind.HANDOVER, on, start=start, note=note)
        if unit.handed_over_on is None:
            unit.handed_over_on = on
            unit.save(update_fields=["handed_over_on"])
    return event


def move_in(unit, by, *, household, on, note=""):
    """入住: the owner's household moves in; `household` is [(record, relation)], possibly
    empty when the owner moves in alone."""
    _check_date(on)
    _distinct([record for record, _relation in household])
    with transaction.atomic():
        unit = _locked_unit(unit, by)
        if not any(o.role in OWNING for o in _current(unit)):
            raise ArchiveError(_("Record the handover first: this unit has no owner yet."))
        start = [(record, Role.FAMILY, relation) for record, relation in household]
        return _procedure(unit, by, Kind.MOVE_IN, on, start=start, note=note)


def let(unit, by, *, tenants, on, note=""):
    """出租 / 加租: tenants move in; the first named signs for them."""
    _check_date(on)
    tenants = _distinct(tenants)
    if not tenants:
        raise ArchiveError(_("Name the tenant."))
    with transaction.atomic():
        unit = _locked_unit(unit, by)
        if not any(o.role in OWNING for o in _current(unit)):
            raise ArchiveError(_("Record the handover first: this unit has no owner yet."))
        start = [(record, Role.TENANT, "") for record in tenants]
        return _procedure(unit, by, Kind.LET, on, start=start, note=note)


def end_tenancy(unit, by, *, on, note=""):
    """退租: every current tenant of the unit leaves."""
    _check_date(on)
    with transaction.atomic():
        unit = _locked_unit(unit, by)
        tenants = [o for o in _current(unit) if o.role == Role.TENANT]
        if not tenants:
            raise ArchiveError(_("This unit has no tenant."))
        return _procedure(unit, by, Kind.TENANCY_END, on, end=tenants, note=note)


def transfer(unit, by, *, owners, on, note=""):
    """更名: the unit changes owner. The previous owners and their household leave the record
    of the unit (their history stays); tenants stay, their lease goes with the unit."""
    _check_date(on)
    owners = _distinct(owners)
    if not owners:
        raise ArchiveError(_("Name the new owner."))
    with transaction.atomic():
        unit = _locked_unit(unit, by)
        current = _current(unit)
        leaving = [o for o in current if o.role in (*OWNING, Role.FAMILY)]
        if not any(o.role in OWNING for o in leaving):
            raise ArchiveError(_("This unit has no owner yet: record the handover instead."))
        if {o.record_id for o in leaving if o.role in OWNING} == {r.pk for r in owners}:
            raise ArchiveError(_("These are already the unit's owners."))
        staying = {o.record_id for o in current} - {o.record_id for o in leaving}
        if staying & {r.pk for r in owners}:
            raise ArchiveError(_("A tenant of this unit must first leave it to become its owner."))
        start = [(owners[0], Role.OWNER, "")] + [(o, Role.CO_OWNER, "") for o in owners[1:]]
        return _procedure(unit, by, Kind.TRANSFER, on, start=start, end=leaving, note=note)


def move_out(unit, by, *, people, on, note=""):
    """退场: the people named (everyone in the unit when none is named) leave it."""
    _check_date(on)
    with transaction.atomic():
        unit = _locked_unit(unit, by)
        current = _current(unit)
        chosen = {r.pk for r in people}
        leaving = [o for o in current if not chosen or o.record_id in chosen]
        if not leaving:
            raise ArchiveError(_("Nobody named is recorded in this unit now."))
        return _procedure(unit, by, Kind.MOVE_OUT, on, end=leaving, note=note)


PROCEDURES = {
    Kind.HANDOVER: hand_over,
    Kind.MOVE_IN: move_in,
    Kind.LET: let,
    Kind.TENANCY_END: end_tenancy,
    Kind.TRANSFER: transfer,
    Kind.MOVE_OUT: move_out,
}


def attach_signed_slip(event, by, upload):
    """The slip signed at the desk, scanned: kept with the event in private storage."""
    if not can_record_unit_change(by):
        raise PermissionDenied
    if event.slip_title is None:
        raise ArchiveError(_("This procedure has no confirmation slip."))
    try:
        upload = clean_attachment(upload)
    except ValidationError as error:
        raise ArchiveError(" ".join(error.messages)) from error
    with transaction.atomic():
        event = UnitEvent.objects.select_for_update().get(pk=event.pk)
        if event.signed_slip:
            raise ArchiveError(_("The signed slip of this procedure is already kept."))
        event.signed_slip.save(upload.name, upload, save=False)
        event.slip_uploaded_at, event.slip_uploaded_by = timezone.now(), by
        event.save(update_fields=["signed_slip", "slip_uploaded_at", "slip_uploaded_by"])
        log(event.unit, "owners.unit.slip", user=by, data={"event": event.pk})
    return event


# Visits ------------------------------------------------------------------------------------


def record_visit(record, by, *, kind, subject, outcome="", at=None):
    """来访 / 来电: the desk served this person."""
    if not by.has_perm("owners.add_visit"):
        raise PermissionDenied
    subject = (subject or "").strip()
    if not subject:
        raise ArchiveError(_("Say what the visit was about."))
    if kind not in Visit.Kind.values:
        raise ArchiveError(_("Say whether they came in or called."))
    with transaction.atomic():
        visit = Visit.objects.create(
            record=record,
            kind=kind,
            at=at or timezone.now(),
            subject=subject,
            outcome=(outcome or "").strip(),
            served_by=by,
        )
        log(record, "owners.record.visit", user=by, data={"visit": visit.pk, "kind": kind})
    return visit
