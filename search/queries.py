"""The exact words of a query in a text, and marking them on what is shown: every source
(search.registry) checks and marks its results with these."""

import re

from django.utils.html import escape
from django.utils.safestring import mark_safe

from search.folding import fold, fold_with_origin, terms
from search.words import alternatives


def snippet(text, query, width=40):
    """The text around the first match, with every match marked."""
    text = " ".join(text.split())
    first = next(_matches(text, query), None)
    start = max(first[0] - width, 0) if first else 0
    part = text[start : start + 2 * width + len(query)]
    return highlight(
        ("…" if start else "") + part + ("…" if start + len(part) < len(text) else ""), query
    )


def highlight(text, query):
    """`text` escaped, with each occurrence of a term of `query` in <mark>, found as the index
    finds it (search.folding: in any case, traditional or simplified, full-width or not). The
    one marking of matches on the site: the site search and the forum's search both use it.
    Terms found side by side are one mark (调整 的通 → <mark>调整的通</mark>)."""
    text = str(text)
    spans = []
    for start, end in _matches(text, query):
        if spans and start <= spans[-1][1]:
            spans[-1][1] = max(end, spans[-1][1])
        else:
            spans.append([start, end])
    out, at = [], 0
    for start, end in spans:
        out += [escape(text[at:start]), "<mark>", escape(text[start:end]), "</mark>"]
        at = end
    out.append(escape(text[at:]))
    return mark_safe("".join(out))


def contains(text, query):
    """Whether `text` has every term of `query` (search.folding.terms), or a synonym of it,
    folded alike: the check a candidate passes to be shown, the same matching that marks it."""
    asked = terms(query)
    return bool(asked) and found_in(fold(str(text)), needles(asked))


def needles(asked):
    """The words each of the terms `asked` may be found as (a list per term), to look for in
    many folded texts."""
    return [alternatives(term) for term in asked]


def found_in(folded, words):
    """Whether a folded text (search.folding.fold) has one of each list of `words` (`needles`)."""
    return all(any(word in folded for word in each) for each in words)


def _matches(text, query):
    """The (start, end) in `text` of each occurrence of a term of `query`, compared folded
    and mapped back to the characters they came from; none for an empty query."""
    # Every word a term may be found as; the longest where two overlap.
    needles = sorted(
        {word for term in terms(query) for word in alternatives(term)}, key=len, reverse=True
    )
    if not needles:
        return iter(())
    folded, spans = fold_with_origin(text)
    pattern = "|".join(re.escape(needle) for needle in needles)
    return (
        (spans[found.start()][0], spans[found.end() - 1][1])
        for found in re.finditer(pattern, folded)
    )
