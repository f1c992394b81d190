"""报修月报: a month's repair requests and the work done on them. Requests are counted by the
month they were filed (the ledger's month filter); revenue and materials by the month the work
was done (what the month's 进消存 issued).

- first-time fix: of the requests resolved, those done by one visit and never reopened;
- arrival and completion: hours from filing to the technician's arrival and to the work done
  (medians), and the shares within the booked window and the category's completion hours;
- reopen rate and satisfaction as the case report counts them;
- paid-service revenue: the amounts of paid jobs done in the month;
- materials: what was issued, by material and by technician, at the price of the day;
- warranty claims against each contractor among the month's requests.

A few queries over the month's rows; the timeliness of each job is judged in Python, as the
deadlines are (WorkOrder.arrival_due, completion_due)."""

from decimal import Decimal
from statistics import median

from django.db.models import Avg, Count, F, Q, Sum
from django.utils.translation import gettext_lazy

from cases.models import Case, CaseEvent
from cases.reports import count_by, month_bounds, share
from repairs.ledger import contractor, rows
from repairs.models import MaterialUse, RepairRequest, WorkOrder

#: Money is shown to the fen.
CENT = Decimal("0.01")


def monthly_figures(year, month):
    start, end = month_bounds(year, month)
    filed = RepairRequest.objects.filter(case__created_at__gte=start, case__created_at__lt=end)
    cases = Case.objects.filter(repair__in=filed)
    reopened = set(
        CaseEvent.objects.filter(case__in=cases, kind="status", status=Case.Status.REOPENED)
        .values_list("case", flat=True)
        .distinct()
    )
    totals = cases.aggregate(
        total=Count("pk"),
        resolved=Count("pk", filter=Q(resolved_at__isnull=False)),
        rated=Count("pk", filter=Q(satisfaction__isnull=False)),
        satisfaction=Avg("satisfaction"),
    )
    orders = list(
        WorkOrder.objects.filter(case__in=cases)
        .exclude(state=WorkOrder.State.CANCELLED)
        .select_related("case__repair__category")
        .order_by("pk")
    )
    visits, arrivals, completions = {}, [], []
    arrived_on_time = done_on_time = arrived = done = 0
    for order in orders:
        case = order.case
        if order.state == WorkOrder.State.DONE:
            visits[case.pk] = visits.get(case.pk, 0) + 1
            done += 1
            completions.append(_hours(order.done_at - case.created_at))
            hours = case.repair.category.completion_hours
            done_on_time += order.done_at <= order.completion_due(hours)
        if order.arrived_at:
            arrived += 1
            arrivals.append(_hours(order.arrived_at - case.created_at))
            arrived_on_time += order.arrived_at <= order.arrival_due
    fixed_first_time = sum(1 for pk, count in visits.items() if count == 1 and pk not in reopened)
    warranty = list(rows().filter(pk__in=filed, under_warranty=True))
    owed = {}
    for repair in warranty:
        team = contractor(repair)
        if team is not None and team.kind == team.Kind.CONTRACTOR:
            owed[team.name] = owed.get(team.name, 0) + 1
    return {
        "year": year,
        "month": month,
        **totals,
        "first_time_fix_share": share(fixed_first_time, totals["resolved"]),
        "reopen_rate": share(len(reopened), totals["total"]),
        "median_arrival": _median(arrivals),
        "median_completion": _median(completions),
        "arrival_on_time_share": share(arrived_on_time, arrived),
        "completion_on_time_share": share(done_on_time, done),
        "warranty": len(warranty),
        "paid": filed.filter(price_item__isnull=False).count(),
        **_work_done(start, end),
        "by_category": count_by(cases, "repair__category__name"),
        "by_estate": count_by(cases, "repair__estate__name"),
        "by_contractor": _bars(owed),
    }


def _work_done(start, end):
    """Revenue and materials of the jobs done in the month."""
    jobs = WorkOrder.objects.filter(state=WorkOrder.State.DONE, done_at__gte=start, done_at__lt=end)
    used = MaterialUse.objects.filter(order__in=jobs).annotate(
        value=F("quantity") * F("unit_price")
    )
    by_material = (
        used.values("material__name", "material__unit")
        .annotate(quantity=Sum("quantity"), amount=Sum("value"))
        .order_by("-amount", "material__name")
    )
    by_technician = (
        used.values("order__technician__real_name", "order__team__name")
        .annotate(amount=Sum("value"), lines=Count("pk"))
        .order_by("-amount")
    )
    return {
        "jobs_done": jobs.count(),
        "revenue": (jobs.aggregate(total=Sum("amount"))["total"] or Decimal(0)).quantize(CENT),
        "materials": [
            {
                "name": row["material__name"],
                "unit": row["material__unit"],
                "quantity": row["quantity"].normalize(),
                "amount": row["amount"].quantize(CENT),
            }
            for row in by_material
        ],
        "materials_by_technician": [
            {
                "name": row["order__technician__real_name"] or row["order__team__name"],
                "amount": row["amount"].quantize(CENT),
                "lines": row["lines"],
            }
            for row in by_technician
        ],
        "materials_total": sum((row["amount"] for row in by_material), Decimal(0)).quantize(CENT),
    }


def _bars(counts):
    top = max(counts.values(), default=0)
    return [
        {"label": name, "count": n, "width": round(100 * n / top) if top else 0}
        for name, n in sorted(counts.items(), key=lambda item: (-item[1], item[0]))
    ]


def _hours(delta):
    return delta.total_seconds() / 3600


def _median(hours):
    return round(median(hours), 1) if hours else None


def summary_rows(f):
    """(label, value, unit) of the month's headline figures, for the managers' email; labels
    and units stay lazy, so each email reads in its reader's language."""
    hours, none = gettext_lazy(" h"), ("—", "")

    def shown(value, unit):
        return none if value is None else (value, unit)

    satisfaction = f["satisfaction"] and round(f["satisfaction"], 1)
    return [
        (label, *value)
        for label, value in [
            (gettext_lazy("Repair requests"), (f["total"], "")),
            (gettext_lazy("Fixed first time"), shown(f["first_time_fix_share"], "%")),
            (gettext_lazy("Median to arrival"), shown(f["median_arrival"], hours)),
            (gettext_lazy("Median to completion"), shown(f["median_completion"], hours)),
            (
                gettext_lazy("Arrived in the booked time"),
                shown(f["arrival_on_time_share"], "%"),
            ),
            (gettext_lazy("Completed in time"), shown(f["completion_on_time_share"], "%")),
            (gettext_lazy("Reopened"), shown(f["reopen_rate"], "%")),
            (gettext_lazy("Average satisfaction"), shown(satisfaction, "/5")),
            (gettext_lazy("Paid-service revenue (yuan)"), (f["revenue"], "")),
            (gettext_lazy("Materials issued (yuan)"), (f["materials_total"], "")),
            (gettext_lazy("Under warranty"), (f["warranty"], "")),
        ]
    ]
