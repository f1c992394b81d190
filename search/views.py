from django.shortcuts import render

from portal.validators import printable
from search import registry
from search.paging import summary
from search.queries import pages


def search(request):
    """One search over the site's pages and every registered source (the forum), grouped by
    kind, matches marked. Sources are paginated; pages show on the first page."""
    query = printable(request.GET.get("q", "")).strip()[:50]
    context = {"query": query}
    if query:
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
        context.update(groups=groups, pages=found_pages, total=total)
    return render(request, "search/results.html", context)
