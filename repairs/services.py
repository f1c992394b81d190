"""特约服务: an owner asks for the lift kept for a move (电梯管制), air conditioning after hours
(空调加时) or goods let out through the gate (物资放行), for one day of their choosing. It is
filed as a case (kind "service": reference, first responder, deadlines, timeline, the owner's
channels); the person responsible approves or declines it, which answers and resolves the case.
An approved 物资放行 is a pass (放行条) with a QR code: the gate guard opens it on a phone, sees
whether it is good for today, and lets the goods out once. Views, the admin, tasks and tests
call these functions alone."""

import secrets
from datetime import datetime, timedelta

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from wagtail.log_actions import log

from cases import casework
from cases import rules as case_rules
from cases.models import Case, Category
from owners.models import Unit
from portal.actions import Refused
from portal.validators import is_plate, normalise_plate
from repairs.dates import day_label
from repairs.models import SpecialService
from repairs.requests import homes

Type, State = SpecialService.Type, SpecialService.State

#: How far ahead a service may be asked for, and the case category it is filed under (made
#: when first needed: staff may then change its deadlines in the admin).
DAYS_AHEAD = 30
CATEGORY = "特约服务"
#: 空调加时 runs outside the building's own hours; the lift is kept at most a working day.
LONGEST = {Type.LIFT: timedelta(hours=8), Type.AIRCON: timedelta(hours=6)}
MAX_ITEMS = 30


class ServiceError(Refused):
    """A request or a decision that cannot be taken as it is; the message says why."""


def request_service(
    owner,
    *,
    type,
    unit,
    day,
    starts=None,
    ends=None,
    lift="",
    area="",
    items="",
    plate="",
    description="",
):
    """特约服务 for one of the owner's verified homes, on `day`."""
    if type not in Type.values:
        raise ServiceError(_("Choose a service."))
    if unit is None or not homes(owner).filter(unit=unit).exists():
        raise ServiceError(_("Choose one of your verified homes."))
    if type == Type.AIRCON and unit.use == Unit.Use.RESIDENTIAL:
        raise ServiceError(_("Air conditioning after hours is for shops and offices."))
    today = timezone.localdate()
    if not today <= day <= today + timedelta(days=DAYS_AHEAD):
        raise ServiceError(
            _("Choose a day from today to %(days)s days ahead.") % {"days": DAYS_AHEAD}
        )
    fields = {"lift": "", "area": "", "items": "", "plate": "", "starts": None, "ends": None}
    if type in LONGEST:
        if starts is None or ends is None or ends <= starts:
            raise ServiceError(_("Give the hours: the end after the start."))
        length = datetime.combine(day, ends) - datetime.combine(day, starts)
        if length > LONGEST[type]:
            raise ServiceError(
                _("At most %(hours)s hours at a time.")
                % {"hours": int(LONGEST[type].total_seconds() // 3600)}
            )
        if day == today and starts <= timezone.localtime().time():
            raise ServiceError(_("Choose hours that have not begun yet."))
        fields.update(starts=starts, ends=ends)
        if type == Type.LIFT:
            fields["lift"] = lift.strip()
        else:
            if not area.strip():
                raise ServiceError(_("Say which area needs the air conditioning."))
            fields["area"] = area.strip()
    else:
        lines = [line.strip() for line in items.splitlines() if line.strip()]
        if not lines:
            raise ServiceError(_("List the goods that go out, one a line."))
        if len(lines) > MAX_ITEMS:
            raise ServiceError(_("At most %(count)s lines of goods.") % {"count": MAX_ITEMS})
        plate = normalise_plate(plate)
        if not is_plate(plate):
            raise ServiceError(_("Enter the vehicle's plate, such as 粤B12345."))
        fields.update(items="\n".join(lines), plate=plate)
    category, _created = Category.objects.get_or_create(
        name=CATEGORY, defaults={"first_response_hours": 4, "resolution_hours": 12}
    )
    with translation.override(settings.LANGUAGE_CODE):
        subject = f"{Type(type).label} · {unit.label} · {day:%m-%d}"
    with transaction.atomic():
        case = casework.file_case(
            owner,
            kind=Case.Kind.SERVICE,
            category=category,
            unit=unit,
            subject=subject[:120],
            description=description.strip() or subject,
        )
        return SpecialService.objects.create(case=case, type=type, day=day, **fields)


def can_decide(user, service):
    """The predicate the case screen asks before it offers 批准 / 不批准."""
    case = service.case
    return service.state == State.REQUESTED and (
        case_rules.can_accept(user, case) or case_rules.can_act(user, case)
    )


def decide(service, by, *, approve, note=""):
    """批准 or 不批准 (with the reason): the answer resolves the case, and the owner hears it on
    their channels. A new request is accepted by whoever decides it (首问负责). An approved
    物资放行 gets its pass."""
    note = note.strip()
    if not approve and not note:
        raise ServiceError(_("Say why it cannot be done: the owner reads it."))
    with transaction.atomic():
        service = (
            SpecialService.objects.select_for_update().select_related("case").get(pk=service.pk)
        )
        case = Case.objects.select_for_update(of=("self",)).get(pk=service.case_id)
        if service.state != State.REQUESTED:
            raise ServiceError(
                _("This request is already %(state)s.") % {"state": service.get_state_display()}
            )
        if case.status == Case.Status.NEW:
            casework.accept(case, by)
        case_rules.check_act(by, case)
        service.state = State.APPROVED if approve else State.DECLINED
        service.decided_by, service.decided_at = by, timezone.now()
        if approve and service.type == Type.RELEASE:
            service.pass_token = secrets.token_urlsafe(18)
        service.save(update_fields=["state", "decided_by", "decided_at", "pass_token"])
        log(service, f"repairs.service.{service.state}", user=by, data={"note": note})
        text = answer_text(service, case.owner, note)
        casework.set_status(case, by, Case.Status.RESOLVED, text)
    return service


def answer_text(service, owner, note):
    """What the owner reads: approved, for when and what; or why not."""
    with translation.override(getattr(owner, "language", "") or settings.LANGUAGE_CODE):
        when = day_label(service.day, relative=False)
        if service.hours:
            when = f"{when} {service.hours}"
        if service.state == State.DECLINED:
            text = _("Not approved: %(reason)s") % {"reason": note}
        elif service.type == Type.RELEASE:
            text = _(
                "Approved: your gate pass for %(day)s is on this page. Show its QR code to the "
                "guard at the gate; it lets the goods out once, that day."
            ) % {"day": when}
        else:
            text = _("Approved: %(service)s, %(when)s.") % {
                "service": service.get_type_display(),
                "when": when,
            }
        if note and service.state == State.APPROVED:
            text = f"{text}\n{note}"
    return text


# -- The gate pass ------------------------------------------------------------------------------


def find_pass(token):
    """The pass a QR code opens, or None."""
    return (
        SpecialService.objects.select_related("case__unit__estate", "case__owner", "used_by")
        .filter(type=Type.RELEASE, pass_token=token)
        .first()
    )


def verdict(service, today=None):
    """(good, why) for a guard looking at `service`'s pass today."""
    today = today or timezone.localdate()
    if service.state == State.USED:
        return False, _("Already used: let out on %(moment)s by %(guard)s.") % {
            "moment": timezone.localtime(service.used_at).strftime("%m-%d %H:%M"),
            "guard": service.used_by.display_name if service.used_by else "—",
        }
    if service.state != State.APPROVED:
        return False, _("Not valid: %(state)s.") % {"state": service.get_state_display()}
    if service.day != today:
        return False, _("Not for today: this pass is for %(day)s.") % {
            "day": day_label(service.day, relative=False)
        }
    return True, _("Valid today: check the goods and the plate, then let them out.")


def check_guard(user):
    if not user.has_perm("repairs.check_gate_pass"):
        raise PermissionDenied


def let_out(service, guard):
    """放行: the guard lets the goods out; the pass is spent. Once, whoever scans it again or at
    the same moment (a conditional UPDATE on the approved pass of today)."""
    check_guard(guard)
    with transaction.atomic():
        now = timezone.now()
        used = SpecialService.objects.filter(
            pk=service.pk, state=State.APPROVED, day=timezone.localdate(now)
        ).update(state=State.USED, used_by=guard, used_at=now)
        service.refresh_from_db()
        if not used:
            raise ServiceError(verdict(service)[1])
        log(service, "repairs.service.used", user=guard)
    return service


# -- After the day ------------------------------------------------------------------------------


def close_past_days(today=None):
    """Daily: services whose day has passed are over: the lift or air conditioning was given,
    an unused pass is void. Returns how many."""
    today = today or timezone.localdate()
    return SpecialService.objects.filter(state=State.APPROVED, day__lt=today).update(
        state=State.PAST
    )
