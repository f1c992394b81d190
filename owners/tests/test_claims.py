"""Owners claim units; customer service approves or rejects them in the Wagtail admin."""

import pytest
from django.core import mail
from django.urls import reverse
from wagtail.models import ModelLogEntry

from owners.models import Estate, OwnershipClaim, Unit
from portal.tests.actions_only import assert_no_raw_admin_views

pytestmark = pytest.mark.django_db

CLAIM_URL = reverse("owners:claim_unit")


def claim(client, estate, building="3栋", number="1201", proof="HT-2019-1201"):
    unit = Unit.objects.filter(estate=estate, building=building, number=number).first()
    return client.post(
        CLAIM_URL,
        {
            "estate": estate.pk,
            "building": building,
            "unit": unit.pk if unit else "",
            "role": "owner",
            "proof": proof,
        },
    )


def review_url(claim):
    return reverse("claims:inspect", args=[claim.pk])


def test_the_form_offers_the_estates_buildings_in_natural_order(owner_client, estate):
    Unit.objects.create(estate=estate, building="10栋", number="0101")
    response = owner_client.get(CLAIM_URL, {"estate": estate.pk})
    assert response.status_code == 200
    html = response.content.decode()
    positions = [html.index(f'<option value="{b}">') for b in ("1栋", "2栋", "3栋", "10栋")]
    assert positions == sorted(positions)


def test_an_owner_claims_a_unit(owner_client, owner, estate, unit):
    response = claim(owner_client, estate)
    assert response.status_code == 302
    created = OwnershipClaim.objects.get(owner=owner)
    assert created.unit == unit and created.status == "pending" and created.proof == "HT-2019-1201"
    assert ModelLogEntry.objects.filter(
        action="owners.claim.submit", object_id=str(created.pk)
    ).exists()
    dashboard = owner_client.get(reverse("owners:dashboard")).content.decode()
    assert "金都·翠湖苑 · 3栋 1201" in dashboard
    assert "status--pending" in dashboard


def test_the_buildings_units_are_offered_floor_by_floor_top_floor_first(owner_client, estate):
    Unit.objects.create(estate=estate, building="3栋", number="A0101")
    html = owner_client.get(CLAIM_URL, {"estate": estate.pk, "building": "3栋"}).content.decode()
    floors = [html.index(f">{floor}<") for floor in ("12层", "2层", "1层")]
    assert floors == sorted(floors)
    numbers = [html.index(f"<span>{n}</span>") for n in ("1201", "1202", "0201", "0101", "A0101")]
    assert numbers == sorted(numbers)
    assert "1栋" not in html.split('name="unit"', 1)[1].split("</fieldset>")[0]


def test_a_unit_from_another_building_is_refused(owner_client, owner, estate):
    elsewhere = Unit.objects.get(estate=estate, building="1栋", number="1201")
    response = owner_client.post(
        CLAIM_URL,
        {
            "estate": estate.pk,
            "building": "3栋",
            "unit": elsewhere.pk,
            "role": "owner",
            "proof": "HT",
        },
    )
    assert response.status_code == 200
    assert "请选择本楼栋的房号。" in response.content.decode()
    assert not OwnershipClaim.objects.exists()


def test_with_one_building_its_units_show_at_once(owner_client, estate):
    small = Estate.objects.create(name="金都·小院", city="杭州")
    Unit.objects.create(estate=small, building="1栋", number="0101")
    html = owner_client.get(CLAIM_URL, {"estate": small.pk}).content.decode()
    assert 'name="unit"' in html and "<span>0101</span>" in html


def test_a_building_from_another_estate_is_refused(owner_client, estate):
    response = claim(owner_client, estate, building="99栋")
    assert response.status_code == 200
    assert not OwnershipClaim.objects.exists()


def test_missing_fields_are_reported_and_nothing_is_saved(owner_client, estate):
    response = owner_client.post(CLAIM_URL, {"estate": estate.pk, "building": "3栋"})
    assert response.status_code == 200
    assert response.content.decode().count('class="field__error"') >= 2
    assert not OwnershipClaim.objects.exists()


def test_a_duplicate_claim_is_refused(owner_client, owner, estate):
    claim(owner_client, estate)
    response = claim(owner_client, estate)
    assert response.status_code == 200
    assert OwnershipClaim.objects.filter(owner=owner).count() == 1


def test_a_rejected_claim_cannot_be_made_again_and_the_reason_is_shown(
    owner_client, owner, estate, unit
):
    OwnershipClaim.objects.create(
        owner=owner, unit=unit, proof="x", status="rejected", reason="合同号与销售记录不符。"
    )
    response = claim(owner_client, estate)
    assert response.status_code == 200
    assert "合同号与销售记录不符。" in response.content.decode()
    assert OwnershipClaim.objects.filter(owner=owner).count() == 1


def test_several_owners_can_be_verified_for_one_unit(
    client, owner, other_owner, estate, unit, staff
):
    reviewer = staff("Customer service")
    for person in (owner, other_owner):
        client.force_login(person)
        claim(client, estate)
    client.force_login(reviewer)
    for pending in OwnershipClaim.objects.all():
        client.post(review_url(pending), {"action": "approve", "reason": ""})
    assert OwnershipClaim.objects.filter(unit=unit, status="approved").count() == 2


def test_signing_in_is_required(client, estate):
    response = client.get(CLAIM_URL)
    assert response.status_code == 302 and "/accounts/login/" in response.url


# -- Review in the Wagtail admin -------------------------------------------------------------


@pytest.fixture
def pending_claim(owner, unit):
    return OwnershipClaim.objects.create(owner=owner, unit=unit, proof="HT-2019-1201")


def test_the_queue_lists_pending_claims_first(client, staff, pending_claim, other_owner, estate):
    done = OwnershipClaim.objects.create(
        owner=other_owner, unit=Unit.objects.first(), proof="old", status="approved"
    )
    client.force_login(staff("Customer service"))
    response = client.get(reverse("claims:index"))
    assert response.status_code == 200
    html = response.content.decode()
    assert html.index(review_url(pending_claim)) < html.index(review_url(done))


def test_approving_verifies_the_owner_emails_them_and_logs_it(
    client, staff, owner, pending_claim, django_capture_on_commit_callbacks
):
    reviewer = staff("Customer service")
    client.force_login(reviewer)
    assert "HT-2019-1201" in client.get(review_url(pending_claim)).content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(review_url(pending_claim), {"action": "approve", "reason": ""})
    assert response.status_code == 302
    pending_claim.refresh_from_db()
    owner.refresh_from_db()
    assert pending_claim.status == "approved" and pending_claim.reviewed_by == reviewer
    assert owner.is_verified_owner
    assert [m.to for m in mail.outbox] == [[owner.email]]
    assert "3栋 1201" in mail.outbox[0].subject
    assert ModelLogEntry.objects.filter(
        action="owners.claim.approve", object_id=str(pending_claim.pk), user=reviewer
    ).exists()

    client.force_login(owner)
    dashboard = client.get(reverse("owners:dashboard")).content.decode()
    assert "badge--verified" in dashboard
    assert "status--approved" in dashboard


def test_rejecting_needs_a_reason_which_the_owner_sees(
    client, staff, owner, pending_claim, django_capture_on_commit_callbacks
):
    client.force_login(staff("Customer service"))
    response = client.post(review_url(pending_claim), {"action": "reject", "reason": "  "})
    assert response.status_code == 200
    pending_claim.refresh_from_db()
    assert pending_claim.status == "pending"

    with django_capture_on_commit_callbacks(execute=True):
        client.post(review_url(pending_claim), {"action": "reject", "reason": "查无此合同号。"})
    pending_claim.refresh_from_db()
    assert pending_claim.status == "rejected"
    assert "查无此合同号。" in mail.outbox[0].body

    client.force_login(owner)
    dashboard = client.get(reverse("owners:dashboard")).content.decode()
    assert "查无此合同号。" in dashboard and "badge--verified" not in dashboard


def test_a_claim_is_reviewed_once(client, staff, pending_claim):
    client.force_login(staff("Customer service"))
    client.post(review_url(pending_claim), {"action": "approve"})
    response = client.post(review_url(pending_claim), {"action": "reject", "reason": "late"})
    assert response.status_code == 200
    pending_claim.refresh_from_db()
    assert pending_claim.status == "approved"


def test_revoking_removes_the_badge_when_no_verified_unit_is_left(client, staff, verified_owner):
    approved = verified_owner.claims.get()
    client.force_login(staff("Customer service"))
    client.post(review_url(approved), {"action": "revoke", "reason": "房屋已过户。"})
    verified_owner.refresh_from_db()
    assert not verified_owner.is_verified_owner


def test_staff_without_the_review_permission_cannot_review(client, staff, pending_claim):
    client.force_login(staff("Club staff"))
    assert client.get(review_url(pending_claim)).status_code == 200  # may look
    response = client.post(review_url(pending_claim), {"action": "approve"})
    assert response.status_code == 302 and response.url == reverse("wagtailadmin_home")
    pending_claim.refresh_from_db()
    assert pending_claim.status == "pending"


def test_owners_cannot_reach_the_review_screen(owner_client, pending_claim):
    response = owner_client.post(review_url(pending_claim), {"action": "approve"})
    assert response.status_code in (302, 403)
    pending_claim.refresh_from_db()
    assert pending_claim.status == "pending"


def test_an_owner_sees_only_their_own_claims(client, owner, other_owner, pending_claim):
    client.force_login(other_owner)
    assert "3栋 1201" not in client.get(reverse("owners:dashboard")).content.decode()


def test_the_admin_dashboard_shows_the_waiting_claims_to_reviewers(client, staff, pending_claim):
    client.force_login(staff("Customer service"))
    html = client.get(reverse("wagtailadmin_home")).content.decode()
    assert "有 1 条申请待审核" in html and review_url(pending_claim) in html

    client.force_login(staff("Editors"))
    assert "待审核的房产认证" not in client.get(reverse("wagtailadmin_home")).content.decode()


@pytest.mark.parametrize("estate_id", ["²", "abc", "99999", "1" * 30])
def test_an_odd_estate_in_the_address_shows_the_form(owner_client, estate, estate_id):
    assert owner_client.get(CLAIM_URL, {"estate": estate_id}).status_code == 200


def test_buildings_with_unusual_digits_still_list(owner_client, estate):
    Unit.objects.create(estate=estate, building="①号楼", number="0101")
    assert owner_client.get(CLAIM_URL, {"estate": estate.pk}).status_code == 200


def test_the_queue_exports_with_the_owners_email(client, staff, pending_claim):
    client.force_login(staff("Customer service"))
    response = client.get(reverse("claims:index"), {"export": "csv"})
    content = b"".join(response.streaming_content).decode("utf-8-sig")
    assert pending_claim.owner.email in content and pending_claim.proof in content


def test_claims_have_no_raw_admin_forms(client, pending_claim):
    """A claim changes through review only: approve, reject, revoke."""
    assert_no_raw_admin_views(client, "/admin/owners/claims/", pending_claim)
