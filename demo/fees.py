"""Demo fees: the rules and terms of both estates, a water meter in every home and a common
electricity meter and a main water meter in every building, parking spaces, four months of bills
from the readings, most paid by the bank, some at the desk, and arrears of every age: the owner
王建国 (3栋 1201) owes last month's bill, and a few homes have paid nothing for one to four
months, each at its reminder stage, one with the calls customer service made. Every home but
those paying at the desk has a direct-debit agreement. This month's readings are under way, one
of them waiting for a second look.

The months are the four before today's, so the demo looks the same whenever it is loaded; the
runs are confirmed through the fee desk's own actions, then dated back to their month.
"""

import datetime
from decimal import Decimal

from django.db.models import Max

from fees import billing, reminders
from fees.models import (
    BankAccount,
    Bill,
    BillingRun,
    BillingTerms,
    FeeItem,
    Meter,
    ParkingSpace,
    Payment,
    Reading,
)
from fees.payments import due_on_day
from fees.readings import check_reading, enter_reading, previous_month
from owners.models import Estate, Unit, User

START = datetime.date(2026, 1, 1)
WATER = [
    {"up_to": "216", "price": "2.9000"},
    {"up_to": "300", "price": "3.8500"},
    {"up_to": None, "price": "6.7000"},
]
RULES = {
    "金都·翠湖苑": [
        ("management", "住宅物业管理费", "area", "residential", Decimal("2.2000"), []),
        ("parking", "地下车位管理费", "space", "", Decimal("150.0000"), []),
        ("water", "居民水费", "reading", "", None, WATER),
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
    ],
    "金都·云栖府": [
        ("management", "洋房物业管理费", "area", "residential", Decimal("3.5000"), []),
        ("water", "居民水费", "reading", "", None, WATER),
        ("shared_electricity", "公摊电费", "shared_by_unit", "", Decimal("0.5680"), []),
    ],
}
HOW_TO_PAY = (
    "前台缴费：物业服务中心，每天 8:30–17:30（现金、银行卡、转账）。\n"
    "银行代扣：在服务中心签约后每月 20 日自动扣款。\n"
    "开户行：杭州银行西湖支行  账号：3301 0401 6000 8888"
)
#: Homes that stopped paying: (estate, building, number) → months unpaid (the latest ones).
ARREARS = {
    ("金都·翠湖苑", "3栋", "1201"): 1,  # 王建国, the demo owner: last month's bill
    ("金都·翠湖苑", "2栋", "0603"): 1,
    ("金都·翠湖苑", "4栋", "1102"): 2,
    ("金都·翠湖苑", "5栋", "0304"): 3,
    ("金都·翠湖苑", "6栋", "1504"): 4,
    ("金都·云栖府", "2栋", "0501"): 2,
    ("金都·云栖府", "4栋", "0903"): 4,
}


def months_before(today, count):
    """The `count` months before today's, oldest first."""
    months, day = [], today.replace(day=1)
    for _i in range(count):
        day = previous_month(day)
        months.append(day)
    return months[::-1]


def build():
    estates = list(Estate.objects.filter(name__in=RULES))
    if not estates or FeeItem.objects.filter(estate__in=estates).exists():
        return
    desk = User.objects.get(username="finance")
    today = datetime.date.today()
    base, *billed = months_before(today, 5)
    for estate in estates:
        _rules(estate)
        _meters(estate)
        _read(estate, desk, [base, *billed])
        _bank_accounts(estate)
        for period in billed:
            _bill(estate, desk, period, today)
        _under_way(estate, desk, today)
    reminders.remind_overdue(on=today)
    service = User.objects.get(username="service")
    chased = Unit.objects.get(estate__name="金都·翠湖苑", building="6栋", number="1504")
    reminders.record_call(chased, service, outcome="no_answer", note="两次未接")
    reminders.record_call(
        chased,
        service,
        outcome="promised",
        promised_on=today + datetime.timedelta(days=10),
        note="业主在外地，月中回杭后到前台缴清",
    )


def _rules(estate):
    BillingTerms.objects.create(
        estate=estate,
        payee=f"金都物业服务有限公司{estate.name.split('·')[-1]}管理处",
        due_day=25,
        late_fee_rate=Decimal("0.5"),
        late_fee_grace_days=0,
        late_fee_cap=100,
        how_to_pay=HOW_TO_PAY,
    )
    for kind, name, basis, use, price, tiers in RULES[estate.name]:
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


def _meters(estate):
    units = list(estate.units.order_by("building", "number"))
    Meter.objects.bulk_create(
        Meter(estate=estate, unit=unit, kind="water", code=f"W-{unit.building}-{unit.number}")
        for unit in units
    )
    for building in sorted({u.building for u in units}):
        Meter.objects.create(
            estate=estate,
            building=building,
            kind="electricity",
            role="common",
            code=f"E-{building}-公共",
        )
        Meter.objects.create(
            estate=estate, building=building, kind="water", role="main", code=f"W-{building}-总表"
        )
    if estate.name == "金都·翠湖苑":
        ParkingSpace.objects.bulk_create(
            ParkingSpace(estate=estate, code=f"B2-{100 + i}", unit=unit)
            for i, unit in enumerate(units[::9])
        )


def _bank_accounts(estate):
    """Direct debit for every home but those paying at the desk (number ending 04)."""
    BankAccount.objects.bulk_create(
        BankAccount(
            unit=unit,
            holder="王建国" if (unit.building, unit.number) == ("3栋", "1201") else "业主",
            bank="杭州银行西湖支行",
            number=f"6228 4800 {unit.pk:04d} {unit.pk * 7 % 10000:04d}",
            signed_on=START,
        )
        for unit in estate.units.exclude(number__endswith="04")
    )


def _use(meter, month_index):
    """A home's water in a month (m³): steady per home, a little up in summer."""
    return Decimal(8 + meter.pk % 11 + (2 if month_index % 3 == 0 else 0))


def _read(estate, desk, months):
    """Readings for each month, written in bulk (the entry screen checks them one by one); a
    leak in one home is flagged and let stand after a second look."""
    meters = list(estate.meters.exclude(role="main").select_related("unit").order_by("pk"))
    mains = list(estate.meters.filter(role="main"))
    unit_meters = [m for m in meters if m.role == "unit"]
    rows, totals = [], {}
    for index, period in enumerate(months):
        day = period.replace(day=20)
        for meter in meters:
            step = Decimal(1800) if meter.role == "common" else _use(meter, index)
            value = totals.get(meter.pk, Decimal(100 + meter.pk % 50)) + step * (index > 0)
            totals[meter.pk] = value
            rows.append(
                Reading(meter=meter, period=period, value=value, read_on=day, entered_by=desk)
            )
        for main in mains:
            # The main meter reads what the homes used and a little lost on the way.
            homes = [m for m in unit_meters if m.unit.building == main.building]
            used = sum((_use(m, index) for m in homes), Decimal(0)) * (index > 0)
            value = totals.get(main.pk, Decimal(5000)) + (used * Decimal("1.04")).quantize(
                Decimal("0.01")
            )
            totals[main.pk] = value
            rows.append(
                Reading(meter=main, period=period, value=value, read_on=day, entered_by=desk)
            )
    Reading.objects.bulk_create(rows, batch_size=2000)
    # A leak: last month's reading far above the usual, looked at again and let stand.
    leaky = unit_meters[7]
    last = Reading.objects.get(meter=leaky, period=months[-1])
    before = Reading.objects.get(meter=leaky, period=months[-2]).value
    last.delete()
    reading = enter_reading(
        leaky, desk, period=months[-1], value=before + 95, read_on=months[-1].replace(day=20)
    )
    if reading.flag:
        check_reading(reading, desk, "入户查看：卫生间水管漏水，已报修，按实际读数收费")


def _bill(estate, desk, period, today):
    run = billing.start_run(estate, desk, period=period)
    billing.confirm_run(run, desk)
    issued = period.replace(day=3)
    due = period.replace(day=25)
    Bill.objects.filter(run=run).update(issued_on=issued, due_on=due)
    BillingRun.objects.filter(pk=run.pk).update(
        confirmed_at=datetime.datetime.combine(issued, datetime.time(9, 30)).astimezone()
    )
    months_ago = (today.year - period.year) * 12 + today.month - period.month
    unpaid = {
        (b, n) for (e, b, n), months in ARREARS.items() if e == estate.name and months >= months_ago
    }
    bills = list(Bill.objects.with_figures().filter(run=run).select_related("unit"))
    at_desk = [b for b in bills if b.unit.number.endswith("04")]
    by_bank = [
        b for b in bills if b not in at_desk and (b.unit.building, b.unit.number) not in unpaid
    ]
    # The bank's collections on the 20th, before they fall due: no late fee.
    start = (Payment.objects.aggregate(last=Max("pk"))["last"] or 0) + 1
    Payment.objects.bulk_create(
        Payment(
            bill=bill,
            amount=bill.owed,
            method=Payment.Method.BANK,
            paid_on=period.replace(day=20),
            reference=f"DEMO-{bill.number}",
            receipt_number=f"SK{period.replace(day=20):%Y%m%d}{start + i:06d}",
        )
        for i, bill in enumerate(by_bank)
    )
    # Some pay at the desk, a few days late, with the late fee of the day (written as the desk
    # wrote them then: the desk itself records only money of the last month).
    for bill in at_desk:
        if (bill.unit.building, bill.unit.number) in unpaid:
            continue
        paid_on = min(due + datetime.timedelta(days=bill.unit.pk % 9), today)
        owed, late = due_on_day(bill, paid_on)
        payment = Payment.objects.create(
            bill=bill,
            amount=owed,
            late_fee=late,
            method="cash" if bill.pk % 2 else "card",
            paid_on=paid_on,
            taken_by=desk,
            receipt_number=f"DEMO-{bill.pk}",
        )
        payment.receipt_number = f"SK{paid_on:%Y%m%d}{payment.pk:06d}"
        payment.save(update_fields=["receipt_number"])


def _under_way(estate, desk, today):
    """This month's readings, begun: 1栋's homes, one of them lower than last month."""
    period = today.replace(day=1)
    read_on = max(period, today - datetime.timedelta(days=1))
    meters = Meter.objects.filter(estate=estate, unit__building="1栋").order_by("code")[:8]
    for index, meter in enumerate(meters):
        last = meter.readings.order_by("-period").first()
        value = last.value - 3 if index == 2 else last.value + _use(meter, 0)
        enter_reading(meter, desk, period=period, value=value, read_on=read_on)
