"""Pages of search results that cost the same however many documents match.

A source ranks its candidates in the database (documents that have every term of the query,
newest first) and this pages over them: it reads the ids of the first CAP of them (and one
more, to know there are more), and checks the exact words only on the candidates of the page
shown. A page lists the candidates at its positions that pass the check, so no result is ever
shown twice or skipped from one page to the next, and no candidate without the exact words is
ever shown; a page may list fewer than `per_page` when a candidate had all the terms but not
the words.
"""

from django.core.paginator import Paginator
from django.utils.functional import cached_property

#: Results are counted up to this many; beyond, the page says "more than 1,000 results" and
#: offers the first 1,000 (nobody pages further: they search for a longer word).
CAP = 1000
#: Sources look at this many of the newest candidates in the index (search.index.candidates),
#: before what the reader may see is filtered: the work of a search is bounded by it.
WINDOW = CAP + 1


class Results(Paginator):
    """`candidates` is a ranked queryset; `items` the queryset that fetches them for showing
    (with what they show, e.g. select_related); `check(item)` says whether an item has the
    exact words. Two queries whatever the number found: the ids of the first candidates (CAP
    and one more), then the page's items by id. `count` is the candidates found (at most
    CAP), `more` says there are more, `exact` says every candidate was checked, so the count
    is the number of results."""

    def __init__(self, candidates, per_page, check, items=None):
        super().__init__(candidates, per_page)
        self.check = check
        self.items = candidates if items is None else items
        self.exact = False

    @cached_property
    def ids(self):
        return list(self.object_list.values_list("pk", flat=True)[: CAP + 1])

    @cached_property
    def count(self):
        return min(len(self.ids), CAP)

    @property
    def more(self):
        return len(self.ids) > CAP

    def page(self, number):
        number = self.validate_number(number)
        bottom = (number - 1) * self.per_page
        shown = self.ids[bottom : min(bottom + self.per_page, self.count)]
        found = {item.pk: item for item in self.items.filter(pk__in=shown)} if shown else {}
        items = [found[pk] for pk in shown if pk in found]  # in the candidates' order
        page = self._get_page([item for item in items if self.check(item)], number, self)
        if self.num_pages == 1 and not self.more:  # every candidate was on this page
            self.count, self.exact = len(page.object_list), True
        return page


def summary(results):
    """What the results pages say about a count: exact, about, or more than (with CAP)."""
    if any(r.more for r in results):
        return {"count": CAP, "more": True, "exact": False}
    return {
        "count": sum(r.count for r in results),
        "more": False,
        "exact": all(r.exact for r in results),
    }
