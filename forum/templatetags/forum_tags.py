import re

from django import template
from django.utils.html import escape
from django.utils.safestring import mark_safe

register = template.Library()


@register.filter
def excerpt(text, query, width=60):
    """The part of `text` around the first match of `query`."""
    at = text.lower().find(query.lower()) if query else -1
    if at < 0:
        return text[: width * 2] + ("…" if len(text) > width * 2 else "")
    start, end = max(0, at - width), at + len(query) + width
    return ("…" if start else "") + text[start:end] + ("…" if end < len(text) else "")


@register.filter
def highlight(text, query):
    """Escape `text` and wrap every match of `query` in <mark>."""
    text = str(text)
    if not query:
        return escape(text)
    out, position = [], 0
    for match in re.finditer(re.escape(query), text, re.IGNORECASE):
        out += [escape(text[position : match.start()]), "<mark>", escape(match[0]), "</mark>"]
        position = match.end()
    out.append(escape(text[position:]))
    return mark_safe("".join(out))
