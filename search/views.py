from urllib.parse import urlencode

from django.http import JsonResponse
from django.shortcuts import render
from django.urls import reverse

from portal.validators import printable
from search.engine import SECTIONS, answer, suggestions
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
        context.update(answer(query, request, section=section, page=request.GET.get("page")))
        if "nothing" in context:
            record_unanswered(query)
    return render(request, "search/results.html", context)


def suggest(request):
    """Up to 8 suggestions for what is typed in a search box, as JSON: {"suggestions": [{"text",
    "url"}]}, the url of a page or topic, or of the search for the text. The forum's box asks
    with section=forum: topics only, and its searches stay in the forum."""
    query = _query(request)
    forum = request.GET.get("section") == "forum"  # the forum's own search box
    sections = ("forum",) if forum else None
    found = suggestions(query, request, sections=sections) if len(query) >= 2 else []
    search_url = reverse("forum:search" if forum else "search:search")
    return JsonResponse(
        {
            "suggestions": [
                {"text": text, "url": link or f"{search_url}?{urlencode({'q': text})}"}
                for text, link in found
            ]
        },
        headers={"Cache-Control": "private, max-age=60"},
    )


def _query(request):
    return printable(request.GET.get("q", "")).strip()[:50]
