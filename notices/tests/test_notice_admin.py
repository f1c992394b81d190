"""Staff see who each notice reached, read and confirmed, per building; call those who did not
confirm an important notice and record it (二次确认); export the list."""

import csv
import io
from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from conftest import make_user, verify
from notices import delivery
from notices.models import Call, Receipt
from notices.tests.test_notices import index, notice, owners  # noqa: F401, F811 (fixtures)
from owners.models import Unit, User

pytestmark = pytest.mark.django_db
ZH = {"HTTP_ACCEPT_LANGUAGE": "zh-hans"}


@pytest.fixture
def sent(index, owners, estate, django_capture_on_commit_callbacks):  # noqa: F811
    with django_capture_on_commit_callbacks(execute=True):
        page = notice(
            index,
            estates=[estate],
            important=True,
            acknowledge_by=timezone.localdate() + timedelta(days=2),
        )
    delivery.acknowledge(page, owners["a"])
    return page


def test_the_figures_per_building_and_the_list_of_those_to_call(
    client,
    sent,
    owners,  # noqa: F811
    staff,
):
    client.force_login(staff("Customer service"))
    report = client.get(reverse("notice_report:index"), {"notice": sent.pk}, **ZH).content.decode()
    assert "金都·翠湖苑 3栋" in report and "金都·翠湖苑 1栋" in report
    assert delivery.progress(sent) == {"owners": 3, "told": 3, "messages": 3, "sent": 3}
    assert "应通知 3 位业主，已通知 3 位" in report
    figures = delivery.statistics(sent)
    assert figures["total"] == {"delivered": 3, "read": 1, "confirmed": 1, "by_phone": 0}
    listing = client.get(
        reverse("notice_receipts:index"), {"notice": sent.pk, "confirmed": "false"}, **ZH
    ).content.decode()
    assert owners["b"].mobile in listing and owners["c"].mobile in listing
    assert owners["a"].mobile not in listing

    # 二次确认: the owner confirms on the phone.
    receipt = Receipt.objects.get(notice=sent, user=owners["b"])
    url = reverse("notice_receipts:inspect", args=[receipt.pk])
    refused = client.post(url, {"action": "call", "outcome": ""}, **ZH)
    assert refused.status_code == 200 and not Call.objects.exists()
    client.post(url, {"action": "call", "outcome": "confirmed", "note": "已知悉"}, **ZH)
    receipt.refresh_from_db()
    assert receipt.acknowledged_at and receipt.by_phone
    [call] = Call.objects.all()
    assert call.made_by.username == "customer-service" and call.note == "已知悉"
    client.post(
        reverse("notice_receipts:inspect", args=[Receipt.objects.get(user=owners["c"]).pk]),
        {"action": "call", "outcome": "no_answer"},
        **ZH,
    )
    assert delivery.statistics(sent)["total"]["confirmed"] == 2

    export = client.get(
        reverse("notice_receipts:index"), {"notice": sent.pk, "export": "csv"}, **ZH
    )
    rows = list(csv.reader(io.StringIO(b"".join(export.streaming_content).decode("utf-8-sig"))))
    heading = rows[0]
    by_owner = {row[heading.index("业主")]: row for row in rows[1:]}
    assert by_owner["业主b"][heading.index("电话确认")] == "是"
    assert by_owner["业主c"][heading.index("最近一次电话")].startswith("无人接听")


def test_only_customer_service_and_managers_see_and_call(
    client,
    sent,
    owners,  # noqa: F811
    staff,
):
    receipt = Receipt.objects.get(notice=sent, user=owners["b"])
    for role in ("Editors", "Club staff"):
        person = staff(role)
        client.force_login(person)
        assert client.get(reverse("notice_report:index")).status_code in (302, 403)
        assert client.get(reverse("notice_receipts:index")).status_code in (302, 403)
        with pytest.raises(PermissionDenied):
            delivery.record_call(receipt, person, outcome="confirmed")
    client.force_login(owners["a"])
    assert client.get(reverse("notice_receipts:index")).status_code in (302, 403)


def test_the_lists_ask_the_same_queries_for_few_or_many_owners(client, sent, estate, staff):
    client.force_login(staff("Managers"))
    url = reverse("notice_receipts:index")

    def queries():
        counts = []
        for address, data in ((url, {"notice": sent.pk}), (reverse("notice_report:index"), {})):
            client.get(address, data)
            with CaptureQueriesContext(connection) as seen:
                client.get(address, data)
            counts.append(len(seen))
        return counts

    few = queries()
    for n, unit in enumerate(Unit.objects.filter(estate=estate, building="2栋")):
        verify(make_user(f"more{n}", mobile=f"1390000{n:04d}"), unit, proof=f"M{n}")
    delivery.deliver(sent.pk)
    assert Receipt.objects.filter(notice=sent).count() == 9
    agent = staff("Customer service")
    for receipt in Receipt.objects.filter(notice=sent)[:4]:
        delivery.record_call(receipt, agent, outcome="no_answer")
    assert queries() == few

    # A thousand more owners across ten buildings, as a notice to a whole estate reaches.
    people = User.objects.bulk_create(
        User(username=f"bulk{n}", real_name=f"业主{n}", mobile=f"1370{n:07d}") for n in range(1000)
    )
    Receipt.objects.bulk_create(
        Receipt(notice=sent, user=person, building=f"金都·翠湖苑 {n % 10 + 4}栋")
        for n, person in enumerate(people)
    )
    assert queries() == few
