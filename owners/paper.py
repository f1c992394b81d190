"""What the desk prints: confirmation slips (客户确认单) and address labels, as PDF.

ReportLab draws them with Adobe's standard Chinese font (STSong-Light), which every PDF reader
has, so nothing is embedded and the files stay a few kilobytes.
"""

import io
from functools import cache

from django.utils import timezone
from django.utils.translation import gettext as _
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm

FONT = "STSong-Light"

#: The usual 24-up sheet: 3 × 8 labels of 70 × 37 mm on A4, no margins between them.
LABEL_COLUMNS, LABEL_ROWS = 3, 8
LABEL_WIDTH, LABEL_HEIGHT = 70 * mm, 37 * mm


# ReportLab's drawing half (pdfgen, pdfbase) is imported at the first PDF, not with this module:
# the admin and the owners' bill pages import the modules that print, so every web worker would
# hold some 10 MiB that only a PDF needs (make bench-http, "Workers").


@cache
def _metrics():
    """ReportLab's font metrics, with the Chinese font registered."""
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont

    pdfmetrics.registerFont(UnicodeCIDFont(FONT))
    return pdfmetrics


def new_pdf(buffer, title, pagesize=A4):
    """A ReportLab canvas writing to `buffer`, titled, the Chinese font ready."""
    from reportlab.pdfgen import canvas

    _metrics()
    pdf = canvas.Canvas(buffer, pagesize=pagesize)
    pdf.setTitle(title)
    return pdf


def _fit(text, size, width):
    """`text` cut (with …) to `width` at `size`."""
    text, width_of = str(text), _metrics().stringWidth
    if width_of(text, FONT, size) <= width:
        return text
    while text and width_of(text + "…", FONT, size) > width:
        text = text[:-1]
    return text + "…"


def _lines(text, size, width):
    """`text` broken into lines of at most `width` (Chinese breaks between any characters)."""
    lines, line, width_of = [], "", _metrics().stringWidth
    for char in str(text):
        if char == "\n" or width_of(line + char, FONT, size) > width:
            lines.append(line)
            line = "" if char == "\n" else char
        else:
            line += char
    return [*lines, line] if line else lines


def slip(event, people, previous, *, estate_name, staff_name):
    """The confirmation slip of a unit procedure: the unit, the people with their roles and
    documents (masked), the date, a note, and the lines to sign. `people` and `previous` are
    [(record, role label)]."""
    buffer = io.BytesIO()
    pdf = new_pdf(buffer, f"{estate_name} {event.slip_title}")
    width, height = A4
    left, right = 22 * mm, width - 22 * mm
    y = height - 28 * mm

    pdf.setFont(FONT, 18)
    pdf.drawCentredString(width / 2, y, f"{estate_name}  {event.slip_title}")
    y -= 9 * mm
    pdf.setFont(FONT, 9)
    pdf.drawRightString(right, y, _("No. %(number)s") % {"number": f"QR{event.pk:06d}"})
    y -= 8 * mm

    unit = event.unit
    facts = [
        (_("Unit"), f"{unit.estate.name} {unit.building} {unit.number}"),
        (_("Use"), unit.get_use_display()),
        (_("Floor area"), f"{unit.floor_area} m²" if unit.floor_area else "—"),
        (_("Procedure"), event.get_kind_display()),
        (_("Date"), event.happened_on.isoformat()),
    ]
    pdf.setFont(FONT, 11)
    for label, value in facts:
        pdf.drawString(left, y, f"{label}：")
        pdf.drawString(left + 28 * mm, y, _fit(value, 11, right - left - 28 * mm))
        y -= 7 * mm

    def people_table(title, rows, y):
        y -= 3 * mm
        pdf.setFont(FONT, 12)
        pdf.drawString(left, y, title)
        y -= 7 * mm
        pdf.setFont(FONT, 10)
        columns = [left, left + 40 * mm, left + 70 * mm, left + 125 * mm]
        for x, heading in zip(
            columns, [_("Name"), _("Role"), _("ID document"), _("Mobile number")], strict=True
        ):
            pdf.drawString(x, y, heading)
        pdf.line(left, y - 2 * mm, right, y - 2 * mm)
        y -= 7 * mm
        for record, role in rows:
            values = [record.name, role, record.masked_id or "—", record.mobile or "—"]
            for x, next_x, value in zip(columns, [*columns[1:], right], values, strict=True):
                pdf.drawString(x, y, _fit(value, 10, next_x - x - 2 * mm))
            y -= 7 * mm
        return y

    if previous:
        y = people_table(_("Before"), previous, y)
    if people:
        y = people_table(_("From this date") if previous else _("People"), people, y)

    if event.note:
        y -= 3 * mm
        pdf.setFont(FONT, 10)
        for line in _lines(f"{_('Note')}：{event.note}", 10, right - left)[:8]:
            pdf.drawString(left, y, line)
            y -= 6 * mm

    y = min(y, 95 * mm) - 8 * mm
    pdf.setFont(FONT, 10)
    pdf.drawString(
        left, y, _("The customer confirms that the facts above are correct and complete.")
    )
    y -= 16 * mm
    pdf.setFont(FONT, 11)
    half = (left + right) / 2
    pdf.drawString(left, y, _("Customer's signature:") + " ____________")
    pdf.drawString(half, y, _("Date:") + " ____________")
    y -= 14 * mm
    pdf.drawString(left, y, _("Handled by:") + f" {staff_name}")
    pdf.drawString(half, y, _("Finance:") + " ____________")
    y -= 14 * mm
    pdf.setFont(FONT, 9)
    pdf.drawString(
        left,
        y,
        _("Two copies: one kept by customer service, one by finance. Printed %(time)s.")
        % {"time": timezone.localtime().strftime("%Y-%m-%d %H:%M")},
    )
    pdf.showPage()
    pdf.save()
    return buffer.getvalue()


def labels(addresses):
    """Address labels on 24-up A4 sheets: `addresses` is [(postcode, address, name)]."""
    buffer = io.BytesIO()
    pdf = new_pdf(buffer, _("Address labels"))
    width, height = A4
    margin_x = (width - LABEL_COLUMNS * LABEL_WIDTH) / 2
    margin_y = (height - LABEL_ROWS * LABEL_HEIGHT) / 2
    per_page = LABEL_COLUMNS * LABEL_ROWS
    inner = LABEL_WIDTH - 10 * mm
    for index, (postcode, address, name) in enumerate(addresses):
        if index and index % per_page == 0:
            pdf.showPage()
        place = index % per_page
        x = margin_x + (place % LABEL_COLUMNS) * LABEL_WIDTH + 5 * mm
        top = height - margin_y - (place // LABEL_COLUMNS) * LABEL_HEIGHT - 8 * mm
        pdf.setFont(FONT, 10)
        pdf.drawString(x, top, postcode or "")
        y = top - 6 * mm
        for line in _lines(address, 10, inner)[:3]:
            pdf.drawString(x, y, line)
            y -= 5 * mm
        pdf.setFont(FONT, 12)
        pdf.drawString(
            x, top - 25 * mm, _fit(_("%(name)s (addressee)") % {"name": name}, 12, inner)
        )
    pdf.showPage()
    pdf.save()
    return buffer.getvalue()
