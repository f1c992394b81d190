"""Owners' repair requests: filed as a case (cases.casework.file_case, kind "repair"), with the
place, the times the owner can be there, warranty and, for a paid job, the price they accepted,
in one transaction. Views, the admin and tests call these functions alone."""

from datetime import timedelta

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from cases import casework
from cases.models import Case
from owners import archive
from owners.models import Estate, Unit
from portal.actions import Refused
from repairs.dates import day_label
from repairs.models import RepairRequest

Place = RepairRequest.Place
#: How many times an owner may offer, and how far ahead.
MAX_SLOTS, DAYS_AHEAD = 3, 14


class RepairError(Refused):
    """A request that cannot be filed as it is; the message says why, in the owner's words."""


def homes(owner):
    """The units the owner's approved claims give them."""
    return owner.claims.filter(status="approved").select_related("unit__estate")


def estates(owner):
    return Estate.objects.filter(units__claims__owner=owner, units__claims__status="approved")


def record_homes(record):
    """The units a person of the owner archive is in now, in any role (a tenant reports
    repairs at the desk too)."""
    return Unit.objects.filter(
        occupancies__record=record, occupancies__until__isnull=True
    ).select_related("estate")


def record_estates(record):
    return Estate.objects.filter(
        units__occupancies__record=record, units__occupancies__until__isnull=True
    )


def is_free(category, place, unit, day=None):
    """(free, under warranty): common areas are the property's to keep; a home's repair is
    free while the category's warranty covers it."""
    if place == Place.COMMON:
        return True, False
    warranty = category.covers(unit.handed_over_on, day or timezone.localdate())
    return warranty, warranty


def clean_slots(slots, today=None):
    """Distinct (date, window) pairs from today to DAYS_AHEAD days ahead, in time order."""
    today = today or timezone.localdate()
    windows = list(RepairRequest.Window.values)
    found = sorted(
        {(day, window) for day, window in slots}, key=lambda s: (s[0], windows.index(s[1]))
    )
    if not found:
        raise RepairError(_("Offer at least one time you can be there."))
    if len(found) > MAX_SLOTS:
        raise RepairError(_("Offer at most %(count)s times.") % {"count": MAX_SLOTS})
    for day, _window in found:
        if not today <= day <= today + timedelta(days=DAYS_AHEAD):
            raise RepairError(
                _("Choose days from today to %(days)s days ahead.") % {"days": DAYS_AHEAD}
            )
    return [{"date": day.isoformat(), "window": window} for day, window in found]


def report_repair(
    owner,
    *,
    category,
    place,
    description,
    slots,
    unit=None,
    estate=None,
    common_area="",
    files=(),
    price_item=None,
    accept_price=False,
    record=None,
    by=None,
    came=None,
):
    """我要报修: a repair in the owner's home or a common area of their estate. At the desk
    (`record`, `by`, `came`): for a person of the owner archive, account or not, in a home
    they are in now; the staff member who takes it is its first responder, and it is kept as
    the person's visit or call."""
    if record is not None:
        if not by.has_perm("cases.handle_case"):
            raise PermissionDenied
        units, places = record_homes(record), record_estates(record)
        owner = record.user if record.user_id and record.user.is_verified_owner else None
    else:
        units = Unit.objects.filter(pk__in=homes(owner).values("unit_id"))
        places = estates(owner)
    if place == Place.HOME:
        if unit is None or not units.filter(pk=unit.pk).exists():
            raise RepairError(_("Choose one of your verified homes."))
        estate, common_area = unit.estate, ""
        if owner is not None and not homes(owner).filter(unit=unit).exists():
            owner = None  # a tenant's account: the case is the desk's, with the caller named
    else:
        if estate is None or not places.filter(pk=estate.pk).exists():
            raise RepairError(_("Choose the estate you live in."))
        if common_area not in RepairRequest.CommonArea.values:
            raise RepairError(_("Say which common area."))
        unit = None
    free, warranty = is_free(category, place, unit)
    if free:
        price_item = None
    elif category.prices.filter(is_active=True).exists():
        if price_item is None or price_item.category_id != category.pk or not price_item.is_active:
            raise RepairError(_("Choose the service you need from the price list."))
        if not accept_price:
            raise RepairError(_("This repair is paid: accept the price before we book it."))
    slots = clean_slots(slots)
    where = unit.label if unit else f"{estate.name} {RepairRequest.CommonArea(common_area).label}"
    with transaction.atomic():
        case = casework.file_case(
            owner,
            kind=Case.Kind.REPAIR,
            category=category.case_category,
            unit=unit,
            subject=f"{category.name} · {where}"[:120],
            description=description,
            files=files,
            channel=Case.Channel.PHONE if record is not None else Case.Channel.WEB,
            recorded_by=by,
        )
        repair = RepairRequest.objects.create(
            case=case,
            category=category,
            place=place,
            estate=estate,
            common_area=common_area,
            slots=slots,
            under_warranty=warranty,
            price_item=price_item,
            accepted_price=price_item.price if price_item else None,
            price_accepted_at=timezone.now() if price_item else None,
        )
        if record is not None:
            casework.accept(case, by)
            # Who came or called: for staff only (a contractor's text quotes the description).
            caller = " ".join(filter(None, [record.name, record.mobile]))
            casework.note(case, by, f"{_('Caller')}: {caller}")
            archive.record_visit(
                record,
                by,
                kind=came,
                subject=case.subject,
                outcome=_("Case %(reference)s recorded") % {"reference": case.reference},
            )
        return repair


def slot_days(today=None):
    """The days an owner may pick, today first."""
    today = today or timezone.localdate()
    return [today + timedelta(days=n) for n in range(DAYS_AHEAD + 1)]


def progress(case):
    """The steps of a repair as a delivery app shows them: 已提交 → 已预约 → 维修中 → 已完成 →
    待评价 (or 已评价), each done or not, the one reached last marked, with its detail (who
    comes when). A reopened repair goes back to 已预约 for the next visit."""
    order = case.work_orders.exclude(state="cancelled").select_related("team", "technician").last()
    status = case.status
    resolved = status in (Case.Status.RESOLVED, Case.Status.FOLLOWED_UP, Case.Status.CLOSED)
    booked_detail = ""
    if order is not None:
        who = order.team.name
        if order.technician:
            who = _("%(team)s, technician %(surname)s") % {
                "team": who,
                "surname": order.technician.real_name[:1],
            }
        booked_detail = f"{day_label(order.day)} {order.get_window_display()} · {who}"
    reached = [
        True,
        order is not None,
        order is not None and (order.arrived_at is not None or resolved),
        resolved,
        case.satisfaction is not None,
    ]
    labels = [
        pgettext("repair step", "Submitted"),
        pgettext("repair step", "Booked"),
        pgettext("repair step", "Being repaired"),
        pgettext("repair step", "Done"),
        pgettext("repair step", "Rated")
        if case.satisfaction is not None
        else pgettext("repair step", "To rate"),
    ]
    details = ["", booked_detail, "", "", ""]
    last = max(n for n, done in enumerate(reached) if done)
    return [
        {"label": label, "done": done, "current": n == last, "detail": detail}
        for n, (label, done, detail) in enumerate(zip(labels, reached, details, strict=True))
    ]
