"""What owners type and what the site says, brought to one form before they are compared.

The same folding is applied to every document the index stores and to every query, and again
when the words found are checked and marked on the text shown:

- Unicode NFKC: full-width letters and digits from Chinese input methods are plain ones
  (３号楼 → 3号楼, ＷｉＦｉ → WiFi);
- case folding (WiFi → wifi);
- traditional characters as simplified ones (停車 → 停车, 電梯 → 电梯), by OpenCC's tables,
  character by character so every folded character still points at the one it came from;
- Chinese numerals before a building, floor, unit or phase word as digits (三号楼 → 3号楼,
  十二楼 → 12楼, 二期 → 2期), so either way of writing finds the other;
- spaces between a number or a Latin word and a Chinese character dropped (3 号楼 → 3号楼,
  5 栋 → 5栋): owners and staff write both.

A query asks for several terms (`terms`): it is split at spaces and punctuation, and a phrase in
quotes stays whole; a document is found when it has every term.

`fold_with_origin` also says which characters of the text each folded character came from, so
a match found in the folded text is marked on the original (search.queries.highlight).
"""

import re
import unicodedata

from opencc import OpenCC

#: Bump when the folding or what the index stores changes: the index is rebuilt at the next
#: migrate (search.signals).
VERSION = 2

CJK = r"\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uac00-\ud7af"
_IS_CJK = re.compile(rf"[{CJK}]")
#: A run of Chinese (or Japanese, Korean) characters.
CHINESE = re.compile(rf"[{CJK}]+")
_ALNUM = re.compile(rf"[^\W_{CJK}]")
_SPACES = re.compile(r"\s+")
#: The words a number is written before in addresses: 3号楼, 5栋, 12楼, 2单元, 1201室, 二期.
_UNITS = "号栋幢楼层单元室座期区排"
_NUMERALS = re.compile(rf"[零〇一二两三四五六七八九十百千]+(?=[{_UNITS}])")
_DIGITS = {c: n for n, c in enumerate("零一二三四五六七八九")} | {"〇": 0, "两": 2}
_POWERS = {"十": 10, "百": 100, "千": 1000}

#: The blocks where folding changes characters: Latin letters and their accents, punctuation
#: and symbols, CJK radicals to compatibility, the unified ideographs, presentation forms and
#: full-width forms. Elsewhere a character is only case-folded.
_BLOCKS = (
    (0x00A0, 0x0250),
    (0x1E00, 0x1F00),
    (0x2000, 0x2C00),
    (0x2E80, 0x3400),
    (0x3400, 0x4DC0),
    (0x4E00, 0xA000),
    (0xF900, 0xFB50),
    (0xFE10, 0xFE70),
    (0xFF00, 0xFFF0),
)


def _table():
    """{code point: folded text} for every character of _BLOCKS that folding changes: NFKC,
    case, then OpenCC's simplified form (asked once for the whole block, character by
    character). The converter and its dictionaries are let go once the table is made: nothing
    asks them again."""
    t2s = OpenCC("t2s")
    table = {}
    for first, last in _BLOCKS:
        chars = [chr(code) for code in range(first, last)]
        normal = [unicodedata.normalize("NFKC", char).casefold() for char in chars]
        # One call for the block: OpenCC converts a newline-separated list line by line.
        simple = t2s.convert("\n".join(normal)).split("\n")
        if len(simple) != len(normal):  # a character it would not keep on its own line
            simple = [t2s.convert(text) for text in normal]
        for char, folded in zip(chars, simple, strict=True):
            if folded != char:
                table[ord(char)] = folded
    return table


_TABLE = _table()
# No character folds to nothing: `fold_with_origin` relies on it to know from the lengths alone
# that each character folded to exactly one.
assert all(_TABLE.values())


def _fold_char(char):
    """One character folded. May be several characters (ﬁ → fi, ß → ss)."""
    return _TABLE.get(ord(char), char).casefold()


def fold(text):
    """`text` in the form the index and the comparison use: `fold_with_origin`'s text, made
    without keeping track of where each character came from."""
    folded = text.translate(_TABLE).casefold()
    if _NUMERALS.search(folded):
        folded = _NUMERALS.sub(_digits, folded)
    return _drop_spaces(folded, None)[0]


def _digits(found):
    value = _value(found[0])
    return found[0] if value is None else str(value)


def fold_with_origin(text):
    """(folded text, for each folded character the (start, end) of the characters of `text` it
    comes from: one character, or a whole Chinese numeral for each of its digits)."""
    folded = text.translate(_TABLE).casefold()
    if len(folded) == len(text):
        # Each character folded to one (none folds to nothing): folded the text at once, as
        # nearly every text is, rather than a character at a time (the results page folds
        # every result it shows to mark the words).
        chars, spans = list(folded), [(index, index + 1) for index in range(len(text))]
    else:
        chars, spans = [], []
        for index, char in enumerate(text):
            for one in _fold_char(char):
                chars.append(one)
                spans.append((index, index + 1))
    chars, spans = _numbers(chars, spans)
    return _drop_spaces(chars, spans)


def _numbers(chars, spans):
    """Chinese numerals before a unit word as digits."""
    text = "".join(chars)
    if not _NUMERALS.search(text):
        return chars, spans
    out_chars, out_spans, at = [], [], 0
    for found in _NUMERALS.finditer(text):
        value = _value(found[0])
        if value is None:
            continue
        digits = str(value)
        whole = (spans[found.start()][0], spans[found.end() - 1][1])
        out_chars += chars[at : found.start()] + list(digits)
        out_spans += spans[at : found.start()] + [whole] * len(digits)
        at = found.end()
    return out_chars + chars[at:], out_spans + spans[at:]


def _value(numeral):
    """三 → 3, 十二 → 12, 二十三 → 23, 一百零五 → 105, 一二零一 → 1201; None if not a number."""
    if not any(c in _POWERS for c in numeral):
        return int("".join(str(_DIGITS[c]) for c in numeral))
    total, digit = 0, None
    for char in numeral:
        if char in _POWERS:
            total += (1 if digit is None else digit) * _POWERS[char]
            digit = None
        elif digit is not None and _DIGITS[char] != 0:
            return None  # two digits in a row beside a power: not a number as written
        else:
            digit = _DIGITS[char] or None
    return total + (digit or 0)


def _drop_spaces(chars, spans):
    """A run of spaces between a letter or digit and a Chinese character left out. `spans`
    may be None when nobody needs them."""
    text = chars if isinstance(chars, str) else "".join(chars)
    kept, kept_spans, at = [], [], 0
    for found in _SPACES.finditer(text):
        start, end = found.span()
        if start == 0 or end == len(text):
            continue
        before, after = text[start - 1], text[end]
        if (_ALNUM.match(before) and _IS_CJK.match(after)) or (
            _IS_CJK.match(before) and _ALNUM.match(after)
        ):
            kept.append(text[at:start])
            if spans is not None:
                kept_spans += spans[at:start]
            at = end
    if not at:
        return text, spans
    return "".join(kept) + text[at:], spans and kept_spans + spans[at:]


#: A phrase in quotes, straight or Chinese: "…", “…”, 「…」, 『…』.
_PHRASE = re.compile(r'"([^"]+)"|“([^”]+)”|「([^」]+)」|『([^』]+)』')
#: Where a query is split into terms once folded: spaces and punctuation, Chinese included.
_SEPARATORS = re.compile(r"[\s!-/:-@\[-`{-~\u2000-\u206f\u3000-\u303f\uff01-\uff0f·]+")


def terms(query):
    """The folded terms `query` asks for, each once, in order: its quoted phrases whole, the
    rest split at spaces and punctuation (电梯 维修, 电梯，维修 → 电梯, 维修). A query of
    nothing but punctuation is one term."""
    found = []

    def add(parts):
        found.extend(part for part in parts if part and part not in found)

    at = 0
    for phrase in _PHRASE.finditer(query):
        add(_SEPARATORS.split(fold(query[at : phrase.start()])))
        add([fold(next(group for group in phrase.groups() if group)).strip()])
        at = phrase.end()
    add(_SEPARATORS.split(fold(query[at:])))
    if not found:  # nothing but punctuation: looked for as it is
        add([fold(query).strip()])
    return found


def loose_terms(query):
    """The terms of `query` written outside quotes: those a search may cut into words."""
    return set(_SEPARATORS.split(fold(_PHRASE.sub(" ", query)))) - {""}
