from .cards import MemberCard
from .members import (
    Hobby,
    ImportantDate,
    Member,
    MembershipApplication,
    Referral,
    Tier,
    active_member,
    is_active_member,
    membership_status,
)
from .pages import ClubPage
from .points import PointsEntry
from .rewards import Redemption, Reward
from .settings import ClubSettings
from .surveys import SurveyAnswer, SurveyField, SurveyPage

__all__ = [
    "ClubPage",
    "ClubSettings",
    "Hobby",
    "ImportantDate",
    "Member",
    "MemberCard",
    "MembershipApplication",
    "PointsEntry",
    "Redemption",
    "Referral",
    "SurveyAnswer",
    "SurveyField",
    "SurveyPage",
    "Reward",
    "Tier",
    "active_member",
    "is_active_member",
    "membership_status",
]
