"""Words declared the same by staff (search.models.Synonyms), applied to every query: a term
is found as any of its synonyms, in the index, the exact-word check and the marking alike."""

from django.core.cache import cache

from search.folding import terms
from search.models import Synonyms

CACHE_KEY = "search:synonyms"


def alternatives(term):
    """The folded words `term` may be found as: itself and its synonyms, longest first."""
    return sorted(_synonym_map().get(term, {term}) | {term}, key=len, reverse=True)


def _synonym_map():
    """{folded word: the folded words of every set it is in}, kept in the cache until the list
    changes (search.signals)."""
    found = cache.get(CACHE_KEY)
    if found is None:
        found = {}
        for words in Synonyms.objects.values_list("words", flat=True):
            group = set(terms(words))
            for word in group:
                found.setdefault(word, set()).update(group)
        cache.set(CACHE_KEY, found, None)
    return found


def forget():
    cache.delete(CACHE_KEY)
