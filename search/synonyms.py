"""Words declared the same by staff (search.models.Synonyms), applied to every query: a term
is found as any of its synonyms, in the index, the exact-word check and the marking alike."""

import time

from django.core.cache import cache

from search.folding import terms
from search.models import Synonyms

CACHE_KEY = "search:synonyms"
#: A process asks the cache again after this many seconds: a search checks hundreds of
#: candidates, each asking for a term's words. A change applies at once in the process that
#: made it, and within this time in the others.
FRESH_SECONDS = 1.0
_kept = {"map": None, "at": 0.0}


def synonyms_of(term):
    """The folded words staff declared the same as `term`, itself included."""
    return _synonym_map().get(term, set()) | {term}


def _synonym_map():
    """{folded word: the folded words of every set it is in}, kept in the cache until the list
    changes (search.signals), and in the process for FRESH_SECONDS."""
    now = time.monotonic()
    if _kept["map"] is not None and now - _kept["at"] < FRESH_SECONDS:
        return _kept["map"]
    found = cache.get(CACHE_KEY)
    if found is None:
        found = {}
        for words in Synonyms.objects.values_list("words", flat=True):
            group = set(terms(words))
            for word in group:
                found.setdefault(word, set()).update(group)
        cache.set(CACHE_KEY, found, None)
    _kept.update(map=found, at=now)
    return found


def forget():
    _kept["map"] = None
    cache.delete(CACHE_KEY)
