"""The fee desk's month-end reports, summed by the database:

- 收缴率 (collection rate) per estate and building: what the month's bills asked (lines and
  adjustments) and how much of it has been paid, for the month and for the year to date (the
  bills of January to that month), with the estate's rate month by month for the last twelve.
  Payments count on the bill they paid, whenever they came in; late fees are not part of it.
- 水电平衡 (meter balance) per building and month: the use on the building's main meter against
  the sum of its homes' meters of the same kind; the difference is what was lost on the way
  (leaks, meters that under-read, theft), shown as its share of the main meter's use.

Both are in the admin (`admin_views.ReportView`) and in the managers' email on the 1st
(`send_monthly_fee_report`).
"""

import datetime
from collections import defaultdict
from decimal import Decimal

from celery import shared_task
from django.contrib.auth import get_user_model
from django.db.models import Q, Sum
from django.utils import timezone

from fees.models import Adjustment, BillLine, Meter, Payment, Reading
from fees.readings import month, previous_month, use_of
from owners.models import Estate
from portal.notifications import email_user
from portal.outbox import BULK

ZERO = Decimal("0.00")


def _by(rows, key):
    found = defaultdict(lambda: ZERO)
    for row in rows:
        found[row[key]] += row["total"] or ZERO
    return found


def _sums(estate, periods, group="bill__unit__building"):
    """{group's value: (asked, paid)} for the issued bills of `periods`, by `group` (a building,
    or the month): three grouped queries."""
    where = {
        "bill__unit__estate": estate,
        "bill__period__in": periods,
        "bill__run__status": "confirmed",
    }
    charged, adjusted, paid = (
        _by(model.objects.filter(**where).values(group).annotate(total=Sum("amount")), group)
        for model in (BillLine, Adjustment, Payment)
    )
    return {key: (charged[key] + adjusted[key], paid[key]) for key in {*charged, *adjusted, *paid}}


def rate(asked, paid):
    """The share paid, as a percentage with one decimal, or None when nothing was asked."""
    if not asked:
        return None
    return (Decimal(paid) * 100 / Decimal(asked)).quantize(Decimal("0.1"))


def _total(sums):
    asked = sum((a for a, _p in sums.values()), ZERO)
    paid = sum((p for _a, p in sums.values()), ZERO)
    return asked, paid


def collection(estate, period):
    """The month's and the year's collection, by building and in all."""
    period = month(period)
    year = [datetime.date(period.year, m, 1) for m in range(1, period.month + 1)]
    now, so_far = _sums(estate, [period]), _sums(estate, year)
    rows = []
    for building in sorted(set(now) | set(so_far), key=_building_order):
        asked, paid = now.get(building, (ZERO, ZERO))
        year_asked, year_paid = so_far.get(building, (ZERO, ZERO))
        rows.append(
            {
                "building": building,
                "asked": asked,
                "paid": paid,
                "owed": asked - paid,
                "rate": rate(asked, paid),
                "year_asked": year_asked,
                "year_paid": year_paid,
                "year_rate": rate(year_asked, year_paid),
            }
        )
    asked, paid = _total(now)
    year_asked, year_paid = _total(so_far)
    total = {
        "asked": asked,
        "paid": paid,
        "owed": asked - paid,
        "rate": rate(asked, paid),
        "year_asked": year_asked,
        "year_paid": year_paid,
        "year_rate": rate(year_asked, year_paid),
    }
    return {"rows": rows, "total": total}


def trend(estate, period, months=12):
    """[(month, rate)] for the `months` months up to `period`, oldest first."""
    periods, day = [], month(period)
    for _i in range(months):
        periods.append(day)
        day = previous_month(day)
    periods.reverse()
    sums = _sums(estate, periods, group="bill__period")
    return [(p, rate(*sums.get(p, (ZERO, ZERO)))) for p in periods]


def balance(estate, period):
    """水电平衡: per building and kind, the main meter's use against its homes' meters."""
    period = month(period)
    meters = list(
        Meter.objects.filter(estate=estate)
        .filter(Q(role=Meter.Role.MAIN) | Q(role=Meter.Role.UNIT))
        .select_related("unit")
    )
    readings = defaultdict(dict)  # meter id → {period: reading}
    for reading in Reading.objects.filter(
        meter__in=meters, period__gte=previous_month(previous_month(period)), period__lte=period
    ).order_by("period"):
        readings[reading.meter_id][reading.period] = reading
    mains, homes = {}, defaultdict(lambda: [ZERO, 0, 0])  # (building, kind) → …
    for meter in meters:
        now = readings[meter.pk].get(period)
        before = [r for p, r in readings[meter.pk].items() if p < period]
        use = use_of(now, before[-1]) if now and before else None
        if meter.role == Meter.Role.MAIN:
            mains[(meter.building, meter.kind)] = use
            continue
        found = homes[(meter.unit.building, meter.kind)]
        found[2] += 1
        if use is not None:
            found[0] += use
            found[1] += 1
    rows = []
    for (building, kind), main in sorted(
        mains.items(), key=lambda i: (_building_order(i[0][0]), i[0][1])
    ):
        used, read, count = homes.get((building, kind), (ZERO, 0, 0))
        loss = None if main is None else main - used
        rows.append(
            {
                "building": building,
                "kind": Meter.Kind(kind).label,
                "main": main,
                "homes": used,
                "read": read,
                "meters": count,
                "loss": loss,
                "share": rate(main, loss) if main else None,
            }
        )
    return rows


def _building_order(name):
    """3栋 before 12栋."""
    digits = "".join(ch for ch in name if ch.isdigit())
    return (int(digits) if digits else 0, name)


def report(period):
    """Every estate's collection and balance for `period`."""
    return [
        {
            "estate": estate,
            "collection": collection(estate, period),
            "balance": balance(estate, period),
        }
        for estate in Estate.objects.filter(billing_runs__period=month(period)).distinct()
    ]


def report_readers():
    """Staff sent the monthly fee report."""
    return (
        get_user_model()
        .objects.filter(
            Q(groups__permissions__codename="receive_fee_report") | Q(is_superuser=True),
            is_active=True,
        )
        .distinct()
    )


@shared_task
def send_monthly_fee_report():
    """On the 1st: last month's collection and meter balance of every estate billed, by email
    to the staff who receive it, once each. Returns how many emails were written."""
    last_month = previous_month(timezone.localdate().replace(day=1))
    estates = report(last_month)
    if not estates:
        return 0
    context = {"period": last_month, "estates": estates}
    return sum(
        bool(
            email_user(
                reader,
                "fees/email/fee_report",
                context,
                key=f"fee-report:{last_month:%Y-%m}:{reader.pk}",
                queue=BULK,
            )
        )
        for reader in report_readers()
    )
