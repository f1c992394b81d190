"""Writing documents into the index and reading candidates from it; what a page says."""

from django.db import transaction
from django.db.models import Exists, OuterRef
from django.utils.html import strip_tags
from wagtail.models import Page

from search import folding, registry
from search.grams import codes
from search.models import Gram, IndexState

Kind = Gram.Kind


def index_document(kind, object_id, text):
    """Replace a document's terms. Called after each save of a post or publish of a page."""
    with transaction.atomic():
        Gram.objects.filter(kind=kind, object_id=object_id).delete()
        Gram.objects.bulk_create(
            [Gram(kind=kind, object_id=object_id, gram=term) for term in codes(text)],
            batch_size=1000,
        )


def rebuild():
    """Index every registered source's documents and every live page again, with today's
    folding; returns how many documents were indexed."""
    with transaction.atomic():
        Gram.objects.all().delete()
        count = 0
        for source in registry.sources():
            for object_id, text in source.documents():
                index_document(source.kind, object_id, text)
                count += 1
        for page in Page.objects.live().specific().iterator(chunk_size=200):
            index_document(Kind.PAGE, page.pk, page_text(page))
            count += 1
        IndexState.objects.update_or_create(pk=1, defaults={"folding": folding.VERSION})
    return count


def is_current():
    """Whether the index was built with today's folding."""
    return IndexState.objects.filter(pk=1, folding=folding.VERSION).exists()


def remove_document(kind, object_id):
    Gram.objects.filter(kind=kind, object_id=object_id).delete()


def candidates(kind, groups):
    """Ids of the documents that have at least one code of each of `groups` (sets of codes,
    search.grams.query_groups), newest (highest id) first, as a subquery: the documents of one
    code read backwards in the primary key, each looked up there for every other group.
    Nothing is grouped or counted, so a slice of it (the newest thousand) costs a thousand
    lookups however many documents match."""
    groups = sorted(groups, key=lambda group: (len(group), sorted(group)))
    first, *others = groups
    found = Gram.objects.filter(kind=kind, gram__in=first)
    for group in others:
        same = Gram.objects.filter(kind=kind, object_id=OuterRef("object_id"))
        found = found.filter(Exists(same.filter(gram__in=group)))
    found = found.order_by("-object_id").values("object_id")
    return found.distinct() if len(first) > 1 else found


# -- What each kind of document says --------------------------------------------------------


def page_text(page):
    """A page's title and the words of its text fields and body. A members-only magazine
    issue is indexed by what everyone may read: title, teaser and contents."""
    parts = [page.title, page.search_description]
    for name in ("intro", "summary", "place", "address", "city", "district"):
        value = getattr(page, name, "")
        if isinstance(value, str):
            parts.append(value)
    if getattr(page, "members_only", False):
        parts += [article.get("title", "") for article in page.table_of_contents()]
    else:
        for name in ("body", "articles"):
            stream = getattr(page, name, None)
            if stream is not None:
                parts.append(strip_tags(_stream_text(stream.raw_data)))
    return "\n".join(p for p in parts if p)


def _stream_text(value):
    if isinstance(value, str):
        return value
    if isinstance(value, dict):
        return " ".join(_stream_text(v) for k, v in value.items() if k not in ("id", "type"))
    if isinstance(value, list | tuple):
        return " ".join(_stream_text(v) for v in value)
    return ""
