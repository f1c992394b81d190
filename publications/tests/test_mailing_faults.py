"""A worker killed (kill -9) in the middle of a member mailing: once another worker takes over,
every member has exactly one copy and the mailing counts every email as delivered (a private
redis-server, real workers, a slow SMTP sink)."""

import time
from collections import Counter

import pytest
from django.db import connection

from club.models import Member
from owners.models import Unit
from portal.models import Outgoing
from portal.outbox import relay
from portal.tests.services import wait_for
from publications.models import Mailing

pytestmark = [
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="workers share PostgreSQL"),
]

Sent, Pending = Outgoing.State.SENT, Outgoing.State.PENDING


MEMBERS = 20


@pytest.fixture
def more_units(estate):
    Unit.objects.bulk_create(
        Unit(estate=estate, building="9栋", number=f"{n:02d}01") for n in range(MEMBERS)
    )


def test_a_worker_killed_mid_mailing_leaves_every_member_exactly_one_copy(
    more_units, make_issue, make_member, fault_services
):
    broker, sink, prefix = fault_services.broker, fault_services.sink, fault_services.prefix
    worker, members = fault_services.worker, MEMBERS
    readers = [make_member(f"reader{n}") for n in range(members)]
    Member.objects.exclude(pk__in=[m.pk for m in readers]).update(publications=False)
    emails = sorted(m.user.email for m in readers)
    sink.delay = 0.25  # a slow mail server: a mailing takes seconds
    broker.start()
    fault_services.send_through_broker()
    # Rows the killed worker held are due again a second later; its job's lease lasts 5 s.
    first = worker(OUTBOX_RELAY_AFTER=1, OUTBOX_LEASE_SECONDS=5)

    issue = make_issue()  # publishing writes the mailing job; the worker takes it
    wait_for(lambda: len(sink.messages) >= 5, 120, "the mailing to start")
    # Killed while the server is slow to take the next message: delivery is at least once, and
    # a kill in the instant between the server accepting a message and its row being marked
    # sent (which the moment just after an arrival, as polled, lands in) sends that one again.
    time.sleep(sink.delay / 2)
    first.kill()
    at_kill = len(sink.messages)
    assert 0 < at_kill < members, at_kill

    worker(OUTBOX_RELAY_AFTER=1, OUTBOX_LEASE_SECONDS=5)  # a new worker, and beat's relay
    mailing = Mailing.objects.get(page=issue)

    def everyone_has_it():
        relay.apply_async(queue=f"{prefix}default")
        time.sleep(1)
        return set(sink.recipients()) >= set(emails)

    wait_for(everyone_has_it, 180, "every member's copy")
    wait_for(lambda: Mailing.objects.get(pk=mailing.pk).finished_at, 30, "the mailing to finish")
    time.sleep(2)  # anything sent twice would arrive by now

    copies = Counter(address for address in sink.recipients() if address in emails)
    assert sorted(copies) == emails and set(copies.values()) == {1}, copies
    mailing.refresh_from_db()
    assert (mailing.sent, mailing.total) == (members, members)
    group = Outgoing.objects.filter(group=f"mailing:{mailing.pk}")
    assert group.count() == members and not group.exclude(state=Sent).exists()
