"""Birthday greetings and the staff's weekly dates digest go once per period and person,
whatever runs them twice at the same moment (two beats); a week without dates sends nothing."""

from collections import Counter
from datetime import date

import pytest
from django.core import mail
from django.db import connection

from club import reminders
from club.models import ImportantDate
from portal.tests.services import twice_at_once

pytestmark = [
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="needs parallel writers"),
]


def sent_to():
    return Counter(address for message in mail.outbox for address in message.to)


def test_two_dates_digests_at_once_send_each_staff_member_one(make_member, club_staff, staff):
    manager = staff("Managers")  # Managers see members too
    member = make_member("first")
    ImportantDate(member=member, kind="birthday", date=date(1970, 12, 30)).save()
    monday = date(2026, 12, 28)
    mail.outbox.clear()
    twice_at_once(lambda: reminders.send_dates_digest(monday))
    reminders.send_dates_digest(monday)
    expected = {person.email: 1 for person in reminders.club_staff()}
    assert club_staff.email in expected and sent_to() == expected
    assert manager  # whoever club_staff() names gets exactly one


def test_a_week_without_dates_sends_no_digest(make_member, club_staff):
    make_member("nobody-born")
    mail.outbox.clear()
    assert reminders.send_dates_digest(date(2026, 6, 1)) == 0
    assert mail.outbox == []


def test_two_birthday_runs_at_once_greet_once(make_member):
    member = make_member("born")
    ImportantDate(member=member, kind="birthday", date=date(1980, 11, 26)).save()
    mail.outbox.clear()
    greeted = twice_at_once(lambda: reminders.greet_birthdays(date(2026, 11, 26)))
    assert sorted(greeted) == [0, 1] and sent_to() == {member.user.email: 1}
