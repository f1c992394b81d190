"""{% load listing_filters %}{% filters_drilldown filters %}: an admin listing's filters,
rendered by Wagtail's template and kept for plain listings (portal.admin_listing)."""

from django import template

from portal import admin_listing

register = template.Library()


@register.simple_tag
def filters_drilldown(filters):
    return admin_listing.filters_html(filters)
