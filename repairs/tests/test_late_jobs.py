"""Late jobs: a technician not there by the end of the booked window, or not done within the
category's hours, reminds the technician and the case's first responder, then managers a day
later; once per level."""

from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone

from cases.models import Category
from conftest import make_user
from owners.models import Unit
from repairs import requests, workorders
from repairs.models import RepairCategory, RepairRequest, Team

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate()


@pytest.fixture
def order(verified_owner, unit, staff):
    team = Team.objects.create(name="工程部", kind=Team.Kind.DEPARTMENT)
    technician = make_user("zhou", real_name="周建华", mobile="13700006601")
    team.members.add(technician)
    category = RepairCategory.objects.create(
        name="给排水",
        team=team,
        case_category=Category.objects.get(name="维修报修"),
        completion_hours=24,
    )
    Unit.objects.filter(pk=unit.pk).update(handed_over_on=TODAY - timedelta(days=30))
    case = requests.report_repair(
        verified_owner,
        category=category,
        place=RepairRequest.Place.HOME,
        unit=Unit.objects.get(pk=unit.pk),
        description="地漏堵塞",
        slots=[(TODAY, "morning")],
    ).case
    staff("Managers")
    return workorders.dispatch(
        case,
        staff("Customer service"),
        team=team,
        technician=technician,
        day=TODAY,
        window="morning",
    )


def chase(at, capture):
    mail.outbox.clear()
    with capture(execute=True):
        workorders.chase_late_jobs(now=at)
    return sorted((m.to[0], m.subject) for m in mail.outbox)


def test_a_technician_not_there_by_the_windows_end_is_chased_once_per_level(
    order, django_capture_on_commit_callbacks
):
    due = order.arrival_due
    assert timezone.localtime(due).hour == 12
    assert chase(due - timedelta(minutes=1), django_capture_on_commit_callbacks) == []
    first = chase(due + timedelta(minutes=1), django_capture_on_commit_callbacks)
    assert [to for to, _ in first] == ["customer-service@example.com", "zhou@example.com"]
    assert all("师傅尚未到场" in subject for _, subject in first)
    assert chase(due + timedelta(hours=2), django_capture_on_commit_callbacks) == []
    managers = chase(due + timedelta(hours=25), django_capture_on_commit_callbacks)
    assert [to for to, _ in managers] == ["managers@example.com"]
    assert chase(due + timedelta(hours=30), django_capture_on_commit_callbacks) == []


def test_arriving_in_time_leaves_only_the_completion_deadline(
    order, django_capture_on_commit_callbacks
):
    workorders.arrive(order, order.technician)
    order.refresh_from_db()
    arrived = order.arrived_at
    assert chase(order.arrival_due + timedelta(hours=1), django_capture_on_commit_callbacks) == []
    late = chase(arrived + timedelta(hours=25), django_capture_on_commit_callbacks)
    assert len(late) == 2 and all("维修尚未完成" in subject for _, subject in late)


def test_done_jobs_are_not_chased(order, django_capture_on_commit_callbacks):
    workorders.finish(order, order.technician, notes="已处理")
    assert chase(order.arrival_due + timedelta(days=3), django_capture_on_commit_callbacks) == []
