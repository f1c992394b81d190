"""积分抵扣物业费: a member's property-fee credit from the club becomes a payment on their bill
at the fee desk, once, with the redemption and the payment naming each other."""

from decimal import Decimal

import pytest
from django.urls import reverse

from club import membership, points, rewards
from club.models import PointsEntry, Redemption, Reward
from conftest import make_verified_owner
from fees import billing, payments
from fees.models import Bill, Payment
from fees.tests.conftest import OCT

pytestmark = pytest.mark.django_db
ZH = {"HTTP_ACCEPT_LANGUAGE": "zh-hans"}


@pytest.fixture
def credit(priced, staff):
    """王建国 of 3栋 1201, a member, redeemed 物业费抵扣 50 元."""
    owner = make_verified_owner("credit-owner", priced.units.get(building="3栋", number="1201"))
    member = membership.approve(membership.apply(owner), staff("Club staff"))
    points.post_entry(member, 5000, kind=PointsEntry.Kind.ADJUSTMENT, key="gift", reason="测试")
    reward = Reward.objects.create(
        name="物业费抵扣 50 元", kind="fee_credit", credit=Decimal("50"), points=2000, stock=5
    )
    return rewards.redeem(member, reward, key="credit-1")[0]


def test_a_credit_goes_on_the_member_s_bill_once(client, priced, fee_desk, credit):
    billing.confirm_run(billing.start_run(priced, fee_desk, period=OCT), fee_desk)
    bill = Bill.objects.issued().with_figures().get(unit__building="3栋", unit__number="1201")
    elsewhere = Bill.objects.issued().get(unit__building="1栋", unit__number="0101")

    client.force_login(fee_desk)
    page = reverse("bills:inspect", args=[bill.pk])
    assert "物业费抵扣 50 元" in client.get(page, **ZH).content.decode()
    assert (
        "物业费抵扣 50 元"
        not in client.get(reverse("bills:inspect", args=[elsewhere.pk]), **ZH).content.decode()
    )

    with pytest.raises(payments.PaymentError):
        payments.credit_points(credit, elsewhere, fee_desk)  # not their home
    client.post(page, {"action": "credit", "redemption": credit.pk}, **ZH)

    payment = Payment.objects.get()
    credit.refresh_from_db()
    assert payment.method == "points" and payment.amount == Decimal("50.00")
    assert payment.late_fee == 0 and payment.bill == bill
    assert credit.fee_payment == payment and credit.status == Redemption.Status.FULFILLED
    assert Bill.objects.with_figures().get(pk=bill.pk).owed == bill.owed - 50

    client.post(page, {"action": "credit", "redemption": credit.pk}, **ZH)
    with pytest.raises(payments.PaymentError):
        payments.credit_points(credit, bill, fee_desk)
    assert Payment.objects.count() == 1


def test_a_credit_larger_than_the_bill_waits_for_a_bigger_one(priced, fee_desk, credit):
    billing.confirm_run(billing.start_run(priced, fee_desk, period=OCT), fee_desk)
    bill = Bill.objects.issued().with_figures().get(unit__building="3栋", unit__number="1201")
    payments.record_payment(bill, fee_desk, amount=bill.owed - 10, method="cash")
    with pytest.raises(payments.PaymentError):
        payments.credit_points(credit, bill, fee_desk)
    credit.refresh_from_db()
    assert credit.status == Redemption.Status.REQUESTED and bill.payments.count() == 1


def test_a_fee_credit_reward_says_what_it_takes_off(client, staff):
    client.force_login(staff("Managers"))
    form = {
        "name": "物业费抵扣 100 元",
        "description": "",
        "kind": "fee_credit",
        "credit": "",
        "points": "4000",
        "stock": "10",
        "limit_per_member": "1",
    }
    answer = client.post(reverse("club_rewards:add"), form, **ZH)
    assert answer.status_code == 200 and not Reward.objects.exists()
    client.post(reverse("club_rewards:add"), {**form, "credit": "100"}, **ZH)
    assert Reward.objects.get().credit == Decimal("100.00")
