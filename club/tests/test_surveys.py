"""Club surveys: members answer once and earn the survey points once."""

from datetime import timedelta

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from wagtail.models import Page

from club import membership, points
from club.models import ClubPage, PointsEntry, SurveyAnswer, SurveyField, SurveyPage

pytestmark = pytest.mark.django_db


@pytest.fixture
def survey(db):
    home = Page.objects.get(depth=2)
    club = home.add_child(instance=ClubPage(title="金都会", slug="club"))
    survey = SurveyPage(title="2026 业主满意度调查", slug="survey-2026")
    survey.form_fields = [
        SurveyField(
            label="物业服务满意度", field_type="radio", choices="满意\n一般\n不满意", required=True
        ),
        SurveyField(label="您的建议", field_type="multiline", required=False),
    ]
    club.add_child(instance=survey)
    survey.save_revision().publish()
    return survey


def field_names(survey):
    return [field.clean_name for field in survey.get_form_fields()]


def test_a_member_answers_once_and_earns_the_points_once(client, member, survey):
    client.force_login(member.user)
    names = field_names(survey)
    data = {names[0]: "满意", names[1]: "增加儿童游乐设施"}
    page = client.get(survey.url).content.decode()
    assert "物业服务满意度" in page
    assert client.post(survey.url, data).status_code == 200
    assert client.post(survey.url, data).status_code == 200  # sent again: the thanks page
    answer = SurveyAnswer.objects.get()
    assert answer.user == member.user and answer.form_data[names[0]] == "满意"
    member.refresh_from_db()
    assert member.points.filter(kind="survey").count() == 1
    assert member.points_balance == 200 + 50


def test_a_missing_answer_is_explained_and_nothing_is_kept(client, member, survey):
    client.force_login(member.user)
    response = client.post(survey.url, {field_names(survey)[1]: "无"})
    assert response.status_code == 200 and "field--error" in response.content.decode()
    assert not SurveyAnswer.objects.exists()


def test_visitors_sign_in_first_and_closed_surveys_take_no_answers(client, owner, survey):
    assert "/accounts/login/" in client.get(survey.url).url
    SurveyPage.objects.filter(pk=survey.pk).update(closes_at=timezone.now() - timedelta(days=1))
    client.force_login(owner)
    client.post(survey.url, {field_names(survey)[0]: "一般"})
    assert not SurveyAnswer.objects.exists()


def test_owners_who_are_not_members_answer_without_points(client, owner, survey):
    client.force_login(owner)
    client.post(survey.url, {field_names(survey)[0]: "一般"})
    assert SurveyAnswer.objects.get().user == owner


def test_a_failure_while_awarding_the_points_keeps_no_answer(monkeypatch, member, survey):
    """The answer and its points are kept together or not at all: an answer kept without its
    points would stop the member from ever earning them (they cannot answer again)."""

    def ledger_down(*args, **kwargs):
        raise RuntimeError("the ledger failed")

    client = Client(raise_request_exception=False)
    client.force_login(member.user)
    data = {field_names(survey)[0]: "满意"}
    with monkeypatch.context() as patch:
        patch.setattr(points, "award", ledger_down)
        assert client.post(survey.url, data).status_code == 500
    assert not SurveyAnswer.objects.exists()
    assert not PointsEntry.objects.filter(kind="survey").exists()
    # Once the ledger works again, the member answers and earns the points.
    assert client.post(survey.url, data).status_code == 200
    assert SurveyAnswer.objects.get().user == member.user
    assert PointsEntry.objects.filter(member=member, kind="survey").count() == 1


def test_a_suspended_member_answers_without_points(client, member, club_staff, survey):
    member.user.language = "en"
    member.user.save(update_fields=["language"])
    client.force_login(member.user)
    assert "points for answering" in client.get(survey.url).content.decode()
    membership.suspend(member, club_staff, "违规转借会员卡")
    assert "points for answering" not in client.get(survey.url).content.decode()
    client.post(survey.url, {field_names(survey)[0]: "一般"})
    assert SurveyAnswer.objects.get().user == member.user
    assert not PointsEntry.objects.filter(kind="survey").exists()


def test_a_survey_is_kept_out_of_the_site_search(client, survey):
    """A survey is for signed-in owners: its title and introduction are not search results."""
    html = client.get(reverse("search:search"), {"q": "满意度调查"}).content.decode()
    assert "search-results__title" not in html and "未找到相关内容" in html
