"""The name other owners see: nickname rules shared by the owner's profile and the admin.

A nickname is what owners call each other in the forum, so it must be readable, unique without
regard to case, and must not pass an owner off as the company or its staff.
"""

import re
import unicodedata

from django.core.exceptions import ValidationError
from django.db.models import Value
from django.db.models.functions import Lower
from django.utils.translation import gettext_lazy as _

from portal.validators import CONTROL_CHARACTERS

NICKNAME_MIN, NICKNAME_MAX = 2, 20
# Words that make a name look official. Compared after NFKC folding (full-width letters,
# compatibility forms) with spaces and punctuation dropped, so "客 服" or "ＡＤＭＩＮ" count too.
RESERVED_WORDS = (
    "官方",
    "客服",
    "管理员",
    "管理",
    "发言人",
    "金都",
    "版主",
    "工作人员",
    "物业",
    "已注销",
    "official",
    "admin",
    "staff",
    "moderator",
    "jindu",
)
NOT_IN_NICKNAME = re.compile(r"[\s@]")


def _folded(value):
    value = unicodedata.normalize("NFKC", value).casefold()
    return "".join(ch for ch in value if ch.isalnum())


def clean_nickname(value, *, user=None, allow_reserved=False):
    """The nickname to store ("" for none), or ValidationError with a message for the form.

    `allow_reserved`: staff editing in the admin may name a spokesperson "金都客服小王".
    """
    from portal.models import User

    value = unicodedata.normalize("NFC", CONTROL_CHARACTERS.sub("", value or "")).strip()
    if not value:
        return ""
    if NOT_IN_NICKNAME.search(value):
        raise ValidationError(_("A nickname cannot contain spaces or @."), code="characters")
    if any(unicodedata.category(ch).startswith("C") for ch in value):
        raise ValidationError(
            _("A nickname cannot contain invisible characters."), code="characters"
        )
    if not NICKNAME_MIN <= len(value) <= NICKNAME_MAX:
        raise ValidationError(
            _("A nickname has %(min)s to %(max)s characters.")
            % {"min": NICKNAME_MIN, "max": NICKNAME_MAX},
            code="length",
        )
    if not allow_reserved:
        folded = _folded(value)
        if any(word in folded for word in RESERVED_WORDS):
            raise ValidationError(
                _(
                    "Nicknames with words such as 官方, 客服, 管理员, 发言人 or 金都 are kept for "
                    "the company's staff. Please choose another."
                ),
                code="reserved",
            )
    # Both sides folded by the database, as the unique constraint does.
    taken = User.objects.annotate(lower=Lower("nickname")).filter(lower=Lower(Value(value)))
    if user is not None and user.pk:
        taken = taken.exclude(pk=user.pk)
    if taken.exists():
        raise ValidationError(
            _("Another owner already uses the nickname “%(nickname)s”. Please choose another.")
            % {"nickname": value},
            code="taken",
        )
    return value


def nickname_taken_error(value):
    """For the rare race where two owners save the same nickname at the same moment."""
    return ValidationError(
        _("Another owner already uses the nickname “%(nickname)s”. Please choose another.")
        % {"nickname": value},
        code="taken",
    )
