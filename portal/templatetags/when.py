"""{% load when %}: `{{ time|ago }}` (刚刚, 5分钟前, 4天前, then the date) and `{{ time|age }}`
(how long it has waited: 4天), as portal.when writes them."""

from django import template

from portal import when

register = template.Library()
register.filter("ago", when.ago)
register.filter("age", when.age)
