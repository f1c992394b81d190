"""What the site search covers besides pages. The search imports no app: an app with something
to find registers a Source in its own `searching.py` (forum/searching.py), which keeps the index
in step with its records and answers a query with what a person may read.

Published pages are a source of the search app itself (search/searching.py).
"""

from collections import Counter, namedtuple
from functools import cache as memoize

from django.db.models import TextField
from django.db.models.functions import Cast
from django.utils import dateformat, timezone
from django.utils.html import format_html
from django.utils.module_loading import autodiscover_modules


def recency(field):
    """A document's time for ranking (`Hit.at`), as the database writes it as text in UTC: it
    sorts like the time, and a thousand of them cost a fraction of reading them as datetimes,
    which Django's time-zone-aware loader parses one by one in Python (6 of 35 ms of a search
    for 停车 among 100,000 posts)."""
    return Cast(field, output_field=TextField())


#: Points of relevance: a title match outranks everything else, a phrase the source's boosts
#: (search.engine's docstring says the order).
TITLE, PHRASE = 8, 4


class Hit:
    """One document found, with what ranks it (`rank`). `at` is its time as `recency` gives
    it; `group` is what the results show once (a topic: its best post stands for it); `item` is
    what is shown, loaded for the page of results only."""

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
        self.rest = []  # the group's next hits, best first, tried when this one lacks the words
        self.others = 0  # how many of the group's hits rank behind this one

    @property
    def card(self):
        """The hit as the results list shows it (its source's `card`)."""
        return self.source.card(self)


def points(hit):
    return TITLE * hit.title + PHRASE * hit.phrase + hit.boost


def order(hit):
    """What ranks hits, best last: relevance, then the newest (the key of a sort, reversed)."""
    return (points(hit), hit.at or "", hit.pk)


def rank(hits):
    """The hits best first, one per group: the best of each, with the group's others after it
    in `rest` (best first), in case the best lacks the exact words."""
    best = {}
    for hit in sorted(hits, key=order, reverse=True):
        if hit.group in best:
            best[hit.group].rest.append(hit)
        else:
            best[hit.group] = hit
    for hit in best.values():
        for behind, following in enumerate(reversed([hit, *hit.rest])):
            following.others = behind
    return list(best.values())


#: A group whose best hits lack the exact words is represented by its next one: this many are
#: tried, a batch per source each time, before the group is left out (search.engine.show).
TRIES = 3

#: A source's answer for a results page: `hits`, the best of each group in order (the first
#: `limit` of them, of the section asked), `counts`, how many groups each of its sections has,
#: and `more`, its sections that had more candidates than the index's window.
Ranked = namedtuple("Ranked", "hits counts more")


class Source:
    #: The index's kind for this source's documents (search.models.Gram.Kind).
    kind = None
    #: What its answers follow (a portal.pagecache.Scope, bumped on every change to what it
    #: finds or who may read it): search.engine keeps a ranking under the scope's version for
    #: readers of the same kind (`reader`), and a page of results. None: afresh every time.
    scope = None
    #: The sections of the results page its hits show under (search.engine.SECTIONS).
    sections = ()

    def documents(self):
        """Every document to index, for search.index.rebuild: (id, title, text) triples."""
        return []

    def hits(self, query, user):
        """What `user` may read among the documents with every term of `query` (the index's
        candidates, which may lack the exact words), as Hits, with whether there were more
        than the index's window: (hits, more)."""
        raise NotImplementedError

    def ranked(self, query, user, limit, section=""):
        """The best `limit` groups of what `user` may read with every term of `query`, in
        `section` (every one when empty), with the counts of all its sections: a Ranked.
        Ranked here from `hits`, for a source with few documents; a source with many ranks in
        the database instead (forum/searching.py)."""
        hits, more = self.hits(query, user)
        best = rank(hits)
        listed = [hit for hit in best if not section or hit.section == section]
        counts = Counter(hit.section for hit in best)
        return Ranked(listed[:limit], counts, set(self.sections) if more else set())

    def reader(self, user):
        """The kind of reader `user` is: readers of a kind find the same (with `scope`)."""
        return ""

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
        each its link; returns the hits whose item has the exact words, in their order. An
        item is what `card` shows, in plain values (search.engine keeps it)."""
        raise NotImplementedError

    def card(self, hit):
        """One hit of the results list, its item as `hit.item`: written here rather than by a
        template per hit, which cost a results page a fifth of its time."""
        raise NotImplementedError


def time_element(moment):
    """A result's date as the cards show it: the day in the site's zone, the moment in full
    for machines."""
    if moment is None:
        return ""
    moment = timezone.template_localtime(moment)
    return format_html(
        '<time datetime="{}">{}</time>', dateformat.format(moment, "c"), moment.strftime("%Y-%m-%d")
    )


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
