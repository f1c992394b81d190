"""A club event from end to end: a member signs up on a phone with a guest, sees the
registration QR and is emailed the calendar file and the QR; the event is full, so a second
member joins the waitlist and sees their place in line; the first member cancels from "My
events" and the second is moved off the waitlist, emailed, and sees their QR; club staff, at a
desk, check the second member in by the member card number and the event's points appear on
their club page; scanning the card again shows them already checked in; every member page
fits a phone screen."""

import re
from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone
from playwright.sync_api import expect
from wagtail.models import Page

from club.models import ClubPage, PointsEntry
from conftest import OVERFLOW, PASSWORD, sign_in_staff
from events.models import EventIndexPage, EventPage, Registration

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

Status = Registration.Status
TITLE = "茶艺沙龙：品龙井"
POINTS = 300


def shown_number(locator):
    """The one number in a line of text such as "Party of 1" in either language."""
    return int(re.search(r"\d+", locator.inner_text()).group(0))


def sign_in(page, site, user):
    page.goto(f"{site}/accounts/login/")
    page.fill("input[name=login]", user.email)
    page.fill("input[name=password]", PASSWORD)
    page.click("form.form button[type=submit]")
    expect(page).to_have_url(re.compile(r"/me/"))


def publish(parent, page):
    parent.add_child(instance=page)
    page.save_revision().publish()
    page.refresh_from_db()
    return page


def make_event():
    home = Page.objects.get(depth=2)
    club = publish(home, ClubPage(title="金都会", slug="club"))
    index = publish(club, EventIndexPage(title="会员活动", slug="events"))
    starts = timezone.now() + timedelta(days=10)
    return publish(
        index,
        EventPage(
            title=TITLE,
            slug="tea",
            summary="茶艺师讲解明前龙井的冲泡。",
            starts_at=starts,
            ends_at=starts + timedelta(hours=2),
            place="金都·翠湖苑 会所茶室",
            capacity=2,
            guests_allowed=1,
            points=POINTS,
            audience=EventPage.Audience.MEMBERS,
            cancel_by=timezone.now() + timedelta(days=5),
        ),
    )


def emails_about(event, user):
    return [m for m in mail.outbox if m.to == [user.email] and event.title in m.subject]


def attachments(message):
    """{filename: (content as text or bytes, MIME type)}"""
    return {name: (content, mime) for name, content, mime in message.attachments}


def test_members_sign_up_wait_cancel_and_check_in(
    live_server, page, browser, browser_context_args, make_member, club_staff
):
    first, second = make_member("first"), make_member("second")
    event = make_event()
    site = live_server.url
    assert event.url.startswith("/")
    event_url = site + event.url
    signup_form = f"form[action='/me/club/events/{event.pk}/sign-up/']"

    # 1. The first member signs in on a phone and signs up with a guest: the page shows the
    #    registration QR, and the confirmation email brings the calendar file and the QR.
    sign_in(page, site, first.user)
    page.goto(event_url)
    assert page.evaluate(OVERFLOW) == []
    expect(page.locator(".ticket__qr")).to_have_count(0)
    page.select_option(f"{signup_form} select[name=guests]", "1")
    with page.expect_navigation():
        page.click(f"{signup_form} button[type=submit]")
    expect(page).to_have_url(event_url)
    expect(page.locator(".ticket__qr svg")).to_have_count(1)
    expect(page.locator(".ticket__qr svg")).to_be_visible()
    expect(page.locator(signup_form)).to_have_count(0)
    assert page.evaluate(OVERFLOW) == []

    mine = Registration.objects.get(user=first.user)
    assert (mine.event_id, mine.status, mine.guests, mine.seats) == (
        event.pk,
        Status.CONFIRMED,
        1,
        2,
    )
    confirmation = emails_about(event, first.user)
    assert len(confirmation) == 1, [m.subject for m in mail.outbox]
    files = attachments(confirmation[0])
    assert sorted(files) == [f"event-{event.pk}.ics", f"registration-{mine.pk}.png"]
    calendar, mime = files[f"event-{event.pk}.ics"]
    calendar = calendar.decode() if isinstance(calendar, bytes) else calendar
    assert mime == "text/calendar"
    assert "BEGIN:VEVENT" in calendar and f"SUMMARY:{TITLE}" in calendar
    qr_png, mime = files[f"registration-{mine.pk}.png"]
    assert mime == "image/png" and qr_png.startswith(b"\x89PNG")

    # 2. The second member, on another phone, finds the event full and joins the waitlist.
    assert event.seats_left() == 0
    other_phone = browser.new_context(**browser_context_args)
    phone = other_phone.new_page()
    sign_in(phone, site, second.user)
    phone.goto(event_url)
    assert phone.evaluate(OVERFLOW) == []
    phone.select_option(f"{signup_form} select[name=guests]", "0")
    with phone.expect_navigation():
        phone.click(f"{signup_form} button[type=submit]")
    expect(phone).to_have_url(event_url)
    expect(phone.locator(".waitlist-position")).to_contain_text("1")
    expect(phone.locator(".ticket__qr")).to_have_count(0)
    assert phone.evaluate(OVERFLOW) == []
    waiting = Registration.objects.get(user=second.user)
    assert (waiting.status, waiting.seats) == (Status.WAITLISTED, 1)
    assert waiting.promoted_at is None
    assert len(emails_about(event, second.user)) == 1
    assert attachments(emails_about(event, second.user)[0]) == {}  # no QR while waiting

    # 3. The first member cancels from "My events" (accepting the confirmation): the seats go
    #    to the second member, who is emailed and now sees the QR.
    page.goto(f"{site}/me/club/events/")
    assert page.evaluate(OVERFLOW) == []
    cancel_form = page.locator(f"form[action='/me/club/events/registrations/{mine.pk}/cancel/']")
    expect(cancel_form).to_have_count(1)
    expect(cancel_form).to_have_attribute("data-confirm", re.compile(r".+"))
    page.once("dialog", lambda dialog: dialog.accept())
    with page.expect_navigation():
        cancel_form.locator("button[type=submit]").click()
    expect(page.locator(".messages .message--success")).to_be_visible()

    mine.refresh_from_db()
    assert mine.status == Status.CANCELLED and mine.cancelled_at is not None
    waiting.refresh_from_db()
    assert waiting.status == Status.CONFIRMED and waiting.promoted_at is not None
    assert event.seats_left() == 1
    told = emails_about(event, second.user)
    assert len(told) == 2, [m.subject for m in told]
    promoted = attachments(told[1])  # the "a seat is yours" email brings the QR
    assert sorted(promoted) == [f"event-{event.pk}.ics", f"registration-{waiting.pk}.png"]

    phone.reload()
    expect(phone.locator(".ticket__qr svg")).to_have_count(1)
    expect(phone.locator(".ticket__qr svg")).to_be_visible()
    expect(phone.locator(".waitlist-position")).to_have_count(0)

    # 4. Club staff, at a desk, check the second member in by their member card number.
    card = second.cards.get(status="active")
    desk = browser.new_context(viewport={"width": 1280, "height": 900}, locale="zh-CN")
    staff_page = desk.new_page()
    sign_in_staff(staff_page, site, club_staff)
    staff_page.goto(f"{site}/admin/club/check-in/?event={event.pk}")
    lookup = staff_page.locator("form[data-card-check]")
    expect(lookup.locator("select[name=event]")).to_have_value(str(event.pk))
    lookup.locator("input[name=code]").fill(card.number)
    with staff_page.expect_navigation():
        lookup.locator("button[type=submit]").click()

    result = staff_page.locator("section.card-check")
    expect(result).to_have_class(re.compile(r"\bcard-check--good\b"))
    expect(result.locator("h2")).to_contain_text(second.user.display_name)
    assert shown_number(result.locator("p.w-text-18 strong")) == waiting.seats == 1
    expect(result.locator("button[value=check_in]")).to_have_count(1)
    with staff_page.expect_navigation():
        result.locator("button[value=check_in]").click()
    expect(staff_page.locator(".messages")).to_contain_text(second.user.display_name)

    waiting.refresh_from_db()
    assert waiting.status == Status.ATTENDED
    assert waiting.checked_in_by == club_staff and waiting.checked_in_at is not None
    earned = PointsEntry.objects.get(member=second, key=f"event-attendance:{waiting.pk}")
    assert (earned.delta, earned.reason) == (POINTS, TITLE)

    # Scanning the same card again: already checked in, nothing to press, no points twice.
    lookup.locator("input[name=code]").fill(card.number)
    with staff_page.expect_navigation():
        lookup.locator("button[type=submit]").click()
    expect(result).to_have_class(re.compile(r"\bcard-check--warn\b"))
    expect(result.locator("h2")).to_contain_text(second.user.display_name)
    expect(result.locator("button[value=check_in]")).to_have_count(0)
    expect(staff_page.locator("button[value=check_in]")).to_have_count(0)
    waiting.refresh_from_db()
    assert waiting.status == Status.ATTENDED
    assert PointsEntry.objects.filter(member=second, kind="event").count() == 1
    desk.close()

    # 5. The second member finds the event's points on their club page.
    second.refresh_from_db()
    assert second.points_balance == 200 + POINTS
    phone.goto(f"{site}/me/club/")
    assert shown_number(phone.locator(".points-summary__balance strong")) == 200 + POINTS == 500
    entry = phone.locator(".points-list .list__item", has_text=TITLE)
    expect(entry).to_have_count(1)
    expect(entry.locator(".points-delta")).to_have_text(f"+{POINTS}")

    # 6. Every member page of the story fits a 360 px phone.
    for url in (event_url, f"{site}/me/club/events/", f"{site}/me/club/"):
        for screen in (page, phone):
            screen.goto(url)
            assert screen.evaluate(OVERFLOW) == [], url
    other_phone.close()
