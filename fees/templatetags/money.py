"""{% load money %}: amounts as the fee desk and owners read them, 1,234.50."""

from django import template

from fees.money import yuan as as_yuan

register = template.Library()


@register.filter
def yuan(amount):
    """1234.5 → "1,234.50"; nothing → "0.00"."""
    return as_yuan(amount or 0)
