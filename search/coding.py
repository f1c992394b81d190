"""The number the index stores for a term (search.grams): a 56-bit hash of its text; and how
often the newest documents have some terms, which says which words the site uses."""

import hashlib

from django.db.models import Count, Q

from search.models import Gram

#: Terms are counted among the posts with ids this close to the newest document's.
RECENT = 20000


def code(term):
    return int.from_bytes(hashlib.blake2b(term.encode(), digest_size=7).digest(), "big")


def seen(codes):
    """{code: how many documents have it}: all pages (a site has a few thousand at most) and
    the posts among the newest RECENT ids; two queries, each a short walk of an index."""
    if not codes:
        return {}
    newest = Gram.objects.order_by("-object_id").values_list("object_id", flat=True)
    top = next(iter(newest[:1]), 0)
    recent = Q(kind=Gram.Kind.POST, object_id__gt=top - RECENT) | Q(kind=Gram.Kind.PAGE)
    rows = Gram.objects.filter(recent, gram__in=codes).values_list("gram").annotate(n=Count("*"))
    return dict(rows)
