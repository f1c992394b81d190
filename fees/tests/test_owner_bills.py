"""我的账单: an owner's issued bills, one bill, its payment request and receipts as PDF; who sees
them (owners and co-owners of the unit, not family members, not neighbours), the figures, the
amounts in capital numerals, and the queries a page costs whatever its length."""

import datetime
import io
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from conftest import claims_desk, make_user, make_verified_owner
from fees import billing, payments
from fees.ledger import with_late_fees
from fees.models import Adjustment, Bill, BillingRun, BillLine, FeeItem, Payment
from fees.paper import capital, payment_requests, receipt
from fees.tests.conftest import NOV, OCT
from owners import claims
from owners.models import OwnershipClaim, Unit

pytestmark = pytest.mark.django_db

D = Decimal


def pdf_text(data):
    assert data.startswith(b"%PDF")
    return "".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)


def page_text(response):
    assert response.status_code == 200
    return response.content.decode()


@pytest.fixture
def issued(priced, fee_desk):
    """October's bills, issued twenty days ago and due ten days ago."""
    billing.confirm_run(billing.start_run(priced, fee_desk, period=OCT), fee_desk)
    today = timezone.localdate()
    Bill.objects.update(
        issued_on=today - datetime.timedelta(days=20), due_on=today - datetime.timedelta(days=10)
    )
    return Bill.objects.issued()


@pytest.fixture
def mine(issued, unit):
    """3栋 1201's October bill: 222.20 management + 150.00 parking."""
    return issued.get(unit=unit)


@pytest.fixture
def paid(mine, fee_desk):
    """22.20 taken off the bill, then 100.88 paid five days after it fell due (0.88 of it the
    late fee on that day)."""
    billing.adjust(mine, fee_desk, amount="-22.20", reason="空置房优惠")
    return payments.record_payment(
        mine,
        fee_desk,
        amount="100.88",
        method="cash",
        paid_on=mine.due_on + datetime.timedelta(days=5),
    )


def family_member(unit):
    user = make_user("family", real_name="王小明")
    claim = claims.submit_claim(user, unit, role=OwnershipClaim.Role.FAMILY, proof="户口本")
    claims.approve_claim(claim, claims_desk())
    return user


# -- capital numerals ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("amount", "words"),
    [
        ("0.50", "伍角"),
        ("216.81", "贰佰壹拾陆元捌角壹分"),
        ("1000.00", "壹仟元整"),
        ("10010.05", "壹万零壹拾元零伍分"),
        ("0", "零元整"),
        ("0.05", "伍分"),
        ("1.10", "壹元壹角"),
        ("1005", "壹仟零伍元整"),
        ("100000", "壹拾万元整"),
        ("101000", "壹拾万零壹仟元整"),
        ("1000500.00", "壹佰万零伍佰元整"),
        ("100000001", "壹亿零壹元整"),
        ("250.62", "贰佰伍拾元陆角贰分"),
        ("1234.567", "壹仟贰佰叁拾肆元伍角柒分"),  # rounded half up to the fen first
        ("-3.20", "负叁元贰角"),
    ],
)
def test_capital_numerals(amount, words):
    assert capital(D(amount)) == words


# -- who sees what ---------------------------------------------------------------------------


def test_an_owner_sees_the_issued_bills_of_their_own_units_only(
    client, verified_owner, mine, issued
):
    client.force_login(verified_owner)
    text = page_text(client.get(reverse("fees:mine")))
    assert mine.number in text and "3栋 1201" in text
    others = issued.exclude(unit=mine.unit)
    assert others.count() == 17
    assert not any(bill.number in text for bill in others)

    neighbours = others.get(unit__building="3栋", unit__number="1202")
    for url in (
        reverse("fees:bill", args=[neighbours.pk]),
        reverse("fees:request", args=[neighbours.pk]),
    ):
        assert client.get(url).status_code == 404
    assert client.get(reverse("fees:bill", args=[mine.pk])).status_code == 200


def test_a_family_member_and_another_owner_see_nothing(client, verified_owner, paid, mine):
    family = family_member(mine.unit)
    neighbour = make_verified_owner(
        "neighbour", Unit.objects.get(estate=mine.unit.estate, building="3栋", number="1202")
    )
    own = [
        reverse("fees:bill", args=[mine.pk]),
        reverse("fees:request", args=[mine.pk]),
        reverse("fees:receipt", args=[paid.pk]),
    ]
    for person in (family, neighbour):
        client.force_login(person)
        listing = page_text(client.get(reverse("fees:mine")))
        assert mine.number not in listing
        for url in own:
            assert client.get(url).status_code == 404, (person, url)
    # 我的 has no 我的账单 for a family member.
    client.force_login(family)
    assert reverse("fees:mine") not in page_text(client.get(reverse("owners:dashboard")))

    client.force_login(verified_owner)
    for url in own:
        assert client.get(url).status_code == 200, url
    client.logout()
    assert client.get(own[0]).status_code == 302  # to sign in


def test_a_co_owner_sees_the_bills_too(client, mine):
    co_owner = make_user("co-owner", real_name="刘芳")
    claim = claims.submit_claim(co_owner, mine.unit, role=OwnershipClaim.Role.CO_OWNER, proof="HT")
    claims.approve_claim(claim, claims_desk())
    client.force_login(co_owner)
    assert mine.number in page_text(client.get(reverse("fees:mine")))


def test_bills_of_a_draft_run_are_never_shown(client, verified_owner, priced, fee_desk, unit):
    draft = billing.start_run(priced, fee_desk, period=NOV)
    bill = Bill.objects.get(run=draft, unit=unit)
    # No payment is taken on a draft; one written straight to the table is not shown either.
    stray = Payment.objects.create(
        bill=bill, amount=D(1), method="cash", paid_on=NOV, receipt_number="SK-DRAFT"
    )
    client.force_login(verified_owner)
    text = page_text(client.get(reverse("fees:mine")))
    assert reverse("fees:bill", args=[bill.pk]) not in text and "price-list" not in text
    for url in (
        reverse("fees:bill", args=[bill.pk]),
        reverse("fees:request", args=[bill.pk]),
        reverse("fees:receipt", args=[stray.pk]),
    ):
        assert client.get(url).status_code == 404, url
    # The owner pays for the unit: 我的账单 is on 我的, with nothing owed.
    dashboard = page_text(client.get(reverse("owners:dashboard")))
    assert reverse("fees:mine") in dashboard and "372.20" not in dashboard


# -- the figures -----------------------------------------------------------------------------


def test_the_figures_owed_the_late_fee_apart_payments_and_the_receipt(
    client, verified_owner, mine, paid
):
    # 372.20 − 22.20 − 100.00 = 250.00 owed. Late fee at 0.5‰ a day: 350.00 for five days and
    # 250.00 for five more = 1.50, of which 0.88 was paid with the payment: 0.62 today.
    assert (paid.amount, paid.late_fee) == (D("100.00"), D("0.88"))
    client.force_login(verified_owner)

    listing = page_text(client.get(reverse("fees:mine")))
    assert "¥250.62" in listing  # what is owed now
    assert "250.00" in listing and "0.62" in listing  # the bill's balance, the late fee apart
    assert "¥350.00" in listing  # the bill's total after the adjustment
    assert "status--bill-overdue" in listing and "status--bill-partly" in listing

    page = page_text(client.get(reverse("fees:bill", args=[mine.pk])))
    for words in (
        "¥250.62",
        "250.00",
        "0.62",
        "住宅物业管理费",
        "101.00 m² × 2.20 元",
        "¥222.20",
        "车位管理费",
        "空置房优惠",
        "-22.20",
        paid.receipt_number,
        reverse("fees:receipt", args=[paid.pk]),
        reverse("fees:request", args=[mine.pk]),
        "金都物业翠湖苑管理处",
        "前台或银行代扣",
        mine.due_on.isoformat(),
        "¥100.88",
    ):
        assert words in page, words

    request = client.get(reverse("fees:request", args=[mine.pk]))
    assert request["Content-Type"] == "application/pdf"
    assert "no-store" in request["Cache-Control"]
    text = pdf_text(request.content)
    for words in (
        "金都物业翠湖苑管理处",
        mine.number,
        "3栋 1201",
        "住宅物业管理费",
        "101.00 m² × 2.20 元",
        "222.20",
        "空置房优惠",
        paid.receipt_number,
        "250.00",
        "0.62",
        "250.62",
        "贰佰伍拾元陆角贰分",
        "前台或银行代扣",
    ):
        assert words in text, words

    slip = client.get(reverse("fees:receipt", args=[paid.pk]))
    assert slip["Content-Type"] == "application/pdf"
    text = pdf_text(slip.content)
    for words in (
        paid.receipt_number,
        "金都物业翠湖苑管理处",
        mine.number,
        "3栋 1201",
        "100.00",
        "0.88",
        "100.88",
        "壹佰元捌角捌分",
        paid.paid_on.isoformat(),
        "Finance",  # who took it: the fee desk's name
    ):
        assert words in text, words


def test_a_bill_paid_in_full_says_so_and_the_dashboard_shows_what_is_owed(
    client, verified_owner, mine, fee_desk
):
    client.force_login(verified_owner)
    dashboard = page_text(client.get(reverse("owners:dashboard")))
    assert reverse("fees:mine") in dashboard and "372.20" in dashboard

    owed, late = payments.due_on_day(mine)
    payments.record_payment(mine, fee_desk, amount=owed + late, method="transfer")
    listing = page_text(client.get(reverse("fees:mine")))
    assert "¥0.00" in listing and "status--bill-settled" in listing
    assert "status--bill-overdue" not in listing  # paid: no longer overdue
    dashboard = page_text(client.get(reverse("owners:dashboard")))
    assert reverse("fees:mine") in dashboard and "372.20" not in dashboard


def test_payment_requests_for_a_whole_building_in_one_file(issued, paid):
    bills = with_late_fees(issued.filter(unit__building="3栋").order_by("unit__number"))
    with CaptureQueriesContext(connection) as queries:
        data = payment_requests(bills)
    assert len(queries) == 1  # the lines of them all
    reader = PdfReader(io.BytesIO(data))
    assert len(reader.pages) == len(bills) == 6
    assert all(bill.number in reader.pages[i].extract_text() for i, bill in enumerate(bills))
    assert receipt(paid).startswith(b"%PDF")


# -- queries ---------------------------------------------------------------------------------


def months(start, count):
    for index in range(count):
        year, month = divmod(start.month - 1 + index, 12)
        yield datetime.date(start.year + year, month + 1, 1)


def bills_for(unit, periods, *, lines=2, rows=1, desk):
    """Issued bills for `unit`, each with `lines` lines and `rows` adjustments and payments."""
    rule = FeeItem.objects.filter(estate=unit.estate).first()
    made = []
    for period in periods:
        run, _new = BillingRun.objects.get_or_create(
            estate=unit.estate, period=period, defaults={"status": "confirmed"}
        )
        bill = Bill.objects.create(
            run=run,
            unit=unit,
            period=period,
            number=f"{period:%Y%m}-T-{unit.pk:05d}",
            issued_on=period,
            due_on=period.replace(day=25),
        )
        BillLine.objects.bulk_create(
            BillLine(
                bill=bill, fee_item=rule, name="物业管理费", quantity=1, detail="1", amount=D(100)
            )
            for _ in range(lines)
        )
        Adjustment.objects.bulk_create(
            Adjustment(bill=bill, amount=D("-1.00"), reason="优惠", made_by=desk)
            for _ in range(rows)
        )
        Payment.objects.bulk_create(
            Payment(
                bill=bill,
                amount=D("10.00"),
                late_fee=D("0.50"),
                method="cash",
                paid_on=period.replace(day=28),
                receipt_number=f"SK-{bill.pk}-{index}",
                taken_by=desk,
            )
            for index in range(rows)
        )
        made.append(bill)
    return made


def count(client, url):
    client.get(url)  # a second visit: what the frame keeps in the cache is there
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries), [q["sql"] for q in queries]


def test_the_list_and_a_bill_cost_the_same_queries_for_1_bill_or_30(client, priced, unit, fee_desk):
    few = make_verified_owner("few", unit)
    other = Unit.objects.get(estate=priced, building="2栋", number="0101")
    many = make_verified_owner("many", other)
    one = bills_for(unit, months(datetime.date(2024, 1, 1), 1), desk=fee_desk)[0]
    thirty = bills_for(
        other, months(datetime.date(2024, 1, 1), 30), lines=30, rows=30, desk=fee_desk
    )
    # The owner of many also pays for a second home, with its own bill.
    second = Unit.objects.get(estate=priced, building="2栋", number="0102")
    claim = claims.submit_claim(many, second, role=OwnershipClaim.Role.CO_OWNER, proof="HT-2")
    claims.approve_claim(claim, claims_desk())
    bills_for(second, months(datetime.date(2024, 1, 1), 1), desk=fee_desk)

    for url_of in (
        lambda bill: reverse("fees:mine") + "?all=1",
        lambda bill: reverse("fees:bill", args=[bill.pk]),
        lambda bill: reverse("fees:request", args=[bill.pk]),
        lambda bill: reverse("owners:dashboard"),
    ):
        client.force_login(few)
        small, _sql = count(client, url_of(one))
        client.force_login(many)
        large, sql = count(client, url_of(thirty[-1]))
        assert small == large <= 6, sql
    client.force_login(many)
    listing = page_text(client.get(reverse("fees:mine") + "?all=1"))
    assert all(bill.number in listing for bill in thirty)


def test_older_paid_bills_wait_behind_show_all(client, priced, unit, fee_desk):
    owner = make_verified_owner("few", unit)
    made = bills_for(unit, months(datetime.date(2024, 1, 1), 14), lines=1, rows=0, desk=fee_desk)
    Payment.objects.bulk_create(
        Payment(
            bill=bill,
            amount=D(100),
            method="cash",
            paid_on=bill.period.replace(day=20),
            receipt_number=f"SK-{bill.pk}",
        )
        for bill in made[1:]
    )
    client.force_login(owner)
    listing = page_text(client.get(reverse("fees:mine")))
    # The oldest is still unpaid and always shown; of the thirteen paid, the newest twelve.
    assert made[0].number in listing and made[2].number in listing
    assert made[1].number not in listing and "?all=1" in listing
    assert listing.index(made[-1].number) < listing.index(made[2].number)  # newest first
    assert made[1].number in page_text(client.get(reverse("fees:mine") + "?all=1"))
