"""{{ phone|national }} (13800138000) and {{ phone|written }} (138 0013 8000): the +86… numbers
allauth's pages carry, as owners read them (portal.phones)."""

from django import template

from portal import phones

register = template.Library()
register.filter("national", phones.national)
register.filter("written", phones.written)
