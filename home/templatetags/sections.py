"""{% load sections %}{% publications_nav as publications %}: the publications the navigation's
资讯 leads to, with the one the reader is on marked."""

from django import template

from home.models.pages import publication_sections

register = template.Library()


@register.simple_tag(takes_context=True)
def publications_nav(context):
    """Worked out once a request: the header and the tab bar both ask."""
    request = context.get("request")
    if request is None:
        return {"sections": [], "current": False}
    if not hasattr(request, "_publications_nav"):
        sections = [
            {**section, "current": request.path.startswith(section["url"])}
            for section in publication_sections(request)
        ]
        request._publications_nav = {
            "sections": sections,
            "current": any(section["current"] for section in sections),
        }
    return request._publications_nav
