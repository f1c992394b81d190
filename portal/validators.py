import datetime
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


#: Mainland plates: a province, a letter, then five (or six, new energy) letters and digits.
PLATE = re.compile(
    r"^[京津沪渝冀豫云辽黑湘皖鲁新苏浙赣鄂桂甘晋蒙陕吉闽贵粤青藏川宁琼][A-HJ-NP-Z][A-HJ-NP-Z0-9]{5,6}$"
)


def normalise_plate(value):
    """A plate as typed ("粤b·12345", "粤B 12345") the way it is written: "粤B12345"."""
    return re.sub(r"[\s·\-.]", "", value or "").upper()


def is_plate(value):
    return bool(PLATE.match(normalise_plate(value)))


#: GB 11643: 17 digits weighted 2^(17-i) mod 11, the remainder naming the check character.
#: Written here because it is ten lines, and a library for it would bring regional tables the
#: site does not need.
_ID_WEIGHTS = [pow(2, 17 - i, 11) for i in range(17)]
_ID_CHECK = "10X98765432"


def resident_id_problem(value):
    """Why `value` is not a mainland resident ID number (18 characters with a valid check
    character and a real date of birth), or "" if it is one."""
    value = (value or "").strip().upper()
    if not re.fullmatch(r"\d{17}[\dX]", value):
        return _("A resident ID number has 18 characters: 17 digits and a digit or X.")
    total = sum(int(d) * w for d, w in zip(value[:17], _ID_WEIGHTS, strict=True))
    if _ID_CHECK[total % 11] != value[17]:
        return _("This ID number's last character does not match: check it against the card.")
    try:
        datetime.date(int(value[6:10]), int(value[10:12]), int(value[12:14]))
    except ValueError:
        return _("This ID number's date of birth is not a real date.")
    return ""
