"""Club events: the pages and calendar files, the sign-up rules, cancellation and the
waitlist, notices when an event changes, reminders, and the door check-in."""

import re
from datetime import datetime, timedelta

import pytest
from django.core import mail
from django.core.cache import cache
from django.urls import reverse
from django.utils import timezone, translation

from club import cards, membership
from club.models import PointsEntry
from club.tests.conftest import verified
from events import checkin, ics, signup, tickets
from events.models import EventPage, Registration
from events.notices import send_reminders
from portal.models import Outgoing

pytestmark = pytest.mark.django_db


def test_a_member_signs_up_with_guests_and_gets_the_calendar_and_qr(
    client, member, event, django_capture_on_commit_callbacks
):
    client.force_login(member.user)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("events:sign_up", args=[event.pk]), {"guests": "2"})
    assert response.url == event.url
    registration = Registration.objects.get()
    assert (registration.status, registration.seats, registration.guests) == ("confirmed", 3, 2)
    message = mail.outbox[-1]
    names = {name: (content, mime) for name, content, mime in message.attachments}
    calendar, mime = names[f"event-{event.pk}.ics"]
    assert mime == "text/calendar" and "BEGIN:VEVENT" in calendar and "SUMMARY:茶艺沙龙" in calendar
    assert names[f"registration-{registration.pk}.png"][1] == "image/png"
    page = client.get(event.url).content.decode()
    assert 'class="ticket__qr"' in page and "<svg" in page


def test_the_sign_up_writes_a_job_and_the_job_writes_the_email_with_its_files(
    member, event, django_capture_on_commit_callbacks
):
    """Under the event's lock only the seat decision and two rows: the registration and a job.
    The email, its calendar file and QR code are built by the job after the commit, once."""
    mail.outbox.clear()
    before = Outgoing.objects.order_by("pk").last().pk  # the member's welcome and others
    with django_capture_on_commit_callbacks() as callbacks:
        registration = signup.sign_up(event, member.user, guests=1)
    (job,) = Outgoing.objects.filter(pk__gt=before)
    assert (
        job.kind == "task"
        and job.queue == "mail"
        and job.key == f"registration:{registration.pk}:event_signed_up"
    )
    assert job.payload == {
        "task": "events.signup.email_registrant",
        "kwargs": {
            "registration_id": registration.pk,
            "template": "event_signed_up",
            "status": "confirmed",
        },
    }
    assert not mail.outbox
    with django_capture_on_commit_callbacks(execute=True):
        for callback in callbacks:
            callback()
    (message,) = mail.outbox
    assert message.to == [member.user.email] and "茶艺沙龙" in message.subject
    names = {name: mime for name, _content, mime in message.attachments}
    assert names == {
        f"event-{event.pk}.ics": "text/calendar",
        f"registration-{registration.pk}.png": "image/png",
    }
    png = {name: content for name, content, _mime in message.attachments}
    assert png[f"registration-{registration.pk}.png"].startswith(b"\x89PNG")
    # The job run again (a retry, a second worker) writes no second email.
    with django_capture_on_commit_callbacks(execute=True):
        signup.email_registrant(registration.pk, "event_signed_up", "confirmed")
    assert len(mail.outbox) == 1
    assert Outgoing.objects.filter(pk__gt=before, kind="email").count() == 1


@pytest.mark.parametrize("guests", ["3", "-1", "x"])
def test_too_many_guests_is_refused(client, member, event, guests):
    client.force_login(member.user)
    client.post(reverse("events:sign_up", args=[event.pk]), {"guests": guests})
    assert not Registration.objects.exists()


def test_an_unpublished_or_unknown_event_is_not_found(client, member, event):
    client.force_login(member.user)
    event.unpublish()
    for pk in (event.pk, event.pk + 1000):
        response = client.post(reverse("events:sign_up", args=[pk]), {"guests": "0"})
        assert response.status_code == 404
    assert not Registration.objects.exists()


def test_who_may_sign_up_and_when(make_member, make_event, owner, estate):
    member = make_member("m")
    members_only = make_event()
    with pytest.raises(signup.SignupError, match="for club members"):
        signup.sign_up(members_only, verified("plain", member.user.claims.get().unit))
    with pytest.raises(signup.SignupError, match="verified owners"):
        signup.sign_up(make_event(audience="owners"), owner)
    later = make_event(signup_opens_at=timezone.now() + timedelta(days=2))
    with pytest.raises(signup.SignupError, match="Sign-up opens on"):
        signup.sign_up(later, member.user)
    closed = make_event(signup_closes_at=timezone.now() - timedelta(minutes=1))
    with pytest.raises(signup.SignupError, match="Sign-up closed"):
        signup.sign_up(closed, member.user)
    cancelled = make_event(is_cancelled=True, cancel_reason="台风")
    with pytest.raises(signup.SignupError, match="cancelled"):
        signup.sign_up(cancelled, member.user)
    signup.sign_up(members_only, member.user)
    with pytest.raises(signup.SignupError, match="already signed up"):
        signup.sign_up(members_only, member.user)


def test_the_event_page_says_why_not_and_offers_the_way_forward(client, make_event, member):
    client.force_login(verified("plain", member.user.claims.get().unit))
    members_only = client.get(make_event().url).content.decode()
    assert f'href="{reverse("club:join")}"' in members_only
    assert 'action="/me/club/events/' not in members_only  # no sign-up form
    later = make_event(audience="owners", signup_opens_at=timezone.now() + timedelta(days=2))
    not_yet = client.get(later.url).content.decode()
    assert "alert--info" in not_yet and f'href="{reverse("club:join")}"' not in not_yet


def test_a_suspended_member_cannot_sign_up_for_a_members_event(client, member, event, club_staff):
    membership.suspend(member, club_staff, "违规转借会员卡")
    client.force_login(member.user)
    page = client.post(reverse("events:sign_up", args=[event.pk]), {"guests": "0"}, follow=True)
    assert page.status_code == 200 and not event.registrations.exists()
    membership.reinstate(member, club_staff)
    client.post(reverse("events:sign_up", args=[event.pk]), {"guests": "0"})
    assert event.registrations.get().user == member.user


def test_a_full_event_puts_people_on_the_waitlist_in_order(make_member, event):
    first, second, third, fourth = (make_member(f"p{n}") for n in range(4))
    assert signup.sign_up(event, first.user, guests=2).status == "confirmed"  # 3 of 4 seats
    big = signup.sign_up(event, second.user, guests=2)  # 3 more: does not fit
    small = signup.sign_up(event, third.user)  # 1: fits the last seat
    late = signup.sign_up(event, fourth.user)
    assert (big.status, small.status, late.status) == ("waitlisted", "confirmed", "waitlisted")
    assert (big.waitlist_position(), late.waitlist_position()) == (1, 2)
    assert event.seats_left() == 0


def test_a_press_on_a_full_event_is_one_count_under_the_lock_and_says_the_place_in_line(
    client, make_member, make_event, django_assert_num_queries, settings
):
    """What each of a crowd pressing at once costs: the event read once, under its lock, then one
    read of the membership and one count (seats taken, the waitlist, whether they are in already),
    then the two rows; the place in line comes from that count, not from a query after it."""
    event = make_event(capacity=1)
    for name in ("seated", "first"):
        signup.sign_up(event, make_member(name).user)
    me = make_member("me").user
    client.force_login(me)
    url, back = reverse("events:sign_up", args=[event.pk]), event.url  # the site's roots cached
    # the person, then savepoint, the event locked, membership, count, registration, job, release;
    # and the session, where it is kept in the database alone (no Redis: `make test` as is)
    session = settings.SESSION_ENGINE == "django.contrib.sessions.backends.db"
    with django_assert_num_queries(8 + session):
        response = client.post(url, {"guests": "0"})
    assert response.url == back
    assert event.registrations.get(user=me).waitlist_position() == 2
    page = client.get(event.url).content.decode()
    assert "您在候补名单第 2 位" in page
    # Pressed again: refused by the same count, nothing written.
    client.post(url, {"guests": "0"})
    assert event.registrations.filter(user=me).count() == 1


def test_cancelling_promotes_the_first_who_fit(
    make_member, event, django_capture_on_commit_callbacks
):
    first, second, third = (make_member(f"p{n}") for n in range(3))
    seated = signup.sign_up(event, first.user, guests=2)
    signup.sign_up(event, second.user)  # the fourth seat
    waiting_big = signup.sign_up(event, third.user, guests=2)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        signup.cancel(seated, first.user)
    waiting_big.refresh_from_db()
    assert waiting_big.status == "confirmed" and waiting_big.promoted_at
    assert [m.to for m in mail.outbox] == [[third.user.email]]
    assert {name.rsplit(".", 1)[1] for name, *_ in mail.outbox[0].attachments} == {"ics", "png"}
    assert event.seats_left() == 0


def test_cancelling_after_the_deadline_is_refused_with_a_reason(client, member, make_event):
    event = make_event(cancel_by=timezone.now() + timedelta(days=1))
    registration = signup.sign_up(event, member.user)
    EventPage.objects.filter(pk=event.pk).update(cancel_by=timezone.now() - timedelta(hours=1))
    client.force_login(member.user)
    cancel_url = reverse("events:cancel_registration", args=[registration.pk])
    for page in (event.url, reverse("events:mine")):  # the reason instead of the button
        html = client.get(page).content.decode()
        assert 'class="muted cancel-refusal"' in html and cancel_url not in html
    response = client.post(
        reverse("events:cancel_registration", args=[registration.pk]), follow=True
    )
    registration.refresh_from_db()
    assert registration.status == "confirmed"
    assert "message--error" in response.content.decode()
    with translation.override("en"), pytest.raises(signup.SignupError, match="deadline"):
        signup.cancel(registration, member.user)  # a page request switched the language


def test_nobody_cancels_someone_elses_registration(client, make_member, event):
    mine, theirs = make_member("mine"), make_member("theirs")
    registration = signup.sign_up(event, theirs.user)
    client.force_login(mine.user)
    response = client.post(reverse("events:cancel_registration", args=[registration.pk]))
    assert response.status_code == 404
    assert Registration.objects.get(pk=registration.pk).status == "confirmed"


def test_my_events_lists_upcoming_with_waitlist_positions_and_past(client, make_member, event):
    first, second = make_member("first"), make_member("second")
    signup.sign_up(event, first.user, guests=2)
    signup.sign_up(event, make_member("third").user)
    waiting = signup.sign_up(event, second.user, guests=1)
    client.force_login(second.user)
    page = client.get(reverse("events:mine")).content.decode()
    assert event.title in page and 'class="waitlist-position"' in page
    assert "status--waitlisted" in page and waiting.event.title in page


def test_publishing_a_new_time_or_a_cancellation_tells_the_registrants(
    make_member, event, django_capture_on_commit_callbacks
):
    member, waiting = make_member("m"), make_member("w")
    signup.sign_up(event, member.user, guests=2)
    signup.sign_up(event, make_member("x").user)
    signup.sign_up(event, waiting.user, guests=2)
    mail.outbox.clear()
    event.starts_at += timedelta(hours=3)
    event.ends_at += timedelta(hours=3)
    with django_capture_on_commit_callbacks(execute=True):
        event.save_revision().publish()
    assert sorted(m.to[0] for m in mail.outbox) == sorted(
        [member.user.email, waiting.user.email, "x@example.com"]
    )
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        event.summary = "新的介绍"
        event.save_revision().publish()  # nothing that matters to registrants changed
    assert mail.outbox == []
    event.is_cancelled, event.cancel_reason = True, "场地维修"
    with django_capture_on_commit_callbacks(execute=True):
        event.save_revision().publish()
    assert len(mail.outbox) == 3 and all("场地维修" in m.body for m in mail.outbox)


def test_more_seats_let_the_waitlist_in(make_member, event, django_capture_on_commit_callbacks):
    signup.sign_up(event, make_member("a").user, guests=2)
    signup.sign_up(event, make_member("b").user)
    waiting = signup.sign_up(event, make_member("c").user, guests=1)
    event.capacity = 6
    with django_capture_on_commit_callbacks(execute=True):  # the task runs after the commit
        event.save_revision().publish()
    waiting.refresh_from_db()
    assert waiting.status == "confirmed"


def test_reminders_go_the_day_before_once(
    make_member, make_event, django_capture_on_commit_callbacks
):
    tomorrow = make_event(days=1)
    later = make_event(days=5)
    member = make_member("m")
    signup.sign_up(tomorrow, member.user)
    signup.sign_up(later, member.user)
    mail.outbox.clear()
    now = tomorrow.starts_at - timedelta(days=1)
    with django_capture_on_commit_callbacks(execute=True):
        assert send_reminders(now) == 1
        assert send_reminders(now) == 0
    assert len(mail.outbox) == 1 and tomorrow.title in mail.outbox[0].subject


def test_the_calendar_feed_and_the_add_to_calendar_file(client, make_event, events_index):
    first = make_event("春游")
    make_event("秋游", days=40)
    feed = client.get(events_index.url + "calendar/")
    assert feed["Content-Type"].startswith("text/calendar")
    text = feed.content.decode()
    assert text.count("BEGIN:VEVENT") == 2 and "SUMMARY:春游" in text and "SUMMARY:秋游" in text
    assert all(len(line.encode()) <= 75 for line in text.split("\r\n"))
    single = client.get(first.url + "ics/").content.decode()
    assert single.count("BEGIN:VEVENT") == 1 and f"UID:club-event-{first.pk}@" in single


def test_the_index_shows_upcoming_past_and_the_years_plan(client, make_event, events_index):
    make_event("即将举行")
    past = make_event("往期活动", days=-20)
    page = client.get(events_index.url).content.decode()
    assert "即将举行" in page and "往期活动" in page
    year = past.starts_at.astimezone(timezone.get_current_timezone()).year
    plan = client.get(events_index.url, {"year": year}).content.decode()
    assert "往期活动" in plan


def test_the_door_check_in_awards_points_once(client, member, event, club_staff):
    registration = signup.sign_up(event, member.user, guests=1)
    client.force_login(club_staff)
    url = reverse("club_check_in:index")
    page = client.post(url, {"event": event.pk, "code": tickets.registration_payload(registration)})
    html = page.content.decode()
    assert member.user.display_name in html and 'value="check_in"' in html
    client.post(url, {"event": event.pk, "action": "check_in", "registration": registration.pk})
    client.post(url, {"event": event.pk, "action": "check_in", "registration": registration.pk})
    registration.refresh_from_db()
    assert registration.status == "attended" and registration.checked_in_by == club_staff
    assert PointsEntry.objects.filter(key=f"event-attendance:{registration.pk}").count() == 1
    member.refresh_from_db()
    assert member.points_balance == 200 + 150
    # Scanned again, by card this time: already in, no second button.
    again = client.post(url, {"event": event.pk, "code": member.cards.get().number}).content
    assert b'value="check_in"' not in again and b"card-check--warn" in again


def test_a_qr_for_another_event_and_a_walk_in(client, make_member, make_event, club_staff):
    first, second = make_event("第一场"), make_event("第二场")
    member, walker = make_member("m"), make_member("walker")
    other = signup.sign_up(second, member.user)
    client.force_login(club_staff)
    url = reverse("club_check_in:index")
    html = client.post(url, {"event": first.pk, "code": tickets.registration_payload(other)})
    assert "card-check--bad" in html.content.decode()
    looked_up = client.post(url, {"event": first.pk, "code": walker.cards.get().number})
    assert 'value="walk_in"' in looked_up.content.decode()
    client.post(
        url, {"event": first.pk, "action": "walk_in", "user": walker.user.pk, "guests": "1"}
    )
    walk_in = Registration.objects.get(event=first, user=walker.user)
    assert (walk_in.status, walk_in.walk_in, walk_in.seats) == ("attended", True, 2)
    assert walker.points.filter(kind="event").count() == 1


def test_the_desk_finds_people_by_member_number_mobile_or_name_and_says_how(
    client, make_member, event, club_staff
):
    signed_up = make_member("a", real_name="李娜", mobile="13800138001")
    namesake = make_member("b", real_name="李娜娜")
    walker = make_member("c", real_name="赵敏", mobile="13800138003")
    registration = signup.sign_up(event, signed_up.user)
    signup.sign_up(event, namesake.user)
    client.force_login(club_staff)
    url = reverse("club_check_in:index")

    def look_up(code):
        return client.post(url, {"event": event.pk, "code": code}).content.decode()

    def says(how, html):
        """Whether the page says how the person was found, in the page's own language."""
        with translation.override(re.search(r'<html lang="([^"]+)"', html)[1]):
            return str(checkin.HOW[how]) in html

    by_number = look_up(signed_up.number.lower())
    assert "李娜" in by_number and 'value="check_in"' in by_number
    assert says("member_number", by_number)
    by_mobile = look_up("+86 138-0013-8001")
    assert f'name="registration" value="{registration.pk}"' in by_mobile
    assert says("mobile", by_mobile)
    by_card = look_up(cards.qr_payload(signed_up.cards.get()))
    assert says("card", by_card)
    typed_card = look_up(signed_up.cards.get().formatted_number)
    assert says("card_number", typed_card)

    # A name fitting two registrations: the desk picks one, masked mobiles to tell them apart.
    several = look_up("李娜")
    assert 'class="card-check__matches"' in several and "138****8001" in several
    picked = client.get(url, {"event": event.pk, "person": signed_up.user.pk}).content.decode()
    assert 'value="check_in"' in picked and says("name", picked)
    # A member of exactly that name who did not sign up: a walk-in.
    walk_in = look_up("赵敏")
    assert 'value="walk_in"' in walk_in and f'value="{walker.user.pk}"' in walk_in
    assert "card-check--bad" in look_up("13900000000") and "13900000000" in look_up("13900000000")
    assert "card-check--bad" in look_up("王小二") and "王小二" in look_up("王小二")
    assert "card-check--bad" in look_up("王")


def test_the_admin_lists_and_exports_registrations_and_shows_attendance(
    client, member, event, club_staff
):
    registration = signup.sign_up(event, member.user, guests=1)
    checkin.check_in(registration, club_staff)
    client.force_login(club_staff)
    listing = client.get(reverse("club_registrations:index"), {"event": event.pk})
    assert member.user.display_name in listing.content.decode()
    export = client.get(reverse("club_registrations:index"), {"event": event.pk, "export": "csv"})
    rows = b"".join(export.streaming_content).decode("utf-8-sig").splitlines()
    assert len(rows) == 2 and member.user.real_name in rows[1] and ",已参加," in rows[1]
    xlsx = client.get(reverse("club_registrations:index"), {"event": event.pk, "export": "xlsx"})
    assert xlsx.status_code == 200 and xlsx["Content-Type"].startswith("application/vnd.openxml")
    record = client.get(reverse("club_members:inspect", args=[member.pk])).content.decode()
    assert event.title in record
    dashboard = client.get(reverse("wagtailadmin_home")).content.decode()
    assert 'id="club-events' in dashboard and event.title in dashboard


def test_event_pages_cost_a_fixed_number_of_queries(
    client, make_member, make_event, events_index, django_assert_max_num_queries
):
    event = make_event(capacity=200, audience="owners")
    for n in range(3):
        make_event(f"活动{n}", days=n + 2)
    member = make_member("m")
    client.force_login(member.user)
    client.get(event.url)
    client.get(events_index.url)
    cache.clear()  # each measurement starts cold: publishing below empties the page caches
    # 20 with the cold lookups of the privacy policy's version (home.privacy) and of the
    # publications the navigation leads to (home.models.pages.publication_sections)
    with django_assert_max_num_queries(20) as few_event:
        client.get(event.url)
    with django_assert_max_num_queries(20) as few_index:
        client.get(events_index.url)
    unit = member.user.claims.get().unit
    for n in range(30):
        signup.sign_up(event, verified(f"o{n}", unit), guests=n % 3)
        make_event(f"更多{n}", days=n + 5)
    cache.clear()
    with django_assert_max_num_queries(len(few_event.captured_queries)):
        client.get(event.url)
    with django_assert_max_num_queries(len(few_index.captured_queries)):
        client.get(events_index.url)


def test_my_events_and_a_waiting_registrants_page_cost_a_fixed_number_of_queries(
    client, make_member, make_event, django_assert_max_num_queries
):
    member = make_member("m")
    unit = member.user.claims.get().unit

    def register(count):
        """`count` events where the member waits behind two people, and `count` with a seat."""
        for n in range(count):
            full = make_event(f"满员{n}", capacity=1, audience="owners")
            for ahead in range(3):
                signup.sign_up(full, verified(f"x{full.pk}-{ahead}", unit))
            signup.sign_up(full, member.user)
            signup.sign_up(make_event(f"有座{n}", audience="owners"), member.user)
        return full

    full = register(1)
    client.force_login(member.user)
    client.get(reverse("events:mine"))
    cache.clear()
    with django_assert_max_num_queries(19) as few_mine:
        page = client.get(reverse("events:mine")).content.decode()
    assert page.count('class="waitlist-position"') == 1 and page.count('class="ticket__qr"') == 1
    with django_assert_max_num_queries(19) as few_event:
        page = client.get(full.url).content.decode()
    assert "waitlist-position" in page
    full = register(10)
    cache.clear()
    with django_assert_max_num_queries(len(few_mine.captured_queries)):
        page = client.get(reverse("events:mine")).content.decode()
    assert page.count('class="waitlist-position"') == 11 and page.count('class="ticket__qr"') == 11
    with django_assert_max_num_queries(len(few_event.captured_queries)):
        page = client.get(full.url).content.decode()
    assert "waitlist-position" in page


@pytest.mark.parametrize("year", ["0", "10000", "²", "20x6", "1999"])
def test_a_strange_year_shows_the_coming_events(client, events_index, year):
    response = client.get(events_index.url, {"year": year})
    assert response.status_code == 200


def test_the_year_plan_groups_by_the_month_in_china(client, make_event, events_index):
    tz = timezone.get_current_timezone()
    early = datetime(2030, 3, 1, 6, 0, tzinfo=tz)  # 28 February in UTC
    make_event("三月初", days=0, starts_at=early, ends_at=early + timedelta(hours=2))
    page = client.get(events_index.url, {"year": "2030"}).content.decode()
    assert page.count('class="event-month"') == 1 and "三月初" in page
    assert '<h2 id="m1">三月</h2>' in page  # the visitor's language is Chinese


def test_nobody_is_promoted_into_a_cancelled_or_started_event(
    make_member, make_event, django_capture_on_commit_callbacks
):
    event = make_event(capacity=1)
    seated, waiting = make_member("s"), make_member("w")
    first = signup.sign_up(event, seated.user)
    second = signup.sign_up(event, waiting.user)
    event.is_cancelled, event.cancel_reason = True, "暴雨"
    event.save_revision().publish()
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        signup.cancel(first, seated.user)
    second.refresh_from_db()
    assert second.status == "waitlisted" and not any("候补成功" in m.subject for m in mail.outbox)


def test_check_in_refuses_a_cancelled_event(member, make_event, club_staff):
    event = make_event()
    registration = signup.sign_up(event, member.user)
    event.is_cancelled, event.cancel_reason = True, "场地维修"
    event.save_revision().publish()
    with pytest.raises(checkin.CheckInError):
        checkin.check_in(registration, club_staff)
    assert not member.points.filter(kind="event").exists()


def test_a_moved_event_reminds_again_and_titles_cannot_break_the_calendar(
    make_member, make_event, django_capture_on_commit_callbacks
):
    event = make_event(days=1)
    member = make_member("m")
    signup.sign_up(event, member.user)
    send_reminders(event.starts_at - timedelta(days=1))
    event.starts_at += timedelta(days=7)
    event.ends_at += timedelta(days=7)
    with django_capture_on_commit_callbacks(execute=True):
        event.save_revision().publish()
    assert send_reminders(event.starts_at - timedelta(days=1)) == 1
    event.title = "茶\rBEGIN:VALARM\x07"
    text = ics.calendar([event], "x")
    assert "\rBEGIN:VALARM" not in text and "\x07" not in text and "SEQUENCE:" in text


def test_the_check_in_screen_survives_bad_input(client, club_staff, event):
    client.force_login(club_staff)
    url = reverse("club_check_in:index")
    for data in (
        {"action": "check_in", "event": "abc"},
        {"action": "check_in", "event": event.pk, "registration": "x"},
        {"action": "walk_in", "event": event.pk, "user": "1", "guests": "many"},
        {"event": event.pk, "code": "²" * 16},
    ):
        assert client.post(url, data).status_code in (200, 302)
    assert client.get(reverse("club_check:index"), {"code": "²" * 16}).status_code == 200


def test_a_second_walk_in_post_says_already_checked_in(make_member, event, club_staff):
    walker = make_member("walker")
    checkin.admit_walk_in(event, walker.user, 0, club_staff)
    with pytest.raises(checkin.CheckInError, match="Already checked in"):
        checkin.admit_walk_in(event, walker.user, 0, club_staff)
