"""The owner archive (客户档案): records without an account, ID numbers encrypted and masked,
units with roles and dates changed only by recorded procedures, confirmation slips, the link to
an account that verifies the same mobile or email, and who sees what."""

import datetime
import io
import zipfile

import openpyxl
import pytest
from allauth.account.models import EmailAddress
from allauth.account.signals import email_confirmed
from allauth.mfa.totp.internal.auth import TOTP
from django.contrib.auth.models import Permission
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation
from pypdf import PdfReader

from cases.models import Case, Category
from conftest import TOTP_SECRET, make_user
from owners import archive, paper, privacy
from owners import claims as claim_rules
from owners.models import DataExport, OwnerRecord, OwnershipClaim, Unit, UnitEvent
from owners.models.archive import Occupancy
from owners.unit_import import UnitImportError, import_units
from portal.adapters import AccountAdapter

pytestmark = pytest.mark.django_db
ZH = {"HTTP_ACCEPT_LANGUAGE": "zh-hans"}
VALID_ID = "330106198503071238"
DAY = datetime.date(2024, 3, 1)


@pytest.fixture
def desk(staff):
    return staff("Customer service")


@pytest.fixture
def units(estate):
    return {u.number: u for u in Unit.objects.filter(estate=estate, building="3栋")}


def record(desk, name, mobile="", **fields):
    return archive.save_record(OwnerRecord(name=name, mobile=mobile, **fields), desk)


def pdf_text(data):
    return "".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)


def test_the_desk_creates_a_record_without_an_account_and_the_id_is_kept_encrypted(
    client, desk, staff
):
    client.force_login(desk)
    form = {
        "name": "陈伟",
        "mobile": "13500135008",
        "email": "",
        "id_type": "resident",
        "id_number": VALID_ID,
        "emergency_contact": "",
        "emergency_phone": "",
        "postcode": "310012",
        "postal_address": "杭州市西湖区文三西路 888 号",
        "printed_mail": "on",
        "remarks": "",
        "vehicles-TOTAL_FORMS": "1",
        "vehicles-INITIAL_FORMS": "0",
        "vehicles-MIN_NUM_FORMS": "0",
        "vehicles-MAX_NUM_FORMS": "1000",
        "vehicles-0-plate": "浙a·8d921",
        "vehicles-0-description": "",
        "vehicles-0-parking_space": "B1-036",
        "vehicles-0-id": "",
        "vehicles-0-ORDER": "0",
        "vehicles-0-DELETE": "",
    }
    # A mistyped ID number: a clear message, nothing saved.
    wrong = client.post(
        reverse("owner_records:add"), {**form, "id_number": VALID_ID[:-1] + "1"}, **ZH
    )
    assert wrong.status_code == 200 and "最后一位" in wrong.content.decode()
    assert not OwnerRecord.objects.exists()

    response = client.post(reverse("owner_records:add"), form, **ZH)
    person = OwnerRecord.objects.get()
    assert response.status_code == 302 and response["Location"].endswith(f"/{person.pk}/")
    assert person.user is None and person.created_by == desk
    assert [v.plate for v in person.vehicles.all()] == ["浙A8D921"]
    with connection.cursor() as cursor:
        cursor.execute("SELECT id_number FROM owners_ownerrecord")
        (stored,) = cursor.fetchone()
    assert VALID_ID not in stored and OwnerRecord.objects.get().id_number == VALID_ID

    # Customer service sees it masked, managers in full.
    page = client.get(reverse("owner_records:inspect", args=[person.pk]), **ZH).content.decode()
    assert "3301**********1238" in page and VALID_ID not in page
    edit = client.get(reverse("owner_records:edit", args=[person.pk]), **ZH).content.decode()
    assert VALID_ID not in edit and "3301**********1238" in edit
    client.force_login(staff("Managers"))
    page = client.get(reverse("owner_records:inspect", args=[person.pk]), **ZH).content.decode()
    assert VALID_ID in page

    # Typed twice: the second record is refused and points to the first.
    client.force_login(desk)
    twice = client.post(reverse("owner_records:add"), {**form, "name": "陈 伟"}, **ZH)
    assert "陈伟" in twice.content.decode() and OwnerRecord.objects.count() == 1


def test_an_edit_by_someone_who_sees_the_id_masked_keeps_it(client, desk):
    person = record(desk, "陈伟", id_type="resident", id_number=VALID_ID)
    client.force_login(desk)
    url = reverse("owner_records:edit", args=[person.pk])
    form = {
        "name": "陈伟",
        "mobile": "13500135008",
        "email": "",
        "id_type": "resident",
        "id_number": "",
        "emergency_contact": "",
        "emergency_phone": "",
        "postcode": "",
        "postal_address": "",
        "remarks": "",
        "vehicles-TOTAL_FORMS": "0",
        "vehicles-INITIAL_FORMS": "0",
        "vehicles-MIN_NUM_FORMS": "0",
        "vehicles-MAX_NUM_FORMS": "1000",
    }
    assert client.post(url, form, **ZH).status_code == 302
    person.refresh_from_db()
    assert person.id_number == VALID_ID and person.mobile == "13500135008"
    assert not person.printed_mail


def test_a_unit_s_history_handover_move_in_letting_and_change_of_owner(desk, units):
    unit = units["1201"]
    buyer, spouse, child = (record(desk, n) for n in ("王建国", "刘芳", "王小宇"))
    tenant, new_owner = record(desk, "赵磊"), record(desk, "林晓")

    archive.hand_over(unit, desk, owners=[buyer, spouse], on=datetime.date(2019, 6, 18))
    unit.refresh_from_db()
    assert unit.handed_over_on == datetime.date(2019, 6, 18)  # warranties count from it
    roles = dict(Occupancy.objects.filter(unit=unit).values_list("record__name", "role"))
    assert roles == {"王建国": "owner", "刘芳": "co_owner"}
    archive.move_in(unit, desk, household=[(child, "子女")], on=datetime.date(2019, 10, 1))
    archive.let(unit, desk, tenants=[tenant], on=DAY)
    archive.end_tenancy(unit, desk, on=datetime.date(2025, 2, 28))

    archive.transfer(unit, desk, owners=[new_owner], on=datetime.date(2025, 9, 10), note="过户")
    now = Occupancy.objects.filter(unit=unit, until__isnull=True)
    assert [(o.record.name, o.role) for o in now] == [("林晓", "owner")]
    before = Occupancy.objects.filter(unit=unit, until=datetime.date(2025, 9, 10))
    assert {o.record.name for o in before} == {"王建国", "刘芳", "王小宇"}
    event = UnitEvent.objects.get(kind="transfer")
    assert {p.name for p in event.previous.all()} == {"王建国", "刘芳", "王小宇"}
    assert [p.name for p in event.people.all()] == ["林晓"] and event.recorded_by == desk
    assert list(UnitEvent.objects.filter(unit=unit).values_list("kind", flat=True)) == [
        "transfer",
        "tenancy_end",
        "let",
        "move_in",
        "handover",
    ]
    assert unit.handed_over_on == datetime.date(2019, 6, 18)


@pytest.mark.parametrize(
    "attempt, message",
    [
        (lambda u, d, p: archive.let(u["0101"], d, tenants=[p], on=DAY), "交房"),
        (lambda u, d, p: archive.transfer(u["0101"], d, owners=[p], on=DAY), "交房"),
        (lambda u, d, p: archive.end_tenancy(u["0101"], d, on=DAY), "租户"),
        (
            lambda u, d, p: archive.hand_over(
                u["0101"], d, owners=[p], on=timezone.localdate() + datetime.timedelta(days=1)
            ),
            "今天",
        ),
        (lambda u, d, p: archive.hand_over(u["0101"], d, owners=[p, p], on=DAY), "两次"),
    ],
)
def test_procedures_that_do_not_fit_the_unit_are_refused_and_change_nothing(
    desk, units, attempt, message
):
    person = record(desk, "郑敏")
    with translation.override("zh-hans"), pytest.raises(archive.ArchiveError) as refused:
        attempt(units, desk, person)
    assert message in str(refused.value)
    assert not Occupancy.objects.exists() and not UnitEvent.objects.exists()
    assert Unit.objects.get(pk=units["0101"].pk).handed_over_on is None


def test_a_second_handover_and_a_tenant_made_owner_are_refused(desk, units):
    owner, tenant = record(desk, "陈伟"), record(desk, "赵磊")
    archive.hand_over(units["0201"], desk, owners=[owner], on=datetime.date(2019, 7, 2))
    archive.let(units["0201"], desk, tenants=[tenant], on=DAY)
    with pytest.raises(archive.ArchiveError):
        archive.hand_over(units["0201"], desk, owners=[tenant], on=DAY)
    with pytest.raises(archive.ArchiveError):
        archive.transfer(units["0201"], desk, owners=[tenant], on=DAY)
    with pytest.raises(archive.ArchiveError):
        archive.transfer(units["0201"], desk, owners=[owner], on=DAY)
    assert UnitEvent.objects.count() == 2


def test_only_the_desk_records_procedures(units, staff, desk):
    person = record(desk, "陈伟")
    with pytest.raises(PermissionDenied):
        archive.hand_over(units["0201"], staff("Club staff"), owners=[person], on=DAY)


def test_a_procedure_at_the_desk_prints_its_slip_and_keeps_the_signed_scan(
    client, desk, units, staff
):
    person = record(desk, "陈伟", mobile="13500135008", id_type="resident", id_number=VALID_ID)
    co_owner = record(desk, "李娜")
    client.force_login(desk)
    url = reverse("owner_records:inspect", args=[person.pk])
    done = client.post(
        url,
        {
            "action": "procedure",
            "kind": "handover",
            "unit": units["0201"].pk,
            "on": "2019-07-02",
            "second": co_owner.pk,
            "note": "钥匙三把",
        },
        **ZH,
    )
    assert done.status_code == 302
    event = UnitEvent.objects.get()
    assert event.kind == "handover" and {p.name for p in event.people.all()} == {"陈伟", "李娜"}

    slip = client.get(reverse("owner_records:slip", args=[event.pk]))
    assert slip["Content-Type"] == "application/pdf"
    text = pdf_text(slip.content)
    for words in (
        "金都·翠湖苑",
        "新接房客户确认单",
        "3栋 0201",
        "陈伟",
        "李娜",
        "产权人",
        "共有人",
    ):
        assert words in text
    assert "3301**********1238" in text and VALID_ID not in text
    assert "13500135008" in text and "2019-07-02" in text and "钥匙三把" in text

    # The signed slip comes back as a scan: kept privately, served to staff only.
    scan = SimpleUploadedFile("scan.pdf", slip.content, content_type="application/pdf")
    kept = client.post(url, {"action": "slip", "event": event.pk, "scan": scan}, **ZH)
    assert kept.status_code == 302
    event.refresh_from_db()
    assert event.signed_slip.name.startswith("archive/slips/") and event.slip_uploaded_by == desk
    signed = client.get(reverse("owner_records:signed_slip", args=[event.pk]))
    assert signed.status_code == 200 and b"".join(signed.streaming_content).startswith(b"%PDF")
    bad = SimpleUploadedFile("scan.pdf", b"not a scan", content_type="application/pdf")
    refused = client.post(url, {"action": "slip", "event": event.pk, "scan": bad}, **ZH)
    assert refused.status_code == 200
    event.refresh_from_db()
    assert event.signed_slip.name.startswith("archive/slips/")

    client.logout()
    assert client.get(reverse("owner_records:signed_slip", args=[event.pk])).status_code == 302
    owner = make_user("chenwei", mobile="13500135008")
    client.force_login(owner)
    assert client.get(reverse("owner_records:slip", args=[event.pk])).status_code in (302, 403)


def test_an_account_that_verifies_the_mobile_on_record_is_linked_and_its_homes_verified(
    desk, units
):
    person = record(desk, "陈伟", mobile="13500135008")
    archive.hand_over(units["0201"], desk, owners=[person], on=datetime.date(2019, 7, 2))
    account = make_user("chenwei", mobile="13500135008", mobile_verified=False)
    AccountAdapter().set_phone_verified(account, "+8613500135008")
    person.refresh_from_db()
    account.refresh_from_db()
    assert person.user == account and account.is_verified_owner
    claim = OwnershipClaim.objects.get(owner=account)
    assert claim.unit == units["0201"] and claim.status == "approved" and claim.role == "owner"


def test_a_record_made_after_the_account_links_at_once(desk):
    account = make_user("linxiao", mobile="13500135011")
    person = record(desk, "林晓", mobile="13500135011")
    assert person.user == account


def test_when_two_records_share_the_mobile_staff_choose(client, desk, staff):
    first = record(desk, "王建国", mobile="13800138001")
    second = record(desk, "王小宇", mobile="13800138001")  # a child on the father's number
    account = make_user("wangjianguo", mobile="13800138001", mobile_verified=False)
    AccountAdapter().set_phone_verified(account, "+8613800138001")
    assert not OwnerRecord.objects.filter(user__isnull=False).exists()

    client.force_login(desk)
    url = reverse("owner_records:inspect", args=[first.pk])
    page = client.get(url, **ZH).content.decode()
    assert "关联此账号" in page
    assert client.post(url, {"action": "link", "account": account.pk}, **ZH).status_code == 302
    first.refresh_from_db()
    assert first.user == account
    # The account is taken: the other record no longer offers it.
    again = client.post(
        reverse("owner_records:inspect", args=[second.pk]),
        {"action": "link", "account": account.pk},
        **ZH,
    )
    assert again.status_code == 200
    assert OwnerRecord.objects.get(pk=second.pk).user is None


def test_a_confirmed_email_links_too(desk):
    person = record(desk, "周丽", email="zhouli@example.com")
    account = make_user("zhouli", email="zhouli@example.com", verified_email=False)
    address = EmailAddress.objects.get(user=account)
    address.set_verified(commit=True)
    email_confirmed.send(sender=EmailAddress, request=None, email_address=address)
    person.refresh_from_db()
    assert person.user == account


def test_who_sees_what(client, desk, staff, units):
    person = record(desk, "陈伟", mobile="13500135008", postal_address="文三西路 888 号")
    archive.hand_over(units["0201"], desk, owners=[person], on=DAY)
    index = reverse("owner_records:index")

    # Club staff see phone numbers (they phone members) but change nothing.
    client.force_login(staff("Club staff"))
    assert "13500135008" in client.get(index, **ZH).content.decode()
    assert client.get(reverse("owner_records:edit", args=[person.pk])).status_code in (302, 403)

    # Someone who may read the archive but not the contacts sees numbers masked, no export.
    reader = make_user("reader", groups=[])
    reader.user_permissions.add(
        *Permission.objects.filter(codename__in=["access_admin", "view_ownerrecord"])
    )
    reader.is_staff = True
    reader.save()
    TOTP.activate(reader, TOTP_SECRET)  # staff sign in with a second step
    client.force_login(reader)
    listing = client.get(index, **ZH).content.decode()
    assert "135****5008" in listing and "13500135008" not in listing
    assert "下载 XLSX" not in listing
    refused = client.get(index, {"export": "xlsx"})  # the admin's "no permission": back home
    assert refused.status_code == 302 and refused["Location"] == "/admin/"
    page = client.get(reverse("owner_records:inspect", args=[person.pk]), **ZH).content.decode()
    assert "13500135008" not in page and "文三西路" not in page
    assert client.get(reverse("owner_records:labels"))["Location"] == "/admin/"

    # Technicians have no admin; owners neither.
    client.force_login(make_user("tech", groups=["Technicians"]))
    assert client.get(index).status_code in (302, 403)
    client.force_login(make_user("someone", mobile="13900139001"))
    assert client.get(index).status_code in (302, 403)


def test_the_list_filters_by_estate_building_role_and_date_and_exports(client, desk, units):
    owner, tenant = record(desk, "陈伟", mobile="13500135008"), record(desk, "赵磊")
    other = record(desk, "周丽", mobile="13600136001")
    archive.hand_over(units["0201"], desk, owners=[owner], on=datetime.date(2019, 7, 2))
    archive.let(units["0201"], desk, tenants=[tenant], on=DAY)
    archive.hand_over(units["0101"], desk, owners=[other], on=datetime.date(2019, 6, 20))
    client.force_login(desk)
    index = reverse("owner_records:index")

    def names(**query):
        response = client.get(index, query, **ZH)
        return {p.name for p in response.context["object_list"]}

    assert names(role="tenant") == {"赵磊"}
    assert names(role="owner", since_from="2019-07-01") == {"陈伟"}
    assert names(building="3栋") == {"陈伟", "赵磊", "周丽"}
    assert names(building="1栋") == set()
    assert names(q="1350013") == {"陈伟"}

    sheet = client.get(index, {"export": "xlsx", "role": "owner"})
    data = b"".join(sheet.streaming_content)
    rows = list(openpyxl.load_workbook(io.BytesIO(data)).active.values)
    assert rows[0][:4] == ("姓名", "房屋与身份", "开始时间", "手机号")
    assert {row[0] for row in rows[1:]} == {"陈伟", "周丽"}
    assert "13500135008" in {row[3] for row in rows[1:]}


def test_address_labels_and_the_mailing_list_leave_out_who_wants_no_printed_mail(
    client, desk, units
):
    wants = record(desk, "陈伟", postcode="310012", postal_address="文三西路 888 号 3栋0201")
    declines = record(desk, "周丽", postal_address="文三西路 888 号 3栋0101", printed_mail=False)
    archive.hand_over(units["0201"], desk, owners=[wants], on=DAY)
    archive.hand_over(units["0101"], desk, owners=[declines], on=DAY)
    client.force_login(desk)
    url = reverse("owner_records:labels")
    labels = client.post(url, {"format": "pdf"})
    assert labels["Content-Type"] == "application/pdf"
    text = pdf_text(labels.content)
    assert "陈伟" in text and "310012" in text and "周丽" not in text
    sheet = client.post(url, {"format": "xlsx"})
    rows = list(openpyxl.load_workbook(io.BytesIO(sheet.content)).active.values)
    assert [row[0] for row in rows[1:]] == ["陈伟"]


def test_visits_are_recorded_at_the_desk(client, desk):
    person = record(desk, "陈伟")
    client.force_login(desk)
    url = reverse("owner_records:inspect", args=[person.pk])
    empty = client.post(url, {"action": "visit", "kind": "visit", "subject": " "}, **ZH)
    assert empty.status_code == 200 and not person.visits.exists()
    client.post(url, {"action": "visit", "kind": "call", "subject": "咨询车位续租"}, **ZH)
    visit = person.visits.get()
    assert visit.kind == "call" and visit.served_by == desk
    assert "咨询车位续租" in client.get(url, **ZH).content.decode()


def test_the_list_the_record_and_the_unit_ask_the_same_queries_for_10_or_1000_people(
    client, desk, estate
):
    client.force_login(desk)
    first = record(desk, "首位", mobile="13500000000")
    homes = list(Unit.objects.filter(estate=estate))
    archive.hand_over(homes[0], desk, owners=[first], on=DAY)
    index = reverse("owner_records:index")
    pages = [
        index,
        index + "?role=owner&building=1栋",
        reverse("owner_records:inspect", args=[first.pk]),
        reverse("units:inspect", args=[homes[0].pk]),
    ]

    def queries():
        counts = []
        for address in pages:
            client.get(address)
            with CaptureQueriesContext(connection) as seen:
                assert client.get(address).status_code == 200
            counts.append(len(seen))
        return counts

    def people(n, offset):
        """`n` more people with a home each (and the first unit's household), as an import
        would leave them."""
        made = OwnerRecord.objects.bulk_create(
            OwnerRecord(name=f"客户{offset + i}", mobile=f"139{offset + i:08d}") for i in range(n)
        )
        Occupancy.objects.bulk_create(
            Occupancy(
                record=person,
                unit=homes[1 + i % (len(homes) - 1)] if i % 3 else homes[0],
                role="owner" if i % 3 == 1 else ("tenant" if i % 3 == 2 else "family"),
                since=DAY,
            )
            for i, person in enumerate(made)
        )
        for i in range(min(n, 30)):
            archive.record_visit(first, desk, kind="call", subject=f"来电{offset + i}")

    people(9, 0)
    few = queries()
    people(991, 100)
    assert OwnerRecord.objects.count() == 1001
    assert queries() == few


def test_a_case_recorded_for_a_person_of_the_archive_is_also_their_visit(client, desk, units):
    category = Category.objects.create(name="公共设施", first_response_hours=4, resolution_hours=48)
    person = record(desk, "陈伟", mobile="13500135008")
    archive.hand_over(units["0201"], desk, owners=[person], on=DAY)
    client.force_login(desk)
    url = reverse("case_ledger:phone")
    form = client.get(url, {"record": person.pk}, **ZH).context["form"]
    assert form.initial["caller"] == "陈伟 13500135008" and form.initial["unit"] == units["0201"].pk
    response = client.post(
        url,
        {
            "record": person.pk,
            "came": "visit",
            "caller": "陈伟 13500135008",
            "kind": "complaint",
            "category": category.pk,
            "unit": units["0201"].pk,
            "subject": "楼道灯不亮",
            "description": "3栋 2 楼楼道灯坏了一周",
        },
        **ZH,
    )
    case = Case.objects.get()
    assert response.status_code == 302 and case.unit == units["0201"]
    visit = person.visits.get()
    assert visit.kind == "visit" and visit.subject == "楼道灯不亮"
    assert case.reference in visit.outcome
    # Without a record the form asks nothing about the visit.
    assert "came" not in client.get(url, **ZH).context["form"].fields


def test_the_owner_sees_their_visits_gets_the_record_in_my_data_and_a_closure_unlinks_it(
    client, desk, units, staff, django_capture_on_commit_callbacks
):
    account = make_user("chenwei", mobile="13500135008")
    person = record(desk, "陈伟", mobile="13500135008", id_type="resident", id_number=VALID_ID)
    assert person.user == account
    archive.hand_over(units["0201"], desk, owners=[person], on=DAY)
    archive.record_visit(person, desk, kind="visit", subject="咨询车位续租", outcome="下周带合同")
    other = record(desk, "周丽")
    archive.record_visit(other, desk, kind="call", subject="别人的来电")

    client.force_login(account)
    page = client.get(reverse("owners:dashboard"), **ZH).content.decode()
    assert "咨询车位续租" in page and "下周带合同" in page and "别人的来电" not in page

    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("owners:request_export"))
    export = DataExport.objects.get(user=account)
    response = client.get(reverse("owners:download_export", args=[export.pk]))
    zipped = zipfile.ZipFile(io.BytesIO(b"".join(response.streaming_content)))
    sheet = zipped.read("homes/owner_record.csv").decode("utf-8-sig")
    assert "陈伟" in sheet and "3301**********1238" in sheet and VALID_ID not in sheet
    assert "3栋 0201" in zipped.read("homes/units_and_roles.csv").decode("utf-8-sig")
    assert "咨询车位续租" in zipped.read("homes/visits.csv").decode("utf-8-sig")

    closure = privacy.request_closure(account, posts="keep")
    privacy.carry_out_closure(closure, staff("Managers"))
    person.refresh_from_db()
    assert person.user is None and person.name == "陈伟"  # the desk's record stays
    assert person.occupancies.filter(until__isnull=True).count() == 1


def import_file(text):
    return SimpleUploadedFile("units.csv", text.encode("utf-8"), content_type="text/csv")


def test_the_units_import_loads_the_people_in_them_all_or_nothing(client, desk, estate):
    text = (
        "楼栋,房号,建筑面积,姓名,手机号,身份,起始日期\n"
        "5栋,0101,98.5,陈伟,13500135008,产权人,2019-07-02\n"
        "5栋,0101,,李娜,,共有人,2019-07-02\n"
        "5栋,0101,,赵磊,13500135009,租户,2024-03-01\n"
        "5栋,0102,98.5,,,,\n"
    )
    result = import_units(estate, import_file(text), by=desk)
    assert (result.created, result.people) == (2, 3)
    unit = Unit.objects.get(estate=estate, building="5栋", number="0101")
    roles = dict(unit.occupancies.values_list("record__name", "role"))
    assert roles == {"陈伟": "owner", "李娜": "co_owner", "赵磊": "tenant"}
    assert unit.handed_over_on == datetime.date(2019, 7, 2)
    assert list(unit.events.values_list("kind", flat=True)) == ["let", "handover"]

    # The same file again adds nobody.
    again = import_units(estate, import_file(text), by=desk)
    assert (again.created, again.people) == (0, 0) and OwnerRecord.objects.count() == 3

    # A line that does not fit stops everything, with its number.
    wrong = (
        "building,number,floor_area,name,mobile,role,since\n"
        "6栋,0101,90,孙浩,13500135012,owner,2020-01-01\n"
        "5栋,0101,98.5,黄海,13500135010,owner,2025-01-01\n"
        "6栋,0102,90,郑敏,1350013501,owner,2020-01-01\n"
        "6栋,0103,90,林晓,,房东,2020-01-01\n"
    )
    with pytest.raises(UnitImportError) as refused:
        import_units(estate, import_file(wrong), by=desk)
    assert [line for line, _message in refused.value.errors] == [4, 5]
    with pytest.raises(UnitImportError) as refused:
        import_units(
            estate,
            import_file(wrong.replace("1350013501,", "13500135013,").replace("房东", "租户")),
            by=desk,
        )
    assert [line for line, _message in refused.value.errors] == [3, 5]
    assert not Unit.objects.filter(building="6栋").exists()
    assert OwnerRecord.objects.count() == 3

    # Through the admin's import screen, with the line numbers shown.
    client.force_login(desk)
    page = client.post(
        reverse("units:import"), {"estate": estate.pk, "file": import_file(wrong)}, **ZH
    ).content.decode()
    assert "第 4 行" in page or "Line 4" in page


def test_the_person_chooser_is_for_those_who_read_the_archive(client, desk, staff):
    person = record(desk, "陈伟", mobile="13500135008")
    url = reverse("owner_record_chooser:choose")
    client.force_login(staff("Editors"))
    assert client.get(url)["Location"] == "/admin/"
    assert client.get(reverse("owner_record_chooser:chosen", args=[person.pk])).status_code != 200
    client.force_login(desk)
    found = client.get(reverse("owner_record_chooser:choose_results"), {"q": "1350013"})
    assert "陈伟" in found.content.decode()

    # Someone who may read names but not numbers cannot look a number up.
    reader = make_user("reader")
    reader.user_permissions.add(
        *Permission.objects.filter(codename__in=["access_admin", "view_ownerrecord"])
    )
    reader.is_staff = True
    reader.save()
    TOTP.activate(reader, TOTP_SECRET)
    client.force_login(reader)
    results = reverse("owner_record_chooser:choose_results")
    assert "陈伟" not in client.get(results, {"q": "1350013"}).content.decode()
    assert "陈伟" in client.get(results, {"q": "陈"}).content.decode()
    listing = client.get(reverse("owner_records:index"), {"q": "1350013"}, **ZH)
    assert not listing.context["object_list"]


def test_the_archive_s_procedures_verify_and_unverify_linked_accounts(desk, units, staff):
    seller = make_user("seller", mobile="13500135010")
    buyer = make_user("buyer", mobile="13500135011")
    old, new = (
        record(desk, "黄海", mobile="13500135010"),
        record(desk, "林晓", mobile="13500135011"),
    )
    assert old.user == seller and new.user == buyer  # linked before any handover
    archive.hand_over(units["1201"], desk, owners=[old], on=datetime.date(2019, 7, 5))
    seller.refresh_from_db()
    assert seller.is_verified_owner
    assert seller.claims.get().proof == "客户档案" and seller.claims.get().reviewed_by == desk

    archive.transfer(units["1201"], desk, owners=[new], on=datetime.date(2025, 9, 10))
    seller.refresh_from_db()
    buyer.refresh_from_db()
    assert not seller.is_verified_owner and seller.claims.get().status == "revoked"
    assert buyer.is_verified_owner and buyer.claims.get().unit == units["1201"]

    # A claim staff rejected is not overruled by the archive.
    other = make_user("other", mobile="13500135012")
    claim = claim_rules.submit_claim(other, units["0101"], role="owner", proof="HT-9")
    claim_rules.reject_claim(claim, desk, "合同号不符")
    person = record(desk, "孙浩", mobile="13500135012")
    archive.hand_over(units["0101"], desk, owners=[person], on=DAY)
    other.refresh_from_db()
    assert not other.is_verified_owner and other.claims.get().status == "rejected"


def test_a_signed_slip_is_kept_once(desk, units):
    person = record(desk, "陈伟")
    event = archive.hand_over(units["0201"], desk, owners=[person], on=DAY)
    scan = paper_scan(event)
    archive.attach_signed_slip(event, desk, scan)
    with pytest.raises(archive.ArchiveError):
        archive.attach_signed_slip(event, desk, paper_scan(event))


def paper_scan(event):
    data = paper.slip(event, [], [], estate_name="金都", staff_name="张")
    return SimpleUploadedFile("scan.pdf", data, content_type="application/pdf")


def test_the_import_keeps_namesakes_apart_and_asks_for_the_owner_of_record(desk, estate):
    text = (
        "楼栋,房号,建筑面积,姓名,手机号,身份,起始日期\n"
        "7栋,0101,90,张伟,,产权人,2019-07-02\n"
        "7栋,0102,90,张伟,,产权人,2019-07-03\n"
    )
    import_units(estate, import_file(text), by=desk)
    assert OwnerRecord.objects.filter(name="张伟").count() == 2
    import_units(estate, import_file(text), by=desk)  # again: nobody new
    assert OwnerRecord.objects.filter(name="张伟").count() == 2
    with pytest.raises(UnitImportError) as refused:
        import_units(
            estate,
            import_file("楼栋,房号,姓名,身份,起始日期\n8栋,0101,李娜,共有人,2019-07-02\n"),
            by=desk,
        )
    assert refused.value.errors[0][0] == 2
