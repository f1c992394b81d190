"""A plain listing's filters are Wagtail's drilldown, rendered once for what they show: the next
screen reads them kept, yet a new choice, a chosen filter, a wrong value or another language
shows at once. Their lists of records are kept until a table they read changes. The dialog of
keyboard shortcuts on every admin screen likewise."""

import re

import pytest
from django import forms
from django.contrib.auth.models import Group
from django.db import connection
from django.db.models.signals import post_delete
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from wagtail.admin.viewsets import viewsets
from wagtail.admin.viewsets.base import ViewSetGroup
from wagtail.models import Page
from wagtail.users.models import UserProfile

from cases.models import Category
from conftest import make_user
from owners.models import Estate, Unit, User
from portal import admin_listing, admin_menu

pytestmark = pytest.mark.django_db

LEDGER = "/admin/cases/"
WIDGETS = "django/forms/widgets/radio.html"


@pytest.fixture
def agent(staff, client):
    user = staff("Customer service")
    client.force_login(user)
    return user


def filters(response):
    """The filters' drilldown as the page gives it, and whether its widgets were rendered."""
    html = response.content.decode()
    start = html.index('<div\n                                id="filters-drilldown"')
    drilldown = html[start : html.index("</form>", start)]
    return drilldown, WIDGETS in [template.name for template in response.templates]


def test_the_filters_are_wagtails_rendered_once(client, agent):
    first, rendered = filters(client.get(LEDGER))
    assert rendered
    assert 'id="drilldown-id_status"' in first and 'class="w-drilldown__submenu"' in first
    assert 'name="category"' in first and "物业服务" in first and 'name="month"' in first
    again, rendered = filters(client.get(LEDGER))
    assert not rendered and again == first


def test_a_new_choice_shows_at_once(client, agent):
    client.get(LEDGER)
    Estate.objects.create(name="滨江新苑")
    Category.objects.create(name="装修管理", first_response_hours=24, resolution_hours=72)
    shown, rendered = filters(client.get(LEDGER))
    assert rendered and "滨江新苑" in shown and "装修管理" in shown


def handlers(client):
    """The ledger's list of first responders, by name, and the SQL the page cost."""
    with CaptureQueriesContext(connection) as queries:
        shown, _rendered = filters(client.get(LEDGER))
    start = shown.index('id="drilldown-id_first_responder"')
    select = shown[start : shown.index("</select>", start)]
    names = re.findall(r'<option value="\d+"[^>]*>([^<]+)</option>', select)
    return names, len(queries)


def test_the_lists_are_kept_until_a_table_they_read_changes(client, agent):
    """Estates, categories and handlers are read once; a renamed handler, one given or taken
    the role, a renamed category show on the next screen; signing in changes nothing shown."""
    handlers(client)
    names, kept = handlers(client)
    assert names == ["Customer service"] and kept <= 8
    with CaptureQueriesContext(connection) as queries:
        client.get(LEDGER)
    assert not [q for q in queries if "cases_category" in q["sql"] and "cases_case" not in q["sql"]]

    colleague = make_user("colleague", real_name="王小明")
    assert handlers(client)[0] == ["Customer service"]
    colleague.groups.add(Group.objects.get(name="Customer service"))
    names, fresh = handlers(client)
    assert names == ["Customer service", "王小明"] and fresh > kept
    colleague.real_name = "王晓明"
    colleague.save()
    assert handlers(client)[0] == ["Customer service", "王晓明"]
    colleague.last_login = timezone.now()
    colleague.save(update_fields=["last_login"])
    assert handlers(client)[1] == kept
    colleague.groups.clear()
    assert handlers(client)[0] == ["Customer service"]
    Category.objects.filter(name="物业服务").get().delete()
    assert "物业服务" not in filters(client.get(LEDGER))[0]


def plain_listings():
    def walk(items):
        for viewset in items:
            yield from walk(viewset.viewsets) if isinstance(viewset, ViewSetGroup) else [viewset]

    return [
        viewset
        for viewset in walk(viewsets.viewsets)
        if issubclass(getattr(viewset, "index_view_class", object), admin_listing.PlainListingMixin)
    ]


def test_every_plain_listings_lists_are_kept(client, monkeypatch):
    """A filter listing records of a table no app follows would be read on every screen: each
    app names the models its filters list (AppConfig.admin_choices)."""
    client.force_login(make_user("boss", is_superuser=True, is_staff=True))
    client.get("/admin/")
    listings = plain_listings()
    assert {"case_ledger", "repair_ledger", "bills", "owner_records"} <= {
        viewset.name for viewset in listings
    }
    read_afresh = []
    real = admin_listing._read_choices
    monkeypatch.setattr(
        admin_listing, "_read_choices", lambda choices: read_afresh.append(choices) or real(choices)
    )
    for viewset in listings:
        response = client.get(reverse(viewset.get_url_name("index")))
        assert response.status_code == 200, viewset.name
    assert [str(choices.queryset.query) for choices in read_afresh] == []


def test_the_chosen_filter_and_a_wrong_value_show(client, agent):
    plain, _rendered = filters(client.get(LEDGER))
    chosen, _rendered = filters(client.get(LEDGER, {"status": "closed"}))
    checked = re.compile(r'<input type="radio" name="status" value="closed"[^>]* checked')
    assert checked.search(chosen) and not checked.search(plain)
    assert filters(client.get(LEDGER))[0] == plain
    wrong, _rendered = filters(client.get(LEDGER, {"estate": "999999"}))
    assert "error-message" in wrong and "error-message" not in plain


def test_a_value_typed_is_rendered_each_time(client, agent):
    """Only choices are kept: nobody fills the shared cache by typing months."""
    for _time in range(2):
        shown, rendered = filters(client.get(LEDGER, {"month": "2026-11"}))
        assert rendered and 'value="2026-11"' in shown
    assert filters(client.get(LEDGER, {"status": "closed"}))[1]
    assert not filters(client.get(LEDGER, {"status": "closed"}))[1]


def test_each_language_has_its_own(client, agent):
    profile = UserProfile.get_for_user(agent)
    for language, heading, label in (("en", "Filter by", "Overdue"), ("zh-hans", "过滤", "已超时")):
        profile.preferred_language = language
        profile.save()
        shown, _rendered = filters(client.get(LEDGER))
        assert heading in shown and f"\n                    {label}\n" in shown


DIALOG = "wagtailadmin/shared/keyboard_shortcuts_dialog.html"


def shortcuts(client):
    html = client.get(LEDGER).content.decode()
    return html[html.index('id="keyboard-shortcuts-dialog"') :][:6000]


def test_the_keyboard_shortcuts_are_rendered_once(client, agent, monkeypatch):
    monkeypatch.setattr(admin_menu, "_dialogs", {})  # as a process that has rendered none
    first = client.get(LEDGER)
    again = client.get(LEDGER)
    assert DIALOG in [template.name for template in first.templates]
    assert DIALOG not in [template.name for template in again.templates]
    assert 'id="keyboard-shortcuts-dialog"' in again.content.decode()


def test_the_keyboard_shortcuts_follow_the_keyboard_the_language_and_the_setting(client, agent):
    assert "Ctrl + s" in shortcuts(client)
    mac = client.get(LEDGER, HTTP_USER_AGENT="Mozilla/5.0 (Macintosh; Intel Mac OS X 14_0)")
    assert "⌘ + s" in mac.content.decode()
    assert "Ctrl + s" in shortcuts(client)
    profile = UserProfile.get_for_user(agent)
    profile.preferred_language = "en"
    profile.save()
    assert "Save changes" in shortcuts(client)
    profile.keyboard_shortcuts = False
    profile.save()
    assert "Keyboard shortcuts are currently disabled" in shortcuts(client)


def listed(queryset, **options):
    field = forms.ModelChoiceField(queryset, **options)
    return [
        (str(value), str(label))
        for value, label in admin_listing.kept_choices(field.widget.choices)
    ]


def test_a_list_reading_a_table_nobody_follows_is_read_each_time(unit):
    """Units are no app's `admin_choices`: a list of estates read through a subquery of units
    is not kept, so a unit added with no signal shows at once; an empty list is just the
    empty choice."""
    with_units = Estate.objects.filter(pk__in=Unit.objects.values("estate"))
    added = Estate.objects.create(name="滨江新苑")
    assert listed(with_units) == [("", "---------"), (str(unit.estate.pk), unit.estate.name)]
    Unit.objects.bulk_create([Unit(estate=added, building="1", number="101")])  # no signal
    assert (str(added.pk), "滨江新苑") in listed(with_units)
    assert listed(Estate.objects.none()) == [("", "---------")]


def test_lists_differ_by_what_their_values_are(estate):
    by_key, by_name = (
        listed(Estate.objects.all()),
        listed(Estate.objects.all(), to_field_name="name"),
    )
    assert (str(estate.pk), estate.name) in by_key and (estate.name, estate.name) in by_name


def test_a_page_renamed_shows_at_once(home_page):
    """Every kind of page is followed (a page's save is sent by its own class)."""
    pages = Page.objects.filter(depth__gt=1)
    assert (str(home_page.pk), home_page.title) in listed(pages)
    home_page.title = "金都首页"
    home_page.save()
    assert (str(home_page.pk), "金都首页") in listed(pages)


def test_the_rows_of_many_to_many_fields_keep_djangos_fast_deletes():
    for through in (User.groups.through, Group.permissions.through):
        assert not post_delete.has_listeners(through)
