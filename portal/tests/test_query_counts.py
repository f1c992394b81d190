"""Owner pages and admin lists cost a fixed number of queries, however much data they show."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from owners import consent
from owners.models import Estate, OwnershipClaim, Unit

pytestmark = pytest.mark.django_db


@pytest.fixture
def many_claims(owner, other_owner):
    """Claims by two owners across several estates, pending and reviewed."""
    for index in range(6):
        estate = Estate.objects.create(name=f"小区{index}", city="杭州")
        unit = Unit.objects.create(estate=estate, building="1栋", number="0101")
        for person in (owner, other_owner):
            OwnershipClaim.objects.create(
                owner=person, unit=unit, proof="P", status="pending" if index % 2 else "approved"
            )


def test_the_dashboard(owner_client, many_claims, settings, django_assert_max_num_queries):
    # +1 on a cold cache: the privacy policy's current version (home.privacy); +1 a closure
    # request waiting to be carried out; +1 the desk's record of their visits; and the session,
    # where it is kept in the database alone (no Redis: `make test` as is).
    session = settings.SESSION_ENGINE == "django.contrib.sessions.backends.db"
    with django_assert_max_num_queries(9 + session):
        response = owner_client.get(reverse("owners:dashboard"))
    assert response.content.decode().count('class="list__item"') == 6


def test_the_claim_form(owner_client, many_claims, settings, django_assert_max_num_queries):
    estate = Estate.objects.first()
    # +1 cold cache: the privacy policy version; and the session where the database keeps it
    session = settings.SESSION_ENGINE == "django.contrib.sessions.backends.db"
    with django_assert_max_num_queries(9 + session):
        assert (
            owner_client.get(reverse("owners:claim_unit"), {"estate": estate.pk}).status_code == 200
        )


@pytest.mark.parametrize("floors", [1, 33])
def test_the_claim_forms_units(owner_client, floors, django_assert_max_num_queries):
    estate = Estate.objects.create(name="金都·高层", city="杭州")
    Unit.objects.bulk_create(
        Unit(estate=estate, building="1栋", number=f"{floor:02d}{door:02d}")
        for floor in range(1, floors + 1)
        for door in range(1, 5)
    )
    with django_assert_max_num_queries(10):  # +1 cold cache: the privacy policy version
        response = owner_client.get(
            reverse("owners:claim_unit"), {"estate": estate.pk, "building": "1栋"}
        )
    assert response.content.decode().count('name="unit"') == floors * 4


@pytest.mark.parametrize("consents", [1, 30])
def test_the_profile_form(owner, owner_client, consents, django_assert_max_num_queries):
    for n in range(consents):  # the list of what the owner agreed to: one query, however long
        consent.record(owner, consent.Document.PRIVACY_POLICY, f"2026-{n:02d}")
    # +1 on a cold cache: the privacy policy's current version (home.privacy); +1 a closure
    # request waiting to be carried out; +1 the desk's record of their visits.
    with django_assert_max_num_queries(9):
        assert owner_client.get(reverse("owners:profile")).status_code == 200


@pytest.mark.parametrize("name", ["claims:index", "units:index", "estates:index"])
def test_the_admin_lists(client, staff, many_claims, name, django_assert_max_num_queries):
    client.force_login(staff("Managers"))
    client.get(reverse(name))
    with django_assert_max_num_queries(25):
        assert client.get(reverse(name)).status_code == 200


def test_the_claim_review_screen(client, staff, many_claims, django_assert_max_num_queries):
    client.force_login(staff("Customer service"))
    claim = OwnershipClaim.objects.first()
    url = reverse("claims:inspect", args=[claim.pk])
    client.get(url)
    with django_assert_max_num_queries(20):
        assert client.get(url).status_code == 200


def test_the_consent_list_costs_the_same_for_few_and_many(
    client, staff, owner, other_owner, django_assert_num_queries
):
    client.force_login(staff("Managers"))
    consent.record(owner, consent.Document.PRIVACY_POLICY, "2026-06")
    client.get(reverse("consents:index"))
    with CaptureQueriesContext(connection) as few:
        assert client.get(reverse("consents:index")).status_code == 200
    for version in ("2026-09", "2026-12"):
        for person in (owner, other_owner):
            consent.record(person, consent.Document.PRIVACY_POLICY, version)
            consent.record(person, consent.Document.CLUB_RULES, version)
    with django_assert_num_queries(len(few.captured_queries)):
        page = client.get(reverse("consents:index")).content.decode()
    assert page.count("2026-12") >= 4


@pytest.mark.parametrize("chosen", [0, 5])
def test_the_notification_settings(owner, owner_client, chosen, django_assert_max_num_queries):
    """The same queries with no choice saved and with every topic chosen."""
    topics = ["case", "account", "event", "club", "forum"][:chosen]
    owner.notification_channels = {topic: ["email"] for topic in topics}
    owner.save(update_fields=["notification_channels"])
    owner_client.get(reverse("owners:channels"))
    with django_assert_max_num_queries(6):
        assert owner_client.get(reverse("owners:channels")).status_code == 200
