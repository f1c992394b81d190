"""QuickSelect writes the markup Django's Select writes, without a template per option."""

import re

from django import forms

from portal.widgets import QuickSelect

CHOICES = [("", "—"), ("a", "甲 <b>"), ("Group", [("g1", "一"), ("g2", "二")])]


def normalised(html):
    """The same tag soup whatever the whitespace and the order of attributes."""

    def tag(match):
        name, attrs = match.group(1), sorted(re.findall(r'\s([\w-]+(?:="[^"]*")?)', match.group(2)))
        return "<" + " ".join([name, *attrs]) + ">"

    return re.sub(r"<(\w+)([^>]*)>", tag, re.sub(r">\s+<", "><", html.strip()))


def test_the_same_options_attributes_and_selection_as_djangos_select():
    attrs = {"id": "id_f", "class": "x", "required": True, "aria-describedby": "f_help"}
    for value in ("", "a", "g2", None):
        django = forms.Select(choices=CHOICES, attrs=attrs).render("f", value)
        quick = QuickSelect(choices=CHOICES, attrs=attrs).render("f", value)
        assert normalised(quick) == normalised(django), value
    assert "甲 &lt;b&gt;" in QuickSelect(choices=CHOICES).render("f", "")
