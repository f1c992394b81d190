"""派单: customer service turn a case (a repair, or a complaint that needs another department's
work) into a work order for a department or contractor, with a technician and an appointment in
one of the owner's times. The case stays with its first responder; the owner reads the booking
on the case's timeline and hears of it on their channels (cases.casework.reply)."""

import re
from datetime import timedelta
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db import models as db
from django.utils import timezone, translation
from django.utils.text import Truncator
from django.utils.translation import gettext as _
from wagtail.log_actions import log

from cases import casework
from cases import rules as case_rules
from cases.models import Case
from portal import outbox, phones
from portal.notifications import email_user
from portal.phones import masked
from repairs.dates import day_label
from repairs.models import MaterialUse, RepairRequest, Team, WorkOrder
from repairs.requests import RepairError

State = WorkOrder.State


def dispatch(case, by, *, team, day, window, technician=None, reason=""):
    """Book `team` (and, in-house, `technician`) for `day` and `window`. A new case is accepted
    by `by` first. A case with an open work order is reassigned: the open one is cancelled,
    with `reason`, on the record."""
    if not team.is_active:
        raise RepairError(_("%(team)s takes no jobs at present.") % {"team": team})
    if team.kind == Team.Kind.DEPARTMENT and technician is None:
        raise RepairError(_("Choose the technician who goes."))
    if technician is not None and not team.members.filter(pk=technician.pk).exists():
        raise RepairError(
            _("%(name)s is not one of %(team)s's people.")
            % {"name": technician.display_name, "team": team}
        )
    with transaction.atomic():
        case = Case.objects.select_for_update(of=("self",)).select_related("owner").get(pk=case.pk)
        if case.status == Case.Status.NEW:
            # 首问负责: whoever dispatches a new request takes it, as the hotline does.
            casework.accept(case, by)
        case_rules.check_act(by, case)
        repair = RepairRequest.objects.filter(case=case).first()
        if repair and {"date": day.isoformat(), "window": window} not in repair.slots:
            raise RepairError(_("Book one of the times the owner offered."))
        current = WorkOrder.objects.filter(case=case, state__in=WorkOrder.OPEN).first()
        if current is not None:
            if not reason.strip():
                raise RepairError(_("Say why the job goes to someone else."))
            current.state, current.cancelled_by = State.CANCELLED, by
            current.cancelled_at, current.cancel_reason = timezone.now(), reason.strip()
            current.save(update_fields=["state", "cancelled_by", "cancelled_at", "cancel_reason"])
        try:
            with transaction.atomic():
                order = WorkOrder.objects.create(
                    case=case,
                    team=team,
                    technician=technician,
                    day=day,
                    window=window,
                    dispatched_by=by,
                )
        except IntegrityError:
            raise RepairError(
                _("%(name)s already has a job at that time: choose another technician or time.")
                % {"name": technician.display_name if technician else team}
            ) from None
        log(
            order,
            "repairs.work_order.dispatch",
            user=by,
            data={"reason": reason.strip(), "replaces": current.pk if current else None},
        )
        casework.reply(case, by, booking_text(order, case.owner))
        if team.kind == Team.Kind.CONTRACTOR:
            _text_contractor(order, case)
    return order


def job_facts(order, case):
    """All a contractor's people learn of a job: where, what is wrong, when, and the owner's
    number masked (they reach the owner through customer service)."""
    repair = RepairRequest.objects.filter(case=case).select_related("estate").first()
    with translation.override(settings.LANGUAGE_CODE):
        return {
            "reference": case.reference,
            "team": order.team.name,
            "place": repair.where if repair else str(case.unit or ""),
            "problem": Truncator(unnumbered(" ".join(case.description.split()))).chars(60),
            "time": f"{day_label(order.day, relative=False)} {order.get_window_display()}",
            "phone": masked(case.owner.mobile) if case.owner else "",
        }


def unnumbered(text):
    """What an owner wrote, with any run of digits long enough to be a telephone number
    hidden: "请联系王先生13800138000" must not reach a contractor whole."""
    return re.sub(r"\d[\d\s-]{5,}\d", "****", text)


def _text_contractor(order, case):
    """The job sheet by text to the contractor's contact, when their number is a mobile; a
    landline is called by customer service with the printed sheet."""
    try:
        phone = phones.e164(order.team.phone)
    except ValidationError:
        return None
    return outbox.add_text(
        phone, "contractor_job", job_facts(order, case), key=f"contractor-job:{order.pk}"
    )


def booking_text(order, owner):
    """What the owner reads on the timeline: who comes when, and a number to reach them."""
    language = getattr(owner, "language", "") or settings.LANGUAGE_CODE
    with translation.override(language):
        person = _person(order)
        phone = masked(order.technician.mobile) if order.technician else order.team.phone
        return _(
            "Booked: %(team)s comes on %(day)s, %(window)s. Who comes: %(person)s%(phone)s."
        ) % {
            "team": order.team,
            "day": day_label(order.day, relative=False),
            "window": order.get_window_display(),
            "person": person,
            "phone": f" ({phone})" if phone else "",
        }


# -- The technician's day -------------------------------------------------------------------


def assigned(technician):
    """Every job of `technician`, with what the job pages show."""
    return WorkOrder.objects.filter(technician=technician).select_related(
        "case__unit__estate",
        "case__owner",
        "case__repair__category",
        "case__repair__estate",
        "team",
    )


def jobs(technician, day):
    """`technician`'s jobs on `day`, in time order."""
    in_time = db.Case(
        *(db.When(window=w, then=n) for n, w in enumerate(RepairRequest.Window.values)),
        output_field=db.IntegerField(),
    )
    return (
        assigned(technician).filter(day=day).exclude(state=State.CANCELLED).order_by(in_time, "pk")
    )


def _locked_job(order, technician, states):
    order = WorkOrder.objects.select_for_update().get(pk=order.pk)
    if order.technician_id != technician.pk:
        raise PermissionDenied
    if order.state not in states:
        raise RepairError(
            _("This job is already %(state)s.") % {"state": order.get_state_display()}
        )
    return order


def arrive(order, technician):
    """已到场: the technician is at the door; the case is in progress (维修中)."""
    with transaction.atomic():
        order = _locked_job(order, technician, [State.BOOKED])
        order.state, order.arrived_at = State.ARRIVED, timezone.now()
        order.escalation_level = 0  # on time now; the completion deadline is chased afresh
        order.save(update_fields=["state", "arrived_at", "escalation_level"])
        log(order, "repairs.work_order.arrive", user=technician)
        with translation.override(_owner_language(order.case)):
            text = _("%(person)s has arrived.") % {"person": _person(order)}
        casework.record_work(order.case, technician, Case.Status.IN_PROGRESS, text)
    return order


def finish(order, technician, *, notes, files=(), materials=(), amount=None):
    """完工: what was done, its photos, the materials used (material, quantity) and, for a paid
    job, the amount; the case is resolved and waits for the owner to confirm and rate it."""
    with transaction.atomic():
        order = _locked_job(order, technician, [State.BOOKED, State.ARRIVED])
        return _finish(order, technician, notes, files, materials, amount)


def record_contractor_work(order, by, *, notes, files=(), amount=None):
    """A contractor's job done, as its people reported it to customer service (they have no
    account): recorded by the person responsible for the case, like a technician's 完工."""
    with transaction.atomic():
        order = WorkOrder.objects.select_for_update().select_related("team").get(pk=order.pk)
        case_rules.check_act(by, Case.objects.get(pk=order.case_id))
        if order.team.kind != Team.Kind.CONTRACTOR:
            raise RepairError(_("The technician records their own work on their phone."))
        if order.state not in WorkOrder.OPEN:
            raise RepairError(
                _("This job is already %(state)s.") % {"state": order.get_state_display()}
            )
        return _finish(order, by, notes, files, (), amount)


def _finish(order, by, notes, files, materials, amount):
    if not notes.strip():
        raise RepairError(_("Say what was done."))
    repair = RepairRequest.objects.filter(case=order.case_id).first()
    paid = repair is not None and repair.is_paid
    if paid and amount is None:
        raise RepairError(_("Enter the amount the owner pays for this paid repair."))
    if not paid:
        amount = None  # free work costs the owner nothing, whatever was typed
    used = [(material, Decimal(quantity)) for material, quantity in materials if quantity]
    MaterialUse.objects.bulk_create(
        MaterialUse(order=order, material=m, quantity=q, unit_price=m.unit_price) for m, q in used
    )
    now = timezone.now()
    order.state, order.done_at = State.DONE, now
    order.arrived_at = order.arrived_at or now
    order.notes, order.amount = notes.strip(), amount
    order.save(update_fields=["state", "done_at", "arrived_at", "notes", "amount"])
    log(order, "repairs.work_order.finish", user=by)
    with translation.override(_owner_language(order.case)):
        lines = [_("Done: %(notes)s") % {"notes": order.notes}]
        if used:
            lines.append(
                _("Materials: %(list)s")
                % {"list": "、".join(f"{m.name} × {q.normalize()}{m.unit}" for m, q in used)}
            )
        if amount is not None:
            lines.append(_("To pay: ¥%(amount)s") % {"amount": amount})
        lines.append(_("Please confirm it is fixed, or tell us it is not."))
    casework.record_work(order.case, by, Case.Status.RESOLVED, "\n".join(lines), files)
    return order


def _owner_language(case):
    return getattr(case.owner, "language", "") or settings.LANGUAGE_CODE


def _person(order):
    if order.technician:
        return _("technician %(surname)s") % {"surname": order.technician.real_name[:1]}
    return str(order.team)


# -- Late jobs ------------------------------------------------------------------------------

#: Without a repair category (a complaint's hand-over): done within three days of arriving.
HANDOVER_HOURS = 72
MANAGERS_AFTER = timedelta(hours=24)


def missed(order, now):
    """The deadline `order` has missed at `now`, or None: arriving by the end of the booked
    window, then finishing within its category's completion hours."""
    if order.state == State.BOOKED and now > order.arrival_due:
        return order.arrival_due
    repair = getattr(order.case, "repair", None)
    hours = repair.category.completion_hours if repair else HANDOVER_HOURS
    due = order.completion_due(hours)
    return due if now > due else None


def chase_late_jobs(now=None):
    """Remind the technician and the case's first responder of a late job, then tell managers a
    day later: once per level (a conditional UPDATE takes each step, and each reminder's outbox
    key is the job, the level, the deadline and the person). Returns how many were written."""
    now = now or timezone.now()
    sent = 0
    late = WorkOrder.objects.filter(
        state__in=WorkOrder.OPEN, escalation_level__lt=2, day__lte=timezone.localdate(now)
    ).select_related("case__first_responder", "case__repair__category", "technician", "team")
    for order in late:
        due = missed(order, now)
        if due is None:
            continue
        level = 2 if now - due > MANAGERS_AFTER else 1
        if level <= order.escalation_level:
            continue
        if not WorkOrder.objects.filter(pk=order.pk, escalation_level__lt=level).update(
            escalation_level=level
        ):
            continue  # another worker took this step
        if level == 1:
            people = [p for p in (order.technician, order.case.first_responder) if p]
        else:
            people = list(casework.case_managers())
        for person in people:
            key = f"job-late:{order.pk}:{level}:{due.isoformat()}:{person.pk}"
            context = {"order": order, "case": order.case, "level": level, "due": due}
            if email_user(person, "repairs/email/job_late", context, key=key):
                sent += 1
    return sent
