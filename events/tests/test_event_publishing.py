"""Publishing an event in the admin only queues telling its registrants: the editor's request
renders no email; the task, after the commit, lets the waitlist in and tells each registrant
of a new time, place or a cancellation once, however many publications or runs."""

from datetime import timedelta

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone
from wagtail.test.utils import WagtailTestUtils
from wagtail.test.utils.form_data import querydict_from_html

from events import signup
from events.models import AnnouncedDetails, EventPage
from events.notices import tell_registrants

pytestmark = pytest.mark.django_db


@pytest.fixture
def editor(staff):
    return staff("Managers")


def publish_in_admin(client, event, **changes):
    """Post the page editor's own form with `changes`, pressing "Publish"."""
    url = reverse("wagtailadmin_pages:edit", args=[event.pk])
    html = client.get(url).content.decode()
    data = querydict_from_html(html, form_id="page-edit-form")
    data.setdefault("body-count", "0")
    data.setdefault("body_en-count", "0")
    # A browser sends "on" for a ticked box without a value; the helper sends "".
    for box in WagtailTestUtils.get_soup(html).select("input[type=checkbox][checked]"):
        if "value" not in box.attrs:
            data[box["name"]] = "on"
    for name, value in changes.items():
        if hasattr(value, "tzinfo"):
            value = timezone.localtime(value).strftime("%Y-%m-%d %H:%M")
        data[name] = value
    data["action-publish"] = "action-publish"
    return client.post(url, data)


def registrants(make_member, event):
    seated, also_seated, waiting = make_member("a"), make_member("b"), make_member("c")
    signup.sign_up(event, seated.user, guests=2)
    signup.sign_up(event, also_seated.user)
    signup.sign_up(event, waiting.user, guests=2)  # the event is full: the waitlist
    mail.outbox.clear()
    return sorted(m.user.email for m in (seated, also_seated, waiting))


def email_templates(response):
    return [t.name for t in response.templates if t.name and t.name.startswith("events/email/")]


def test_publishing_a_new_time_queues_the_emails_for_after_the_commit(
    client, editor, make_member, event, django_capture_on_commit_callbacks
):
    everyone = registrants(make_member, event)
    client.force_login(editor)
    starts = event.starts_at + timedelta(days=1)
    with django_capture_on_commit_callbacks() as queued:
        response = publish_in_admin(
            client, event, starts_at=starts, ends_at=starts + timedelta(hours=2)
        )
    assert response.status_code == 302, response.context["form"].errors
    assert EventPage.objects.get(pk=event.pk).starts_at.replace(second=0, microsecond=0) == (
        starts.replace(second=0, microsecond=0)
    )
    # The editor's request rendered no email and sent none: it only queued the task.
    assert email_templates(response) == [] and mail.outbox == []
    assert queued
    with django_capture_on_commit_callbacks(execute=True):
        for callback in queued:
            callback()
    assert sorted(m.to[0] for m in mail.outbox) == everyone
    assert all(event.title in m.subject for m in mail.outbox)


def test_two_quick_publications_tell_each_registrant_once(
    client, editor, make_member, event, django_capture_on_commit_callbacks
):
    everyone = registrants(make_member, event)
    client.force_login(editor)
    starts = event.starts_at + timedelta(hours=3)
    with django_capture_on_commit_callbacks() as queued:
        publish_in_admin(client, event, starts_at=starts, ends_at=starts + timedelta(hours=2))
        publish_in_admin(client, event, place="会所宴会厅")
    assert len(queued) >= 2 and mail.outbox == []
    with django_capture_on_commit_callbacks(execute=True):
        for callback in queued:  # both tasks run after both publications
            callback()
        assert tell_registrants(event.pk) == 0  # a retry, or a third run, tells nobody again
    assert sorted(m.to[0] for m in mail.outbox) == everyone
    assert all("会所宴会厅" in m.body for m in mail.outbox)
    told = AnnouncedDetails.objects.get(event=event)
    assert told.place == "会所宴会厅" and not told.is_cancelled


def test_a_cancellation_reaches_every_registrant_once_and_nobody_is_promoted(
    client, editor, make_member, event, django_capture_on_commit_callbacks
):
    everyone = registrants(make_member, event)
    client.force_login(editor)
    with django_capture_on_commit_callbacks(execute=True) as ran:
        response = publish_in_admin(
            client, event, is_cancelled="on", cancel_reason="场地维修", capacity="20"
        )
    assert email_templates(response) == []  # rendered by the task, after the response
    assert ran and sorted(m.to[0] for m in mail.outbox) == everyone
    assert all("场地维修" in m.body for m in mail.outbox)
    # More seats at a cancelled event offer nobody a seat.
    assert event.registrations.filter(status="waitlisted").count() == 1
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        publish_in_admin(client, event, summary="改期另行通知")
        assert tell_registrants(event.pk) == 0
    assert mail.outbox == []


def test_the_first_publication_tells_nobody(make_event, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        event = make_event(days=3)
    assert mail.outbox == []
    assert AnnouncedDetails.objects.get(event=event).starts_at == event.starts_at


def test_a_task_for_an_event_deleted_meanwhile_does_nothing(event):
    pk = event.pk
    event.delete()
    assert tell_registrants(pk) == 0


def test_an_event_made_in_the_admin_closes_sign_up_the_evening_before_by_default(
    client, events_index, staff
):
    client.force_login(staff("Managers"))
    url = reverse("wagtailadmin_pages:add", args=["events", "eventpage", events_index.pk])
    data = {
        "title": "读书会",
        "slug": "book-club",
        "summary": "",
        "starts_at": "2030-06-15 10:00",
        "ends_at": "2030-06-15 12:00",
        "place": "会所",
        "address": "",
        "capacity": "20",
        "guests_allowed": "1",
        "audience": "members",
        "signup_opens_at": "",
        "signup_closes_at": "",
        "cancel_by": "",
        "points": "0",
        "body-count": "0",
        "body_en-count": "0",
        "cancel_reason": "",
    }
    assert client.post(url, data).status_code == 302
    event = EventPage.objects.get(slug="book-club")
    closes = timezone.localtime(event.signup_closes_at)
    assert (closes.date().isoformat(), closes.hour, closes.minute) == ("2030-06-14", 18, 0)
    assert closes.utcoffset().total_seconds() == 8 * 3600

    # A deadline staff wrote is kept as written.
    data.update(slug="book-club-2", signup_closes_at="2030-06-15 09:00")
    assert client.post(url, data).status_code == 302
    kept = timezone.localtime(EventPage.objects.get(slug="book-club-2").signup_closes_at)
    assert (kept.day, kept.hour) == (15, 9)
