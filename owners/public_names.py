"""The name other owners see: nickname rules shared by the owner's profile and the admin.

A nickname is what owners call each other in the forum, so it must be readable, unique without
regard to case or look-alike letters, and must pass an owner off neither as the company or its
staff nor as another person: not a masked name (王**), not someone's real name, not the name the
site gives an owner who has none (业主13).
"""

import re
import unicodedata

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db.models import Q, Value
from django.db.models.functions import Lower
from django.utils.translation import gettext_lazy as _

from portal.validators import CONTROL_CHARACTERS

NICKNAME_MIN, NICKNAME_MAX = 2, 20
#: Longest stored look-alike key: NFKC may turn one character into several (㍿ → 株式会社).
NICKNAME_KEY_MAX = 100
# Words that make a name look official. Compared on the look-alike key (see `nickname_key`), so
# "客 服", "ＡＤＭＩＮ", "аdmin" (Cyrillic а), "金丶都客丶服" and "管理員" count too.
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
# What hides letters in a masked name (王**, and 王××, 王＊＊ as people write it by hand).
# Checked after NFKC, which already turns ＊ and ﹡ into *.
MASKING_CHARACTERS = re.compile("[*∗⁎⁑٭✱✲✳✺✻✼✽❉❊❋×✕✖╳]")
# The name the site shows for an account without a real name (User.public_name).
OWNER_NUMBER = re.compile(r"(业主|owner)\d+")

# Letters NFKC leaves alone that look like the Latin letters of a reserved word or another
# owner's nickname: Cyrillic and Greek look-alikes, digits and letters read as one another, a
# few traditional or Japanese forms of the reserved words' characters. Our own small table
# because nothing maintained fits: ICU's spoof checker (UTS #39 skeletons) needs the ICU C
# library built in, confusable-homoglyphs only flags mixed scripts and gives nothing to compare
# with, and neither knows the stroke characters Chinese users put between letters (below).
LOOK_ALIKES = str.maketrans(
    {
        **dict(zip("АВЕЗКМНОРСТУХЅІЈԚԜҺӀ", "ABE3KMHOPCTYXSIJQWHl", strict=True)),
        **dict(zip("авеёєкмнопрстухѕіїјԁԛԝһӏүɡı", "abeeekmhonpctyxsiijdqwhlygi", strict=True)),
        **dict(zip("ΑΒΕΖΗΙΚΜΝΟΡΤΥΧ", "ABEZHIKMNOPTYX", strict=True)),
        **dict(zip("αβεηικνορτυχγωμ", "abenikvoptuxywu", strict=True)),
        **dict(zip("〇員發発業註銷", "o员发发业注销", strict=True)),
    }
)
# Applied after casefolding: 0/o, and l, 1 and I (already i) as one letter, as UTS #39 does.
AFTER_CASEFOLD = (("0", "o"), ("1", "i"), ("l", "i"), ("rn", "m"), ("vv", "w"))
# Strokes that are ideographs to Unicode but serve as separators in names (金丶都, 客亅服).
FILLERS = frozenset("丶丿乀乁乚亅乛丨灬〆")


def _letters(value):
    """Letters and digits only: drops spaces, punctuation (·•・._-~), symbols and fillers."""
    return "".join(
        ch
        for ch in value
        if ch.isalnum() and ch not in FILLERS and unicodedata.category(ch) != "Lm"
    )


def nickname_key(value):
    """What a nickname looks like, for comparing: "ＬakeＶіew", "lake-view" and "LAKEVIEW" have
    one key. Stored beside the nickname (User.nickname_key) so look-alikes are found by index."""
    value = unicodedata.normalize("NFKC", value or "").translate(LOOK_ALIKES).casefold()
    value = _letters(value)
    for look_alike, letter in AFTER_CASEFOLD:
        value = value.replace(look_alike, letter)
    return value[:NICKNAME_KEY_MAX]


RESERVED_KEYS = tuple(nickname_key(word) for word in RESERVED_WORDS)


def clean_nickname(value, *, user=None, allow_reserved=False):
    """The nickname to store ("" for none), or ValidationError with a message for the form.

    `allow_reserved`: staff editing in the admin may name a spokesperson "金都客服小王"; every
    other rule holds for them too.
    """
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
    if user is not None and user.pk and value == user.nickname:
        # Kept as it is: a name staff gave in the admin (金都客服小李), or one that only later
        # met someone's real name, does not stop its owner saving the rest of the profile.
        return value
    if MASKING_CHARACTERS.search(unicodedata.normalize("NFKC", value)):
        raise ValidationError(
            _(
                "A nickname cannot contain * or other masking characters: it would look like "
                "another owner's hidden name, such as 王**."
            ),
            code="masked",
        )
    key = nickname_key(value)
    if not allow_reserved and any(word in key for word in RESERVED_KEYS):
        raise ValidationError(
            _(
                "Nicknames with words such as 官方, 客服, 管理员, 发言人 or 金都 are kept for "
                "the company's staff. Please choose another."
            ),
            code="reserved",
        )
    letters = _letters(unicodedata.normalize("NFKC", value))
    if OWNER_NUMBER.fullmatch(letters.casefold()):
        raise ValidationError(
            _(
                "A nickname cannot look like the name the site gives an owner without one, "
                "such as 业主13. Please choose another."
            ),
            code="owner_number",
        )

    # The user model by name: it imports this module for nickname_key.
    others = get_user_model().objects.all()
    if user is not None and user.pk:
        others = others.exclude(pk=user.pk)
    # Both sides folded by the database, as the unique constraint does.
    if others.annotate(lower=Lower("nickname")).filter(lower=Lower(Value(value))).exists():
        raise nickname_taken_error(value)
    if key and others.filter(nickname_key=key).exclude(nickname="").exists():
        raise ValidationError(
            _("Another owner's nickname looks the same as “%(nickname)s”. Please choose another.")
            % {"nickname": value},
            code="look_alike",
        )
    # Anyone's real name, shown or masked: "刘洋" posting would pass for the neighbour whose
    # posts read 刘**. (Refusing tells that someone on the site has that name, no more; the
    # name of whom, and whether they show it, stays hidden.)
    names = {value, letters}
    same_name = Q(real_name__iexact=value) | Q(real_name__in=names)
    for name in names:  # accounts named only by first/last name, as public_name reads them
        same_name |= Q(real_name="", first_name__iexact=name, last_name="")
        same_name |= Q(real_name="", first_name="", last_name__iexact=name)
    if others.filter(same_name).exists():
        raise ValidationError(
            _("A nickname cannot be another person's name. Please choose another."),
            code="real_name",
        )
    return value


def nickname_taken_error(value):
    """Also for the rare race where two owners save the same nickname at the same moment."""
    return ValidationError(
        _("Another owner already uses the nickname “%(nickname)s”. Please choose another.")
        % {"nickname": value},
        code="taken",
    )
