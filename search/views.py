from django.core.paginator import Paginator
from django.shortcuts import render

from forum.forms import printable
from search.queries import forum_posts, highlight, pages, snippet


def search(request):
    """One search over the site's pages and the forum, grouped by kind, matches marked."""
    query = printable(request.GET.get("q", "")).strip()[:50]
    context = {"query": query}
    if query:
        posts = Paginator(forum_posts(query, request.user), 20).get_page(request.GET.get("page"))
        for post in posts:
            post.title_marked = highlight(post.topic.title, query)
            post.snippet = snippet(post.search_text, query)
        found_pages = pages(query) if posts.number == 1 else []
        context.update(
            posts=posts, pages=found_pages, total=posts.paginator.count + len(found_pages)
        )
    return render(request, "search/results.html", context)
