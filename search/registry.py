"""What the site search covers besides pages. The search imports no app: an app with something
to find registers a Source in its own `searching.py` (forum/searching.py), which keeps the index
in step with its records and answers a query with what a person may read.

Published pages need no source: search/signals.py indexes every page on publication.
"""

from functools import cache as memoize

from django.utils.module_loading import autodiscover_modules


class Source:
    #: The index's kind for this source's documents (search.models.Gram.Kind).
    kind = None
    #: The results page shows the source's group with this template (the items as `results`).
    template = ""

    def documents(self):
        """Every document to index, for rebuild_search_index: (object id, text) pairs."""
        return []

    def search(self, query, user, per_page):
        """What `user` may read that contains `query` exactly, newest first: a
        search.paging.Results over the candidates, ranked and checked for the exact words."""
        raise NotImplementedError

    def decorate(self, items, query):
        """Mark the matches on the results of the page shown (and give each its link)."""


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
