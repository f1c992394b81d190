"""{% load sections %}{% publications_nav as publications %}: the publications the navigation's
资讯 leads to, with the one the reader is on marked."""

from django import template

from home.models.pages import publication_sections

register = template.Library()


@register.simple_tag(takes_context=True)
def publications_nav(context):
    request = context.get("request")
    path = request.path if request is not None else ""
    sections = [
        {**section, "current": path.startswith(section["url"])}
        for section in publication_sections(request)
    ]
    return {"sections": sections, "current": any(s["current"] for s in sections)}
