"""派单: customer service book a team and a technician in one of the owner's times; the owner
reads who comes when on the case; a technician is never booked twice for one time."""

from datetime import date, timedelta

import pytest
from django.core.exceptions import PermissionDenied
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from cases import casework
from cases.models import Case, Category
from club.tests.test_concurrency import of_type, together
from conftest import make_user, verify
from owners.models import Unit
from portal import channels, phones
from portal.models import Outgoing
from repairs import requests, workorders
from repairs.models import RepairCategory, RepairRequest, Team, WorkOrder

pytestmark = pytest.mark.django_db
ZH = {"HTTP_ACCEPT_LANGUAGE": "zh-hans"}
TOMORROW = timezone.localdate() + timedelta(days=1)


@pytest.fixture
def engineering(db):
    team = Team.objects.create(name="工程部", kind=Team.Kind.DEPARTMENT)
    team.members.add(
        make_user("zhou", groups=["Customer service"], real_name="周建华", mobile="13700006601")
    )
    return team


@pytest.fixture
def technician(engineering):
    return engineering.members.get()


@pytest.fixture
def plumbing(engineering):
    return RepairCategory.objects.create(
        name="给排水", team=engineering, case_category=Category.objects.get(name="维修报修")
    )


def report(owner, unit, category, slots=((TOMORROW, "evening"),)):
    Unit.objects.filter(pk=unit.pk).update(handed_over_on=date(2019, 6, 28))
    return requests.report_repair(
        owner,
        category=category,
        place=RepairRequest.Place.HOME,
        unit=Unit.objects.get(pk=unit.pk),
        description="地漏堵塞",
        slots=list(slots),
    ).case


def test_service_books_a_technician_in_the_owners_time_and_the_owner_reads_it(
    client, verified_owner, unit, plumbing, engineering, technician, staff
):
    case = report(verified_owner, unit, plumbing, [(TOMORROW, "evening"), (TOMORROW, "morning")])
    agent = staff("Customer service")
    casework.accept(case, agent)
    client.force_login(agent)
    form = client.get(reverse("repairs_dispatch", args=[case.pk]), **ZH).content.decode()
    assert "晚上 18:00–20:00" in form and "上午 09:00–12:00" in form and "下午" not in form

    response = client.post(
        reverse("repairs_dispatch", args=[case.pk]),
        {
            "team": engineering.pk,
            "technician": technician.pk,
            "slot": f"{TOMORROW.isoformat()}|evening",
        },
        **ZH,
    )
    assert response.url == reverse("case_ledger:inspect", args=[case.pk])
    order = WorkOrder.objects.get()
    assert (order.team, order.technician, order.day, order.window, order.state) == (
        engineering,
        technician,
        TOMORROW,
        "evening",
        "booked",
    )
    client.force_login(verified_owner)
    page = client.get(case.get_absolute_url(), **ZH).content.decode()
    assert "已预约：工程部" in page and "周师傅" in page and "137****6601" in page
    assert "13700006601" not in page
    # Filed, accepted, booked: repairs and their appointments are a topic of their own.
    assert verified_owner.notifications.filter(kind="repair").count() == 3


def test_the_booking_goes_on_the_channels_chosen_for_repairs_and_never_nowhere(
    verified_owner,
    unit,
    plumbing,
    engineering,
    technician,
    staff,
    django_capture_on_commit_callbacks,
):
    owner = verified_owner
    owner.notification_channels = {"repair": ["sms"], "case": ["email"]}
    owner.save(update_fields=["notification_channels"])
    agent = staff("Customer service")
    with django_capture_on_commit_callbacks(execute=True):
        case = report(owner, unit, plumbing)
        casework.accept(case, agent)
        workorders.dispatch(
            case, agent, team=engineering, technician=technician, day=TOMORROW, window="evening"
        )
    texts = Outgoing.objects.filter(kind="sms", recipient=phones.international(owner.mobile))
    assert list(texts.order_by("pk").values_list("payload__template", flat=True)) == [
        "case_filed",
        "case_update",
        "case_update",
    ]
    assert not Outgoing.objects.filter(kind="email", notification__kind="repair").exists()
    assert Outgoing.objects.filter(kind="sms", notification__kind="repair").count() == 3
    # Appointments are must-deliver: with every channel unticked, the default carries them.
    owner.notification_channels = {"repair": []}
    owner.save(update_fields=["notification_channels"])
    assert list(channels.route(owner, "repair")) == ["email"]


def test_a_time_the_owner_did_not_offer_is_refused(
    verified_owner, unit, plumbing, engineering, technician, staff
):
    case = report(verified_owner, unit, plumbing)
    agent = staff("Customer service")
    casework.accept(case, agent)
    with pytest.raises(requests.RepairError, match="业主提供的时间"):
        workorders.dispatch(
            case, agent, team=engineering, technician=technician, day=TOMORROW, window="morning"
        )
    assert not WorkOrder.objects.exists()


def test_dispatching_a_new_request_makes_the_dispatcher_its_first_responder(
    verified_owner, unit, plumbing, engineering, technician, staff
):
    case = report(verified_owner, unit, plumbing)
    with pytest.raises(PermissionDenied):  # the club's staff do not handle cases
        workorders.dispatch(
            case,
            staff("Club staff"),
            team=engineering,
            technician=technician,
            day=TOMORROW,
            window="evening",
        )
    assert not WorkOrder.objects.exists()
    agent = staff("Customer service")
    workorders.dispatch(
        case, agent, team=engineering, technician=technician, day=TOMORROW, window="evening"
    )
    case.refresh_from_db()
    assert case.first_responder == agent and case.status == "accepted"
    assert WorkOrder.objects.get().dispatched_by == agent


def test_reassigning_records_who_when_and_why(
    verified_owner, unit, plumbing, engineering, technician, staff
):
    case = report(verified_owner, unit, plumbing)
    agent = staff("Customer service")
    casework.accept(case, agent)
    first = workorders.dispatch(
        case, agent, team=engineering, technician=technician, day=TOMORROW, window="evening"
    )
    colleague = make_user("wu", real_name="吴强", mobile="13700006602")
    engineering.members.add(colleague)
    with pytest.raises(requests.RepairError, match="请说明改派原因"):
        workorders.dispatch(
            case, agent, team=engineering, technician=colleague, day=TOMORROW, window="evening"
        )
    second = workorders.dispatch(
        case,
        agent,
        team=engineering,
        technician=colleague,
        day=TOMORROW,
        window="evening",
        reason="周师傅请假",
    )
    first.refresh_from_db()
    assert (first.state, first.cancelled_by, first.cancel_reason) == (
        "cancelled",
        agent,
        "周师傅请假",
    )
    assert second.state == "booked" and WorkOrder.objects.filter(state="booked").count() == 1


def test_a_technician_is_not_booked_twice_for_one_time(
    verified_owner, unit, plumbing, engineering, technician, staff
):
    agent = staff("Customer service")
    neighbour = make_user("neighbour3", mobile="13700000003")
    verify(neighbour, Unit.objects.exclude(pk=unit.pk).first())
    cases = [
        report(verified_owner, unit, plumbing),
        report(neighbour, neighbour.claims.get().unit, plumbing),
    ]
    for case in cases:
        casework.accept(case, agent)
    workorders.dispatch(
        cases[0], agent, team=engineering, technician=technician, day=TOMORROW, window="evening"
    )
    with pytest.raises(requests.RepairError, match="该时段已有预约"):
        workorders.dispatch(
            cases[1], agent, team=engineering, technician=technician, day=TOMORROW, window="evening"
        )
    assert WorkOrder.objects.count() == 1


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
@pytest.mark.skipif(connection.vendor != "postgresql", reason="needs parallel PostgreSQL writers")
def test_twenty_dispatchers_booking_one_technicians_evening_at_once_book_it_once(
    estate, plumbing, engineering, technician, staff
):
    agent = staff("Customer service")
    Unit.objects.bulk_create(
        Unit(estate=estate, building="9栋", number=f"0{n}01") for n in range(2)
    )
    units = list(Unit.objects.filter(estate=estate).order_by("pk")[:20])
    assert len(units) == 20
    cases = []
    for n, home in enumerate(units):
        owner = make_user(f"o{n}", mobile=f"1370000{n:04d}")
        verify(owner, home, proof=f"P{n}")
        case = report(owner, home, plumbing)
        casework.accept(case, agent)
        cases.append(case)

    outcomes = together(
        lambda case: workorders.dispatch(
            Case.objects.get(pk=case.pk),
            agent,
            team=engineering,
            technician=technician,
            day=TOMORROW,
            window="evening",
        ),
        cases,
    )
    assert len(of_type(outcomes, WorkOrder)) == 1
    assert len(of_type(outcomes, requests.RepairError)) == 19
    assert WorkOrder.objects.filter(technician=technician, state="booked").count() == 1
