"""{% load reader_parts %}{% reader_part "account" %}: one reader's part of the frame
(portal.framing), written in last so the rest of a page can be kept for every reader."""

from django import template

from portal import framing

register = template.Library()


@register.simple_tag(takes_context=True)
def reader_part(context, name):
    return framing.write(context.get("request"), name)
