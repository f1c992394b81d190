"""What the site search covers besides pages. The search imports no app: an app with something
to find registers a Source in its own `searching.py` (forum/searching.py), which keeps the index
in step with its records and answers a query with what a person may read.

Published pages are a source of the search app itself (search/searching.py).
"""

from functools import cache as memoize

from django.db.models import TextField
from django.db.models.functions import Cast
from django.utils.module_loading import autodiscover_modules


def recency(field):
    """A document's time for ranking (`Hit.at`), as the database writes it as text in UTC: it
    sorts like the time, and a thousand of them cost a fraction of reading them as datetimes,
    which Django's time-zone-aware loader parses one by one in Python (6 of 35 ms of a search
    for 停车 among 100,000 posts)."""
    return Cast(field, output_field=TextField())


class Hit:
    """One document found, with what ranks it (search.engine.rank). `at` is its time as
    `recency` gives it; `group` is what the results show once (a topic: its best post stands
    for it); `item` is what is shown, loaded for the page of results only."""

    __slots__ = (
        "source",
        "pk",
        "section",
        "group",
        "title",
        "phrase",
        "boost",
        "at",
        "item",
        "rest",
        "others",
    )

    def __init__(self, source, pk, section, at, *, group=None, title=False, phrase=False, boost=0):
        self.source, self.pk, self.section, self.at = source, pk, section, at
        self.group = (source.kind, pk) if group is None else (source.kind, group)
        self.title, self.phrase, self.boost, self.item = title, phrase, boost, None
        self.rest = []  # the group's other hits, best first (search.engine.rank)
        self.others = 0  # how many of them there are behind the one shown (search.engine.show)


class Source:
    #: The index's kind for this source's documents (search.models.Gram.Kind).
    kind = None
    #: The sections of the results page its hits show under (search.engine.SECTIONS).
    sections = ()
    #: The template that shows one of its hits (as `hit`, the item as `hit.item`).
    template = ""

    def documents(self):
        """Every document to index, for search.index.rebuild: (id, title, text) triples."""
        return []

    def hits(self, query, user):
        """What `user` may read among the documents with every term of `query` (the index's
        candidates, which may lack the exact words), as Hits, with whether there were more
        than the index's window: (hits, more)."""
        raise NotImplementedError

    def titles(self, query, user, request, limit):
        """Up to `limit` of the newest documents `user` may read whose title has every term
        of `query`, for suggestions as an owner types: (time, title, link) triples."""
        return []

    def public_titles(self, limit):
        """The titles of the newest `limit` documents anyone may read: the words the site uses,
        for pinyin initials (search.pinyin)."""
        return []

    def show(self, hits, query, request):
        """Load the items of the hits of the page shown, mark the matches on them and give
        each its link; returns the hits whose item has the exact words, in their order."""
        raise NotImplementedError


_sources = {}


def register(source):
    _sources[source.kind] = source
    return source


def sources():
    """Every registered source, in the order of INSTALLED_APPS. The apps' `searching` modules
    are looked for once per process: looking again on every search costs a millisecond."""
    _discover()
    return list(_sources.values())


@memoize
def _discover():
    autodiscover_modules("searching")
