"""The monthly case report as files managers send upward: a workbook (openpyxl) and a slide
deck (python-pptx, the seed's 月编报客户投诉演示文稿), from the same figures as the report page
(cases.reports). Both are written in the language active when they are made."""

from io import BytesIO

from django.conf import settings
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Font
from pptx import Presentation
from pptx.chart.data import CategoryChartData
from pptx.dml.color import RGBColor
from pptx.enum.chart import XL_CHART_TYPE, XL_LEGEND_POSITION
from pptx.util import Inches, Pt

from cases.models import Case
from cases.reports import monthly_figures, top_cases, trend

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
PPTX = "application/vnd.openxmlformats-officedocument.presentationml.presentation"
GREEN = RGBColor(0x0E, 0x5A, 0x4A)


class Report:
    """A month's figures, trend and top cases, read once for both files."""

    def __init__(self, year, month):
        self.year, self.month = year, month
        self.figures = monthly_figures(year, month)
        self.trend = trend(year, month)
        self.cases = top_cases(year, month)

    @property
    def title(self):
        return _("Case report for %(year)s-%(month)02d") % {"year": self.year, "month": self.month}

    def filename(self, suffix):
        return f"case-report-{self.year}-{self.month:02d}.{suffix}"

    def headline(self):
        """(label, value) of the month's key figures, as the report page's tiles say them."""
        f = self.figures

        def share(value):
            return "—" if value is None else f"{value}%"

        def hours(value):
            return "—" if value is None else _("%(hours)s h") % {"hours": value}

        return [
            (_("Cases"), str(f["total"])),
            (_("Answered on time"), share(f["on_time_share"])),
            (_("Resolved on time"), share(f["resolved_on_time_share"])),
            (_("Median to first response"), hours(f["median_first_response"])),
            (_("Median to resolution"), hours(f["median_resolution"])),
            (_("Reopened"), share(f["reopen_rate"])),
            (
                _("Average satisfaction"),
                "—" if f["satisfaction"] is None else f"{f['satisfaction']:.1f}/5",
            ),
        ]

    def breakdowns(self):
        f = self.figures
        return [
            (_("By kind"), f["by_kind"]),
            (_("By category"), f["by_category"]),
            (_("By estate"), f["by_estate"]),
            (_("By channel"), f["by_channel"]),
        ]

    def case_rows(self):
        """The top cases as the staff read them: reference, subject, category, estate, status,
        filed (Beijing time), first responder."""
        return [
            [
                case.reference,
                case.subject,
                case.category.name if case.category else "",
                case.unit.estate.name if case.unit else "",
                case.get_status_display(),
                date_format(timezone.localtime(case.created_at), "Y-m-d H:i"),
                str(case.first_responder or ""),
            ]
            for case in self.cases
        ]

    def case_headings(self):
        """The case ledger's words: its fields' names."""
        names = ("reference", "subject", "category", "unit", "status", "created_at")
        fields = [capfirst(Case._meta.get_field(name).verbose_name) for name in names]
        fields[3] = _("Estate")
        return [*fields, capfirst(Case._meta.get_field("first_responder").verbose_name)]

    def trend_rows(self):
        return [
            (f"{row['year']}-{row['month']:02d}", row["total"], row["on_time_share"])
            for row in self.trend
        ]


def workbook(report):
    """The report as an XLSX file's bytes: the figures, each breakdown, the 12-month trend
    and the top cases, a sheet each."""
    book = Workbook()
    sheet = book.active
    sheet.title = _("Summary")[:31]
    sheet.append([report.title])
    sheet["A1"].font = Font(bold=True, size=14)
    for label, value in report.headline():
        sheet.append([str(label), value])
    for title, rows in report.breakdowns():
        part = book.create_sheet(title[:31])
        _table(part, [title, _("Cases")], [[row["label"], row["count"]] for row in rows])
    part = book.create_sheet(_("12-month trend")[:31])
    _table(part, [_("Month"), _("Cases"), _("Answered on time (%)")], report.trend_rows())
    part = book.create_sheet(_("Top cases")[:31])
    _table(part, report.case_headings(), report.case_rows())
    output = BytesIO()
    book.save(output)
    return output.getvalue()


def _table(sheet, headings, rows):
    sheet.append([str(heading) for heading in headings])
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for row in rows:  # numbers stay numbers; labels (some translated lazily) become text
        sheet.append([value if isinstance(value, int | None) else str(value) for value in row])
    for column in sheet.columns:
        width = max((len(str(cell.value or "")) for cell in column), default=0)
        sheet.column_dimensions[column[0].column_letter].width = min(2 * width + 4, 60)


def slides(report):
    """The report as a PPTX deck's bytes: a title slide, the key figures, cases by category
    (a bar chart), the 12-month trend (a line chart) and the top cases (a table)."""
    deck = Presentation()
    deck.slide_width, deck.slide_height = Inches(13.333), Inches(7.5)  # 16:9
    title_only = deck.slide_layouts[5]

    first = deck.slides.add_slide(deck.slide_layouts[0])
    first.shapes.title.text = report.title
    first.placeholders[1].text = settings.WAGTAIL_SITE_NAME

    figures = deck.slides.add_slide(title_only)
    figures.shapes.title.text = _("Key figures")
    headline = report.headline()
    table = figures.shapes.add_table(
        len(headline), 2, Inches(1.5), Inches(1.6), Inches(10), Inches(0.6 * len(headline))
    ).table
    for row, (label, value) in enumerate(headline):
        table.cell(row, 0).text, table.cell(row, 1).text = str(label), value

    by_category = report.figures["by_category"]
    chart_slide = deck.slides.add_slide(title_only)
    chart_slide.shapes.title.text = _("By category")
    if by_category:
        data = CategoryChartData()
        data.categories = [str(row["label"]) for row in by_category]
        data.add_series(_("Cases"), [row["count"] for row in by_category])
        chart = chart_slide.shapes.add_chart(
            XL_CHART_TYPE.BAR_CLUSTERED, Inches(1), Inches(1.5), Inches(11), Inches(5.5), data
        ).chart
        chart.has_legend = False
        chart.plots[0].series[0].format.fill.solid()
        chart.plots[0].series[0].format.fill.fore_color.rgb = GREEN
    else:
        _note(chart_slide, _("No cases this month."))

    trend_slide = deck.slides.add_slide(title_only)
    trend_slide.shapes.title.text = _("12-month trend")
    data = CategoryChartData()
    data.categories = [month for month, _total, _share in report.trend_rows()]
    data.add_series(_("Cases"), [total for _month, total, _share in report.trend_rows()])
    chart = trend_slide.shapes.add_chart(
        XL_CHART_TYPE.LINE_MARKERS, Inches(1), Inches(1.5), Inches(11), Inches(5.5), data
    ).chart
    chart.has_legend, chart.legend.position = True, XL_LEGEND_POSITION.BOTTOM

    cases_slide = deck.slides.add_slide(title_only)
    cases_slide.shapes.title.text = _("Top cases")
    rows = report.case_rows()
    if rows:
        headings = report.case_headings()
        table = cases_slide.shapes.add_table(
            len(rows) + 1, len(headings), Inches(0.4), Inches(1.4), Inches(12.5), Inches(5.5)
        ).table
        for column, heading in enumerate(headings):
            table.cell(0, column).text = str(heading)
        for row_number, row in enumerate(rows, start=1):
            for column, value in enumerate(row):
                cell = table.cell(row_number, column)
                cell.text = value
                cell.text_frame.paragraphs[0].font.size = Pt(11)
    else:
        _note(cases_slide, _("No cases this month."))
    output = BytesIO()
    deck.save(output)
    return output.getvalue()


def _note(slide, text):
    box = slide.shapes.add_textbox(Inches(1), Inches(2), Inches(11), Inches(1))
    box.text_frame.text = text


#: Each file by its ?download= name: what writes it, and its media type.
FORMATS = {"xlsx": (workbook, XLSX), "pptx": (slides, PPTX)}
