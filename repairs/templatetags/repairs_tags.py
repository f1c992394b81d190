"""Repairs in templates: a repair's steps as a delivery app shows them (requests.progress), the
QR code of a 放行条 (the pass's address on the site, as inline SVG drawn by segno, like the
member card's), and whether the person may decide on a special service (the question
services.decide asks)."""

import segno
from django import template
from django.urls import reverse
from django.utils.safestring import mark_safe

from portal.notifications import site_link
from repairs import requests, services

register = template.Library()


@register.simple_tag
def pass_qr(service):
    url = site_link(reverse("repairs:pass", args=[service.pass_token]))
    return mark_safe(segno.make(url, error="m").svg_inline(scale=6, border=2))


@register.simple_tag
def may_decide(user, service):
    return services.can_decide(user, service)


@register.simple_tag
def repair_steps(case):
    return requests.progress(case)
