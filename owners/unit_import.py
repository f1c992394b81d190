"""Import an estate's units from a CSV file: all rows or none.

Columns (English or Chinese headers): building/楼栋, number/房号, floor_area/建筑面积, and
optionally use/用途 (住宅, 商铺, 写字楼 or residential, shop, office; residential when blank).
Rows that name an existing unit update its floor area (and its use, when the file gives one),
so the same file can be imported again.
"""

import csv
import io
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from django.db import transaction
from django.utils.translation import gettext as _
from wagtail.log_actions import log

from owners.models import Unit
from portal.actions import Refused

MAX_ROWS = 20_000
MAX_BYTES = 2 * 1024 * 1024
HEADERS = {
    "building": {"building", "楼栋", "楼号", "栋"},
    "number": {"number", "unit", "unit number", "房号", "单元号", "房间号"},
    "floor_area": {"floor_area", "floor area", "area", "建筑面积", "面积"},
    "use": {"use", "type", "用途", "类型", "物业类型"},
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


def import_units(estate, uploaded_file, by=None):
    rows = _parse(uploaded_file)
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
        log(
            estate,
            "owners.units.import",
            user=by,
            data={"created": len(new), "updated": len(changed)},
        )
    return ImportResult(created=len(new), updated=len(changed))


def _parse(uploaded_file):
    raw = uploaded_file.read(MAX_BYTES + 1)
    if len(raw) > MAX_BYTES:
        raise UnitImportError([(None, _("The file is larger than 2 MB."))])
    text = _decode(raw)
    reader = csv.reader(io.StringIO(text))
    header = next(reader, None)
    columns = _columns(header)

    rows, errors, seen = [], [], {}
    for line, row in enumerate(reader, start=2):
        if not any(cell.strip() for cell in row):
            continue
        if len(rows) >= MAX_ROWS:
            raise UnitImportError([(line, _("More than %(max)s rows.") % {"max": MAX_ROWS})])
        try:
            building, number, area, use = _row(row, columns)
        except ValueError as error:
            errors.append((line, str(error)))
            continue
        if (building, number) in seen:
            errors.append(
                (line, _("Duplicate of line %(line)s.") % {"line": seen[(building, number)]})
            )
            continue
        seen[(building, number)] = line
        rows.append((building, number, area, use))
    if errors:
        raise UnitImportError(errors)
    if not rows:
        raise UnitImportError([(None, _("The file has no units."))])
    return rows


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
