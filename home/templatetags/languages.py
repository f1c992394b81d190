"""{% load languages %}{{ page|in_language:"title" }}: a page's field in the reader's language
(home.models.pages.EnglishVersion)."""

from django import template

from home.models.pages import in_language as field_in_language

register = template.Library()


@register.filter
def in_language(page, name):
    return field_in_language(page, name)
