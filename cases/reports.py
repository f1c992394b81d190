"""The service reports of the complaint mailbox (项目客服日报、周报、月报), computed by the
database: the figures of any period, by kind, category, estate, channel and first responder."""

import calendar
from datetime import date, datetime, timedelta

from django.db.models import (
    Avg,
    BooleanField,
    Count,
    DurationField,
    Exists,
    ExpressionWrapper,
    F,
    OuterRef,
    Q,
)
from django.db.models.functions import TruncMonth
from django.utils import timezone

from cases.models import Case, CaseEvent


class Period:
    """A report's span of days in the site's time zone: a day, a report week (Friday to
    Thursday: summarised to managers every Friday morning), or a calendar month."""

    DAY, WEEK, MONTH = "day", "week", "month"
    #: The weekday a report week starts on (Monday is 0): the one after Thursday.
    WEEK_STARTS = 4

    def __init__(self, kind, day):
        self.kind = kind
        if kind == self.DAY:
            self.first, days = day, 1
        elif kind == self.WEEK:
            self.first, days = day - timedelta(days=(day.weekday() - self.WEEK_STARTS) % 7), 7
        else:
            self.first, days = day.replace(day=1), calendar.monthrange(day.year, day.month)[1]
        self.last = self.first + timedelta(days=days - 1)
        tz = timezone.get_current_timezone()
        self.start = datetime.combine(self.first, datetime.min.time(), tzinfo=tz)
        self.end = datetime.combine(self.last + timedelta(days=1), datetime.min.time(), tzinfo=tz)

    def previous(self):
        return Period(self.kind, self.first - timedelta(days=1))


def month_bounds(year, month):
    period = Period(Period.MONTH, date(year, month, 1))
    return period.start, period.end


def monthly_figures(year, month):
    return {"year": year, "month": month, **figures(Period(Period.MONTH, date(year, month, 1)))}


def figures(period, *, by_agent=False):
    """The period's cases: counts, timeliness, satisfaction and where they came from; with
    `by_agent`, each first responder's own figures (for managers)."""
    start, end = period.start, period.end
    cases = Case.objects.filter(created_at__gte=start, created_at__lt=end)
    reopened = CaseEvent.objects.filter(kind="status", status=Case.Status.REOPENED).values("case")
    totals = cases.aggregate(**_totals(reopened))
    total = totals["total"]
    result = {
        "period": period,
        **totals,
        "on_time_share": share(totals["answered_on_time"], total),
        "resolved_on_time_share": share(totals["resolved_on_time"], totals["resolved"]),
        "reopen_rate": share(totals["reopened"], total),
        "median_first_response": _median(cases, "first_responded_at"),
        "median_resolution": _median(cases, "resolved_at"),
        # Follow-up visits (回访) made in the period, whenever their case was filed.
        "follow_ups": CaseEvent.objects.filter(
            kind=CaseEvent.Kind.FOLLOW_UP, created_at__gte=start, created_at__lt=end
        ).count(),
        # Still open at the period's end, or now if sooner, past their resolution time.
        "overdue": Case.objects.filter(
            status__in=Case.OPEN_STATUSES, resolution_due__lt=min(end, timezone.now())
        ).count(),
        "by_kind": count_by(cases, "kind", dict(Case.Kind.choices)),
        "by_category": count_by(cases, "category__name"),
        "by_estate": count_by(cases, "unit__estate__name"),
        "by_channel": count_by(cases, "channel", dict(Case.Channel.choices)),
    }
    if by_agent:
        result["by_agent"] = _by_agent(cases, reopened)
    return result


def _totals(reopened):
    return {
        "total": Count("pk"),
        "calls": Count("pk", filter=Q(channel=Case.Channel.PHONE)),
        "answered": Count("pk", filter=Q(first_responded_at__isnull=False)),
        "answered_on_time": Count("pk", filter=Q(first_responded_at__lte=F("first_response_due"))),
        "resolved": Count("pk", filter=Q(resolved_at__isnull=False)),
        "resolved_on_time": Count("pk", filter=Q(resolved_at__lte=F("resolution_due"))),
        "reopened": Count("pk", filter=Q(pk__in=reopened)),
        "rated": Count("pk", filter=Q(satisfaction__isnull=False)),
        "satisfaction": Avg("satisfaction"),
    }


def _by_agent(cases, reopened):
    """Each first responder's cases of the period: accepted, on-time share, satisfaction and
    reopen rate, most cases first. One query."""
    rows = (
        cases.filter(first_responder__isnull=False)
        .values("first_responder", "first_responder__real_name", "first_responder__username")
        .annotate(**_totals(reopened))
        .order_by("-total", "first_responder__real_name")
    )
    return [
        {
            "name": row["first_responder__real_name"] or row["first_responder__username"],
            "accepted": row["total"],
            "on_time_share": share(row["answered_on_time"], row["total"]),
            "satisfaction": row["satisfaction"],
            "rated": row["rated"],
            "reopen_rate": share(row["reopened"], row["total"]),
        }
        for row in rows
    ]


def share(part, whole):
    """A whole-number percentage, or None when the whole is nothing."""
    return round(100 * part / whole) if whole else None


def count_by(cases, field, labels=None):
    """[{label, count, width}] of `cases` by `field`, most first: the report's bars."""
    rows = cases.values(field).annotate(n=Count("pk")).order_by("-n", field)
    top = max((row["n"] for row in rows), default=0)
    return [
        {
            "label": (labels or {}).get(row[field], row[field]) or "—",
            "count": row["n"],
            "width": round(100 * row["n"] / top) if top else 0,
        }
        for row in rows
    ]


def _median(cases, moment):
    """Hours from filing to `moment` for the middle case, found by the database (sort, offset)."""
    done = cases.filter(**{f"{moment}__isnull": False}).annotate(
        took=ExpressionWrapper(F(moment) - F("created_at"), output_field=DurationField())
    )
    count = done.count()
    if not count:
        return None
    took = done.order_by("took").values_list("took", flat=True)[count // 2]
    return round(took.total_seconds() / 3600, 1)


#: How many months the trend shows, the chosen one last.
TREND_MONTHS = 12
#: How many of the month's cases the slide deck and the workbook list.
TOP_CASES = 10


def trend(year, month):
    """The TREND_MONTHS months up to (year, month): [{year, month, total, on_time_share,
    satisfaction}], oldest first, every month present (zero when it had no case). One query."""
    months = []
    for _ in range(TREND_MONTHS):
        months.append((year, month))
        year, month = (year, month - 1) if month > 1 else (year - 1, 12)
    months.reverse()
    start, end = month_bounds(*months[0])[0], month_bounds(*months[-1])[1]
    rows = (
        Case.objects.filter(created_at__gte=start, created_at__lt=end)
        .annotate(month=TruncMonth("created_at", tzinfo=timezone.get_current_timezone()))
        .values("month")
        .annotate(
            total=Count("pk"),
            on_time=Count("pk", filter=Q(first_responded_at__lte=F("first_response_due"))),
            satisfaction=Avg("satisfaction"),
        )
    )
    found = {(row["month"].year, row["month"].month): row for row in rows}
    top = max((row["total"] for row in found.values()), default=0)
    trend = []
    for y, m in months:
        row = found.get((y, m), {"total": 0, "on_time": 0, "satisfaction": None})
        trend.append(
            {
                "year": y,
                "month": m,
                "first_day": date(y, m, 1),
                "total": row["total"],
                "on_time_share": share(row["on_time"], row["total"]),
                "satisfaction": row["satisfaction"],
                "height": round(100 * row["total"] / top) if top else 0,
            }
        )
    return trend


def top_cases(year, month):
    """The month's cases managers look at first: the reopened, then the overdue, then those
    still open longest; closed ones after, newest first. TOP_CASES at most."""
    start, end = month_bounds(year, month)
    reopened = CaseEvent.objects.filter(kind="status", status=Case.Status.REOPENED).values("case")
    cases = (
        Case.objects.filter(created_at__gte=start, created_at__lt=end)
        .select_related("category", "first_responder", "unit__estate")
        .annotate(
            was_reopened=Exists(reopened.filter(case=OuterRef("pk"))),
            still_open=ExpressionWrapper(
                Q(status__in=Case.OPEN_STATUSES), output_field=BooleanField()
            ),
        )
        .order_by("-was_reopened", "-still_open", "resolution_due", "-created_at")
    )
    return list(cases[:TOP_CASES])
