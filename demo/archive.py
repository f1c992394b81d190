"""Demo owner archive (客户档案) for 翠湖苑 3栋: the verified owner's household with a car and
a signed handover slip; owners without an account, one letting to a tenant and enrolled in the
club at the desk; a change of owner that keeps the previous owner's history; a tenancy that
ended; walk-ins and calls at the desk.
Every change goes through owners.archive, as the desk's would."""

import datetime

from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction

from club import membership
from owners import archive, paper
from owners.models import OwnerRecord, Unit, User, Vehicle
from owners.models.archive import Occupancy

ESTATE = "金都·翠湖苑"
ADDRESS = "浙江省杭州市西湖区文三西路 888 号 翠湖苑 {building}{number} 室"

#: name, mobile, account username (or None), postal mail wanted
PEOPLE = {
    "王建国": ("13800138001", "owner", True),
    "刘芳": ("13800138011", None, True),
    "王小宇": ("", None, False),
    "周丽": ("13600136001", "zhouli", True),
    "吴刚": ("13600136002", "wugang", False),
    "陈伟": ("13500135008", None, True),
    "赵磊": ("13500135009", None, True),
    "黄海": ("13500135010", None, True),
    "林晓": ("13500135011", None, True),
    "孙浩": ("13500135012", None, False),
    "郑敏": ("13500135013", None, True),
}


def build():
    if OwnerRecord.objects.exists():
        return
    desk = User.objects.get(username="service")
    unit = {n: Unit.objects.get(estate__name=ESTATE, building="3栋", number=n) for n in UNITS}
    with transaction.atomic():
        people = {name: _record(desk, name, *facts) for name, facts in PEOPLE.items()}
        p, d = people, datetime.date
        handover = archive.hand_over(unit["1201"], desk, owners=[p["王建国"]], on=d(2019, 6, 18))
        archive.move_in(
            unit["1201"],
            desk,
            household=[(p["刘芳"], "配偶"), (p["王小宇"], "子女")],
            on=d(2019, 10, 1),
        )
        archive.hand_over(unit["0602"], desk, owners=[p["周丽"]], on=d(2019, 6, 20))
        archive.hand_over(unit["1502"], desk, owners=[p["吴刚"]], on=d(2019, 6, 22))
        archive.hand_over(unit["0801"], desk, owners=[p["陈伟"]], on=d(2019, 7, 2))
        archive.let(
            unit["0801"], desk, tenants=[p["赵磊"]], on=d(2024, 3, 1), note="租期两年，押二付三"
        )
        archive.hand_over(unit["1702"], desk, owners=[p["黄海"]], on=d(2019, 7, 5))
        archive.transfer(
            unit["1702"], desk, owners=[p["林晓"]], on=d(2025, 9, 10), note="二手房过户"
        )
        archive.hand_over(unit["0903"], desk, owners=[p["郑敏"]], on=d(2019, 7, 8))
        archive.let(unit["0903"], desk, tenants=[p["孙浩"]], on=d(2023, 5, 1))
        archive.end_tenancy(unit["0903"], desk, on=d(2025, 4, 30), note="租约到期，钥匙已交回")
        Vehicle.objects.create(
            record=p["王建国"],
            plate="浙A12345",
            description="白色 大众朗逸",
            parking_space="B2-118",
        )
        Vehicle.objects.create(record=p["陈伟"], plate="浙A8D921", parking_space="B1-036")
        archive.attach_signed_slip(handover, desk, _signed_copy(handover))
        archive.record_visit(
            p["陈伟"],
            desk,
            kind="visit",
            subject="咨询车位续租",
            outcome="已告知续租流程，下周带合同再来",
        )
        archive.record_visit(
            p["王建国"],
            desk,
            kind="visit",
            subject="办理车位登记",
            outcome="已登记 B2-118 车位与车辆 浙A12345",
        )
        archive.record_visit(
            p["赵磊"], desk, kind="call", subject="租户来电问停水时间", outcome="已告知停水安排"
        )


def enrol():
    """陈伟 joined the club at the desk: a member with a card and no account yet (after the
    club's own demo, which builds only when the club has no member)."""
    chen = OwnerRecord.objects.filter(name="陈伟", member__isnull=True).first()
    if chen is not None:
        membership.enrol_at_desk(chen, User.objects.get(username="clubstaff"))


#: 3栋's units the archive tells about.
UNITS = ["1201", "0602", "1502", "0801", "1702", "0903"]

#: Whose postal address is which unit.
HOMES = {"王建国": "1201", "刘芳": "1201", "周丽": "0602", "吴刚": "1502", "陈伟": "0801"}
HOMES |= {"赵磊": "0801", "黄海": "1702", "林晓": "1702", "孙浩": "0903", "王小宇": "1201"}
HOMES |= {"郑敏": "0903"}


def _record(desk, name, mobile, username, printed_mail):
    record = OwnerRecord(
        name=name,
        mobile=mobile,
        postal_address=ADDRESS.format(building="3栋", number=HOMES[name]),
        postcode="310012",
        printed_mail=printed_mail,
        emergency_contact="刘芳（配偶）" if name == "王建国" else "",
        emergency_phone="13800138011" if name == "王建国" else "",
    )
    if name == "王建国":
        record.id_type, record.id_number = OwnerRecord.IdType.RESIDENT, "330106198503071238"
    archive.save_record(record, desk)
    if username and record.user_id is None:
        account = User.objects.filter(username=username).first()
        if account:
            archive.link_account(record, account, desk)
    return record


def _signed_copy(event):
    roles = dict(Occupancy.objects.filter(unit=event.unit).values_list("record_id", "role"))
    people = [(r, Occupancy.Role(roles[r.pk]).label) for r in event.people.all()]
    staff = event.recorded_by.display_name
    data = paper.slip(event, people, [], estate_name=event.unit.estate.name, staff_name=staff)
    return SimpleUploadedFile("signed.pdf", data, content_type="application/pdf")
