from .cards import MemberCard
from .events import EventIndexPage, EventPage, Registration
from .members import Hobby, ImportantDate, Member, MembershipApplication, Referral, Tier
from .pages import ClubPage
from .points import PointsEntry
from .rewards import Redemption, Reward
from .settings import ClubSettings
from .surveys import SurveyAnswer, SurveyField, SurveyPage

__all__ = [
    "ClubPage",
    "ClubSettings",
    "EventIndexPage",
    "EventPage",
    "Hobby",
    "ImportantDate",
    "Member",
    "MemberCard",
    "MembershipApplication",
    "PointsEntry",
    "Redemption",
    "Referral",
    "Registration",
    "SurveyAnswer",
    "SurveyField",
    "SurveyPage",
    "Reward",
    "Tier",
]
