"""Each staff role reaches exactly the parts of the Wagtail admin its work needs."""

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse
from wagtail.models import Page

pytestmark = pytest.mark.django_db

ADMIN_ROLES = [
    "Editors",
    "Customer service",
    "Spokespersons",
    "Forum moderators",
    "Club staff",
    "Finance",
    "Building staff",
    "Managers",
]
#: Technicians (their day of jobs) and gate guards (passes) work on the site, never in the admin.
ROLES = [*ADMIN_ROLES, "Technicians", "Gate guards"]

# Admin screens, and which roles may open them.
SCREENS = {
    "wagtailadmin_home": set(ADMIN_ROLES),
    "owner_records:index": {"Customer service", "Club staff", "Managers"},
    "owner_records:add": {"Customer service", "Managers"},
    "owner_records:labels": {"Customer service", "Club staff", "Managers"},
    "owner_record_chooser:choose": {"Customer service", "Club staff", "Managers"},
    "club_members:enrol": {"Club staff", "Managers"},
    "fee_items:index": {"Customer service", "Finance", "Managers"},
    "fee_items:add": {"Finance", "Managers"},
    "bills:index": {"Customer service", "Finance", "Managers"},
    "arrears:index": {"Customer service", "Finance", "Managers"},
    "fee_report:index": {"Customer service", "Finance", "Managers"},
    "billing_runs:index": {"Finance", "Managers"},
    "fees_start_run": {"Finance", "Managers"},
    "readings:index": {"Finance", "Building staff", "Managers"},
    "fees_read": {"Finance", "Building staff", "Managers"},
    "fees_import_readings": {"Finance", "Building staff", "Managers"},
    "meters:index": {"Finance", "Building staff", "Managers"},
    "parking_spaces:index": {"Finance", "Managers"},
    "billing_terms:index": {"Finance", "Managers"},
    "bank_accounts:index": {"Finance", "Managers"},
    "bank_imports:index": {"Finance", "Managers"},
    "fees_bank_export": {"Finance", "Managers"},
    "fees_bank_import": {"Finance", "Managers"},
    "wagtailadmin_explore_root": {"Editors", "Managers"},
    "wagtailimages:index": {"Editors", "Club staff", "Managers"},  # club staff: reward pictures
    "wagtaildocs:index": {"Editors", "Managers"},
    "claims:index": {"Customer service", "Club staff", "Managers"},
    "estates:index": {"Customer service", "Club staff", "Finance", "Managers"},
    "units:index": {"Customer service", "Club staff", "Finance", "Managers"},
    "units:import": {"Customer service", "Managers"},
    "estates:add": {"Customer service", "Managers"},
    "case_ledger:index": {"Customer service", "Managers"},
    "case_ledger:phone": {"Customer service", "Managers"},
    "case_categories:index": {"Managers"},
    "closures:index": {"Managers"},
    "case_report:index": {"Customer service", "Managers"},
    "club_applications:index": {"Club staff", "Managers"},
    "club_members:index": {"Club staff", "Managers"},
    "club_check:index": {"Club staff", "Managers"},
    "club_cards:index": {"Club staff", "Managers"},
    "club_cards:sheet": {"Club staff", "Managers"},
    "club_points:index": {"Club staff", "Managers"},
    "club_redemptions:index": {"Club staff", "Managers"},
    "club_referrals:index": {"Club staff", "Managers"},
    "club_rewards:index": {"Club staff", "Managers"},
    "club_rewards:add": {"Club staff", "Managers"},
    "club_tiers:index": {"Club staff", "Managers"},
    "club_tiers:add": {"Managers"},
    "club_hobbies:index": {"Club staff", "Managers"},
    "club_check_in:index": {"Club staff", "Managers"},
    "club_registrations:index": {"Club staff", "Managers"},
    "repair_ledger:index": {"Customer service", "Managers"},
    "repair_teams:index": {"Customer service", "Managers"},
    "repair_categories:index": {"Customer service", "Managers"},
    "repair_categories:add": {"Managers"},
    "repair_prices:index": {"Customer service", "Managers"},
    "repair_prices:add": {"Managers"},
    "repair_materials:index": {"Customer service", "Managers"},
    "repair_follow_ups:index": {"Customer service", "Managers"},
    "repair_defects:index": {"Customer service", "Managers"},
    "repair_report:index": {"Customer service", "Managers"},
    "notice_report:index": {"Customer service", "Managers"},
    "notice_receipts:index": {"Customer service", "Managers"},
    "wagtailusers_users:index": set(),
    "wagtailusers_groups:index": set(),
}


def test_the_roles_exist_and_wagtails_default_moderators_group_is_gone():
    assert set(Group.objects.values_list("name", flat=True)) == set(ROLES)


@pytest.mark.parametrize("role", ROLES)
def test_each_role_reaches_only_its_screens(client, staff, role):
    client.force_login(staff(role))
    reached = {name for name in SCREENS if client.get(reverse(name)).status_code == 200}
    allowed = {name for name, roles in SCREENS.items() if role in roles}
    assert reached == allowed


@pytest.mark.parametrize("role", ROLES)
def test_the_menu_shows_only_what_the_role_may_open(client, staff, role):
    client.force_login(staff(role))
    html = client.get(reverse("wagtailadmin_home")).content.decode()
    assert (reverse("claims:index") in html) == (role in SCREENS["claims:index"])
    assert (reverse("wagtailimages:index") in html) == (role in SCREENS["wagtailimages:index"])


def test_editors_edit_pages_but_only_managers_publish(staff):

    home = Page.objects.get(depth=2)
    editor, manager = staff("Editors"), staff("Managers")
    assert home.permissions_for_user(editor).can_edit()
    assert not home.permissions_for_user(editor).can_publish()
    assert home.permissions_for_user(manager).can_publish()


def test_owners_cannot_enter_the_admin(owner_client):
    response = owner_client.get(reverse("wagtailadmin_home"))
    assert response.status_code == 302
