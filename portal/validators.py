import re
import unicodedata

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

MOBILE_RE = re.compile(r"^1[3-9]\d{9}$")
# No place in names or text, and cannot be written into XML feeds.
CONTROL_CHARACTERS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def clean_name(text):
    """A person's name as typed, without control characters or invisible ones (zero-width
    spaces, direction marks), and without spaces around it: "" if nothing visible is left."""
    text = CONTROL_CHARACTERS.sub("", text)
    return "".join(c for c in text if unicodedata.category(c) != "Cf").strip()


def normalise_mobile(value):
    """Strip spaces, dashes and a +86 / 0086 prefix: '+86 138-0013-8000' -> '13800138000'."""
    digits = re.sub(r"[\s\-()]", "", value or "")
    for prefix in ("+86", "0086"):
        if digits.startswith(prefix):
            digits = digits[len(prefix) :]
    return digits


def validate_mobile(value):
    if not MOBILE_RE.match(value or ""):
        raise ValidationError(
            _("Enter a mainland China mobile number: 11 digits starting with 1, e.g. 13800138000."),
            code="invalid_mobile",
        )


def printable(text):
    """`text` without control characters (what a search box or a feed query may carry)."""
    return CONTROL_CHARACTERS.sub("", text)
