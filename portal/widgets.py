"""Form widgets that render in Python what Django renders through a template per option.

Django's Select writes each <option> through the form renderer's templates, a few hundred
microseconds each; a form with a hundred options (我要报修: fifteen days three times, the
price list, the categories) spent most of its time there. `QuickSelect` writes the same
markup — the same attributes, the selected option, option groups — with format_html."""

from django import forms
from django.forms.utils import flatatt
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe


class QuickSelect(forms.Select):
    def render(self, name, value, attrs=None, renderer=None):
        widget = self.get_context(name, value, attrs)["widget"]
        parts = [format_html('<select name="{}"{}>', widget["name"], flatatt(widget["attrs"]))]
        for group, options, _index in widget["optgroups"]:
            rows = format_html_join(
                "",
                '<option value="{}"{}>{}</option>',
                (
                    (option["value"], flatatt(option["attrs"]), option["label"])
                    for option in options
                ),
            )
            parts.append(
                format_html('<optgroup label="{}">{}</optgroup>', group, rows) if group else rows
            )
        parts.append(mark_safe("</select>"))
        return mark_safe("".join(parts))
