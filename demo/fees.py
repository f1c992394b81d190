"""Demo fee rules (收费标准) for 翠湖苑: the management fee for homes, parking, water and the
tiered household electricity price, as the fee desk keeps them."""

import datetime
from decimal import Decimal

from fees.models import FeeItem
from owners.models import Estate

START = datetime.date(2026, 1, 1)


def build():
    estate = Estate.objects.filter(name="金都·翠湖苑").first()
    if estate is None or FeeItem.objects.filter(estate=estate).exists():
        return
    rules = [
        ("management", "住宅物业管理费", "area", "residential", Decimal("2.2000"), []),
        ("parking", "地下车位管理费", "space", "", Decimal("150.0000"), []),
        (
            "water",
            "居民水费",
            "reading",
            "",
            None,
            [
                {"up_to": "216", "price": "2.9000"},
                {"up_to": "300", "price": "3.8500"},
                {"up_to": None, "price": "6.7000"},
            ],
        ),
        (
            "electricity",
            "居民电费",
            "reading",
            "",
            None,
            [
                {"up_to": "230", "price": "0.5680"},
                {"up_to": "400", "price": "0.6180"},
                {"up_to": None, "price": "0.8680"},
            ],
        ),
        ("shared_electricity", "公摊电费", "shared_by_area", "", Decimal("0.5680"), []),
    ]
    for kind, name, basis, use, price, tiers in rules:
        rule = FeeItem(
            estate=estate,
            kind=kind,
            name=name,
            basis=basis,
            use=use,
            price=price,
            tiers=tiers,
            effective_from=START,
        )
        rule.full_clean()
        rule.save()
