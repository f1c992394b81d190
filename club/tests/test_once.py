"""The club's one-time steps happen once however many requests arrive together (PostgreSQL,
parallel connections). Redemption hand-over and cancel, card report-lost, event sign-up and
check-in have their own tests in test_concurrency.py and test_event_concurrency.py."""

import pytest
from django.core import mail
from django.db import connection
from django.test import Client

from club import membership, referrals
from club.models import (
    Member,
    MemberCard,
    MembershipApplication,
    PointsEntry,
    Referral,
    SurveyAnswer,
)
from club.tests.conftest import verified
from club.tests.test_concurrency import of_type, together
from club.tests.test_surveys import field_names, survey  # noqa: F401 (fixture)
from owners.models import Unit

pytestmark = [
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql", reason="needs parallel PostgreSQL writers"
    ),
]


@pytest.fixture
def referral(member):
    return referrals.refer(
        member, buyer_name="钱女士", buyer_mobile="13700137000", development="金都·滨江府"
    )


def test_twelve_confirmations_of_a_referral_at_once_award_the_points_once(
    referral, member, club_staff
):
    mail.outbox.clear()

    outcomes = together(
        lambda _n: referrals.confirm(Referral.objects.get(pk=referral.pk), club_staff), range(12)
    )

    assert len(of_type(outcomes, Referral)) == 1, outcomes
    assert {str(e) for e in of_type(outcomes, referrals.ReferralError)} == {
        "This referral is already Purchase confirmed."
    }
    assert PointsEntry.objects.filter(member=member, kind="referral").count() == 1
    assert len(mail.outbox) == 1


def test_confirming_and_rejecting_a_referral_at_once_does_one_of_them(referral, club_staff):
    def act(which):
        fresh = Referral.objects.get(pk=referral.pk)
        if which == "confirm":
            return referrals.confirm(fresh, club_staff)
        return referrals.reject(fresh, club_staff, "未成交")

    outcomes = together(act, ["confirm", "reject"])

    assert len(of_type(outcomes, Referral)) == 1, outcomes
    referral.refresh_from_db()
    awarded = PointsEntry.objects.filter(kind="referral").count()
    assert awarded == (1 if referral.status == Referral.Status.CONFIRMED else 0)


@pytest.fixture
def application(estate):
    user = verified("applicant", Unit.objects.order_by("pk").first())
    return membership.apply(user, hobbies=[], dates=[])


def test_twelve_approvals_of_an_application_at_once_make_one_member(application, club_staff):
    mail.outbox.clear()

    outcomes = together(
        lambda _n: membership.approve(
            MembershipApplication.objects.get(pk=application.pk), club_staff
        ),
        range(12),
    )

    assert len(of_type(outcomes, Member)) == 1, outcomes
    assert len(of_type(outcomes, membership.MembershipError)) == 11
    member = Member.objects.get(user=application.user)
    assert MemberCard.objects.filter(member=member).count() == 1
    assert member.points.filter(kind="joining").count() == 1
    assert len(mail.outbox) == 1  # one welcome


def test_approving_and_rejecting_an_application_at_once_does_one_of_them(application, club_staff):
    def act(which):
        fresh = MembershipApplication.objects.get(pk=application.pk)
        if which == "approve":
            return membership.approve(fresh, club_staff)
        return membership.reject(fresh, club_staff, "资料不全")

    outcomes = together(act, ["approve", "reject"])

    assert len(of_type(outcomes, membership.MembershipError)) == 1, outcomes
    application.refresh_from_db()
    joined = Member.objects.filter(user=application.user).exists()
    assert joined == (application.status == MembershipApplication.Status.APPROVED)


def test_twelve_applications_sent_at_once_leave_one_to_review(estate):
    user = verified("applicant", Unit.objects.order_by("pk").first())

    outcomes = together(lambda _n: membership.apply(user, hobbies=[], dates=[]), range(12))

    assert len(of_type(outcomes, MembershipApplication)) == 1, outcomes
    assert len(of_type(outcomes, membership.MembershipError)) == 11
    assert MembershipApplication.objects.filter(user=user).count() == 1


def test_the_same_buyer_introduced_twelve_times_at_once_is_one_referral(member):
    outcomes = together(
        lambda _n: referrals.refer(
            member, buyer_name="钱女士", buyer_mobile="13700137000", development="滨江府"
        ),
        range(12),
    )

    assert len(of_type(outcomes, Referral)) == 1, outcomes
    assert {str(e) for e in of_type(outcomes, referrals.ReferralError)} == {
        "You have already introduced the buyer with this mobile number."
    }


def test_twelve_sends_of_a_survey_at_once_keep_one_answer_and_award_the_points_once(
    member,
    survey,  # noqa: F811
):
    data = {field_names(survey)[0]: "满意", field_names(survey)[1]: "增加儿童游乐设施"}

    def send(_n):
        client = Client()
        client.force_login(member.user)
        return client.post(survey.url, data).status_code

    outcomes = together(send, range(12))

    assert outcomes == [200] * 12
    assert SurveyAnswer.objects.filter(page=survey, user=member.user).count() == 1
    assert PointsEntry.objects.filter(member=member, kind="survey").count() == 1
    member.refresh_from_db()
    assert member.points_balance == 200 + 50
