"""Import an estate's units from a CSV file: all rows or none.

Columns (English or Chinese headers): building/楼栋, number/房号, floor_area/建筑面积, and
optionally use/用途 (住宅, 商铺, 写字楼 or residential, shop, office; residential when blank).
Rows that name an existing unit update its floor area (and its use, when the file gives one),
so the same file can be imported again.

The owner archive can be loaded with the units: a row may also name a person, with name/姓名,
mobile/手机号, role/身份 (产权人, 共有人, 家庭成员, 租户; 产权人 when blank) and since/起始日期
(交房日期, the day they came). A unit may then have a row per person. Each person becomes a
record (found again by name and mobile, so a second import adds nobody twice) and is put in
the unit by the desk's own procedures (owners.archive): the owners by a handover, the household
by a move-in, the tenants by a letting, so the unit's history says where each came from. Any
line that does not fit (a unit that already has other owners, a date after today) stops the
whole import, with its line number.
"""

import csv
import datetime
import io
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from wagtail.log_actions import log

from owners import archive
from owners.models import OwnerRecord, Unit
from owners.models.archive import Occupancy
from portal.actions import Refused
from portal.validators import clean_name, normalise_mobile, validate_mobile

MAX_ROWS = 20_000
MAX_BYTES = 2 * 1024 * 1024
HEADERS = {
    "building": {"building", "楼栋", "楼号", "栋"},
    "number": {"number", "unit", "unit number", "房号", "单元号", "房间号"},
    "floor_area": {"floor_area", "floor area", "area", "建筑面积", "面积"},
    "use": {"use", "type", "用途", "类型", "物业类型"},
    "name": {"name", "owner", "姓名", "业主姓名", "客户姓名"},
    "mobile": {"mobile", "phone", "手机号", "手机", "联系电话"},
    "role": {"role", "身份", "角色"},
    "since": {"since", "起始日期", "交房日期", "入住日期", "日期"},
}
Role = Occupancy.Role
ROLES = {
    **dict.fromkeys(("owner", "产权人", "业主"), Role.OWNER),
    **dict.fromkeys(("co_owner", "co-owner", "共有人", "共同产权人"), Role.CO_OWNER),
    **dict.fromkeys(("family", "household", "家庭成员", "家属"), Role.FAMILY),
    **dict.fromkeys(("tenant", "租户", "承租人"), Role.TENANT),
}
#: What the use column may say.
USES = {
    **dict.fromkeys(("residential", "住宅", "住家"), Unit.Use.RESIDENTIAL),
    **dict.fromkeys(("shop", "商铺", "商业", "店铺"), Unit.Use.SHOP),
    **dict.fromkeys(("office", "写字楼", "办公"), Unit.Use.OFFICE),
}


class UnitImportError(Refused):
    def __init__(self, errors):
        super().__init__("; ".join(f"{line}: {message}" for line, message in errors))
        #: [(line number or None, message)], in file order.
        self.errors = errors


@dataclass
class ImportResult:
    created: int
    updated: int
    people: int = 0


@dataclass
class Person:
    line: int
    name: str
    mobile: str
    role: str
    since: datetime.date


def import_units(estate, uploaded_file, by=None):
    rows, people = _parse(uploaded_file)
    if people and not (by and archive.can_record_unit_change(by)):
        raise UnitImportError([(None, _("You may import units but not the people in them."))])
    existing = {(u.building, u.number): u for u in Unit.objects.filter(estate=estate)}
    new, changed = [], []
    for building, number, area, use in rows:
        unit = existing.get((building, number))
        if unit is None:
            new.append(
                Unit(
                    estate=estate,
                    building=building,
                    number=number,
                    floor_area=area,
                    use=use or Unit.Use.RESIDENTIAL,
                )
            )
        elif unit.floor_area != area or (use and unit.use != use):
            unit.floor_area, unit.use = area, use or unit.use
            changed.append(unit)
    with transaction.atomic():
        Unit.objects.bulk_create(new, batch_size=1000)
        Unit.objects.bulk_update(changed, ["floor_area", "use"], batch_size=1000)
        added = _place_people(estate, people, by) if people else 0
        log(
            estate,
            "owners.units.import",
            user=by,
            data={"created": len(new), "updated": len(changed), "people": added},
        )
    return ImportResult(created=len(new), updated=len(changed), people=added)


def _place_people(estate, people, by):
    """Put each person named in their unit through the desk's procedures; anyone already
    there in that role is left as they are. Returns how many were placed."""
    units = {(u.building, u.number): u for u in Unit.objects.filter(estate=estate)}
    placed, errors = 0, []
    for key, persons in people.items():
        unit = units[key]
        current = {
            (o.record.name, o.record.mobile, o.role)
            for o in Occupancy.objects.filter(unit=unit, until__isnull=True).select_related(
                "record"
            )
        }
        persons = [p for p in persons if (p.name, p.mobile, p.role) not in current]
        owners = [p for p in persons if p.role in (Role.OWNER, Role.CO_OWNER)]
        if owners and not any(p.role == Role.OWNER for p in owners):
            errors.append((owners[0].line, _("Name the owner of record (产权人) of this unit.")))
            continue
        owners.sort(key=lambda p: p.role != Role.OWNER)  # the owner of record first
        steps = []
        if owners:
            steps.append((owners, archive.hand_over, "owners"))
        for role, step, argument in (
            (Role.FAMILY, archive.move_in, "household"),
            (Role.TENANT, archive.let, "tenants"),
        ):
            # One procedure per date: people who came on different days came separately.
            dates = sorted({p.since for p in persons if p.role == role})
            for since in dates:
                group = [p for p in persons if p.role == role and p.since == since]
                steps.append((group, step, argument))
        for group, step, argument in steps:
            if len({p.since for p in group}) > 1:
                errors.append((group[1].line, _("The owners of one unit came on one date.")))
                continue
            records = [_record_for(p, unit, by) for p in group]
            value = [(r, "") for r in records] if argument == "household" else records
            try:
                with transaction.atomic():
                    step(unit, by, **{argument: value, "on": group[0].since})
            except Refused as error:
                errors.append((group[0].line, str(error)))
                continue
            placed += len(group)
    if errors:
        raise UnitImportError(sorted(errors, key=lambda e: e[0]))
    return placed


def _record_for(person, unit, by):
    """The person's record: the one with the same name and mobile; without a mobile, the one
    of that name already in this unit (two 张伟 elsewhere are other people); else a new one."""
    if person.mobile:
        found = OwnerRecord.objects.filter(name=person.name, mobile=person.mobile).first()
    else:
        found = OwnerRecord.objects.filter(
            name=person.name, mobile="", occupancies__unit=unit
        ).first()
    if found:
        return found
    return archive.save_record(OwnerRecord(name=person.name, mobile=person.mobile), by)


def _parse(uploaded_file):
    raw = uploaded_file.read(MAX_BYTES + 1)
    if len(raw) > MAX_BYTES:
        raise UnitImportError([(None, _("The file is larger than 2 MB."))])
    text = _decode(raw)
    reader = csv.reader(io.StringIO(text))
    header = next(reader, None)
    columns = _columns(header)

    rows, errors, seen, people = [], [], {}, {}
    for line, row in enumerate(reader, start=2):
        if not any(cell.strip() for cell in row):
            continue
        if len(rows) >= MAX_ROWS:
            raise UnitImportError([(line, _("More than %(max)s rows.") % {"max": MAX_ROWS})])
        try:
            building, number, area, use = _row(row, columns)
            person = _person(row, columns, line)
        except ValueError as error:
            errors.append((line, str(error)))
            continue
        key = (building, number)
        if key in seen:
            first, named = seen[key]
            # Another person in the same unit: its own line; the same unit twice: a mistake.
            if (
                person is None
                or any(
                    (p.name, p.mobile) == (person.name, person.mobile) for p in people.get(key, [])
                )
                or not named
            ):
                errors.append((line, _("Duplicate of line %(line)s.") % {"line": first}))
                continue
        else:
            seen[key] = (line, person is not None)
            rows.append((building, number, area, use))
        if person is not None:
            people.setdefault(key, []).append(person)
    if errors:
        raise UnitImportError(errors)
    if not rows:
        raise UnitImportError([(None, _("The file has no units."))])
    return rows, people


def _decode(raw):
    # Spreadsheets in China often save CSV as GB18030 rather than UTF-8.
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            return raw.decode(encoding)
        except UnicodeDecodeError:
            pass
    raise UnitImportError([(None, _("The file is not a CSV text file in UTF-8 or GBK."))])


def _columns(header):
    if not header:
        raise UnitImportError([(1, _("The file is empty."))])
    names = [cell.strip().lower() for cell in header]
    columns = {}
    for key, aliases in HEADERS.items():
        for index, name in enumerate(names):
            if name in aliases:
                columns[key] = index
    missing = [key for key in ("building", "number") if key not in columns]
    if missing:
        raise UnitImportError(
            [(1, _("The first line must name the columns building, number and floor_area."))]
        )
    return columns


def _cell(row, columns, key):
    index = columns.get(key)
    return row[index].strip() if index is not None and index < len(row) else ""


def _person(row, columns, line):
    """The person a row names, or None."""
    name = clean_name(_cell(row, columns, "name"))
    mobile = normalise_mobile(_cell(row, columns, "mobile"))
    role_text = _cell(row, columns, "role").lower()
    since_text = _cell(row, columns, "since")
    if not name:
        if mobile or role_text or since_text:
            raise ValueError(_("Give the person's name."))
        return None
    if len(name) > 50:
        raise ValueError(_("The name is longer than 50 characters."))
    if mobile:
        try:
            validate_mobile(mobile)
        except ValidationError as error:
            raise ValueError(error.messages[0]) from error
    role = ROLES.get(role_text, Role.OWNER if not role_text else None)
    if role is None:
        raise ValueError(
            _("The role “%(value)s” is not 产权人, 共有人, 家庭成员 or 租户.")
            % {"value": role_text}
        )
    since = _date(since_text)
    if since is None:
        raise ValueError(_("Give the date they came (起始日期), as 2019-06-18."))
    if since > timezone.localdate():
        raise ValueError(_("The date cannot be after today."))
    return Person(line=line, name=name, mobile=mobile, role=role, since=since)


def _date(text):
    for pattern in ("%Y-%m-%d", "%Y/%m/%d", "%Y.%m.%d"):
        try:
            return datetime.datetime.strptime(text.strip(), pattern).date()
        except ValueError:
            pass
    return None


def _row(row, columns):
    building = _cell(row, columns, "building")
    number = _cell(row, columns, "number")
    area_text = _cell(row, columns, "floor_area")
    if not building:
        raise ValueError(_("The building is missing."))
    if not number:
        raise ValueError(_("The unit number is missing."))
    if len(building) > 30 or len(number) > 30:
        raise ValueError(_("The building or unit number is longer than 30 characters."))
    area = None
    if area_text:
        try:
            area = Decimal(area_text)
        except InvalidOperation:
            area = None
        if area is not None and area.is_finite() and 0 < area < 100_000:
            area = area.quantize(Decimal("0.01"))  # then check again: 99999.999 rounds up
        if area is None or not area.is_finite() or not (0 < area <= Decimal("99999.99")):
            raise ValueError(
                _("The floor area “%(value)s” is not a number of square metres.")
                % {"value": area_text}
            )
    use_text = _cell(row, columns, "use").lower()
    use = USES.get(use_text) if use_text else None
    if use_text and use is None:
        raise ValueError(
            _("The use “%(value)s” is not 住宅, 商铺 or 写字楼.") % {"value": use_text}
        )
    return building, number, area, use
