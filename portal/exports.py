"""What the admin's spreadsheets say. Every admin export goes through Wagtail's
SpreadsheetExportMixin, so this one mixin decides it for all of them (the case ledger, members,
points, registrations, claims, surveys, Wagtail's own reports):

- **The staff's words**: a field with choices exports its label (待受理, not `new`), yes/no
  reads 是/否, and a column named by a dotted path (`user.email`) is headed by that field's
  name, never the path.
- **Beijing time**: times are written in the site's zone (settings.TIME_ZONE): in XLSX as real
  date cells, in CSV as `2026-12-02 10:00`. Wagtail writes XLSX times in UTC, so an event at
  10:00 would read 02:00.
- **Excel and WPS on Chinese Windows**: CSV starts with a UTF-8 byte order mark; without it they
  read the file in the system's GBK and show mojibake.
- **No live formula from what someone typed**: Excel, WPS and LibreOffice read a CSV cell that
  starts with = + - @ (or a tab or a carriage return) as a formula, so a case subject
  `=HYPERLINK("http://x","click")` would turn into a link. In CSV such text gets a leading
  apostrophe (OWASP's advice; spreadsheet apps show the text as typed); in XLSX it is already a
  text cell (Wagtail turns what openpyxl would take for a formula back into a string). Numbers
  are left alone, so a points deduction of -200 stays a number.
"""

import datetime
import re
from functools import cache

from django.core.exceptions import FieldDoesNotExist
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from wagtail.admin.views.generic import IndexView
from wagtail.admin.views.mixins import SpreadsheetExportMixin
from wagtail.contrib.forms.views import SubmissionsListView

# The full-width forms too: spreadsheet apps on Chinese systems may take ＝ for =.
FORMULA_START = ("=", "+", "-", "@", "\t", "\r", "＝", "＋", "－", "＠")
PLAIN_NUMBER = re.compile(r"[+-]?\d+(\.\d+)?")
BOM = "\ufeff".encode()  # as the rows are written (Wagtail encodes each)


def neutralise(value):
    """`value` as a CSV cell that no spreadsheet app will run."""
    formula = isinstance(value, str) and value.startswith(FORMULA_START)
    if formula and not PLAIN_NUMBER.fullmatch(value):  # "-200" is a number, not a formula
        return "'" + value
    return value


def local(value):
    """A time as the site's clock reads it, without its zone (spreadsheets keep none)."""
    return timezone.make_naive(value) if timezone.is_aware(value) else value


def yes_no(value):
    return _("Yes") if value else _("No")


def model_field(model, path):
    """The model field a dotted `list_export` path ends at, or None (a method, a property, a
    form's answer)."""
    *relations, name = path.split(".")
    try:
        for relation in relations:
            model = model._meta.get_field(relation).related_model
        return model._meta.get_field(name) if model else None
    except (AttributeError, FieldDoesNotExist):
        return None


@cache
def choice_labels(model, path):
    """{value: label} of the field `path` ends at when it has choices, else None."""
    field = model_field(model, path)
    return dict(field.flatchoices) if field is not None and field.choices else None


XLSX, CSV = SpreadsheetExportMixin.FORMAT_XLSX, SpreadsheetExportMixin.FORMAT_CSV


class SafeSpreadsheetExportMixin(SpreadsheetExportMixin):
    custom_value_preprocess = {
        **SpreadsheetExportMixin.custom_value_preprocess,
        datetime.datetime: {XLSX: local, CSV: lambda value: date_format(local(value), "Y-m-d H:i")},
        bool: {XLSX: yes_no, CSV: yes_no},
    }

    def to_row_dict(self, item):
        row = super().to_row_dict(item)
        for path in self.list_export:
            labels = choice_labels(type(item), path) if isinstance(path, str) else None
            if labels and row.get(path) in labels:
                row[path] = str(labels[row[path]])
        return row

    def get_heading(self, queryset, field):
        if field not in self.export_headings and isinstance(field, str) and "." in field:
            found = model_field(queryset.model, field)
            if found is not None:
                return capfirst(str(found.verbose_name))
        return super().get_heading(queryset, field)

    def preprocess_field_value(self, field, value, export_format):
        value = super().preprocess_field_value(field, value, export_format)
        return neutralise(value) if export_format == self.FORMAT_CSV else value

    def stream_csv(self, queryset):
        rows = super().stream_csv(queryset)
        yield BOM + next(rows)
        yield from rows


class SafeIndexView(SafeSpreadsheetExportMixin, IndexView):
    """The index view for every admin listing with `list_export`."""


class SafeSubmissionsListView(SafeSpreadsheetExportMixin, SubmissionsListView):
    """For form pages (surveys): their `submissions_list_view_class`."""
