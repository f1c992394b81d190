"""How long the fee desk waits at scale: a month's billing run for an estate of N units
(default 10,000), each with a water meter read twice, a common electricity meter per building
and a parking space for one home in ten, worked out, then confirmed; then the arrears ledger, its
admin page and a bill's page with a third of the estate overdue.

Everything is written in one transaction and rolled back at the end, so it can run against any
database, PostgreSQL included:
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/bench manage.py bench_fees --units 10000

Prints each step's wall time (median of `--repeat` for the pages) and its SQL statements.
"""

import datetime
import statistics
import time
from contextlib import contextmanager
from decimal import Decimal

from allauth.mfa.totp.internal.auth import TOTP
from django.contrib.auth.models import Group
from django.core.management.base import BaseCommand
from django.db import connection, transaction
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from demo.owners import DEMO_TOTP_SECRET
from fees import arrears, billing
from fees.models import Bill, FeeItem, Meter, ParkingSpace, Payment, Reading
from owners.models import Estate, Unit, User


class Rollback(Exception):
    pass


def analyse():
    """Fresh planner statistics for the rows just written, as autovacuum would soon give a real
    database (ANALYZE may run inside the benchmark's transaction)."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(
                "ANALYZE owners_unit, fees_meter, fees_reading, fees_bill, fees_billline, "
                "fees_payment, fees_adjustment"
            )


@contextmanager
def timed(rows, label):
    with CaptureQueriesContext(connection) as queries:
        start = time.perf_counter()
        yield
        seconds = time.perf_counter() - start
    rows.append((label, seconds, len(queries)))


class Command(BaseCommand):
    help = "Time a billing run and the arrears ledger for a large estate (rolled back)."

    def add_arguments(self, parser):
        parser.add_argument("--units", type=int, default=10_000)
        parser.add_argument("--repeat", type=int, default=5)

    def handle(self, *args, **options):
        rows = []
        try:
            with transaction.atomic():
                self.run(rows, options["units"], options["repeat"])
                raise Rollback
        except Rollback:
            pass
        width = max(len(label) for label, *_ in rows)
        self.stdout.write(f"{'step':<{width}}  seconds   SQL")
        for label, seconds, count in rows:
            self.stdout.write(f"{label:<{width}}  {seconds:7.3f}  {count:5d}")

    def run(self, rows, count, repeat):
        desk = User.objects.create_user("bench-fee-desk", "bench-fee-desk@example.com")
        desk.groups.add(Group.objects.get(name="Finance"))
        TOTP.activate(desk, DEMO_TOTP_SECRET)  # staff reach the admin with two steps
        estate = Estate.objects.create(name=f"金都·基准{count}户", city="杭州")
        per_building = 400
        with timed(rows, f"set up {count:,} units, meters, readings"):
            units = Unit.objects.bulk_create(
                Unit(
                    estate=estate,
                    building=f"{i // per_building + 1}栋",
                    number=f"{i % per_building:04d}",
                    floor_area=Decimal("80") + i % 60,
                    handed_over_on=datetime.date(2024, 1, 1),
                )
                for i in range(count)
            )
            self.rules(estate)
            meters = Meter.objects.bulk_create(
                Meter(estate=estate, unit=unit, kind="water", code=f"W{unit.pk}") for unit in units
            )
            buildings = sorted({u.building for u in units})
            meters += Meter.objects.bulk_create(
                Meter(estate=estate, building=b, kind="electricity", role="common", code=f"E{b}")
                for b in buildings
            )
            ParkingSpace.objects.bulk_create(
                ParkingSpace(estate=estate, code=f"P{u.pk}", unit=u) for u in units[::10]
            )
            sep, oct_ = datetime.date(2026, 9, 1), datetime.date(2026, 10, 1)
            Reading.objects.bulk_create(
                Reading(
                    meter=m,
                    period=period,
                    value=Decimal(100 + m.pk % 40 + step * (8 + m.pk % 9)),
                    read_on=period.replace(day=25),
                    entered_by=desk,
                )
                for m in meters
                for period, step in ((sep, 0), (oct_, 1))
            )
        analyse()
        with timed(rows, "billing run: work out (draft)"):
            run = billing.start_run(estate, desk, period=oct_)
        with timed(rows, "billing run: work out again"):
            billing.work_out(run, desk)
        with timed(rows, "billing run: confirm"):
            billing.confirm_run(run, desk)
        bills = list(Bill.objects.filter(run=run).with_figures())
        Bill.objects.filter(run=run).update(due_on=datetime.date(2026, 10, 25))
        Payment.objects.bulk_create(
            Payment(
                bill=b,
                amount=b.owed,
                method="bank",
                paid_on=datetime.date(2026, 10, 20),
                reference=f"BENCH{b.pk}",
                receipt_number=f"BENCH{b.pk}",
            )
            for i, b in enumerate(bills)
            if i % 3
        )
        analyse()
        with timed(rows, f"arrears ledger: {len(bills) - len(bills) * 2 // 3:,} units (function)"):
            found = arrears.ledger(estate=estate)
        assert found
        client = Client(HTTP_HOST="127.0.0.1")
        client.force_login(desk)
        pages = [
            (
                "admin: arrears ledger, first page",
                reverse("arrears:index") + f"?estate={estate.pk}",
            ),
            ("admin: billing run preview", reverse("billing_runs:inspect", args=[run.pk])),
            ("admin: bills listing", reverse("bills:index") + f"?estate={estate.pk}&state=owing"),
            ("admin: a bill", reverse("bills:inspect", args=[bills[0].pk])),
        ]
        for label, url in pages:
            times, queries = [], 0
            for _i in range(repeat):
                with CaptureQueriesContext(connection) as captured:
                    start = time.perf_counter()
                    response = client.get(url, HTTP_ACCEPT_LANGUAGE="zh-hans")
                    times.append(time.perf_counter() - start)
                assert response.status_code == 200, (url, response.status_code)
                queries = len(captured)
            rows.append((label, statistics.median(times), queries))

    def rules(self, estate):
        for kind, name, basis, price, tiers in (
            ("management", "住宅物业管理费", "area", Decimal("2.2"), []),
            ("parking", "车位管理费", "space", Decimal("150"), []),
            (
                "water",
                "居民水费",
                "reading",
                None,
                [{"up_to": "10", "price": "2.9"}, {"up_to": None, "price": "3.85"}],
            ),
            ("shared_electricity", "公摊电费", "shared_by_area", Decimal("0.568"), []),
        ):
            FeeItem.objects.create(
                estate=estate,
                kind=kind,
                name=name,
                basis=basis,
                price=price,
                tiers=tiers,
                effective_from=datetime.date(2026, 1, 1),
            )
