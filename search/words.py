"""The words a query's term is found as: itself, the synonyms staff keep (search.synonyms),
and for a term in Latin letters that spells pinyin, the Chinese it spells (tingche → 停车,
search.pinyin). The index lookup, the exact-word check and the marking all ask here."""

import time

from django.core.cache import cache

from search import pinyin
from search.synonyms import synonyms_of

#: How long a pinyin spelling is kept (in the cache and in each process): it follows what the
#: documents say, which changes slowly.
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
    now = time.monotonic()
    kept = _spellings.get(term)
    if kept and now - kept[0] < SPELLING_SECONDS:
        return kept[1]
    key = f"search:pinyin:{term}"
    found = cache.get(key)
    if found is None:
        found = pinyin.chinese_for(term) or ""
        cache.set(key, found, SPELLING_SECONDS)
    if len(_spellings) > 1000:
        _spellings.clear()
    _spellings[term] = (now, found)
    return found or None


def forget():
    """Drop this process's spellings (the cached ones expire on their own)."""
    _spellings.clear()
