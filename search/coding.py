"""The number the index stores for a term (search.grams): a 56-bit hash of its text; and how
often the newest documents have some terms, which says which words the site uses."""

import hashlib

from django.db.models import Count, Q

from search.models import Gram

#: Terms are counted among this many of the newest documents of each kind.
RECENT = 20000


def code(term):
    return int.from_bytes(hashlib.blake2b(term.encode(), digest_size=7).digest(), "big")


def seen(codes):
    """{code: how many of the newest RECENT documents of each kind have it}: three queries,
    each a short walk of the index's primary key per code."""
    if not codes:
        return {}
    recent = Q()
    for kind in (Gram.Kind.POST, Gram.Kind.PAGE):
        newest = Gram.objects.filter(kind=kind).order_by("-object_id")
        top = next(iter(newest.values_list("object_id", flat=True)[:1]), 0)
        recent |= Q(kind=kind, object_id__gt=top - RECENT)
    rows = Gram.objects.filter(recent, gram__in=codes).values_list("gram").annotate(n=Count("*"))
    return dict(rows)
