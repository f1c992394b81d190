"""The admin's sidebar is built once per staff member, language and change: the next screen
reads it kept, yet a new role, a permission, another language or another name shows at once,
and nobody is shown another's."""

import json
import re

import pytest
from django.contrib.auth.models import Group, Permission
from django.db import connection
from django.test.utils import CaptureQueriesContext
from wagtail.models import GroupPagePermission, Locale
from wagtail.users.models import UserProfile

from club.models import ClubPage, SurveyPage
from portal import admin_menu

pytestmark = pytest.mark.django_db

LEDGER = "/admin/cases/"
METERS = "/admin/fees/meters/"


def sidebar(client, path="/admin/"):
    """The sidebar's menu addresses and the account's name, as the browser is given them."""
    html = client.get(path).content.decode()
    props = re.search(
        r'<script id="wagtail-sidebar-props" type="application/json">(.*?)</script>', html, re.S
    )[1]
    return html, json.loads(props)


def addresses(props):
    return set(re.findall(r'"url": "([^"]+)"', json.dumps(props)))


@pytest.fixture
def clerk(staff, client):
    user = staff("Customer service")
    client.force_login(user)
    return user


def test_the_next_screen_reads_the_sidebar_kept(client, clerk):
    sidebar(client)
    with CaptureQueriesContext(connection) as again:
        sidebar(client, LEDGER)
    tables = " ".join(query["sql"] for query in again)
    assert "wagtailcore_grouppagepermission" not in tables
    assert "wagtailcore_groupcollectionpermission" not in tables


def test_a_new_role_and_a_new_permission_show_at_once(client, clerk):
    _html, props = sidebar(client)
    assert LEDGER in addresses(props) and METERS not in addresses(props)
    clerk.groups.add(Group.objects.get(name="Finance"))
    assert METERS in addresses(sidebar(client)[1])
    clerk.groups.remove(Group.objects.get(name="Finance"))
    assert METERS not in addresses(sidebar(client)[1])
    # A permission given to the role itself shows to its members too.
    role = Group.objects.get(name="Customer service")
    role.permissions.add(
        Permission.objects.get(codename="view_meter", content_type__app_label="fees")
    )
    assert METERS in addresses(sidebar(client)[1])


def test_each_staff_member_sees_their_own_name_in_their_language(client, clerk, staff):
    assert '"name": "customer-service"' in json.dumps(sidebar(client)[1])
    client.force_login(staff("Finance"))
    props = json.dumps(sidebar(client)[1])
    assert '"name": "finance"' in props and "customer-service" not in props
    clerk.first_name = "小陈"
    clerk.save()
    client.force_login(clerk)
    assert '"name": "小陈"' in json.dumps(sidebar(client)[1], ensure_ascii=False)
    profile = UserProfile.get_for_user(clerk)
    for language, ledger in (("en", "Case ledger"), ("zh-hans", "客服工单台账")):
        profile.preferred_language = language
        profile.save()
        assert f'"{ledger}"' in json.dumps(sidebar(client)[1], ensure_ascii=False)


def test_page_permissions_show_at_once(client, clerk, home_page):
    assert "/admin/pages/" not in addresses(sidebar(client)[1])
    GroupPagePermission.objects.create(
        group=Group.objects.get(name="Customer service"),
        page=home_page,
        permission=Permission.objects.get(codename="change_page"),
    )
    assert "/admin/pages/" in addresses(sidebar(client)[1])


def test_the_first_survey_and_the_last_show_at_once(client, staff, home_page):
    """Club staff see the surveys' answers (Forms) once there is a survey."""
    client.force_login(staff("Club staff"))
    assert "/admin/forms/" not in addresses(sidebar(client)[1])
    club = home_page.add_child(instance=ClubPage(title="金都会", slug="club"))
    survey = club.add_child(instance=SurveyPage(title="满意度调查", slug="survey"))
    assert "/admin/forms/" in addresses(sidebar(client)[1])
    survey.delete()
    assert "/admin/forms/" not in addresses(sidebar(client)[1])


def test_a_tip_dismissed_stays_dismissed(client, clerk):
    """Wagtail marks its "what's new" menu items until each is dismissed, in the profile."""
    props = json.dumps(sidebar(client)[1])
    names = re.findall(r'"data-w-dismissible-id-value": "([^"]+)"', props)
    assert names and '"data-w-dismissible-dismissed-value"' not in props
    dismissed = dict.fromkeys(names, True)
    assert client.patch("/admin/dismissibles/", json.dumps(dismissed)).status_code == 200
    props = json.dumps(sidebar(client)[1])
    assert props.count('"data-w-dismissible-dismissed-value": "true"') == len(names)


def wagtail_config(client, path=LEDGER):
    html = client.get(path).content.decode()
    found = re.search(r'<script id="wagtail-config" type="application/json">(.*?)</script>', html)
    return json.loads(found[1])


def test_wagtails_configuration_is_kept_but_for_the_request_and_the_reader(client, clerk):
    """The scripts' configuration is Wagtail's own; the next screen reads no content language,
    yet a language added, the reader's CSRF token and their shortcuts setting show at once."""
    response = client.get(LEDGER)
    wagtails = admin_menu._wagtail_config({"request": response.wsgi_request})
    with CaptureQueriesContext(connection) as queries:
        kept = wagtail_config(client)
    assert not [query for query in queries if "wagtailcore_locale" in query["sql"]]
    assert kept.pop("CSRF_TOKEN") and wagtails.pop("CSRF_TOKEN")
    assert json.loads(json.dumps(wagtails)) == kept
    assert kept["LOCALES"] and kept["KEYBOARD_SHORTCUTS_ENABLED"] is True
    assert kept["STRINGS"]["MONTHS"][0] == "一月"

    Locale.objects.create(language_code="en")
    assert "en" in [each["code"] for each in wagtail_config(client)["LOCALES"]]
    profile = UserProfile.get_for_user(clerk)
    profile.keyboard_shortcuts = False
    profile.save()
    assert wagtail_config(client)["KEYBOARD_SHORTCUTS_ENABLED"] is False
    profile.preferred_language = "en"
    profile.save()
    assert wagtail_config(client)["STRINGS"]["MONTHS"][0] == "January"
    client.logout()
    client.force_login(clerk)
    tokens = {wagtail_config(client)["CSRF_TOKEN"] for _time in range(2)}
    assert len(tokens) == 2  # masked anew on each screen, as Wagtail does


def test_the_readers_wagtail_profile_comes_with_their_account(client, clerk):
    """The admin reads the reader's Wagtail profile (theme, density, shortcuts) on every
    screen: it comes in the account's own query, and a change shows on the next screen."""
    client.get(LEDGER)
    with CaptureQueriesContext(connection) as queries:
        html = client.get(LEDGER).content.decode()
    profiles = [q["sql"] for q in queries if 'FROM "wagtailusers_userprofile"' in q["sql"]]
    assert not profiles and 'class="w-theme-system' in html  # none yet: Wagtail's defaults
    profile = UserProfile.get_for_user(clerk)
    profile.theme, profile.density = "dark", "snug"
    profile.save()
    with CaptureQueriesContext(connection) as queries:
        html = client.get(LEDGER).content.decode()
    assert not [q for q in queries if 'FROM "wagtailusers_userprofile"' in q["sql"]]
    assert 'class="w-theme-dark w-density-snug' in html
