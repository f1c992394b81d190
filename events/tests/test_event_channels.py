"""Sign-ups, promotions and reminders reach members on the channels they chose for events
(portal.channels), and always in their notifications on the site."""

import pytest
from django.core import mail

from events import notices
from events.signup import cancel, sign_up
from portal.models import Notification, Outgoing

pytestmark = pytest.mark.django_db


def choose(user, **topics):
    user.notification_channels = topics
    user.save(update_fields=["notification_channels"])


def texts(user):
    return list(
        Outgoing.objects.filter(kind="sms", recipient=f"+86{user.mobile}")
        .order_by("pk")
        .values_list("payload__template", "payload__params")
    )


def test_a_member_who_chose_sms_gets_the_seat_the_promotion_and_the_reminder_by_text(
    make_event, make_member, django_capture_on_commit_callbacks
):
    event = make_event(capacity=1, days=1)
    first = make_member("first", mobile="13700000001").user
    second = make_member("second", mobile="13700000002").user
    choose(second, event=["sms"])
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        sign_up(event, first)
        sign_up(event, second)  # the waitlist
        cancel(event.registrations.get(user=first), first)  # a seat for the second
    with django_capture_on_commit_callbacks(execute=True):
        notices.send_reminders()
    [(signed, waiting), (promoted, moved_up), (reminder, tomorrow)] = texts(second)
    assert (signed, promoted, reminder) == ("event_signed_up", "event_promoted", "event_reminder")
    assert waiting["event"] == event.title and waiting["status"] == "候补中"
    assert tomorrow["place"] == event.place and moved_up["url"].endswith(event.url)
    assert all(m.to != [second.email] for m in mail.outbox)  # not by email as well
    inbox = Notification.objects.filter(recipient=second, kind="event").order_by("pk")
    assert inbox.count() == 3 and all(n.url == event.url for n in inbox)


def test_a_member_who_unticked_events_hears_only_on_the_site(
    event, member, django_capture_on_commit_callbacks
):
    choose(member.user, event=[])
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        sign_up(event, member.user)
    assert not mail.outbox and not texts(member.user)
    [entry] = Notification.objects.filter(recipient=member.user, kind="event")
    assert event.title in entry.text
