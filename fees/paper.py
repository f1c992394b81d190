"""What the fee desk prints and owners download: payment requests (付款请求书) and receipts
(收据), as PDF.

Drawn with ReportLab in Adobe's standard Chinese font, like the desk's slips (owners.paper): the
font is in every PDF reader, so nothing is embedded and a building's requests, a page a bill,
stay small. Amounts are the ledger's (`fees.ledger.with_late_fees`), printed as `yuan` writes
them; a receipt gives its total in capital numerals too (`capital`), as Chinese receipts do.
"""

import io

import segno
from django.http import HttpResponse
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from reportlab.lib.pagesizes import A4, A5, landscape
from reportlab.lib.units import mm

from fees.billing import terms_for
from fees.models import BillLine
from fees.money import to_fen, yuan
from owners.paper import FONT, _fit, _lines, new_pdf
from portal.links import addresses
from portal.notifications import site_link

DIGITS = "零壹贰叁肆伍陆柒捌玖"
PLACES = ("", "拾", "佰", "仟")
GROUPS = ("", "万", "亿")
#: Where a page ends: below it only the footer.
BOTTOM = 24 * mm
GREY = (0.45, 0.45, 0.45)


def response(content, filename):
    """A PDF of this module as the browser opens it; never kept on the way, for it holds an
    owner's bills."""
    answer = HttpResponse(content, content_type="application/pdf")
    answer["Content-Disposition"] = f'inline; filename="{filename}"'
    answer["Cache-Control"] = "private, no-store"
    return answer


def capital(amount):
    """`amount` (yuan) in capital numerals (大写金额), as receipts and cheques write it:
    216.81 → 贰佰壹拾陆元捌角壹分, 1000 → 壹仟元整, 10010.05 → 壹万零壹拾元零伍分, 0.50 → 伍角.
    One 零 stands for any run of zeros between figures; 整 follows a whole number of yuan."""
    fen = int(to_fen(amount) * 100)
    sign = "负" if fen < 0 else ""
    whole, cents = divmod(abs(fen), 100)
    jiao, fen = divmod(cents, 10)
    if whole >= 10**12:
        raise ValueError(f"{amount} is beyond what a receipt writes in words")
    words = _whole(whole) + "元" if whole else ""
    if jiao:
        words += DIGITS[jiao] + "角"
    if fen:
        words += ("零" if words and not jiao else "") + DIGITS[fen] + "分"
    if not jiao and not fen:
        words = (words or "零元") + "整"
    return sign + words


def _whole(number):
    """A whole number of yuan in capital numerals, groups of four figures (万, 亿)."""
    figures, words, zero = str(number), [], False
    for index, figure in enumerate(figures):
        place = len(figures) - 1 - index
        if figure == "0":
            zero = True
        else:
            if zero and words:
                words.append("零")
            zero = False
            words.append(DIGITS[int(figure)] + PLACES[place % 4])
        if place and place % 4 == 0 and int(figures[max(0, index - 3) : index + 1]):
            words.append(GROUPS[place // 4])
    return "".join(words)


def _month(day):
    return formats.date_format(day, "YEAR_MONTH_FORMAT")


def _date(day):
    return day.isoformat() if day else "—"


def _signed(amount):
    return ("+" if amount > 0 else "-") + yuan(abs(amount))


def _qr(pdf, text, x, y, size):
    """A QR code of `text`, `size` wide, its lower left corner at (x, y): each row's dark
    modules drawn as runs, one path for the whole code."""
    rows = list(segno.make(text, error="m").matrix_iter(scale=1, border=0))
    module = size / len(rows)
    path = pdf.beginPath()
    for row_index, row in enumerate(rows):
        top = y + size - (row_index + 1) * module
        column = 0
        while column < len(row):
            if not row[column]:
                column += 1
                continue
            start = column
            while column < len(row) and row[column]:
                column += 1
            path.rect(x + start * module, top, (column - start) * module, module)
    pdf.setFillColorRGB(0, 0, 0)
    pdf.drawPath(path, stroke=0, fill=1)


class _Page:
    """A cursor down an A4 page that turns to a new one, with the bill's number at its top,
    when what comes next does not fit."""

    def __init__(self, pdf, continued):
        self.pdf, self.continued = pdf, continued
        self.width, self.height = A4
        self.left, self.right = 20 * mm, self.width - 20 * mm
        self.y = self.height - 20 * mm

    def need(self, height):
        if self.y - height < BOTTOM:
            _footer(self.pdf, self.left, self.right)
            self.pdf.showPage()
            self.y = self.height - 20 * mm
            self.pdf.setFont(FONT, 9)
            self.pdf.setFillColorRGB(*GREY)
            self.pdf.drawString(self.left, self.y, self.continued)
            self.pdf.setFillColorRGB(0, 0, 0)
            self.y -= 10 * mm

    def text(self, x, value, size, *, width=None, right=False):
        self.pdf.setFont(FONT, size)
        value = _fit(value, size, width) if width else str(value)
        if right:
            self.pdf.drawRightString(x, self.y, value)
        else:
            self.pdf.drawString(x, self.y, value)


def _letterhead(page, terms, title):
    """The payee across the top, the paper's title under it, and a rule."""
    pdf, left, right = page.pdf, page.left, page.right
    pdf.setFont(FONT, 15)
    pdf.drawCentredString(page.width / 2, page.y, _fit(terms.payee, 15, right - left))
    page.y -= 10 * mm
    pdf.setFont(FONT, 20)
    pdf.drawCentredString(page.width / 2, page.y, title)
    page.y -= 5 * mm
    pdf.setLineWidth(1.2)
    pdf.line(left, page.y, right, page.y)


def _how_to_pay(page, terms, more, link, caption, code=30 * mm):
    """How to pay (the payee, the estate's words, then `more`) beside a QR code of `link`
    with its `caption`; `page.qr_bottom` is left where the caption ends."""
    pdf, left, right = page.pdf, page.left, page.right
    how = [f"{_('Payee')}：{terms.payee}", *([terms.how_to_pay] if terms.how_to_pay else []), *more]
    wrapped = [row for part in how for row in _lines(part, 9.5, right - left - code - 8 * mm)]
    page.need(max(len(wrapped) * 5 * mm + 10 * mm, code + 12 * mm))
    top = page.y
    page.text(left, _("How to pay"), 11)
    page.y -= 6 * mm
    for row in wrapped:
        page.text(left, row, 9.5)
        page.y -= 5 * mm
    _qr(pdf, link, right - code, top - code + 3 * mm, code)
    pdf.setFont(FONT, 8)
    pdf.drawCentredString(right - code / 2, top - code, caption)
    page.qr_bottom = top - code


def _footer(pdf, left, right):
    pdf.setFont(FONT, 8)
    pdf.setFillColorRGB(*GREY)
    pdf.drawString(
        left,
        14 * mm,
        _("Printed %(time)s") % {"time": timezone.localtime().strftime("%Y-%m-%d %H:%M")},
    )
    pdf.setFillColorRGB(0, 0, 0)


def _lines_by_bill(bills):
    """The lines of every bill, in one query."""
    found = {}
    for line in BillLine.objects.filter(bill__in=[bill.pk for bill in bills]).order_by("pk"):
        found.setdefault(line.bill_id, []).append(line)
    return found


def payment_requests(bills, *, on=None):
    """付款请求书: a page for each of `bills` (the list `fees.ledger.with_late_fees` gives, its
    late fees worked out for day `on`, today by default), to hand or post to the owner: the
    estate's payee, the unit, the bill's lines with how each was worked out, adjustments and
    payments so far, what is owed with the late fee apart, how to pay, and a QR code of the
    bill's page on the site. One query for the lines of all of them."""
    on = on or timezone.localdate()
    lines = _lines_by_bill(bills)
    page_of = addresses("fees:bill")
    buffer = io.BytesIO()
    pdf = new_pdf(buffer, _("Payment requests") if len(bills) != 1 else _("Payment request"))
    for bill in bills:
        _request(pdf, bill, lines.get(bill.pk, []), on, site_link(page_of(bill.pk)))
    if not bills:
        pdf.showPage()
    pdf.save()
    return buffer.getvalue()


def _request(pdf, bill, lines, on, link):
    unit, terms = bill.unit, terms_for(bill.unit.estate)
    page = _Page(pdf, _("Payment request %(number)s (continued)") % {"number": bill.number})
    left, right = page.left, page.right
    _letterhead(page, terms, _("Payment request"))
    page.y -= 8 * mm

    half = (left + right) / 2
    facts = [
        (_("Unit"), f"{unit.estate.name} {unit.label}"),
        (_("Bill number"), bill.number),
        (_("Billing month"), _month(bill.period)),
        (_("Issued on"), _date(bill.issued_on)),
        (_("Floor area"), f"{unit.floor_area} m²" if unit.floor_area else "—"),
        (_("Pay by"), _date(bill.due_on)),
    ]
    for index in range(0, len(facts), 2):
        for x, (label, value) in zip((left, half), facts[index : index + 2], strict=False):
            page.text(x, f"{label}：{value}", 10.5, width=half - left - 4 * mm)
        page.y -= 6.5 * mm
    page.y -= 3 * mm

    item_x, how_x = left + 2 * mm, left + 46 * mm
    amount_x = right - 2 * mm

    def heading():
        pdf.setFillColorRGB(0.93, 0.93, 0.93)
        pdf.rect(left, page.y - 2.2 * mm, right - left, 7 * mm, stroke=0, fill=1)
        pdf.setFillColorRGB(0, 0, 0)
        page.text(item_x, _("Item"), 10)
        page.text(how_x, _("Worked out as"), 10)
        page.text(amount_x, _("Amount (元)"), 10, right=True)
        page.y -= 8 * mm

    page.need(40 * mm)
    heading()
    for line in lines:
        page.need(7 * mm)
        page.text(item_x, line.name, 10, width=how_x - item_x - 3 * mm)
        page.text(how_x, line.detail, 9, width=amount_x - how_x - 28 * mm)
        page.text(amount_x, yuan(line.amount), 10, right=True)
        page.y -= 6.5 * mm
    page.y -= 1.5 * mm
    pdf.setLineWidth(0.5)
    pdf.line(left, page.y + 5 * mm, right, page.y + 5 * mm)
    page.text(item_x, _("Charged this month"), 10.5)
    page.text(amount_x, yuan(bill.charged), 10.5, right=True)
    page.y -= 8 * mm

    for adjustment in bill.adjustment_rows:
        page.need(7 * mm)
        page.text(
            item_x,
            _("Adjustment: %(reason)s") % {"reason": adjustment.reason},
            10,
            width=amount_x - item_x - 30 * mm,
        )
        page.text(amount_x, _signed(adjustment.amount), 10, right=True)
        page.y -= 6.5 * mm
    for payment in bill.payment_rows:
        page.need(7 * mm)
        paid = _("Paid %(date)s, %(method)s, receipt %(receipt)s") % {
            "date": _date(payment.paid_on),
            "method": payment.get_method_display(),
            "receipt": payment.receipt_number,
        }
        if payment.late_fee:
            paid += _("; late fee paid %(amount)s 元") % {"amount": yuan(payment.late_fee)}
        page.text(item_x, paid, 10, width=amount_x - item_x - 30 * mm)
        page.text(amount_x, _signed(-payment.amount), 10, right=True)
        page.y -= 6.5 * mm

    # What is owed: the bill's balance, the late fee on the day apart, their total.
    owed = max(bill.owed, 0)
    total = owed + bill.late_fee
    page.need(36 * mm)
    page.y -= 2 * mm
    box_top = page.y + 5 * mm
    page.text(item_x, _("Still owed on the bill"), 10.5)
    page.text(amount_x, yuan(owed), 10.5, right=True)
    page.y -= 6.5 * mm
    page.text(item_x, _("Late fee to %(date)s (apart from the bill)") % {"date": _date(on)}, 10.5)
    page.text(amount_x, yuan(bill.late_fee), 10.5, right=True)
    page.y -= 8 * mm
    page.text(item_x, _("Total to pay"), 13)
    page.text(amount_x, "¥ " + yuan(total), 13, right=True)
    page.y -= 6 * mm
    page.text(item_x, f"{_('In words')}：{capital(total)}", 10)
    page.y -= 3 * mm
    pdf.setLineWidth(0.8)
    pdf.rect(left, page.y, right - left, box_top - page.y, stroke=1, fill=0)
    page.y -= 8 * mm

    # How to pay, beside the QR code of the bill's page.
    how = []
    if rate := terms.late_fee_rate:
        how.append(
            _("After the due date a late fee of %(rate)s‰ of the amount overdue is added each day.")
            % {"rate": f"{rate.normalize():f}"}
        )
    _how_to_pay(page, terms, how, link, _("Scan to see this bill"))
    pdf.setFont(FONT, 7)
    pdf.setFillColorRGB(*GREY)
    pdf.drawRightString(right, page.qr_bottom - 4 * mm, _fit(link, 7, 60 * mm))
    pdf.setFillColorRGB(0, 0, 0)
    _footer(pdf, left, right)
    pdf.showPage()


def receipt(payment):
    """收据 for `payment`: its number, the payee, the unit, the bill and month, what was paid on
    the bill and of the late fee, the total in figures and in capital numerals, how and when it
    was paid and who took it. Half an A4 sheet (A5 landscape), as the desk's receipts are."""
    bill = payment.bill
    unit, terms = bill.unit, terms_for(bill.unit.estate)
    buffer = io.BytesIO()
    size = landscape(A5)
    pdf = new_pdf(buffer, _("Receipt %(number)s") % {"number": payment.receipt_number}, size)
    width, height = size
    left, right = 16 * mm, width - 16 * mm
    y = height - 16 * mm
    pdf.setFont(FONT, 13)
    pdf.drawCentredString(width / 2, y, _fit(terms.payee, 13, right - left))
    y -= 9 * mm
    pdf.setFont(FONT, 20)
    pdf.drawCentredString(width / 2, y, _("Receipt"))
    y -= 7 * mm
    pdf.setFont(FONT, 9.5)
    pdf.drawString(left, y, f"{_('Paid on')}：{_date(payment.paid_on)}")
    pdf.drawRightString(right, y, _("No. %(number)s") % {"number": payment.receipt_number})
    y -= 4 * mm

    taken_by = payment.taken_by.display_name if payment.taken_by else "—"
    rows = [
        (_("Unit"), f"{unit.estate.name} {unit.label}"),
        (_("Bill"), f"{bill.number}（{_month(bill.period)}）"),
        (_("Paid on the bill"), f"{yuan(payment.amount)} 元"),
        (_("Late fee"), f"{yuan(payment.late_fee)} 元"),
        (_("Total"), f"¥ {yuan(payment.total)}"),
        (_("In words"), capital(payment.total)),
        (_("Paid by"), payment.get_method_display()),
    ]
    if payment.reference:
        rows.append((_("Reference"), payment.reference))
    row_height, label_width = 8.5 * mm, 32 * mm
    top = y
    pdf.setLineWidth(0.8)
    for label, value in rows:
        pdf.line(left, y, right, y)
        y -= row_height
        bold = label == _("Total")
        pdf.setFont(FONT, 10)
        pdf.drawString(left + 3 * mm, y + 2.8 * mm, label)
        pdf.setFont(FONT, 12 if bold else 10.5)
        pdf.drawString(
            left + label_width + 3 * mm,
            y + 2.8 * mm,
            _fit(value, 12 if bold else 10.5, right - left - label_width - 6 * mm),
        )
    pdf.rect(left, y, right - left, top - y, stroke=1, fill=0)
    pdf.line(left + label_width, y, left + label_width, top)
    y -= 9 * mm
    pdf.setFont(FONT, 10)
    pdf.drawString(left, y, f"{_('Payee')}：{_fit(terms.payee, 10, (right - left) / 2)}")
    pdf.drawRightString(right, y, f"{_('Taken by')}：{taken_by}")
    _footer(pdf, left, right)
    pdf.showPage()
    pdf.save()
    return buffer.getvalue()


def arrears_notices(rows, *, on=None):
    """欠费通知单: a page for each home of the arrears ledger (`fees.arrears.ledger` rows), to
    post or hand over: the payee, the home, each overdue bill with its month, due date, what it
    still owes and its late fee on day `on`, the total in figures and in words, a request to pay
    with how to, and a QR code of 我的账单."""
    on = on or timezone.localdate()
    link = site_link(reverse("fees:mine"))
    buffer = io.BytesIO()
    pdf = new_pdf(buffer, _("Arrears notices"))
    for row in rows:
        _notice(pdf, row, on, link)
    if not rows:
        pdf.showPage()
    pdf.save()
    return buffer.getvalue()


def _notice(pdf, row, on, link):
    unit, terms = row.unit, terms_for(row.unit.estate)
    page = _Page(pdf, _("Arrears notice, %(unit)s (continued)") % {"unit": unit.label})
    left, right = page.left, page.right
    _letterhead(page, terms, _("Arrears notice"))
    page.y -= 10 * mm
    page.text(
        left, _("To the owner of %(unit)s:") % {"unit": f"{unit.estate.name} {unit.label}"}, 11
    )
    page.y -= 7 * mm
    words = _(
        "As of %(date)s the property bills below are overdue. Please pay them soon; a late fee "
        "is added each day under the estate's terms until they are paid. If you have paid "
        "already, or anything on them is wrong, please tell the service centre."
    ) % {"date": _date(on)}
    for text in _lines(words, 10.5, right - left):
        page.text(left, text, 10.5)
        page.y -= 6 * mm
    page.y -= 4 * mm

    columns = [
        (left + 2 * mm, _("Billing month"), False),
        (left + 34 * mm, _("Bill number"), False),
        (left + 76 * mm, _("Pay by"), False),
        (right - 36 * mm, _("Owed (元)"), True),
        (right - 2 * mm, _("Late fee (元)"), True),
    ]
    pdf.setFillColorRGB(0.93, 0.93, 0.93)
    pdf.rect(left, page.y - 2.2 * mm, right - left, 7 * mm, stroke=0, fill=1)
    pdf.setFillColorRGB(0, 0, 0)
    for x, label, flush in columns:
        page.text(x, label, 10, right=flush)
    page.y -= 8 * mm
    for bill in row.bills:
        page.need(7 * mm)
        values = [
            _month(bill.period),
            bill.number,
            _date(bill.due_on),
            yuan(bill.owed),
            yuan(bill.late_fee),
        ]
        for (x, _label, flush), value in zip(columns, values, strict=True):
            page.text(x, value, 10, right=flush)
        page.y -= 6.5 * mm
    total = row.asked
    page.need(30 * mm)
    page.y -= 3 * mm  # the total clear of the rule above it
    pdf.setLineWidth(0.5)
    pdf.line(left, page.y + 7.5 * mm, right, page.y + 7.5 * mm)
    page.text(left + 2 * mm, _("Total to pay"), 13)
    page.text(right - 2 * mm, "¥ " + yuan(total), 13, right=True)
    page.y -= 6 * mm
    page.text(left + 2 * mm, f"{_('In words')}：{capital(total)}", 10)
    page.y -= 12 * mm

    _how_to_pay(page, terms, [], link, _("Scan to see your bills"))
    _footer(pdf, left, right)
    pdf.showPage()
