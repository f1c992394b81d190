"""The broker away while an owner files a case: the request answers at once and the email
is delivered once the broker is back (a private redis-server, a real worker, an SMTP sink)."""

import time
from collections import Counter
from email.header import decode_header, make_header

import pytest
from django.db import connection
from django.urls import reverse

from cases.models import Case, Category
from conftest import PASSWORD
from portal.models import Outgoing
from portal.outbox import relay
from portal.settings.base import redis_cache
from portal.tests.services import wait_for

pytestmark = [
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="workers share PostgreSQL"),
]

Sent, Pending = Outgoing.State.SENT, Outgoing.State.PENDING


def case_form():
    return {
        "kind": "complaint",
        "category": Category.objects.get(name="维修报修").pk,
        "subject": "电梯停运",
        "description": "三号楼电梯停了一上午。",
    }


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
    started = time.monotonic()
    response = client.post(
        reverse("cases:new"), case_form()
    )  # nothing listens on the broker's port
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


def test_with_redis_down_an_owner_stays_signed_in_files_a_case_and_gets_one_email_later(
    client, verified_owner, fault_services, settings, home_page
):
    """Production keeps the cache, the sessions' cache copy and the broker in one Redis. With
    it stopped, the signed-in owner's pages and a new case answer as usual and at once; once it
    is back (empty: it keeps nothing on disk), the confirmation is delivered, exactly once."""
    redis_down, sink, prefix = fault_services.broker, fault_services.sink, fault_services.prefix
    redis_down.start()
    settings.CACHES = {"default": redis_cache(redis_down.url.replace("/0", "/1"))}
    settings.SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
    settings.OUTBOX_RELAY_AFTER = 0
    fault_services.send_through_broker()
    response = client.post(
        reverse("account_login"), {"login": verified_owner.email, "password": PASSWORD}
    )
    assert response.status_code == 302

    redis_down.stop()
    answers, started = [], time.monotonic()
    for url in ("/", reverse("owners:dashboard"), reverse("cases:mine"), reverse("cases:new")):
        answers.append(client.get(url).status_code)
    response = client.post(reverse("cases:new"), case_form())
    answers.append(response.status_code)
    case = Case.objects.get(owner=verified_owner)
    answers.append(client.get(reverse("cases:detail", args=[case.reference])).status_code)
    elapsed = time.monotonic() - started

    assert answers == [200, 200, 200, 200, 302, 200] and elapsed < 5, (answers, elapsed)
    row = Outgoing.objects.get(payload__subject__icontains=case.reference)
    assert row.state == Pending and sink.messages == []

    redis_down.start()  # back, and empty
    fault_services.worker()
    relay.apply_async(queue=f"{prefix}default")
    wait_for(lambda: subjects(sink).get(row.payload["subject"]), 90, "the confirmation email")
    relay.apply_async(queue=f"{prefix}default")
    time.sleep(3)
    assert subjects(sink)[row.payload["subject"]] == 1
    # Still signed in: the session outlived the cache that lost it.
    assert client.get(reverse("owners:dashboard")).status_code == 200
