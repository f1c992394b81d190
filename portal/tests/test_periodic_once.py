"""The daily notification digest goes out once a day per person, whatever runs it twice at
the same moment (two beats), and never empty."""

from collections import Counter

import pytest
from django.core import mail
from django.db import connection

from conftest import make_user
from portal.models import Notification, Outgoing
from portal.notifications import notify
from portal.tasks import send_notification_digests
from portal.tests.services import twice_at_once

pytestmark = [
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="needs parallel writers"),
]


def test_two_digest_runs_at_once_send_each_person_one_digest_and_no_empty_one():
    daily = make_user("daily", email_notifications="daily")
    quiet = make_user("quiet", email_notifications="daily")  # nothing new: no email at all
    for n in range(3):
        notify(daily, Notification.Kind.REPLY, text=f"回复 {n}", url="/forum/")
    mail.outbox.clear()

    twice_at_once(send_notification_digests)
    send_notification_digests()  # and once more, later the same day

    assert Counter(address for m in mail.outbox for address in m.to) == {daily.email: 1}
    assert "3" in mail.outbox[0].subject  # "3 条新消息": the three, in one digest
    assert not Notification.objects.filter(recipient=daily, emailed_at__isnull=True).exists()
    keys = Outgoing.objects.filter(key__startswith="digest:").values_list("key", flat=True)
    assert [key.rsplit(":", 1)[1] for key in keys] == [str(daily.pk)]
    assert quiet.email not in {address for m in mail.outbox for address in m.to}
