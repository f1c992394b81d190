"""Club fixtures: members made the way the site makes them, through an approved application."""

import pytest
from django.utils import translation

from club import membership
from club.models import Reward
from conftest import make_verified_owner
from owners.models import Unit


def verified(username, unit, **fields):
    """An owner whose claim to `unit` staff approved."""
    return make_verified_owner(
        username, unit, real_name=fields.pop("real_name", username), **fields
    )


@pytest.fixture
def club_staff(staff):
    return staff("Club staff")


@pytest.fixture
def make_member(estate, club_staff):
    """make_member("name") -> an active member with a card and the joining points."""
    units = iter(Unit.objects.filter(estate=estate).order_by("pk"))

    def make(username, **fields):
        user = verified(username, next(units), **fields)
        application = membership.apply(user, hobbies=[], dates=[])
        return membership.approve(application, club_staff)

    return make


@pytest.fixture
def member(make_member):
    return make_member("member", real_name="王建国")


@pytest.fixture
def reward(db):
    return Reward.objects.create(name="保温杯", points=100, stock=10, limit_per_member=1)


@pytest.fixture(autouse=True)
def _messages_in_english():
    """Rules raise their messages in the active language; the tests read them in English.
    Pages and emails still choose their own language (the request's, the recipient's)."""
    with translation.override("en"):
        yield
