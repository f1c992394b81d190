"""For every email the site sends: {% load emails %}{% salutation user %}, {% site_name %}."""

from django import template
from django.conf import settings

from portal import salutations

register = template.Library()


@register.simple_tag
def salutation(user):
    """尊敬的王先生/女士： or Dear Mr/Ms Wang, (尊敬的业主： / Dear owner, without a name)."""
    return salutations.salutation(user)


@register.simple_tag
def site_name():
    """The site's name, also where an email is rendered without a request (tasks, allauth)."""
    return settings.WAGTAIL_SITE_NAME
