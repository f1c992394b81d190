"""Customer service imports an estate's units from CSV: every row or none."""

from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from wagtail.models import ModelLogEntry

from owners.models import Estate, Unit

pytestmark = pytest.mark.django_db

IMPORT_URL = reverse("units:import")


@pytest.fixture
def empty_estate(db):
    return Estate.objects.create(name="金都·云栖府", city="杭州")


def upload(client, estate, text, encoding="utf-8"):
    file = SimpleUploadedFile("units.csv", text.encode(encoding), content_type="text/csv")
    return client.post(IMPORT_URL, {"estate": estate.pk, "file": file})


@pytest.fixture
def service_client(client, staff):
    client.force_login(staff("Customer service"))
    return client


def test_import_creates_the_units_and_logs_it(service_client, empty_estate):
    response = upload(
        service_client,
        empty_estate,
        "building,number,floor_area\n1栋,0101,89.5\n1栋,0102,108.20\n2栋,0101,\n",
    )
    assert response.status_code == 302
    units = Unit.objects.filter(estate=empty_estate).order_by("building", "number")
    assert [(u.building, u.number, u.floor_area) for u in units] == [
        ("1栋", "0101", Decimal("89.50")),
        ("1栋", "0102", Decimal("108.20")),
        ("2栋", "0101", None),
    ]
    assert ModelLogEntry.objects.filter(action="owners.units.import").count() == 1


def test_chinese_headers_and_a_gbk_file_from_excel(service_client, empty_estate):
    upload(
        service_client, empty_estate, "楼栋,房号,建筑面积\r\n3栋,1201,125.6\r\n", encoding="gb18030"
    )
    assert Unit.objects.get(estate=empty_estate).building == "3栋"


def test_importing_again_updates_areas_without_duplicating(service_client, empty_estate):
    upload(service_client, empty_estate, "building,number,floor_area\n1栋,0101,89.5\n")
    upload(service_client, empty_estate, "building,number,floor_area\n1栋,0101,90\n1栋,0102,91\n")
    assert Unit.objects.filter(estate=empty_estate).count() == 2
    assert Unit.objects.get(estate=empty_estate, number="0101").floor_area == Decimal("90.00")


def test_bad_rows_are_reported_by_line_and_nothing_is_imported(service_client, empty_estate):
    response = upload(
        service_client,
        empty_estate,
        "building,number,floor_area\n"
        "1栋,0101,89.5\n"  # line 2: fine
        ",0102,90\n"  # line 3: no building
        "1栋,0103,abc\n"  # line 4: not a number
        "1栋,0101,89.5\n"  # line 5: duplicate of line 2
        "1栋,,90\n",  # line 6: no unit number
    )
    assert response.status_code == 200
    html = response.content.decode()
    for line in (3, 4, 5, 6):
        assert f"<li>第 {line} 行: " in html
    assert "<li>第 2 行" not in html
    assert "与第 2 行重复。" in html and "建筑面积“abc”不是有效的平方米数。" in html
    assert not Unit.objects.filter(estate=empty_estate).exists()


def test_a_file_without_the_right_header_is_refused(service_client, empty_estate):
    response = upload(service_client, empty_estate, "a,b,c\n1,2,3\n")
    assert response.status_code == 200
    assert not Unit.objects.filter(estate=empty_estate).exists()


def test_a_file_that_is_not_text_is_refused(service_client, empty_estate):
    file = SimpleUploadedFile("units.csv", bytes(range(256)) * 4, content_type="text/csv")
    response = service_client.post(IMPORT_URL, {"estate": empty_estate.pk, "file": file})
    assert response.status_code == 200
    assert not Unit.objects.filter(estate=empty_estate).exists()


def test_only_staff_with_the_import_permission_may_import(client, staff, empty_estate):
    client.force_login(staff("Club staff"))
    response = upload(client, empty_estate, "building,number\n1栋,0101\n")
    assert response.status_code in (302, 403)
    assert not Unit.objects.filter(estate=empty_estate).exists()


def test_the_unit_list_offers_the_import_to_those_allowed(service_client):
    html = service_client.get(reverse("units:index")).content.decode()
    assert IMPORT_URL in html


def test_an_area_that_rounds_out_of_range_is_refused(service_client, empty_estate):
    response = upload(
        service_client, empty_estate, "building,number,floor_area\n1栋,0101,99999.999\n"
    )
    assert response.status_code == 200 and not Unit.objects.filter(estate=empty_estate).exists()


def test_the_use_column_says_which_units_are_shops_and_offices(service_client, empty_estate):
    upload(
        service_client, empty_estate, "楼栋,房号,建筑面积,用途\n1栋,0101,89,住宅\nS1,101,45,商铺\n"
    )
    units = {u.number: u.use for u in Unit.objects.filter(estate=empty_estate)}
    assert units == {"0101": "residential", "101": "shop"}
    # Again without the column: the uses stay; with a new one, it changes.
    upload(service_client, empty_estate, "building,number,floor_area\nS1,101,46\n")
    assert Unit.objects.get(number="101").use == "shop"
    upload(service_client, empty_estate, "building,number,floor_area,use\nS1,101,46,office\n")
    assert Unit.objects.get(number="101").use == "office"
    # A use the site does not know: the line is named, nothing changes.
    response = upload(service_client, empty_estate, "building,number,use\nS1,101,仓库\n")
    assert "仓库" in response.content.decode()
    assert Unit.objects.get(number="101").use == "office"
