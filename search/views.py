from itertools import combinations

from django.shortcuts import render

from portal.validators import printable
from search import registry
from search.folding import terms
from search.paging import summary
from search.queries import pages
from search.stats import record_unanswered

#: When no result has every term, the best partial matches are looked for among this many
#: terms of the query (each subset is one search).
PARTIAL_TERMS = 4


def search(request):
    """One search over the site's pages and every registered source (the forum), grouped by
    kind, matches marked. Sources are paginated; pages show on the first page. A query of
    several terms finds what has every one; when nothing has, what has the most of them is
    shown under a heading that says so."""
    query = printable(request.GET.get("q", "")).strip()[:50]
    context = {"query": query}
    if query:
        context.update(_results(query, request))
        words = terms(query)
        context["several_terms"] = len(words) > 1
        if not context["total"]["count"]:
            record_unanswered(query)
            if len(words) > 1:
                context["partial"] = _best_partial(words, request)
    return render(request, "search/results.html", context)


def _results(query, request):
    groups = []
    for source in registry.sources():
        found = source.search(query, request.user, 20).get_page(request.GET.get("page"))
        source.decorate(found, query)
        groups.append({"template": source.template, "results": found})
    first = all(group["results"].number == 1 for group in groups)
    found_pages = pages(query, request) if first else []
    total = summary([group["results"].paginator for group in groups])
    if not total["more"]:
        total["count"] += len(found_pages)
    return {"groups": groups, "pages": found_pages, "total": total}


def _best_partial(words, request):
    """The results of the largest subset of `words` that finds anything (of subsets as
    large, the one that finds most), with the words it kept; None when no word finds
    anything."""
    words = words[:PARTIAL_TERMS]
    for size in range(len(words) - 1, 0, -1):
        best = None
        for kept in combinations(words, size):
            results = _results(" ".join(f'"{word}"' for word in kept), request)
            if results["total"]["count"] and (
                best is None or results["total"]["count"] > best["total"]["count"]
            ):
                best = {**results, "words": kept}
        if best is not None:
            return best
    return None
