"""Admin spreadsheets never carry a live formula from what someone typed: CSV cells that a
spreadsheet app would run start with an apostrophe, XLSX cells are text; numbers stay numbers."""

import csv
import io
from datetime import UTC, datetime

import pytest
from django.urls import get_resolver, resolve, reverse
from django.urls.resolvers import URLResolver
from openpyxl import load_workbook
from wagtail.admin.views.mixins import SpreadsheetExportMixin
from wagtail.models import Page

from cases import casework
from cases.models import Case, Category
from club import membership, points, referrals
from club.models import ClubPage, SurveyField, SurveyPage
from club.tests.conftest import verified
from owners import claims
from owners.models import Unit
from portal.exports import SafeSpreadsheetExportMixin, neutralise

pytestmark = pytest.mark.django_db

LINK = '=HYPERLINK("http://x.example","click")'
DDE = "+cmd|' /C calc'!A0"


def download(client, url, export, **query):
    response = client.get(url, {"export": export, **query})
    assert response.status_code == 200, response
    return b"".join(response.streaming_content)


def csv_rows(client, url, **query):
    text = download(client, url, "csv", **query).decode("utf-8-sig")
    return list(csv.reader(io.StringIO(text)))


def xlsx_cells(client, url, **query):
    sheet = load_workbook(io.BytesIO(download(client, url, "xlsx", **query))).active
    return [list(row) for row in sheet.iter_rows(min_row=2)]


@pytest.mark.parametrize(
    ("typed", "in_csv"),
    [
        (LINK, "'" + LINK),
        (DDE, "'" + DDE),
        ("-1+2", "'-1+2"),
        ("@SUM(1,2)", "'@SUM(1,2)"),
        ("\t=1", "'\t=1"),
        ("＝1+1", "'＝1+1"),
        ("卫生间漏水", "卫生间漏水"),
        ("-200", "-200"),
        ("2+2", "2+2"),
    ],
)
def test_what_is_neutralised_and_what_is_left(typed, in_csv):
    assert neutralise(typed) == in_csv
    assert neutralise(-200) == -200


def test_a_formula_in_a_case_subject_stays_text_in_the_ledger(client, verified_owner, staff):
    casework.file_case(
        verified_owner,
        kind="complaint",
        category=Category.objects.get(name="维修报修"),
        subject=LINK,
        description="……",
    )
    client.force_login(staff("Customer service"))
    ledger = reverse("case_ledger:index")

    _header, *rows = csv_rows(client, ledger)
    assert [row[7] for row in rows] == ["'" + LINK]  # the subject column
    assert all(not cell.startswith("=") for row in rows for cell in row)

    subject = next(cell for cell in xlsx_cells(client, ledger)[0] if cell.value == LINK)
    assert subject.data_type == "s"  # text, never a formula


@pytest.fixture
def adjusted(staff, estate):
    """A member whose points were taken down by 200 with a reason that looks like a formula."""

    desk = staff("Club staff")
    user = verified("m", Unit.objects.order_by("pk").first())
    member = membership.approve(membership.apply(user), desk)
    points.award(member, "event", key="top-up", points=500)
    points.adjust(member, -200, reason=DDE, by=desk, key="fix")
    return desk, member


def test_points_deductions_stay_numbers_and_reasons_stay_text(client, adjusted):
    desk, member = adjusted
    client.force_login(desk)
    ledger = reverse("club_points:index")

    _header, *rows = csv_rows(client, ledger)
    fix = next(row for row in rows if row[6] == "fix")  # created_at, member, kind, delta, …, key
    assert fix[3] == "-200"
    assert fix[5] == "'" + DDE

    cells = next(row for row in xlsx_cells(client, ledger) if any(c.value == "fix" for c in row))
    deltas = [cell for cell in cells if cell.value == -200]
    assert deltas and deltas[0].data_type == "n"  # still a number to add up
    reason = next(cell for cell in cells if cell.value == DDE)
    assert reason.data_type == "s"


def test_a_buyer_name_typed_by_a_member_in_the_referrals_export(client, adjusted):
    desk, member = adjusted
    referrals.refer(member, buyer_name=LINK, buyer_mobile="13700137000", development="@滨江府")
    client.force_login(desk)
    header, *rows = csv_rows(client, reverse("club_referrals:index"))
    assert "'" + LINK in rows[0] and "'@滨江府" in rows[0]


def test_survey_answers_are_exported_as_text(client, member_with_answer):
    survey, admin = member_with_answer
    client.force_login(admin)
    url = reverse("wagtailforms:list_submissions", args=[survey.pk])
    header, *rows = csv_rows(client, url)
    assert "'" + LINK in rows[0]
    cells = xlsx_cells(client, url)[0]
    assert next(cell for cell in cells if cell.value == LINK).data_type == "s"


@pytest.fixture
def member_with_answer(client, estate, staff):

    home = Page.objects.get(depth=2)
    club = home.add_child(instance=ClubPage(title="金都会", slug="club"))
    survey = SurveyPage(title="满意度调查", slug="survey")
    survey.form_fields = [SurveyField(label="建议", field_type="singleline", required=True)]
    club.add_child(instance=survey)
    survey.save_revision().publish()
    owner = verified("answerer", Unit.objects.order_by("pk").first())
    client.force_login(owner)
    name = survey.get_form_fields()[0].clean_name
    assert client.post(survey.url, {name: LINK}).status_code == 200
    admin = staff("Club staff")
    admin.is_superuser = True
    admin.save()
    return survey, admin


def test_wagtails_site_history_exports_owners_names_as_text(client, owner, unit, staff):
    """A claim is logged under the owner's name, as the owner typed it."""

    owner.real_name = LINK
    owner.save()
    claims.submit_claim(owner, unit, role="owner", proof="HT-1")
    manager = staff("Managers")
    manager.is_superuser = True
    manager.save()
    client.force_login(manager)
    header, *rows = csv_rows(client, reverse("wagtailadmin_reports:site_history"))
    labels = [row[1] for row in rows]
    assert any(label.startswith("'" + LINK) for label in labels), labels
    assert not any(cell.startswith("=") for row in rows for cell in row)


def export_routes(patterns=None, prefix=""):
    """(route, view class) for every URL whose view writes spreadsheets. (Form submissions
    are served through a function that asks the page: see the survey test.)"""
    for pattern in get_resolver().url_patterns if patterns is None else patterns:
        route = prefix + str(pattern.pattern)
        if isinstance(pattern, URLResolver):
            yield from export_routes(pattern.url_patterns, route)
            continue
        view_class = getattr(pattern.callback, "view_class", None)
        if view_class is None or not issubclass(view_class, SpreadsheetExportMixin):
            continue
        initkwargs = getattr(pattern.callback, "view_initkwargs", {})
        if view_class.list_export or initkwargs.get("list_export"):
            yield route, view_class


#: Exports with nothing an owner typed: redirects are paths editors enter, which Wagtail
#: stores starting with "/".
EDITORS_ONLY = {"admin/redirects/", "admin/redirects/results/"}


def test_every_spreadsheet_export_in_the_admin_is_neutralised():
    """Our listings and Wagtail's reports alike: what answers at each export address (a
    Wagtail report's own pattern is answered by the one placed before it)."""
    found = []
    for route, view_class in export_routes():
        if route in EDITORS_ONLY:
            continue
        if "<" not in route:
            view_class = resolve("/" + route).func.view_class
        found.append(route)
        assert issubclass(view_class, SafeSpreadsheetExportMixin), route
    assert "admin/cases/" in found and "admin/reports/site-history/" in found


def test_spreadsheets_speak_the_staffs_language_in_beijing_time(
    client, verified_owner, staff, other_owner, unit
):
    case = casework.file_case(
        verified_owner,
        kind="complaint",
        category=Category.objects.get(name="维修报修"),
        subject="电梯异响",
        description="……",
    )
    filed = datetime(2026, 12, 2, 2, 0, tzinfo=UTC)  # 10:00 in Beijing
    Case.objects.filter(pk=case.pk).update(created_at=filed)
    client.force_login(staff("Customer service"))
    ledger = reverse("case_ledger:index")

    text = download(client, ledger, "csv").decode("utf-8")
    assert text.startswith("\ufeff")  # Excel and WPS on Chinese Windows read it as UTF-8
    header, row = list(csv.reader(io.StringIO(text.removeprefix("\ufeff"))))
    cells = dict(zip(header, row, strict=True))
    assert cells["编号"] == case.reference
    assert (cells["提交时间"], cells["类型"], cells["状态"]) == (
        "2026-12-02 10:00",
        "投诉",
        "待受理",
    )
    assert cells["发件人未验证"] == "否"
    assert not {"complaint", "new", "False"} & set(row)

    sheet = load_workbook(io.BytesIO(download(client, ledger, "xlsx"))).active
    header, row = ([cell.value for cell in line] for line in sheet.iter_rows())
    cells = dict(zip(header, row, strict=True))
    assert cells["提交时间"] == datetime(2026, 12, 2, 10, 0)  # a real date cell, local time
    assert (cells["类型"], cells["状态"]) == ("投诉", "待受理")

    # A column named by a dotted path is headed by the field's name, never the path.
    claims.submit_claim(other_owner, unit, role="tenant", proof="HT-1")
    header, *rows = csv_rows(client, reverse("claims:index"))
    assert "owner.email" not in header and "电子邮件地址" in header
