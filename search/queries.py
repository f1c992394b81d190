"""Answering a search over pages: candidates from the index, then the exact words; and marking
the matches in what is shown. Sources (search.registry) use the same steps for their records."""

import re

from django.contrib.contenttypes.models import ContentType
from django.db.models import Exists, F, OuterRef
from django.db.models.lookups import StartsWith
from django.utils.html import escape
from django.utils.safestring import mark_safe
from wagtail.models import Page, PageViewRestriction, Site

from search.folding import fold, fold_with_origin, terms
from search.grams import query_groups
from search.index import Kind, candidates, page_text
from search.synonyms import alternatives

#: At most this many pages are shown; candidates are checked this many at a time.
PAGE_RESULTS = 60
PAGE_BATCH = 100


def pages(query, request):
    """Live pages anyone may read whose indexed words contain `query`, newest first, each with
    its `search_url`. Two queries and one per kind of page shown, whatever the number of pages."""
    groups = query_groups(query)
    # Wagtail's public() reads every view restriction first; asked inside the query instead.
    restricted = PageViewRestriction.objects.filter(StartsWith(OuterRef("path"), F("page__path")))
    found = Page.objects.live().filter(~Exists(restricted))
    if groups:
        found = found.filter(pk__in=candidates(Kind.PAGE, groups))
    rows = list(found.order_by("-first_published_at", "-pk").values_list("pk", "content_type_id"))
    address = _addresses(request)
    # The exact words are checked on the text the index was built from, a batch of candidates
    # at a time, until PAGE_RESULTS pages match: an older page that matches is never dropped
    # for younger candidates that do not.
    results = []
    for start in range(0, len(rows), PAGE_BATCH):
        for page in _specific(rows[start : start + PAGE_BATCH]):
            text = page_text(page)
            if contains(text, query):
                body = text.split("\n", 1)[-1]  # the title is shown above the snippet already
                page.search_snippet = snippet(body if contains(body, query) else text, query)
                page.title_marked = highlight(page.title, query)
                page.search_url = address(page)
                results.append(page)
                if len(results) == PAGE_RESULTS:
                    return results
    return results


def _specific(rows):
    """The pages of `rows` (id, content type id) as their own kind, in the order of `rows`:
    what Wagtail's specific() gives, without its query for the content types."""
    ids = {}
    for pk, type_id in rows:
        ids.setdefault(type_id, []).append(pk)
    found = {}
    for type_id, pks in ids.items():
        model = ContentType.objects.get_for_id(type_id).model_class() or Page
        found.update((page.pk, page) for page in model.objects.filter(pk__in=pks).order_by())
    return [found[pk] for pk, _type in rows if pk in found]


def _addresses(request):
    """A page's link as {% pageurl %} writes it, without its query for the current site: the
    path alone when there is one site, the full address when there are several."""

    # The sites' root paths, as Wagtail's get_url counts them (kept in the cache by Wagtail).
    single = len({root.site_id for root in Site.get_site_root_paths()}) == 1

    def address(page):
        parts = page.get_url_parts(request)
        if parts is None or parts[2] is None:
            return None  # not routable
        _site, root_url, path = parts
        return path if single else root_url + path

    return address


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
    one marking of matches on the site: the site search and the forum's search both use it."""
    text = str(text)
    out, at = [], 0
    for start, end in _matches(text, query):
        out += [escape(text[at:start]), "<mark>", escape(text[start:end]), "</mark>"]
        at = end
    out.append(escape(text[at:]))
    return mark_safe("".join(out))


def contains(text, query):
    """Whether `text` has every term of `query` (search.folding.terms), or a synonym of it,
    folded alike: the check a candidate passes to be shown, the same matching that marks it."""
    asked = terms(query)
    folded = fold(str(text)) if asked else ""
    return bool(asked) and all(any(word in folded for word in alternatives(term)) for term in asked)


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
