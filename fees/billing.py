"""The month's bills (出账): worked out from the rules and readings, previewed, confirmed.

`start_run` makes the estate's run for a month (one run per estate and month, however many
people press the button at once) and works out a bill per unit as a draft. The preview shows
the totals and what held a line back; `work_out` again after a correction; `confirm_run` issues
the bills, which never change after: `adjust` adds a correction with its reason.

Which rules bill a month: those in force on the month's first day, a rule for the unit's own use
before one for every use. A monthly rule bills every month, a quarterly one every third month
from the month it starts in (three months' worth), a yearly one every twelfth (twelve), a
one-off charge the month of its date. Prices are per month: 2.20 元 per m² a month, 150 元 per
space a month.

Which units: those handed over by the month's end. Metered use is the month's reading less the
latest one before; a meter's first reading only sets where it starts. Shared electricity: the
month's use of the common meters of a building (or, without a building, of the estate) is
shared among its handed-over units the rule applies to, by floor area or equally, as the rule
says; each unit's share is rounded once, so the shares may differ from the whole by a few fen.
A meter read after a month without a reading bills both months' use with the tier limits of
both months.
"""

import calendar
import datetime
from collections import defaultdict
from decimal import Decimal

from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.db.models import Count, Q, Sum
from django.utils import timezone
from django.utils.translation import gettext as _
from wagtail.log_actions import log

from fees.models import (
    Adjustment,
    Bill,
    BillingRun,
    BillLine,
    FeeItem,
    Meter,
    ParkingSpace,
    Reading,
    terms_for,
)
from fees.money import tiered, to_fen, unit_price
from fees.readings import latest_before, month, use_of
from fees.reminders import queue_issued
from owners.models import Unit
from portal.actions import Refused

STEP = {
    FeeItem.Cycle.MONTHLY: 1,
    FeeItem.Cycle.QUARTERLY: 3,
    FeeItem.Cycle.YEARLY: 12,
}
#: How long an issued bill gives at least before it falls due.
AT_LEAST = datetime.timedelta(days=7)


class BillingError(Refused):
    pass


def can_run(user):
    return user.has_perm("fees.run_billing")


def can_adjust(user):
    return user.has_perm("fees.adjust_bill")


def month_end(period):
    return period.replace(day=calendar.monthrange(period.year, period.month)[1])


def months_billed(rule, period):
    """How many months of `rule` the run for `period` bills: 0 when it is not the rule's turn.
    Cycles follow the calendar: quarters start in January, April, July and October, years in
    January (a rule starts on the first day of one, `FeeItem.clean`)."""
    if rule.cycle == FeeItem.Cycle.ONCE:
        return 1 if month(rule.effective_from) == period else 0
    step = STEP[rule.cycle]
    return step if (period.month - 1) % step == 0 else 0


def _rules(estate, period):
    """{(kind, name for one-offs): {use: rule}} for the month."""
    rules = FeeItem.objects.filter(estate=estate).filter(
        Q(cycle=FeeItem.Cycle.ONCE, effective_from__range=(period, month_end(period)))
        | ~Q(cycle=FeeItem.Cycle.ONCE)
        & Q(effective_from__lte=period)
        & (Q(effective_to__isnull=True) | Q(effective_to__gte=period))
    )
    found = defaultdict(dict)
    for rule in rules:
        name = rule.name if rule.kind == FeeItem.Kind.ONE_OFF else ""
        found[(rule.kind, name)][rule.use] = rule
    return found


def _rule_for(by_use, unit):
    return by_use.get(unit.use) or by_use.get("")


def _metered(rule, use, months=1):
    """What `use` costs over `months` months: tier limits are a month's, so a reading after a
    month without one spreads the use over both months' tiers."""
    if rule.tiers:
        return tiered(
            use,
            [
                (None if up_to is None else Decimal(up_to) * months, p)
                for up_to, p in rule.tier_pairs
            ],
        )
    return to_fen(use * rule.price)


def _months_between(later, earlier):
    return (later.year - earlier.year) * 12 + later.month - earlier.month


class Plan:
    """What a run for an estate and month would bill: lines per unit, and the problems found."""

    def __init__(self, estate, period):
        self.estate, self.period = estate, period
        self.lines = defaultdict(list)  # unit → [BillLine]
        self.problems = []  # (unit or meter label, message)
        self.waiting = []  # readings flagged and not looked at again
        self.units = list(
            Unit.objects.filter(estate=estate, handed_over_on__lte=month_end(period)).order_by(
                "building", "number"
            )
        )
        self.not_handed_over = (
            Unit.objects.filter(estate=estate)
            .filter(Q(handed_over_on__isnull=True) | Q(handed_over_on__gt=month_end(period)))
            .count()
        )
        self.rules = _rules(estate, period)
        self._readings()
        for unit in self.units:
            self._unit(unit)
        self._shared()

    def _readings(self):
        """Each meter's reading for the month and the latest one before it."""
        meters = Meter.objects.filter(estate=self.estate).exclude(role=Meter.Role.MAIN)
        now = {
            r.meter_id: r
            for r in Reading.objects.filter(meter__in=meters, period=self.period)
            .select_related("meter")
            .order_by()
        }
        before = latest_before(meters, self.period)
        self.meters = defaultdict(list)  # unit id → [(meter, reading, previous)]
        self.common = []  # [(meter, reading, previous)]
        for meter in meters.order_by("code"):
            pair = (meter, now.get(meter.pk), before.get(meter.pk))
            if pair[1] is not None and pair[1].waiting:
                self.waiting.append(pair[1])
            if meter.role == Meter.Role.UNIT:
                self.meters[meter.unit_id].append(pair)
            else:
                self.common.append(pair)
        self.spaces = defaultdict(list)
        for space in ParkingSpace.objects.filter(estate=self.estate, unit__isnull=False):
            self.spaces[space.unit_id].append(space.code)

    def _add(self, unit, rule, quantity, detail, amount):
        self.lines[unit.pk].append(
            BillLine(fee_item=rule, name=rule.name, quantity=quantity, detail=detail, amount=amount)
        )

    def _unit(self, unit):
        for (kind, _name), by_use in self.rules.items():
            rule = _rule_for(by_use, unit)
            if rule is None or kind == FeeItem.Kind.SHARED_ELECTRICITY:
                continue
            if kind in (FeeItem.Kind.WATER, FeeItem.Kind.ELECTRICITY):
                self._meters(unit, rule)
                continue
            months = months_billed(rule, self.period)
            if not months:
                continue
            per = f" × {months} 个月" if months > 1 else ""
            price = unit_price(rule.price)
            if rule.basis == FeeItem.Basis.AREA:
                if not unit.floor_area:
                    self.problems.append(
                        (unit.label, _("No floor area: %s not billed.") % rule.name)
                    )
                    continue
                amount = to_fen(unit.floor_area * rule.price * months)
                detail = f"{unit.floor_area} m² × {price} 元{per}"
                self._add(unit, rule, unit.floor_area, detail, amount)
            elif rule.basis == FeeItem.Basis.SPACE:
                spaces = self.spaces.get(unit.pk)
                if spaces:
                    amount = to_fen(len(spaces) * rule.price * months)
                    detail = f"{'、'.join(spaces)}：{len(spaces)} × {price} 元{per}"
                    self._add(unit, rule, Decimal(len(spaces)), detail, amount)
            else:
                self._add(
                    unit, rule, Decimal(months), f"{price} 元{per}", to_fen(rule.price * months)
                )

    def _meters(self, unit, rule):
        for meter, reading, previous in self.meters.get(unit.pk, ()):
            if meter.kind != rule.kind:
                continue
            if reading is None:
                self.problems.append(
                    (unit.label, _("Meter %s has no reading this month.") % meter.code)
                )
                continue
            if reading.waiting:
                continue  # listed apart: it holds the month back
            use = use_of(reading, previous)
            if use is None:
                self.problems.append(
                    (unit.label, _("Meter %s's first reading: it starts from here.") % meter.code)
                )
                continue
            start = "0" if reading.value < previous.value else f"{previous.value}"
            measure = "m³" if meter.kind == Meter.Kind.WATER else "kWh"
            months = max(_months_between(reading.period, previous.period), 1)
            detail = f"{meter.code}：{start} → {reading.value}，用量 {use} {measure}"
            if months > 1:
                detail += f"（{months}个月）"
            self._add(unit, rule, use, detail, _metered(rule, use, months))

    def _shared(self):
        by_use = self.rules.get((FeeItem.Kind.SHARED_ELECTRICITY, ""))
        if not by_use:
            return
        pools = defaultdict(Decimal)  # building ("" for the estate) → kWh
        for meter, reading, previous in self.common:
            if meter.kind != Meter.Kind.ELECTRICITY or reading is None or reading.waiting:
                if reading is None and meter.kind == Meter.Kind.ELECTRICITY:
                    self.problems.append(
                        (meter.place, _("Meter %s has no reading this month.") % meter.code)
                    )
                continue
            use = use_of(reading, previous)
            if use is not None:
                pools[meter.building] += use
        for building, use in sorted(pools.items()):
            # Shared among the handed-over homes the rule applies to (a shop under a rule for
            # homes only is left out of the count, not billed a share nobody pays).
            units = [
                u
                for u in self.units
                if (not building or u.building == building) and _rule_for(by_use, u)
            ]
            if not units:
                continue
            area = sum((u.floor_area or 0 for u in units), Decimal(0))
            for unit in units:
                rule = _rule_for(by_use, unit)
                if rule.basis == FeeItem.Basis.SHARED_BY_AREA:
                    if not unit.floor_area or not area:
                        continue
                    share = use * unit.floor_area / area
                    how = f"{unit.floor_area}/{area} m²"
                else:
                    share = use / len(units)
                    how = f"1/{len(units)}"
                place = building or self.estate.name
                detail = f"{place}公用表 {use} kWh × {how} × {unit_price(rule.price)} 元"
                self._add(unit, rule, to_fen(share), detail, to_fen(share * rule.price))


def _check_period(period):
    period = month(period)
    if period > month(timezone.localdate()):
        raise BillingError(_("A month still to come cannot be billed."))
    return period


def start_run(estate, by, *, period):
    """The estate's run for the month, made once and worked out as a draft; started again (or
    twice at once) it is the same run."""
    if not can_run(by):
        raise PermissionDenied
    period = _check_period(period)
    try:
        with transaction.atomic():
            run = BillingRun.objects.create(estate=estate, period=period, created_by=by)
            log(run, "fees.run_started", user=by)
    except IntegrityError:
        return BillingRun.objects.get(estate=estate, period=period)
    return work_out(run, by)


def work_out(run, by):
    """Work the draft's bills out again from today's rules and readings."""
    if not can_run(by):
        raise PermissionDenied
    with transaction.atomic():
        run = BillingRun.objects.select_for_update().select_related("estate").get(pk=run.pk)
        if run.is_confirmed:
            raise BillingError(_("This month's bills are confirmed; they no longer change."))
        plan = Plan(run.estate, run.period)
        _write_draft(run, plan)
    run.plan = plan
    return run


def _write_draft(run, plan):
    Bill.objects.filter(run=run).delete()
    billed = [unit for unit in plan.units if plan.lines.get(unit.pk)]
    # Numbered now, in the order of the units: a draft's numbers stay if it is confirmed.
    bills = Bill.objects.bulk_create(
        (
            Bill(run=run, unit=unit, period=run.period, number=bill_number(run, index))
            for index, unit in enumerate(billed, start=1)
        ),
        batch_size=2000,
    )
    lines = []
    for bill in bills:
        for line in plan.lines[bill.unit_id]:
            line.bill = bill
            lines.append(line)
    BillLine.objects.bulk_create(lines, batch_size=2000)
    run.worked_out_at, run.problems = timezone.now(), [list(p) for p in plan.problems]
    run.save(update_fields=["worked_out_at", "problems"])


def _drafted(run):
    """The draft's lines as (unit, rule, amount, how), to compare with a plan."""
    return sorted(
        BillLine.objects.filter(bill__run=run).values_list(
            "bill__unit_id", "fee_item_id", "amount", "detail"
        )
    )


def _planned(plan):
    return sorted(
        (unit_id, line.fee_item_id, line.amount, line.detail)
        for unit_id, lines in plan.lines.items()
        for line in lines
    )


def bill_number(run, index):
    """202611-01-00189: the month, the estate, the unit's place in the run."""
    return f"{run.period:%Y%m}-{run.estate_id:02d}-{index:05d}"


def blockers(run):
    """Why the run cannot be confirmed now, as messages (empty: it can)."""
    found = []
    waiting = Reading.objects.filter(
        meter__estate_id=run.estate_id, period=run.period, flag__gt="", checked_at__isnull=True
    ).exclude(meter__role=Meter.Role.MAIN)
    if count := waiting.count():
        found.append(
            _("%(count)s meter readings are flagged and wait for a second look.") % {"count": count}
        )
    if not run.bills.exists():
        found.append(_("There is nothing to bill."))
    return found


def confirm_run(run, by):
    """Issue the draft's bills: dated and due; from now on they never change.

    The month is worked out again first, under the run's lock (readings are written under the
    same lock): if anything changed since the preview (a reading entered or let stand, a rule,
    a parking space), the new preview is kept and nothing is issued, so what is confirmed is
    always what staff saw."""
    if not can_run(by):
        raise PermissionDenied
    changed = False
    with transaction.atomic():
        run = BillingRun.objects.select_for_update().select_related("estate").get(pk=run.pk)
        if run.is_confirmed:
            raise BillingError(_("This month's bills are confirmed already."))
        if problems := blockers(run):
            raise BillingError(" ".join(problems))
        plan = Plan(run.estate, run.period)
        if _planned(plan) != [(u, f, to_fen(a), d) for u, f, a, d in _drafted(run)]:
            _write_draft(run, plan)
            changed = True
        else:
            today = timezone.localdate()
            terms = terms_for(run.estate)
            due = max(run.period.replace(day=terms.due_day), today + AT_LEAST)
            issued = run.bills.update(issued_on=today, due_on=due)
            run.status, run.confirmed_by = run.Status.CONFIRMED, by
            run.confirmed_at = timezone.now()
            run.save(update_fields=["status", "confirmed_by", "confirmed_at"])
            log(run, "fees.run_confirmed", user=by, data={"bills": issued})
            queue_issued(run)
    if changed:
        raise BillingError(
            _(
                "The bills changed since the preview (a reading, a rule or a parking space): "
                "they are worked out again. Look at them and confirm."
            )
        )
    return run


def figures(run):
    """The run's totals by fee and by building, summed by the database."""
    lines = BillLine.objects.filter(bill__run=run)
    by_fee = list(
        lines.values("name").annotate(amount=Sum("amount"), bills=Count("bill")).order_by("name")
    )
    by_building = list(
        lines.values("bill__unit__building")
        .annotate(amount=Sum("amount"), bills=Count("bill", distinct=True))
        .order_by("bill__unit__building")
    )
    total = lines.aggregate(amount=Sum("amount"), bills=Count("bill", distinct=True))
    return {"by_fee": by_fee, "by_building": by_building, "total": total}


def adjust(bill, by, *, amount, reason):
    """A correction to an issued bill, plus or minus, with its reason; never below what the
    bill's lines and corrections add up to."""
    if not can_adjust(by):
        raise PermissionDenied
    reason = (reason or "").strip()
    if not reason:
        raise BillingError(_("Give the reason for the adjustment."))
    amount = to_fen(amount)
    if not amount:
        raise BillingError(_("An adjustment of nothing changes nothing."))
    with transaction.atomic():
        bill = Bill.objects.select_for_update().get(pk=bill.pk)
        figures = Bill.objects.with_figures().get(pk=bill.pk)
        if not bill.run.is_confirmed:
            raise BillingError(_("Work the draft out again instead of adjusting it."))
        if figures.charged + figures.adjusted + amount < 0:
            raise BillingError(_("The bill cannot be taken below zero."))
        if figures.charged + figures.adjusted + amount < figures.paid:
            raise BillingError(
                _("The bill cannot be taken below what was paid on it (%(paid)s 元).")
                % {"paid": figures.paid}
            )
        adjustment = Adjustment.objects.create(
            bill=bill, amount=amount, reason=reason[:200], made_by=by
        )
        log(bill, "fees.bill_adjusted", user=by, data={"amount": str(amount), "reason": reason})
    return adjustment
