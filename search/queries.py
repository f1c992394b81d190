"""Answering a search over pages: candidates from the index, then the exact words; and marking
the matches in what is shown. Sources (search.registry) use the same steps for their records."""

import re

from django.utils.html import escape
from django.utils.safestring import mark_safe
from wagtail.models import Page

from search.grams import query_codes
from search.index import Kind, candidates, page_text

#: At most this many pages are shown; candidates are checked this many at a time.
PAGE_RESULTS = 60
PAGE_BATCH = 100


def pages(query):
    """Live pages anyone may read whose indexed words contain `query`, newest first."""
    terms = query_codes(query)
    found = Page.objects.live().public()
    if terms:
        found = found.filter(pk__in=candidates(Kind.PAGE, terms))
    ids = list(found.order_by("-first_published_at", "-pk").values_list("pk", flat=True))
    position = {pk: at for at, pk in enumerate(ids)}
    needle = query.lower()
    # The exact words are checked on the text the index was built from, a batch of candidates
    # at a time, until PAGE_RESULTS pages match: an older page that matches is never dropped
    # for younger candidates that do not.
    results = []
    for start in range(0, len(ids), PAGE_BATCH):
        batch = Page.objects.filter(pk__in=ids[start : start + PAGE_BATCH]).specific()
        for page in sorted(batch, key=lambda p: position[p.pk]):
            text = page_text(page)
            if needle in text.lower():
                body = text.split("\n", 1)[-1]  # the title is shown above the snippet already
                page.search_snippet = snippet(body if needle in body.lower() else text, query)
                page.title_marked = highlight(page.title, query)
                results.append(page)
                if len(results) == PAGE_RESULTS:
                    return results
    return results


def snippet(text, query, width=40):
    """The text around the first match, with every match marked."""
    text = " ".join(text.split())
    first = next(_matches(text, query), None)
    start = max(first.start() - width, 0) if first else 0
    part = text[start : start + 2 * width + len(query)]
    return highlight(
        ("…" if start else "") + part + ("…" if start + len(part) < len(text) else ""), query
    )


def highlight(text, query):
    """`text` escaped, with each occurrence of `query` (in any case) in <mark>. The one
    marking of matches on the site: the site search and the forum's search both use it."""
    text = str(text)
    out, at = [], 0
    for match in _matches(text, query):
        out += [escape(text[at : match.start()]), "<mark>", escape(match[0]), "</mark>"]
        at = match.end()
    out.append(escape(text[at:]))
    return mark_safe("".join(out))


def contains(text, query):
    """Whether `text` has `query` in any case: the check a candidate passes to be shown, the
    same matching that marks it."""
    return next(_matches(str(text), query), None) is not None


def _matches(text, query):
    """The occurrences of `query` in `text`, found in the text itself: a letter whose lower
    case is longer (İ) cannot shift them; none for an empty query."""
    if not query:
        return iter(())
    return re.finditer(re.escape(query), text, re.IGNORECASE)
