"""Answering a search over pages: candidates from the index, then the exact words; and marking
the matches in what is shown. Sources (search.registry) use the same steps for their records."""

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
    lower = text.lower()
    at = lower.find(query.lower()) if len(lower) == len(text) else -1
    start = max(at - width, 0) if at >= 0 else 0
    part = text[start : start + 2 * width + len(query)]
    return highlight(
        ("…" if start else "") + part + ("…" if start + len(part) < len(text) else ""), query
    )


def highlight(text, query):
    """`text` escaped, with each occurrence of `query` in <mark>."""
    if not query:
        return escape(text)
    lower, needle, out, at = text.lower(), query.lower(), [], 0
    if len(lower) != len(text):  # a letter whose lower case is longer (İ): positions differ
        return escape(text)
    while True:
        found = lower.find(needle, at)
        if found < 0:
            out.append(escape(text[at:]))
            break
        out += [
            escape(text[at:found]),
            "<mark>",
            escape(text[found : found + len(query)]),
            "</mark>",
        ]
        at = found + len(query)
    return mark_safe("".join(out))
