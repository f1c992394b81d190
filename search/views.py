from django.shortcuts import render

from portal.validators import printable
from search.engine import SECTIONS, best_partial, find, phrase_query
from search.folding import terms
from search.stats import record_unanswered


def search(request):
    """One search over the site's pages and every registered source (the forum), ranked
    together, with a tab per section. A query of several terms finds what has every one; when
    nothing has, what has the most of them is shown under a heading that says so."""
    query = _query(request)
    section = request.GET.get("section", "")
    section = section if section in dict(SECTIONS) else ""
    context = {"query": query, "section": section}
    if query:
        found = find(query, request, section=section, page=request.GET.get("page"))
        context["found"] = found
        context["several_terms"] = len(terms(query)) > 1
        if not found.sections[0][2]:  # nothing in any section
            record_unanswered(query)
            kept = best_partial(query, request) if context["several_terms"] else None
            if kept:
                context["partial"] = {"words": kept, "found": find(phrase_query(kept), request)}
    return render(request, "search/results.html", context)


def _query(request):
    return printable(request.GET.get("q", "")).strip()[:50]
