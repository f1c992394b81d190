"""Spreadsheets from the admin never carry a live formula from what someone typed.

Excel, WPS and LibreOffice read a CSV cell that starts with = + - @ (or a tab or a carriage
return) as a formula: a case subject `=HYPERLINK("http://x","click")` would turn into a link in
the case ledger. Every admin export goes through Wagtail's SpreadsheetExportMixin, so one mixin
neutralises text there: in CSV a leading apostrophe (OWASP's advice; spreadsheet apps show the
text as typed); in XLSX such text is already written as a text cell, never a formula (Wagtail
turns what openpyxl would take for a formula back into a string). Numbers are left alone, so a
points deduction of -200 stays a number.
"""

import re

from wagtail.admin.views.generic import IndexView
from wagtail.admin.views.mixins import SpreadsheetExportMixin
from wagtail.contrib.forms.views import SubmissionsListView

# The full-width forms too: spreadsheet apps on Chinese systems may take ＝ for =.
FORMULA_START = ("=", "+", "-", "@", "\t", "\r", "＝", "＋", "－", "＠")
PLAIN_NUMBER = re.compile(r"[+-]?\d+(\.\d+)?")


def neutralise(value):
    """`value` as a CSV cell that no spreadsheet app will run."""
    formula = isinstance(value, str) and value.startswith(FORMULA_START)
    if formula and not PLAIN_NUMBER.fullmatch(value):  # "-200" is a number, not a formula
        return "'" + value
    return value


class SafeSpreadsheetExportMixin(SpreadsheetExportMixin):
    def preprocess_field_value(self, field, value, export_format):
        value = super().preprocess_field_value(field, value, export_format)
        return neutralise(value) if export_format == self.FORMAT_CSV else value


class SafeIndexView(SafeSpreadsheetExportMixin, IndexView):
    """The index view for every admin listing with `list_export`."""


class SafeSubmissionsListView(SafeSpreadsheetExportMixin, SubmissionsListView):
    """For form pages (surveys): their `submissions_list_view_class`."""
