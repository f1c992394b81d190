"""The fee desk's harder cases: what was previewed is what is confirmed, a bank number used
twice, a sheet saved again, quarterly and one-off rules, a month without a reading, a club
credit on an overdue bill, a change of owner, files that are not CSV, masked numbers."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from club import rewards
from club.models import Redemption, Reward
from fees import bank, billing, payments
from fees.billing import months_billed
from fees.models import BankAccount, Bill, FeeItem, Meter, Payment, Reading
from fees.readings import ReadingError, check_reading, import_readings
from fees.tests.conftest import NOV, OCT, SEP, read, rule
from fees.tests.test_points_credit import credit  # noqa: F401 - the fixture
from owners.models import UnitEvent, User

pytestmark = pytest.mark.django_db
ZH = {"HTTP_ACCEPT_LANGUAGE": "zh-hans"}
D = Decimal


def test_what_is_confirmed_is_what_was_previewed(priced, fee_desk):
    read(priced, fee_desk, SEP, {"W3-1201": "100"})
    lower = read(priced, fee_desk, OCT, {"W3-1201": "90"})["W3-1201"]
    run = billing.start_run(priced, fee_desk, period=OCT)
    check_reading(lower, fee_desk, note="换新表")  # after the preview: its water line is missing

    with pytest.raises(billing.BillingError, match="changed since the preview|预览之后"):
        billing.confirm_run(run, fee_desk)
    run.refresh_from_db()
    assert not run.is_confirmed
    bill = Bill.objects.get(run=run, unit__building="3栋", unit__number="1201")
    assert bill.lines.filter(name="水费").exists()  # the new preview has it
    billing.confirm_run(run, fee_desk)
    assert Bill.objects.issued().count() == 18
    with pytest.raises(ReadingError):  # the month is spent
        read(priced, fee_desk, OCT, {"W3-1202": "10"})


def test_a_bank_number_used_for_another_bill_is_not_counted_as_paid(priced, fee_desk):
    billing.confirm_run(billing.start_run(priced, fee_desk, period=OCT), fee_desk)
    one, two = Bill.objects.issued().with_figures().order_by("number")[:2]
    text = f"账单号,金额,结果,银行流水号\n{one.number},{one.owed},成功,B1\n{two.number},{two.owed},成功,B1\n"
    upload = SimpleUploadedFile("r.csv", text.encode(), "text/csv")
    batch = bank.import_results(priced, fee_desk, upload=upload)
    assert batch.paid == 1 and Payment.objects.get().bill == one
    assert batch.failures[0]["bill"] == two.number and "B1" in batch.failures[0]["reason"]


def test_bad_files_and_amounts_get_a_message(priced, fee_desk):
    billing.confirm_run(billing.start_run(priced, fee_desk, period=OCT), fee_desk)
    bill = Bill.objects.issued().first()
    for text in (
        f"账单号,金额,结果,银行流水号\n{bill.number},NaN,成功,B1\n",
        f"账单号,金额,结果,银行流水号\n{bill.number},1e30,成功,B1\n",
        '账单号,金额,结果,银行流水号\n"' + "x" * 140_000 + "\n",
    ):
        with pytest.raises(bank.BankError):
            bank.import_results(priced, fee_desk, upload=SimpleUploadedFile("r.csv", text.encode()))
    with pytest.raises(ReadingError):
        import_readings(
            priced,
            fee_desk,
            period=SEP,
            upload=SimpleUploadedFile("r.csv", "表号,读数\nW3-1201,1e20\n".encode()),
            read_on=SEP.replace(day=28),
        )
    assert not Payment.objects.exists() and not Reading.objects.exists()


def test_saving_the_sheet_again_keeps_what_was_checked(client, priced, fee_desk):
    read(priced, fee_desk, SEP, {"W3-1201": "100"})
    lower = read(priced, fee_desk, OCT, {"W3-1201": "90"})["W3-1201"]
    check_reading(lower, fee_desk, note="换新表")
    client.force_login(fee_desk)
    meter = Meter.objects.get(code="W3-1201")
    other = Meter.objects.get(code="W3-1202")
    day = OCT.replace(day=28)
    sheet = reverse("fees_read") + (
        f"?estate={priced.pk}&building=3栋&period={OCT.isoformat()}&read_on={day}"
    )
    client.post(sheet, {f"meter-{meter.pk}": "90.00", f"meter-{other.pk}": "20"})
    lower.refresh_from_db()
    assert lower.checked_at is not None and lower.note == "换新表"
    assert Reading.objects.filter(meter=other, period=OCT).exists()


def test_quarterly_yearly_and_one_off_rules_follow_the_calendar(priced):
    with pytest.raises(ValidationError) as refused:
        rule(
            priced,
            "parking",
            "车位季度费",
            "space",
            "140",
            cycle="quarterly",
            use="shop",
            effective_from=datetime.date(2026, 2, 1),
        )
    assert "effective_from" in refused.value.message_dict
    with pytest.raises(ValidationError) as refused:
        rule(priced, "one_off", "装修押金", "unit", "2000", effective_from=OCT)  # monthly
    assert "cycle" in refused.value.message_dict
    quarterly = FeeItem(cycle="quarterly", effective_from=datetime.date(2026, 4, 1))
    yearly = FeeItem(cycle="yearly", effective_from=datetime.date(2026, 1, 1))
    months = [datetime.date(2027, m, 1) for m in range(1, 13)]
    assert [months_billed(quarterly, m) for m in months] == [3, 0, 0] * 4
    assert [months_billed(yearly, m) for m in months] == [12] + [0] * 11


def test_a_month_without_a_reading_bills_both_months_tiers(priced, fee_desk):
    # SEP read, OCT not, NOV read: 30 m³ over two months, the first tier 20 m³ a month.
    read(priced, fee_desk, SEP, {"W3-1201": "100"})
    read(priced, fee_desk, NOV, {"W3-1201": "130"})
    run = billing.start_run(priced, fee_desk, period=NOV)
    line = Bill.objects.get(run=run, unit__number="1201", unit__building="3栋").lines.get(
        name="水费"
    )
    assert line.amount == D("87.00") and "2个月" in line.detail  # 30 × 2.90, all in tier one


def test_a_credit_clearing_an_overdue_bill_leaves_the_late_fee_payable(
    client,
    priced,
    fee_desk,
    credit,  # noqa: F811 - the fixture
):
    billing.confirm_run(billing.start_run(priced, fee_desk, period=OCT), fee_desk)
    today = timezone.localdate()
    Bill.objects.update(
        issued_on=today - datetime.timedelta(days=40), due_on=today - datetime.timedelta(days=20)
    )
    bill = Bill.objects.issued().with_figures().get(unit__building="3栋", unit__number="1201")
    # Ten days ago they paid all but 50.00; today the club credit pays the 50.00.
    then = today - datetime.timedelta(days=10)
    owed, late = payments.due_on_day(bill, then)
    payments.record_payment(bill, fee_desk, amount=owed - 50 + late, method="card", paid_on=then)
    payments.credit_points(credit, bill, fee_desk)
    owed, late = payments.due_on_day(bill)
    assert owed == 0 and late > 0
    client.force_login(fee_desk)
    page = reverse("bills:inspect", args=[bill.pk])
    assert 'value="pay"' in client.get(page, **ZH).content.decode()
    payments.record_payment(bill, fee_desk, amount=late, method="cash")
    assert payments.due_on_day(bill) == (D("0.00"), D("0.00"))


def test_the_club_desk_does_not_hand_a_fee_credit_over(priced, credit):  # noqa: F811
    with pytest.raises(rewards.RedemptionError):
        rewards.fulfil(credit, User.objects.get(username="club-staff"))
    credit.refresh_from_db()
    assert credit.status == Redemption.Status.REQUESTED and credit.credit == D("50.00")
    Reward.objects.filter(pk=credit.reward_id).update(credit=D("80"))
    credit.refresh_from_db()
    assert credit.credit == D("50.00")  # what was redeemed


def test_a_new_owner_sees_the_bills_from_the_change_on(
    owner_client, priced, fee_desk, verified_owner, unit, staff
):
    for period in (OCT, NOV):
        billing.confirm_run(billing.start_run(priced, fee_desk, period=period), fee_desk)
    UnitEvent.objects.create(
        unit=unit, kind="transfer", happened_on=NOV.replace(day=10), recorded_by=staff("Managers")
    )
    html = owner_client.get(reverse("fees:mine"), **ZH).content.decode()
    dashboard = owner_client.get(reverse("owners:dashboard"), **ZH).content.decode()
    mine = Bill.objects.with_figures().get(unit=unit, period=NOV)
    assert f"¥{mine.owed:,.2f}" in dashboard  # only the bill since the change
    old, new = (Bill.objects.get(unit=unit, period=p) for p in (OCT, NOV))
    assert new.number in html and old.number not in html
    assert owner_client.get(reverse("fees:bill", args=[old.pk])).status_code == 404


def test_the_fee_desk_sees_owners_numbers_masked(client, priced, fee_desk, verified_owner):
    billing.confirm_run(billing.start_run(priced, fee_desk, period=OCT), fee_desk)
    Bill.objects.update(due_on=timezone.localdate() - datetime.timedelta(days=3))
    client.force_login(fee_desk)
    html = client.get(reverse("arrears:index"), **ZH).content.decode()
    assert "138****8000" in html and verified_owner.mobile not in html


def test_an_account_number_is_never_shown_again_in_full(client, priced, fee_desk, unit):
    account = BankAccount.objects.create(
        unit=unit,
        holder="王建国",
        bank="杭州银行",
        number="6228480012345678",
        signed_on=datetime.date(2026, 1, 1),
    )
    client.force_login(fee_desk)
    edit = reverse("bank_accounts:edit", args=[account.pk])
    assert "6228480012345678" not in client.get(edit).content.decode()
    form = {
        "estate": priced.pk,
        "unit_label": "3栋 1201",
        "holder": "王建国",
        "bank": "杭州银行",
        "number": "",
        "signed_on": "2026-01-01",
        "ended_on": "",
    }
    client.post(edit, form)
    account.refresh_from_db()
    assert account.number == "6228480012345678" and account.holder == "王建国"
