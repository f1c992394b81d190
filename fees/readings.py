"""Meter readings (抄表): entered one by one on a phone, or a month's sheet imported from CSV.

Each reading is checked against the meter's history as it is saved:
- lower than the reading before: flagged "lower" (a misread, or a new meter);
- a month's use more than `JUMP_FACTOR` times the meter's usual use (the average of up to
  `HISTORY` months before, once it has `MIN_HISTORY`): flagged "jump" (a misread, or a leak).
A flagged reading holds the month's bills back until someone looks again: corrects it (a new
reading replaces it and is checked again) or lets it stand (`check_reading`). A lower reading let
stand means a new meter, counted from zero.
"""

import csv
import datetime
import io
from decimal import Decimal, InvalidOperation

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import OuterRef, Subquery
from django.utils import timezone
from django.utils.translation import gettext as _
from wagtail.log_actions import log

from fees.models import BillingRun, Meter, Reading
from portal.actions import Refused

JUMP_FACTOR = 3
#: What the reading column holds (12 figures, 2 after the point).
LARGEST = Decimal(10) ** 10
HISTORY = 6
MIN_HISTORY = 3
#: A jump also needs this much use, so a meter that used 1 m³ a month may use 4.
JUMP_FLOOR = Decimal(10)


class ReadingError(Refused):
    pass


def can_enter(user):
    return user.has_perm("fees.add_reading")


def can_check(user):
    return user.has_perm("fees.check_reading")


def month(day):
    return day.replace(day=1)


def previous_month(period):
    return (period - datetime.timedelta(days=1)).replace(day=1)


def use_of(reading, previous):
    """A month's use from a reading and the one before (None when there is none before)."""
    if previous is None:
        return None
    if reading.value < previous.value:
        # Let stand after a second look: a new meter, counted from zero.
        return reading.value if reading.checked_at else None
    return reading.value - previous.value


def _flag(reading, history):
    """The flag for `reading` given the meter's readings before it, newest first."""
    if not history:
        return ""
    if reading.value < history[0].value:
        return Reading.Flag.LOWER
    uses = [
        use
        for later, earlier in zip(history, history[1:], strict=False)
        if (use := use_of(later, earlier)) is not None
    ][:HISTORY]
    if len(uses) < MIN_HISTORY:
        return ""
    usual = sum(uses) / len(uses)
    use = reading.value - history[0].value
    if use > max(usual * JUMP_FACTOR, JUMP_FLOOR):
        return Reading.Flag.JUMP
    return ""


def latest_before(meters, period):
    """{meter id: its latest reading before `period`} for `meters`: one row a meter, however
    many months each has been read."""
    latest = Reading.objects.filter(meter=OuterRef("meter"), period__lt=period)
    return {
        reading.meter_id: reading
        for reading in Reading.objects.filter(
            meter__in=meters, period=Subquery(latest.order_by("-period").values("period")[:1])
        ).order_by()
    }


def _history(meter, period):
    return list(
        Reading.objects.filter(meter=meter, period__lt=period).order_by("-period")[: HISTORY + 1]
    )


def _save(meter, period, value, read_on, by, note="", billed=None):
    """Write (or replace) the meter's reading for `period`, flagged as its history says."""
    if read_on > timezone.localdate():
        raise ReadingError(_("A meter cannot be read on a day still to come."))
    if read_on < period:
        raise ReadingError(_("The reading is dated before the month it is for."))
    if value < 0:
        raise ReadingError(_("A reading cannot be below zero."))
    if value >= LARGEST:
        raise ReadingError(_("A reading has at most ten figures before the decimal point."))
    if billed is None:
        billed = _billed(meter.estate_id, period)
    if meter.role != Meter.Role.MAIN and billed:
        raise ReadingError(
            _("%(month)s is already billed for %(meter)s; correct the bill with an adjustment.")
            % {"month": f"{period:%Y-%m}", "meter": meter.code}
        )
    reading = Reading(meter=meter, period=period, value=value, read_on=read_on, note=note)
    reading.flag = _flag(reading, _history(meter, period))
    Reading.objects.filter(meter=meter, period=period).delete()
    reading.entered_by = by
    reading.save()
    return reading


def _billed(estate_id, period):
    """Whether the estate's bills for `period` are confirmed, so its readings are spent. The
    run is locked until the reading is saved, so a confirmation waits for it (and then sees it)."""
    runs = BillingRun.objects.select_for_update().filter(estate_id=estate_id, period=period)
    return any(run.is_confirmed for run in runs)


def enter_reading(meter, by, *, period, value, read_on, note=""):
    """One reading typed in by the building staff (a second one for the month replaces it)."""
    if not can_enter(by):
        raise PermissionDenied
    with transaction.atomic():
        meter = (
            Meter.objects.select_for_update(of=("self",)).select_related("estate").get(pk=meter.pk)
        )
        reading = _save(meter, month(period), value, read_on, by, note)
        log(reading, "fees.reading", user=by, data={"value": str(value), "flag": reading.flag})
    return reading


def check_reading(reading, by, note):
    """Let a flagged reading stand after looking again, with what was found."""
    if not can_check(by):
        raise PermissionDenied
    if not note.strip():
        raise ReadingError(_("Say what the second look found."))
    with transaction.atomic():
        reading = Reading.objects.select_for_update().get(pk=reading.pk)
        if not reading.waiting:
            raise ReadingError(_("This reading is not waiting for a second look."))
        reading.checked_by, reading.checked_at = by, timezone.now()
        reading.note = note.strip()[:200]
        reading.save(update_fields=["checked_by", "checked_at", "note"])
        log(reading, "fees.reading_checked", user=by, data={"note": reading.note})
    return reading


#: The import's columns, in the CSV's first line: meter number, reading, date read (optional).
COLUMNS = ("meter", "reading", "read_on")
HEADERS = {
    "meter": {"meter", "表号", "meter number"},
    "reading": {"reading", "读数", "本月读数"},
    "read_on": {"read_on", "抄表日期", "date"},
}


def read_sheet(raw, headers, required, refusal, missing):
    """A CSV sheet's bytes (UTF-8 or GB18030, as spreadsheets save them) as ({column: its
    index}, the lines after the first): each column of `headers` is found by any of its names
    in the first line. `refusal` (an exception class) says what is wrong, `missing` when a
    column of `required` is not named. The meter readings and the bank's results read so."""
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            text = raw.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    else:
        raise refusal(_("The file is not text in UTF-8 or GB18030."))
    try:
        rows = list(csv.reader(io.StringIO(text)))
    except csv.Error as error:
        raise refusal(_("The file is not a CSV sheet: %s.") % error) from error
    if not rows:
        raise refusal(_("The file is empty."))
    header = [cell.strip().lower() for cell in rows[0]]
    where = {}
    for column, names in headers.items():
        found = [i for i, cell in enumerate(header) if cell in names]
        if found:
            where[column] = found[0]
    if set(required) - set(where):
        raise refusal(missing)
    return where, rows[1:]


def import_readings(estate, by, *, period, upload, read_on=None):
    """A month's readings for an estate from a CSV sheet: every line is saved, or none is.

    Returns the readings saved. Each bad line is named with its line number in the refusal."""
    if not can_enter(by):
        raise PermissionDenied
    period = month(period)
    read_on = read_on or timezone.localdate()
    where, rows = read_sheet(
        upload.read(),
        HEADERS,
        ("meter", "reading"),
        ReadingError,
        _("The first line must name the columns 表号 and 读数 (and 抄表日期)."),
    )
    meters = {
        m.code: m for m in Meter.objects.filter(estate=estate).select_related("unit", "estate")
    }
    problems, wanted, seen = [], [], set()
    for number, row in enumerate(rows, start=2):
        if not any(cell.strip() for cell in row):
            continue
        cells = {c: (row[i].strip() if i < len(row) else "") for c, i in where.items()}
        meter = meters.get(cells["meter"])
        if meter is None:
            problems.append(
                _("Line %(line)s: no meter %(code)s in this estate.")
                % {"line": number, "code": cells["meter"] or "—"}
            )
            continue
        if meter.code in seen:
            problems.append(
                _("Line %(line)s: meter %(code)s appears twice.")
                % {"line": number, "code": meter.code}
            )
            continue
        seen.add(meter.code)
        try:
            value = Decimal(cells["reading"].replace(",", ""))
            if not value.is_finite():
                raise InvalidOperation
        except InvalidOperation:
            problems.append(_("Line %(line)s: the reading is not a number.") % {"line": number})
            continue
        day = read_on
        if cells.get("read_on"):
            try:
                day = datetime.date.fromisoformat(cells["read_on"].replace("/", "-"))
            except ValueError:
                problems.append(
                    _("Line %(line)s: the date is not like 2026-11-28.") % {"line": number}
                )
                continue
        wanted.append((number, meter, value, day))
    if not wanted and not problems:
        raise ReadingError(_("The file has no readings."))
    saved = []
    with transaction.atomic():
        # The meters' rows, locked in one order, as one reading at a time locks its meter.
        list(
            Meter.objects.select_for_update()
            .filter(pk__in=[w[1].pk for w in wanted])
            .order_by("pk")
        )
        billed = _billed(estate.pk, period)
        for number, meter, value, day in wanted:
            try:
                with transaction.atomic():
                    saved.append(_save(meter, period, value, day, by, billed=billed))
            except ReadingError as error:
                problems.append(
                    _("Line %(line)s: %(problem)s") % {"line": number, "problem": error}
                )
        if problems:
            more = len(problems) - 20
            tail = [_("And %(count)s more.") % {"count": more}] if more > 0 else []
            raise ReadingError(" ".join([*problems[:20], *tail]))
        log(
            estate,
            "fees.readings_imported",
            user=by,
            data={"month": f"{period:%Y-%m}", "readings": len(saved)},
        )
    return saved
