"""The broker away while an owner files a case: the request answers at once and the email
is delivered once the broker is back (a private redis-server, a real worker, an SMTP sink)."""

import time
from collections import Counter
from email.header import decode_header, make_header

import pytest
from django.db import connection
from django.urls import reverse

from cases.models import Case, Category
from portal.models import Outgoing
from portal.outbox import relay
from portal.tests.services import wait_for

pytestmark = [
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="workers share PostgreSQL"),
]

Sent, Pending = Outgoing.State.SENT, Outgoing.State.PENDING


def subjects(sink):
    """How many of each subject the sink received, decoded."""
    with sink.lock:
        return Counter(
            str(make_header(decode_header(message["Subject"]))) for _to, message in sink.messages
        )


def test_filing_a_case_while_the_broker_is_down_answers_at_once_and_the_email_comes_later(
    client, verified_owner, fault_services, settings
):
    broker, sink, prefix = fault_services.broker, fault_services.sink, fault_services.prefix
    fault_services.send_through_broker()
    settings.OUTBOX_RELAY_AFTER = 0  # the relay hands the rows over as soon as it runs
    client.force_login(verified_owner)
    data = {
        "kind": "complaint",
        "category": Category.objects.get(name="维修报修").pk,
        "subject": "电梯停运",
        "description": "三号楼电梯停了一上午。",
    }
    started = time.monotonic()
    response = client.post(reverse("cases:new"), data)  # nothing listens on the broker's port
    elapsed = time.monotonic() - started

    assert response.status_code in (200, 302) and elapsed < 2, (response.status_code, elapsed)
    case = Case.objects.get(owner=verified_owner)
    row = Outgoing.objects.get(payload__subject__icontains=case.reference)
    assert (row.state, row.queue) == (Pending, "mail") and row.payload["to"] == [
        verified_owner.email
    ]
    assert sink.messages == []
    confirmation = row.payload["subject"]

    broker.start()  # the broker comes back, a worker with it
    fault_services.worker()
    relay.apply_async(queue=f"{prefix}default")  # what beat does every minute
    wait_for(lambda: subjects(sink).get(confirmation), 90, "the confirmation email")
    relay.apply_async(queue=f"{prefix}default")  # and again: nothing is sent twice
    time.sleep(3)

    assert subjects(sink)[confirmation] == 1
    row.refresh_from_db()
    assert row.state == Sent and row.sent_at is not None
