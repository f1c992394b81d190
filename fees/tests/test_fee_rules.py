"""收费标准: the estates' fee rules with their dates, money in exact decimals rounded once per
line to the fen, tiered metered prices, and who may keep them."""

import datetime
from decimal import Decimal

import pytest
from django.urls import reverse

from fees.admin import price_text
from fees.models import FeeItem
from fees.money import tiered, to_fen, yuan

pytestmark = pytest.mark.django_db
ZH = {"HTTP_ACCEPT_LANGUAGE": "zh-hans"}
#: 杭州's household electricity (per kWh a month): 0–230, 231–400, above.
POWER = [("230", "0.5680"), ("400", "0.6180"), (None, "0.8680")]


def test_money_is_rounded_once_per_line_half_up_to_the_fen():
    assert to_fen(Decimal("98.55") * Decimal("2.20")) == Decimal("216.81")
    assert to_fen("0.005") == Decimal("0.01") and to_fen("0.0049") == Decimal("0.00")
    assert to_fen(Decimal("0.1") + Decimal("0.2")) == Decimal("0.30")  # never a float
    assert yuan(Decimal("1234.5")) == "1,234.50"


@pytest.mark.parametrize(
    "used, cost",
    [
        ("0", "0.00"),
        ("100", "56.80"),  # 100 × 0.568
        ("230", "130.64"),
        ("300", "173.90"),  # 230 × 0.568 + 70 × 0.618
        ("400", "235.70"),
        ("512.5", "333.35"),  # … + 112.5 × 0.868 = 333.35
    ],
)
def test_a_tiered_price_charges_each_tier_at_its_rate(used, cost):
    assert tiered(Decimal(used), POWER) == Decimal(cost)


def rule_form(estate, **fields):
    return {
        "estate": estate.pk,
        "kind": "management",
        "use": "residential",
        "name": "住宅物业管理费",
        "basis": "area",
        "cycle": "monthly",
        "price": "2.2000",
        "tiers_text": "",
        "effective_from": "2026-01-01",
        "effective_to": "",
        "note": "",
        **fields,
    }


def test_the_fee_desk_keeps_the_rules_and_bad_ones_change_nothing(client, estate, staff):
    client.force_login(staff("Finance"))
    add = reverse("fee_items:add")
    assert client.post(add, rule_form(estate), **ZH).status_code == 302
    rule = FeeItem.objects.get()
    assert rule.price == Decimal("2.2000") and rule.effective_to is None

    # The same fee for the same units from a date it already covers.
    clash = client.post(add, rule_form(estate, effective_from="2026-06-01", price="2.5"), **ZH)
    assert clash.status_code == 200 and "住宅物业管理费" in clash.content.decode()
    # Parking charged by floor area; a tiered price that is not rising; no price at all.
    for bad in (
        {"kind": "parking", "name": "车位费"},
        {
            "kind": "electricity",
            "basis": "reading",
            "price": "",
            "tiers_text": "400 0.6\n230 0.5\n0.8",
        },
        {"price": ""},
        {"effective_to": "2025-12-31"},
    ):
        assert client.post(add, rule_form(estate, **bad), **ZH).status_code == 200
    assert FeeItem.objects.count() == 1

    # A new price from July: the old rule ends the day before, and each month finds its own.
    rule.effective_to = datetime.date(2026, 6, 30)
    rule.save()
    assert (
        client.post(
            add, rule_form(estate, effective_from="2026-07-01", price="2.5"), **ZH
        ).status_code
        == 302
    )
    june = FeeItem.objects.in_force(datetime.date(2026, 6, 15)).get()
    july = FeeItem.objects.in_force(datetime.date(2026, 7, 1)).get()
    assert (june.price, july.price) == (Decimal("2.2000"), Decimal("2.5000"))

    # A tiered electricity price, typed a tier a line.
    power = rule_form(
        estate,
        kind="electricity",
        use="",
        name="居民电费",
        basis="reading",
        price="",
        tiers_text="230 0.5680\n400，0.6180\n0.8680",
    )
    assert client.post(add, power, **ZH).status_code == 302
    electricity = FeeItem.objects.get(kind="electricity")
    assert tiered(Decimal("300"), electricity.tier_pairs) == Decimal("173.90")
    listing = client.get(reverse("fee_items:index"), **ZH).content.decode()
    assert "≤230：0.5680" in listing and "2.20 元" in listing
    rule = FeeItem(estate=estate, kind="shared_electricity", basis="shared_by_area", price="0.568")
    assert price_text(rule) == "0.568 元"


def test_customer_service_read_the_rules_and_owners_do_not(client, estate, staff, owner):
    FeeItem.objects.create(
        estate=estate,
        kind="parking",
        name="地下车位管理费",
        basis="space",
        price=Decimal("150"),
        effective_from=datetime.date(2026, 1, 1),
    )
    client.force_login(staff("Customer service"))
    assert "地下车位管理费" in client.get(reverse("fee_items:index")).content.decode()
    assert client.get(reverse("fee_items:add"))["Location"] == "/admin/"
    client.force_login(owner)
    assert client.get(reverse("fee_items:index")).status_code == 302


def test_tiers_for_a_fee_by_floor_area_are_refused_with_a_message(client, estate, staff):
    client.force_login(staff("Finance"))
    response = client.post(
        reverse("fee_items:add"), rule_form(estate, price="", tiers_text="100 2\n3"), **ZH
    )
    assert response.status_code == 200 and response.context["form"].errors
    assert not FeeItem.objects.exists()
