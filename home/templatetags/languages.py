"""{% load languages %}{{ page|in_language:"title" }}: a page's field in the reader's language
(home.models.pages.EnglishVersion); {% parent_link page as parent %}: where its breadcrumb
leads, {"title", "url"}, in that language."""

from django import template

from home.models.pages import in_language as field_in_language
from home.models.pages import parent_link as kept_parent_link

register = template.Library()


@register.filter
def in_language(page, name):
    return field_in_language(page, name)


@register.simple_tag(takes_context=True)
def parent_link(context, page):
    return kept_parent_link(page, context["request"])
