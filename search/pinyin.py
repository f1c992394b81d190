"""Pinyin: a query typed in Latin letters that spells Chinese (tingche → 停车), and a query
typed with the wrong character of the same sound (停车常 → 停车场, 电悌 → 电梯).

Both are spelled the same way: each syllable may be any common character read so
(search.models.Reading); of the pairs of neighbouring characters that can be made, those the
index holds most often among the newest documents win (search.grams: every pair of Chinese
characters is a term of the index). The site's own words decide, not a general dictionary:
dianti is 电梯 here because the documents say 电梯.
"""

import math
import re
from collections import Counter
from functools import cache as memoize

from search import registry
from search.coding import code, seen
from search.folding import CHINESE, fold
from search.models import Reading

_LATIN = re.compile(r"[a-z]+")
#: Initials typed for a word: two or three consonants (vowels start few words, and would make
#: English words like "app" read as initials).
_INITIALS = re.compile(r"[bcdfghjklmnpqrstwxyz]{2,3}")
#: Characters that join words rather than begin or end them: a run of initials never starts
#: or ends with one.
_PARTICLES = frozenset("的了是在和与及或把被对于也都就着过吗呢吧啊")
#: The titles initials are looked for in, newest first, per source.
TITLES_READ = 2000
_MAX_SYLLABLES = 6


@memoize
def _syllables():
    """Every pinyin syllable without tones (about 400)."""
    return frozenset(Reading.objects.filter(common=True).values_list("pinyin", flat=True))


def syllables(text):
    """`text` cut into pinyin syllables (tingche → ting che), the fewest pieces; None when
    it is not pinyin throughout or is one syllable (too short to say which word)."""
    if not _LATIN.fullmatch(text):
        return None
    known, best = _syllables(), {0: []}
    for end in range(1, len(text) + 1):
        options = [
            best[start] + [text[start:end]]
            for start in range(max(0, end - 6), end)
            if start in best and text[start:end] in known
        ]
        if options:
            best[end] = min(options, key=len)
    found = best.get(len(text))
    return found if found and 2 <= len(found) <= _MAX_SYLLABLES else None


def spell(readings):
    """The likeliest Chinese for a list of readings, each a set of characters it may be
    (from pinyin syllables or a typed character's sounds): the path of neighbouring pairs
    that the index holds most. None when some pair is never seen."""
    pairs = [
        {a + b: code(a + b) for a in before for b in after}
        for before, after in zip(readings, readings[1:], strict=False)
    ]
    counts = seen({c for pair in pairs for c in pair.values()})
    # Best path by the sum of the pairs' log counts; a pair never seen ends a path.
    paths = {ch: (0.0, ch) for ch in readings[0]}
    for pair in pairs:
        following = {}
        for text, number in pair.items():
            times = counts.get(number)
            if times and text[0] in paths:
                score = paths[text[0]][0] + math.log(1 + times)
                if text[1] not in following or score > following[text[1]][0]:
                    following[text[1]] = (score, paths[text[0]][1] + text[1])
        paths = following
        if not paths:
            return None
    return max(paths.values())[1]


def chinese_for(term):
    """The Chinese a Latin term spells in pinyin (tingche → 停车) or, two or three consonants,
    gives the initials of (tc → 停车, wyf → 物业费), or None."""
    spoken = syllables(term)
    if spoken is None:
        return by_initials(term) if _INITIALS.fullmatch(term) else None
    sounds = _characters_read(spoken)
    return spell([sounds.get(syllable, set()) for syllable in spoken])


def respelled(term):
    """A Chinese term with one character changed for another of the same sound, the way the
    site's documents write it most (停车常 → 停车场, 电悌 → 电梯): typing pinyin, an owner
    picks a wrong character, rarely two. None when no such change makes pairs the documents
    have, or for a term too long to be one word."""
    if not 2 <= len(term) <= 6 or not CHINESE.fullmatch(term):
        return None
    readings = _readings_of(term)
    sounds = _characters_read(set().union(*readings.values()))
    options = []  # (position, character, the pairs it makes with its neighbours)
    for at, typed in enumerate(term):
        for character in set().union(*(sounds.get(r, ()) for r in readings.get(typed, ()))):
            if character != typed:
                pairs = [term[at - 1] + character] if at else []
                pairs += [character + term[at + 1]] if at + 1 < len(term) else []
                options.append((at, character, [code(pair) for pair in pairs]))
    counts = seen({number for _at, _character, numbers in options for number in numbers})
    best, best_score = None, 0
    for at, character, numbers in options:
        score = min(counts.get(number, 0) for number in numbers)  # every new pair seen
        if score > best_score:
            best, best_score = term[:at] + character + term[at + 1 :], score
    return best


def by_initials(letters):
    """The word of the site's titles (those anyone may read, search.registry) whose pinyin
    initials are `letters`, the one most titles have: the site's own words decide."""
    titles = [
        fold(title) for source in registry.sources() for title in source.public_titles(TITLES_READ)
    ]
    characters = {character for title in titles for character in title if CHINESE.match(character)}
    initials = {
        character: {reading[0] for reading in readings}
        for character, readings in _readings_of(characters).items()
    }
    size, counts = len(letters), Counter()
    for title in titles:
        for at in range(len(title) - size + 1):
            word = title[at : at + size]
            if word[0] in _PARTICLES or word[-1] in _PARTICLES:
                continue  # 的通 (…的通知) is no word
            if all(
                letter in initials.get(ch, ()) for ch, letter in zip(word, letters, strict=True)
            ):
                counts[word] += 1
    return counts.most_common(1)[0][0] if counts else None


def _readings_of(characters):
    """{character: its readings} for `characters` (one query)."""
    found = {}
    for character, reading in Reading.objects.filter(character__in=set(characters)).values_list(
        "character", "pinyin"
    ):
        found.setdefault(character, set()).add(reading)
    return found


def _characters_read(readings):
    """{reading: the common characters read so} for `readings` (one query)."""
    found = {}
    for reading, character in Reading.objects.filter(
        pinyin__in=set(readings), common=True
    ).values_list("pinyin", "character"):
        found.setdefault(reading, set()).add(character)
    return found
