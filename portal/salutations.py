"""How an email addresses a person: 尊敬的王先生/女士： and Dear Mr/Ms Wang, (the glossary's
words). The surname and a polite form, never the full name; 尊敬的业主： without a name."""

import os
import re

from django.utils import translation
from django.utils.translation import gettext as _

# pypinyin reads this when it is first imported: without it, a process holds its phrase
# dictionary, some 45 MiB, which is for words; a surname needs the readings of single characters.
os.environ.setdefault("PYPINYIN_NO_PHRASES", "true")

# Two-character surnames (复姓): 欧阳娜娜 is Ms Ouyang, not Ms Ou. Only for names of three
# characters or more, as 欧阳 alone may be a surname and a given name.
COMPOUND_SURNAMES = frozenset(
    [
        "欧阳",
        "司马",
        "上官",
        "诸葛",
        "东方",
        "皇甫",
        "令狐",
        "慕容",
        "司徒",
        "司空",
        "夏侯",
        "尉迟",
        "长孙",
        "宇文",
        "公孙",
        "轩辕",
        "端木",
        "独孤",
        "南宫",
        "西门",
        "呼延",
        "万俟",
        "闻人",
        "申屠",
        "澹台",
        "赫连",
        "钟离",
        "单于",
        "濮阳",
        "淳于",
        "太史",
        "公羊",
    ]
)
# Surnames read otherwise than the character's everyday reading, which is what pypinyin gives
# for a character alone (单 is dān in 简单 but Shàn as a surname).
SURNAME_READINGS = {
    "单": "Shan",
    "曾": "Zeng",
    "解": "Xie",
    "仇": "Qiu",
    "朴": "Piao",
    "查": "Zha",
    "区": "Ou",
    "乐": "Yue",
    "盖": "Ge",
    "缪": "Miao",
    "翟": "Zhai",
    "覃": "Qin",
    "秘": "Bi",
    "种": "Chong",
    "重": "Chong",
    "繁": "Po",
    "瞿": "Qu",
    "折": "She",
    "都": "Du",
    "六": "Lu",
    "薄": "Bo",
    "牟": "Mou",
    "员": "Yun",
    "句": "Gou",
    "尉迟": "Yuchi",
    "万俟": "Moqi",
    "单于": "Chanyu",
    "长孙": "Zhangsun",
    "澹台": "Tantai",
}
HAN = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")


def surname(user):
    """The family name of `user` as written (王, 欧阳, Smith), or "" when none is known."""
    name = (getattr(user, "real_name", "") or "").strip()
    if not name:
        return (getattr(user, "last_name", "") or "").strip()
    if not HAN.search(name):
        return name.split()[-1]  # a name in Latin letters: "David Smith"
    if len(name) > 2 and name[:2] in COMPOUND_SURNAMES:
        return name[:2]
    return name[0]


def romanised(family_name):
    """王 -> Wang, 欧阳 -> Ouyang, 单 -> Shan; a name in Latin letters as it is."""
    if not HAN.search(family_name):
        return family_name
    if family_name in SURNAME_READINGS:
        return SURNAME_READINGS[family_name]
    # Imported here, not with the module: this module comes with the email template tags, so
    # every web worker loads it, and pypinyin's table of characters is some 10 MiB a process
    # that only an email in English, mostly written by a Celery worker, ever reads.
    from pypinyin import lazy_pinyin

    return "".join(lazy_pinyin(family_name)).capitalize()


def salutation(user):
    """The first line of an email to `user`, in the active language."""
    family_name = surname(user)
    if not family_name:
        return _("Dear owner,")
    if not (translation.get_language() or "").startswith("zh"):
        family_name = romanised(family_name)
    return _("Dear Mr/Ms %(surname)s,") % {"surname": family_name}
