"""Mainland mobile numbers (手机号) as owners type them and as the site keeps them.

Owners type 138 0013 8000, 138-0013-8000, +86 13800138000 or 0086 13800138000; Google's
numbering plan (phonenumbers) decides whether it is a mainland mobile number. The site keeps the
11 digits (`User.mobile`, what staff read and search); allauth and the SMS providers speak
+8613800138000 (E.164)."""

import phonenumbers
from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

MOBILE_TYPES = {
    phonenumbers.PhoneNumberType.MOBILE,
    phonenumbers.PhoneNumberType.FIXED_LINE_OR_MOBILE,
}
INVALID = _("Enter a mainland China mobile number: 11 digits starting with 1, e.g. 13800138000.")


def e164(text):
    """The number in `text` as +86…, or ValidationError if it is not a mainland mobile."""
    try:
        number = phonenumbers.parse((text or "").strip(), "CN")
    except phonenumbers.NumberParseException:
        raise ValidationError(INVALID, code="invalid_phone") from None
    if (
        number.country_code != 86
        or not phonenumbers.is_valid_number(number)
        or phonenumbers.number_type(number) not in MOBILE_TYPES
    ):
        raise ValidationError(INVALID, code="invalid_phone")
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def national(phone):
    """+8613800138000 → 13800138000."""
    return phone.removeprefix("+86")


def written(phone):
    """+8613800138000 → 138 0013 8000: a number as people write it."""
    number = national(phone)
    return f"{number[:3]} {number[3:7]} {number[7:]}" if len(number) == 11 else number


def international(mobile):
    """13800138000 → +8613800138000; empty stays empty."""
    return f"+86{mobile}" if mobile else ""


class MobileField(forms.CharField):
    """A mobile number as typed on a phone's keypad; cleaned to +86…"""

    def __init__(self, **kwargs):
        kwargs.setdefault("label", _("Mobile number"))
        kwargs.setdefault("max_length", 20)
        kwargs.setdefault(
            "widget",
            forms.TextInput(
                attrs={
                    "type": "tel",
                    "inputmode": "tel",
                    "autocomplete": "tel-national",
                    "placeholder": _("11-digit mobile number"),
                }
            ),
        )
        super().__init__(**kwargs)

    def clean(self, value):
        value = super().clean(value)
        return e164(value) if value else value


def masked(mobile):
    """13800138000 → 138****8000: a number shown to someone who needs to recognise it, not
    read it (an owner seeing their technician's, a contractor seeing an owner's)."""
    digits = national(mobile or "")
    return f"{digits[:3]}****{digits[-4:]}" if len(digits) == 11 else "*" * len(digits)
