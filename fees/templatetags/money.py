"""{% load money %}: amounts as the fee desk and owners read them (1,234.50), and owners'
numbers masked for staff who may not see them in full."""

from django import template

from fees.money import yuan as as_yuan
from portal.phones import masked as masked_number

register = template.Library()


@register.filter
def yuan(amount):
    """1234.5 → "1,234.50"; nothing → "0.00"."""
    return as_yuan(amount or 0)


@register.filter
def masked(mobile):
    """13800138000 → 138****8000, for staff who may not see owners' numbers in full."""
    return masked_number(mobile)
