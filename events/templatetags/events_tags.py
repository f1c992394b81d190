from django import template
from django.utils.safestring import mark_safe

from events.tickets import registration_qr_svg

register = template.Library()


@register.simple_tag
def registration_qr(registration):
    """The registration's QR to show at the door, as inline SVG."""
    return mark_safe(registration_qr_svg(registration))
