"""Answering a search: candidates from the index, then the exact words, then who may read."""

from django.db.models import Q
from django.utils.html import escape
from django.utils.safestring import mark_safe
from wagtail.models import Page

from search.grams import query_codes
from search.index import Kind, candidates


def forum_posts(query, user):
    """Posts (and topics by their title) the user may read that contain `query`, newest first."""
    from forum import access
    from forum.models import Post

    posts = Post.objects.all()
    terms = query_codes(query)
    if terms:
        posts = posts.filter(pk__in=candidates(Kind.POST, terms))
    return (
        posts.filter(
            topic__board__in=access.readable_boards(user),
            topic__is_hidden=False,
            is_hidden=False,
            deleted_by_author=False,
        )
        .filter(Q(search_text__icontains=query) | Q(position=1, topic__title__icontains=query))
        .select_related("topic__board", "author")
        .order_by("-created_at")
    )


def pages(query):
    """Live pages anyone may read whose indexed words contain `query`, newest first."""
    from search.index import page_text

    terms = query_codes(query)
    found = Page.objects.live().public()
    if terms:
        found = found.filter(pk__in=candidates(Kind.PAGE, terms))
    found = found.specific().order_by("-first_published_at")[:60]
    needle = query.lower()
    # Pages are few: the exact words are checked on the text the index was built from.
    results = []
    for page in found:
        text = page_text(page)
        if needle in text.lower():
            body = text.split("\n", 1)[-1]  # the title is shown above the snippet already
            page.search_snippet = snippet(body if needle in body.lower() else text, query)
            page.title_marked = highlight(page.title, query)
            results.append(page)
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
