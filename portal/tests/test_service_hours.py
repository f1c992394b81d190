"""Deadlines count the desk's service hours (8:30–20:30 unless staff change them) and skip the
days it is closed, which managers keep under Settings."""

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from cases import casework
from cases.models import Case, Category
from portal.hours import Calendar
from portal.models import Closure, ServiceHours

pytestmark = pytest.mark.django_db

SHANGHAI = ZoneInfo("Asia/Shanghai")
SETTINGS = reverse("wagtailsettings:edit", args=["portal", "servicehours"])


def at(day, hour, minute=0):
    return datetime(2026, 12, day, hour, minute, tzinfo=SHANGHAI)


@pytest.mark.parametrize(
    ("filed", "hours", "due"),
    [
        (at(2, 10), 4, at(2, 14)),  # within the day
        (at(2, 16, 30), 4, at(2, 20, 30)),  # ends at closing time, not the next morning
        (at(2, 19, 30), 4, at(3, 11, 30)),  # one hour today, three tomorrow
        (at(2, 23), 2, at(3, 10, 30)),  # filed at night: counted from the opening
        (at(3, 7), 4, at(3, 12, 30)),  # before the opening
        (at(2, 10), 24, at(4, 10)),  # two days of twelve hours
        (at(2, 2, 0).astimezone(ZoneInfo("UTC")), 2, at(2, 10, 30)),  # any zone in, local out
    ],
)
def test_deadlines_count_the_hours_the_desk_is_open(filed, hours, due):
    found = Calendar().due(filed, hours)
    assert found == due and found.utcoffset() == timedelta(hours=8)


def test_closed_days_are_skipped():
    hours = ServiceHours.load()
    Closure.objects.create(
        hours=hours, name="春节", first_day=date(2026, 12, 3), last_day=date(2026, 12, 5)
    )
    assert Calendar().due(at(2, 19, 30), 4) == at(6, 11, 30)
    assert Calendar().due(at(4, 9), 1) == at(6, 9, 30)


def test_a_desk_closed_for_more_than_a_year_falls_back_to_plain_hours():
    hours = ServiceHours.load()
    Closure.objects.create(
        hours=hours, name="错误", first_day=date(2026, 1, 1), last_day=date(2030, 1, 1)
    )
    assert Calendar().due(at(2, 10), 4) == at(2, 14)


def settings_form(opens="08:30", closes="20:30", closures=()):
    form = {
        "opens_at": opens,
        "closes_at": closes,
        "closures-TOTAL_FORMS": str(len(closures)),
        "closures-INITIAL_FORMS": "0",
        "closures-MIN_NUM_FORMS": "0",
        "closures-MAX_NUM_FORMS": "1000",
    }
    for n, (name, first, last) in enumerate(closures):
        form |= {
            f"closures-{n}-name": name,
            f"closures-{n}-first_day": first.isoformat(),
            f"closures-{n}-last_day": last.isoformat(),
            f"closures-{n}-ORDER": str(n + 1),
            f"closures-{n}-id": "",
            f"closures-{n}-DELETE": "",
        }
    return form


def test_a_manager_closes_the_desk_and_a_case_filed_now_is_due_after_it(
    client, staff, verified_owner
):
    today = timezone.localdate()
    client.force_login(staff("Managers"))
    url = client.get(SETTINGS).url
    page = client.get(url).content.decode()
    assert "服务时间" in page and "休息日" in page
    closed = [("年终盘点", today, today + timedelta(days=2))]
    assert client.post(url, settings_form(closures=closed)).status_code == 302
    assert list(ServiceHours.load().closures.values_list("name", flat=True)) == ["年终盘点"]

    case = casework.file_case(
        verified_owner,
        kind="complaint",
        category=Category.objects.get(name="维修报修"),  # four hours to a first answer
        subject="楼道灯不亮",
        description="3 栋 12 楼。",
    )
    reopened = datetime.combine(today + timedelta(days=3), datetime.min.time(), SHANGHAI)
    assert Case.objects.get(pk=case.pk).first_response_due == reopened.replace(hour=12, minute=30)


def test_closing_before_opening_is_refused_and_changes_nothing(client, staff):
    client.force_login(staff("Managers"))
    url = client.get(SETTINGS).url
    page = client.post(url, settings_form(opens="20:00", closes="08:00")).content.decode()
    assert "服务结束时间须晚于开始时间" in page
    last_before_first = [("春节", date(2027, 2, 7), date(2027, 2, 5))]
    page = client.post(url, settings_form(closures=last_before_first)).content.decode()
    assert "最后一天不能早于第一天" in page
    hours = ServiceHours.load()
    assert (hours.opens_at.hour, hours.closes_at.hour, hours.closures.count()) == (8, 20, 0)


def test_only_managers_change_the_service_hours(client, staff):
    client.force_login(staff("Customer service"))
    response = client.get(SETTINGS, follow=True)
    assert response.status_code == 200 and "服务时间" not in response.content.decode()


def test_every_page_shows_the_hours_and_new_hours_show_at_once(
    client, staff, django_assert_num_queries
):
    client.force_login(staff("Managers"))
    url = client.get(SETTINGS).url
    forum, visitor = reverse("forum:index"), Client()  # cookie-less: kept pages answer it
    assert "每天 8:30–20:30" in visitor.get(forum).content.decode()
    with django_assert_num_queries(0):
        assert "每天 8:30–20:30" in visitor.get(forum).content.decode()
    assert client.post(url, settings_form(opens="09:00", closes="18:00")).status_code == 302
    assert "每天 9:00–18:00" in visitor.get(forum).content.decode()
