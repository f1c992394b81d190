"""What the fee tests share: an estate with rules, meters, a space, and readings."""

import datetime
from decimal import Decimal

import pytest
from django.utils import timezone

from fees.models import BillingTerms, FeeItem, Meter, ParkingSpace
from fees.readings import enter_reading, previous_month

#: The three months before this one, named after the months they were when the tests were
#: written (December 2026), so the tests bill past months whenever they run: readings start
#: in SEP, bills in OCT, NOV is last month.
NOV = previous_month(timezone.localdate().replace(day=1))
OCT = previous_month(NOV)
SEP = previous_month(OCT)


def rule(estate, kind, name, basis, price=None, tiers=(), use="", **fields):
    item = FeeItem(
        estate=estate,
        kind=kind,
        name=name,
        basis=basis,
        use=use,
        price=None if price is None else Decimal(price),
        tiers=list(tiers),
        effective_from=fields.pop("effective_from", datetime.date(2026, 1, 1)),
        **fields,
    )
    item.full_clean()
    item.save()
    return item


@pytest.fixture
def fee_desk(staff):
    return staff("Finance")


@pytest.fixture
def priced(estate):
    """翠湖苑 with its rules: 2.20 元/m² for homes, 150 元 a space, tiered water, shared
    electricity by area, a water meter per home of 3栋 and a common meter for 3栋."""
    BillingTerms.objects.create(
        estate=estate, payee="金都物业翠湖苑管理处", due_day=25, how_to_pay="前台或银行代扣"
    )
    rule(estate, "management", "住宅物业管理费", "area", "2.2000", use="residential")
    rule(estate, "parking", "车位管理费", "space", "150.0000")
    rule(
        estate,
        "water",
        "水费",
        "reading",
        tiers=[{"up_to": "20", "price": "2.9000"}, {"up_to": None, "price": "3.8500"}],
    )
    rule(estate, "shared_electricity", "公摊电费", "shared_by_area", "0.5680")
    estate.units.update(handed_over_on=datetime.date(2025, 6, 1))
    for unit in estate.units.filter(building="3栋"):
        Meter.objects.create(estate=estate, unit=unit, kind="water", code=f"W3-{unit.number}")
    Meter.objects.create(
        estate=estate, building="3栋", kind="electricity", role="common", code="E3-公共"
    )
    Meter.objects.create(estate=estate, building="3栋", kind="water", role="main", code="W3-总")
    ParkingSpace.objects.create(
        estate=estate, code="B2-118", unit=estate.units.get(building="3栋", number="1201")
    )
    return estate


def read(estate, by, period, values, day=None):
    """Enter {meter code: reading} for `period`, read on `day` (the month's 28th)."""
    day = day or period.replace(day=28)
    return {
        code: enter_reading(
            Meter.objects.get(estate=estate, code=code),
            by,
            period=period,
            value=Decimal(value),
            read_on=day,
        )
        for code, value in values.items()
    }
