"""The words a query's term is found as: itself, the synonyms staff keep (search.synonyms),
and for a term in Latin letters that spells pinyin, the Chinese it spells (tingche → 停车,
search.pinyin). The index lookup, the exact-word check and the marking all ask here. And the
words a long Chinese term is made of (`cut`), which a search looks for apart as well."""

import time

from django.core.cache import cache

from search import pinyin
from search.coding import code, seen
from search.folding import CHINESE
from search.synonyms import synonyms_of

#: How long a pinyin spelling or a cut is kept (in the cache and in each process): it follows
#: what the documents say, which changes slowly.
SPELLING_SECONDS = 600
_spellings = {}


def alternatives(term):
    """The folded words `term` may be found as, longest first."""
    words = synonyms_of(term)
    chinese = spelled(term)
    if chinese:
        words = words | synonyms_of(chinese)
    return sorted(words, key=len, reverse=True)


def spelled(term):
    """The Chinese that a term of Latin letters spells in pinyin, or None."""
    if not (term.isascii() and term.isalpha() and len(term) >= 2):
        return None
    return _remembered("pinyin", term, lambda: pinyin.chinese_for(term) or "") or None


def respelling(term):
    """A Chinese term with one character changed for another of the same sound, as the site's
    documents write it (search.pinyin.respelled), or None; kept like the spellings."""
    return _remembered("respelled", term, lambda: pinyin.respelled(term) or "") or None


def cut(term):
    """A Chinese term of four characters or more as the words it is made of, cut where its
    neighbouring characters are seen together least in the site's documents (电梯维修 →
    电梯 维修, 停车场收费 → 停车场 收费); any other term whole."""
    if len(term) < 4 or not CHINESE.fullmatch(term):
        return [term]
    return _remembered("cut", term, lambda: _cut(term)).split(" ")


def _cut(term):
    pairs = [term[at : at + 2] for at in range(len(term) - 1)]
    counts = seen({code(pair) for pair in pairs})

    def parts(start, end):
        if end - start < 4:
            return [term[start:end]]
        # A cut after character `at` leaves two characters at least on each side.
        at = min(range(start + 1, end - 2), key=lambda at: counts.get(code(pairs[at]), 0))
        return parts(start, at + 1) + parts(at + 1, end)

    return " ".join(parts(0, len(term)))


def _remembered(kind, term, compute):
    """What `compute` says of `term`, kept in the cache and in this process for
    SPELLING_SECONDS."""
    now = time.monotonic()
    kept = _spellings.get((kind, term))
    if kept and now - kept[0] < SPELLING_SECONDS:
        return kept[1]
    key = f"search:{kind}:{code(term)}"  # what owners type, hashed: a safe cache key
    found = cache.get(key)
    if found is None:
        found = compute()
        cache.set(key, found, SPELLING_SECONDS)
    if len(_spellings) > 1000:
        _spellings.clear()
    _spellings[(kind, term)] = (now, found)
    return found


def forget():
    """Drop this process's spellings (the cached ones expire on their own)."""
    _spellings.clear()
