"""An owner's permission check costs no query: is_staff says whether an account holds any
permission, and joining or leaving a role, or a permission of one's own, keeps it so."""

import pytest
from django.contrib.auth.models import Group, Permission
from django.db import connection
from django.test.utils import CaptureQueriesContext

from conftest import make_user
from owners.models import User

pytestmark = pytest.mark.django_db


def fresh(user):
    """The account as the next request loads it."""
    return User.objects.get(pk=user.pk)


def checks(user, perm):
    with CaptureQueriesContext(connection) as queries:
        allowed = user.has_perm(perm)
    return allowed, len(queries)


def test_an_owner_is_answered_without_a_query(owner):
    assert not fresh(owner).is_staff
    assert checks(fresh(owner), "forum.moderate_topic") == (False, 0)
    assert checks(fresh(owner), "wagtailadmin.access_admin") == (False, 0)


def test_joining_and_leaving_a_role_from_either_side(owner):
    moderators = Group.objects.get(name="Forum moderators")
    owner.groups.add(moderators)
    assert owner.is_staff and fresh(owner).is_staff
    assert checks(fresh(owner), "forum.moderate_topic") == (True, 1)

    owner.groups.remove(moderators)
    assert not owner.is_staff and not fresh(owner).is_staff
    assert checks(fresh(owner), "forum.moderate_topic") == (False, 0)

    moderators.user_set.add(owner)  # from the role's side
    assert checks(fresh(owner), "forum.moderate_topic") == (True, 1)
    moderators.user_set.clear()
    assert not fresh(owner).is_staff


def test_a_permission_of_ones_own(owner):
    desk = Permission.objects.get(codename="review_ownershipclaim")
    owner.user_permissions.add(desk)
    assert checks(fresh(owner), "owners.review_ownershipclaim") == (True, 1)
    owner.user_permissions.remove(desk)
    assert checks(fresh(owner), "owners.review_ownershipclaim") == (False, 0)


def test_staff_made_by_the_tests_and_the_demo_hold_their_role():
    agent = make_user("agent", groups=["Customer service"])
    assert fresh(agent).is_staff
    assert fresh(agent).has_perm("cases.handle_case")
    admin = make_user("root", is_superuser=True)
    assert fresh(admin).has_perm("cases.handle_case")
