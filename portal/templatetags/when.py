"""{% load when %}: `{{ time|ago }}` (刚刚, 5分钟前, 4天前, then the date) and `{{ time|age }}`
(how long it has waited: 4天), as portal.when writes them; `{% open_hours as hours %}`, the
desk's daily hours (8:30–20:30)."""

from django import template

from portal import hours, when

register = template.Library()
register.filter("ago", when.ago)
register.filter("age", when.age)
register.simple_tag(hours.open_hours, name="open_hours")
