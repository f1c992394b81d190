"""Survey answers and members' personal dates (birthdays, anniversaries) are for club staff and
managers only: every other role is refused through every admin door, exports included."""

from datetime import date, timedelta

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from club import membership
from club.models import SurveyAnswer
from club.reminders import send_dates_digest
from club.tests.conftest import verified
from club.tests.test_surveys import survey  # noqa: F401 (fixture)
from conftest import make_user
from owners.models import Unit

pytestmark = pytest.mark.django_db

ROLES = [
    "Editors",
    "Customer service",
    "Spokespersons",
    "Forum moderators",
    "Club staff",
    "Managers",
]
ALLOWED = {"Club staff", "Managers"}


@pytest.fixture
def personal(estate, club_staff, survey):  # noqa: F811
    """A member with a birthday soon and a survey answer, as the site makes them."""
    soon = timezone.localdate() + timedelta(days=3)
    user = verified("zhao", Unit.objects.filter(estate=estate).first(), real_name="赵敏")
    application = membership.apply(
        user,
        hobbies=[],
        dates=[{"kind": "birthday", "date": date(1980, soon.month, soon.day)}],
    )
    member = membership.approve(application, club_staff)
    fields = [field.clean_name for field in survey.get_form_fields()]
    SurveyAnswer.objects.create(
        page=survey, user=user, form_data={fields[0]: "不满意", fields[1]: "电梯太慢"}
    )
    return member, survey


def doors(member, survey):  # noqa: F811
    """Every admin URL that shows a survey answer or a member's personal dates."""
    answers = reverse("wagtailforms:list_submissions", args=[survey.pk])
    members = reverse("club_members:index")
    return {
        "survey answers": answers,
        "survey answers export": answers + "?export=csv",
        "survey list": reverse("club_surveys:index"),
        "members": members,
        "members export": members + "?export=xlsx",
        "birthdays coming up": members + "?upcoming=7",
        "member screen": reverse("club_members:inspect", args=[member.pk]),
        "registrations": reverse("club_registrations:index"),
    }


@pytest.mark.parametrize("role", ROLES)
def test_only_club_staff_and_managers_open_answers_and_dates(client, staff, personal, role):
    member, survey = personal  # noqa: F811
    user = staff(role) if role != "Club staff" else make_user("desk", groups=[role])
    client.force_login(user)
    for door, url in doors(member, survey).items():
        response = client.get(url)
        if role in ALLOWED:
            assert response.status_code == 200, (role, door)
        else:
            assert response.status_code in (302, 403), (role, door, response.status_code)
            assert "赵敏" not in response.content.decode(), (role, door)


@pytest.mark.parametrize("role", ROLES)
def test_the_forms_menu_never_lists_surveys_outside_the_club(client, staff, personal, role):
    member, survey = personal  # noqa: F811
    client.force_login(staff(role) if role != "Club staff" else make_user("desk", groups=[role]))
    response = client.get(reverse("wagtailforms:index"))
    if response.status_code == 200 and role not in ALLOWED:
        assert survey.title not in response.content.decode(), role
    menu = client.get(reverse("wagtailadmin_home")).content.decode()
    assert (reverse("club_surveys:index") in menu) == (role in ALLOWED), role


def test_club_staff_see_the_answers_with_names(client, club_staff, personal):
    member, survey = personal  # noqa: F811
    client.force_login(club_staff)
    html = client.get(reverse("wagtailforms:list_submissions", args=[survey.pk])).content.decode()
    assert "电梯太慢" in html and "赵敏" in html
    listing = client.get(reverse("club_surveys:index")).content.decode()
    assert survey.title in listing


def test_a_superuser_sees_everything(client, personal):
    member, survey = personal  # noqa: F811
    client.force_login(make_user("root", is_superuser=True))
    for door, url in doors(member, survey).items():
        assert client.get(url).status_code == 200, door


def test_the_weekly_dates_digest_goes_to_club_staff_and_managers_only(
    staff, personal, django_capture_on_commit_callbacks
):
    people = {role: staff(role) for role in ROLES if role != "Club staff"}
    people["Club staff"] = make_user("desk", groups=["Club staff"])
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        send_dates_digest()
    recipients = {address for message in mail.outbox for address in message.to}
    for role, person in people.items():
        assert (person.email in recipients) == (role in ALLOWED), role
    assert mail.outbox and all("赵敏" in message.body for message in mail.outbox)
    assert all("1980" not in message.body for message in mail.outbox)  # the day, not the age
