"""Birthday greetings and the staff's weekly list of members' dates, as the beat runs them."""

from datetime import date

import pytest
from django.conf import settings
from django.core import mail

from club import reminders
from club.models import ImportantDate
from club.tasks import greet_birthdays, send_dates_digest

pytestmark = pytest.mark.django_db


def born(member, day, kind="birthday", label=""):
    ImportantDate(member=member, kind=kind, label=label, date=day).save()


def test_a_birthday_brings_points_and_one_greeting_a_year(
    make_member, django_capture_on_commit_callbacks
):
    wants, quiet, other_day = make_member("wants"), make_member("quiet"), make_member("other")
    quiet.birthday_greeting = False
    quiet.save()
    born(wants, date(1980, 11, 26))
    born(quiet, date(1975, 11, 26))
    born(other_day, date(1975, 11, 27))
    today = date(2026, 11, 26)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        assert reminders.greet_birthdays(today) == 1
        assert reminders.greet_birthdays(today) == 0  # a second run greets nobody again
    assert [m.to for m in mail.outbox] == [[wants.user.email]]
    for member, expected in ((wants, 1), (quiet, 1), (other_day, 0)):
        assert member.points.filter(kind="birthday").count() == expected
    # Next year, again.
    with django_capture_on_commit_callbacks(execute=True):
        assert reminders.greet_birthdays(date(2027, 11, 26)) == 1


def test_the_greeting_is_automated_and_stopped_from_its_own_link(
    client, make_member, django_capture_on_commit_callbacks
):
    member = make_member("wants")
    born(member, date(1980, 11, 26))
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        reminders.greet_birthdays(date(2026, 11, 26))
    (greeting,) = mail.outbox
    message = greeting.message()
    assert message["Auto-Submitted"] == "auto-generated"
    assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    stop = message["List-Unsubscribe"].strip("<>")
    html = greeting.alternatives[0][0]
    assert '<html lang="zh-hans">' in html and stop in html and stop in greeting.body
    path = stop.split("://", 1)[1].split("/", 1)[1]
    asked = client.get("/" + path).content.decode()  # a mail scanner's GET changes nothing
    assert "不再给您发送生日祝福邮件？" in asked
    member.refresh_from_db()
    assert member.birthday_greeting
    assert "生日积分照常发放" in client.post("/" + path).content.decode()  # the one-click POST
    member.refresh_from_db()
    assert not member.birthday_greeting
    forged = client.post("/" + path.replace("/stop/", "/stop/x")).content.decode()
    assert "链接无效" in forged


def test_leap_day_birthdays_are_greeted_on_the_28th_in_common_years(make_member):
    member = make_member("leap")
    born(member, date(1988, 2, 29))
    reminders.greet_birthdays(date(2027, 2, 28))
    assert member.points.filter(kind="birthday").count() == 1


def test_the_weekly_list_goes_to_club_staff_in_date_order(
    make_member, club_staff, staff, django_capture_on_commit_callbacks
):
    staff("Editors")  # not club staff: not on the list
    first, second = make_member("first", real_name="甲"), make_member("second", real_name="乙")
    born(first, date(2001, 1, 2), kind="wedding")
    born(second, date(1970, 12, 30))
    born(second, date(1970, 3, 1), kind="other", label="母亲生日")  # not this week
    entries = reminders.upcoming_dates(7, date(2026, 12, 28))
    assert [(e.member, e.month_day) for e in entries] == [(second, 1230), (first, 102)]
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        assert reminders.send_dates_digest(date(2026, 12, 28)) == 1
    assert mail.outbox[0].to == [club_staff.email]
    assert mail.outbox[0].body.index("乙") < mail.outbox[0].body.index("甲")
    assert "母亲生日" not in mail.outbox[0].body


def test_the_beat_runs_the_club_tasks():
    tasks = {entry["task"] for entry in settings.CELERY_BEAT_SCHEDULE.values()}
    assert {
        "club.tasks.expire_points",
        "club.tasks.recalculate_tiers",
        "club.tasks.greet_birthdays",
        "club.tasks.send_dates_digest",
    } <= tasks
    assert greet_birthdays.delay().get() == 0
    assert send_dates_digest.delay().get() == 0
