"""派单: customer service turn a case (a repair, or a complaint that needs another department's
work) into a work order for a department or contractor, with a technician and an appointment in
one of the owner's times. The case stays with its first responder; the owner reads the booking
on the case's timeline and hears of it on their channels (cases.casework.reply)."""

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from wagtail.log_actions import log

from cases import casework
from cases import rules as case_rules
from cases.models import Case
from portal.phones import masked
from repairs.dates import day_label
from repairs.models import RepairRequest, Team, WorkOrder
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
    return order


def booking_text(order, owner):
    """What the owner reads on the timeline: who comes when, and a number to reach them."""
    language = getattr(owner, "language", "") or settings.LANGUAGE_CODE
    with translation.override(language):
        if order.technician:
            person = _("technician %(surname)s") % {"surname": order.technician.real_name[:1]}
            phone = masked(order.technician.mobile)
        else:
            person, phone = str(order.team), order.team.phone
        return _(
            "Booked: %(team)s comes on %(day)s, %(window)s. Who comes: %(person)s%(phone)s."
        ) % {
            "team": order.team,
            "day": day_label(order.day, relative=False),
            "window": order.get_window_display(),
            "person": person,
            "phone": f" ({phone})" if phone else "",
        }
