"""The one search interface: the site search, the forum's search and the suggestions ask it.

Every source (search.registry) ranks what a reader may see among the documents with every term
of the query in the index, one row per group (a topic shows once, by its best post, with how
many others match), and gives its best groups up to the page asked with its counts per
section: the forum in one query (search.index.ranked), the pages in Python (few). Here the
sources' rows are merged and paged; only the hits of the page shown are loaded and checked for
the exact words, so a search costs the same however many documents match.

Relevance, in order: the terms in the title; the terms side by side as typed; what the source
boosts (an official reply, a pinned topic); then the newest first (search.registry.rank).
"""

import hashlib
from collections import Counter
from datetime import UTC, datetime
from functools import partial
from itertools import combinations

from django.core.paginator import Paginator
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from portal import pagecache
from search import registry
from search.folding import loose_terms, terms
from search.queries import contains
from search.words import alternatives, cut, respelling
from search.words import spelled as pinyin_spelling

#: Results are counted up to this many; beyond, the page says "more than 1,000 results" and
#: offers the first 1,000 (nobody pages further: they search for a longer word).
CAP = 1000
#: The results page's sections: every hit shows under All and under its own section.
SECTIONS = (
    ("", _("All")),
    ("news", _("News and notices")),
    ("magazine", _("Magazine")),
    ("listings", _("Listings")),
    ("forum", _("Forum")),
)
#: When no result has every term, the best partial matches are looked for among this many.
PARTIAL_TERMS = 4
#: How long a ranking or a page of results is kept at most (a change of what it shows, or of
#: the words a term is found as, ends it sooner).
KEPT_SECONDS = 600
#: Only rankings of up to this many results are kept (the first pages, which most searches
#: end on): a deeper page is ranked afresh, so nobody fills the cache by paging far.
KEPT_RESULTS = 40
_OLDEST = datetime.min.replace(tzinfo=UTC)


class Found:
    """A page of ranked results: `page` (its object_list the hits shown, items loaded),
    `count`, `more` (more than CAP or than the index's window), `exact` (every hit was checked
    for the exact words, so the count is the number of results) and `sections` (key, label,
    count) for the tabs."""

    def __init__(self, page, count, more, exact, sections):
        self.page, self.count, self.more, self.exact = page, count, more, exact
        self.sections = sections


def find(query, request, *, section="", page=1, per_page=20, sections=None):
    """The results of `query` for `request.user`, ranked, one row per group, paged; only the
    sources with hits in `sections` (all when None) are asked. Each source ranks its own and
    gives the best groups up to the page asked, with its counts; only those are loaded."""
    loose = loosen(query)
    wanted = _wanted(page, per_page)
    keep = wanted <= KEPT_RESULTS  # the first pages, which most searches end on
    listed, counts, more = [], Counter(), set()
    sources = _asked(sections)
    if keep:  # every source's version in one round trip to the shared cache
        pagecache.read_versions(source.scope for source in sources if source.scope)
    for found in _ranked(sources, loose, request.user, wanted, section, keep):
        listed += found.hits
        counts.update(found.counts)
        more |= found.more
    listed.sort(key=registry.order, reverse=True)
    everything = sum(counts.values())
    total = counts[section] if section else everything
    tabs = [
        (key, label, counts[key] if key else everything)
        for key, label in SECTIONS
        if sections is None or key in sections
    ]
    more = (section in more if section else bool(more)) or total > CAP
    paginator = Paginator(_Ranking(listed, min(total, CAP)), per_page)
    shown = paginator.get_page(page)
    shown.object_list = show(shown.object_list, loose, request, keep=keep)
    exact = paginator.num_pages == 1 and not more
    count = len(shown.object_list) if exact else paginator.count
    return Found(shown, count, more, exact, tabs)


class _Ranking:
    """The ranked results as the paginator sees them: `count` of them, of which the first are
    loaded (as many as the page asked needs)."""

    def __init__(self, loaded, count):
        self.loaded, self._count = loaded, count

    def count(self):
        return self._count

    def __getitem__(self, index):
        return self.loaded[index]


def _wanted(page, per_page):
    """How many results the page asked for needs loaded, as the paginator reads the number:
    not a number is the first page, below 1 the last (up to CAP), past the end the last."""
    try:
        number = int(page)
    except (TypeError, ValueError):
        return per_page
    return CAP if number < 1 else min(number * per_page, CAP)


def ranked_hits(query, user, sections=None):
    """Every hit of `query` for `user`, best first, one per group (not checked for the exact
    words), and the sections of the sources that had more than their window."""
    hits, more = _hits(loosen(query), user, sections)
    return registry.rank(hits), more


def _hits(query, user, sections):
    """The hits of every source asked, and the sections of those that had more than their
    window."""
    hits, more = [], set()
    for source in _asked(sections):
        found, over = source.hits(query, user)
        hits += found
        if over:
            more.update(source.sections)
    return hits, more


def _asked(sections):
    """The sources with documents in `sections` (every source when None)."""
    return [
        source
        for source in registry.sources()
        if sections is None or set(source.sections) & set(sections)
    ]


def show(hits, query, request, *, keep=True):
    """The hits of a page with their items loaded, marked and checked, in their order. A hit
    without the exact words gives its place to the next of its group that has them (its
    `others` count the group's hits behind it: candidates, not all checked). `keep`: the
    page is one of the first, kept once loaded (`_shown`)."""
    shown = {}
    waiting = list(hits)
    for _try in range(registry.TRIES):
        by_source = {}
        for hit in waiting:
            by_source.setdefault(hit.source, []).append(hit)
        passed = {id(hit) for hit in _shown(by_source, query, request, keep)}
        following = []
        for hit in waiting:
            if id(hit) in passed:
                shown[hit.group] = hit
            elif hit.rest:
                nearest, *rest = hit.rest
                nearest.rest = rest
                following.append(nearest)
        waiting = following
        if not waiting:
            break
    return [shown[hit.group] for hit in hits if hit.group in shown]


def _ranked(sources, query, user, limit, section, keep):
    """Each source's `ranked(...)`, in order; kept (when `keep`) under its scope's version for
    its kind of reader, all read in one round trip: a word many owners look for (停车, 物业费)
    is ranked once until what it finds changes."""

    def rows_of(source):
        return _rows(source.ranked(query, user, limit, section))

    kept = [source for source in sources if source.scope is not None and keep]
    meaning = _meaning(query) if kept else None
    rankings = pagecache.kept_together(
        [
            (
                source.scope,
                f"search:{source.kind}:{source.reader(user)}:{section}:{limit}:{meaning}",
                partial(rows_of, source),
            )
            for source in kept
        ],
        KEPT_SECONDS,
    )
    by_source = dict(zip(kept, rankings, strict=True))
    found = []
    for source in sources:
        if source not in by_source:
            found.append(source.ranked(query, user, limit, section))
            continue
        rows, counts, more = by_source[source]
        found.append(registry.Ranked([_hit(source, row) for row in rows], counts, more))
    return found


def _shown(by_source, query, request, keep):
    """The hits of each source (`by_source`) that `source.show(hits, ...)` passes, kept like
    their ranking and read in one round trip: the page of results a word many owners look for
    is loaded, checked and marked once (per language and address, which its links and labels
    follow) until what it shows changes."""

    def items_of(source, hits):
        return {hit.pk: hit.item for hit in source.show(hits, query, request)}

    passed, kept, wanted = [], [], []
    for source, hits in by_source.items():
        if source.scope is None or not keep:
            passed += source.show(hits, query, request)
            continue
        asked = _meaning(query, ",".join(str(hit.pk) for hit in hits))
        key = f"search-shown:{source.kind}:{get_language()}:{request.get_host()}:{asked}"
        kept.append(hits)
        wanted.append((source.scope, key, partial(items_of, source, hits)))
    for hits, items in zip(kept, pagecache.kept_together(wanted, KEPT_SECONDS), strict=True):
        for hit in hits:
            if hit.pk in items:
                hit.item = items[hit.pk]
                passed.append(hit)
    return passed


def _meaning(query, *more):
    """A digest of `query` with every word its terms are found as today (staff's synonyms,
    the Chinese a pinyin term spells): a new synonym is a new search, not a kept one."""
    digest = hashlib.blake2b(query.encode(), digest_size=12)
    for term in terms(query):
        digest.update("\0".join(["", *sorted(alternatives(term))]).encode())
    for part in more:
        digest.update(f"\0{part}".encode())
    return digest.hexdigest()


def _rows(ranked):
    """A source's Ranked as plain values, to be kept: each hit with its group's others."""
    rows = [(_values(hit), [_values(behind) for behind in hit.rest]) for hit in ranked.hits]
    return rows, dict(ranked.counts), set(ranked.more)


def _values(hit):
    return hit.pk, hit.section, hit.at, hit.group[1], hit.title, hit.phrase, hit.boost, hit.others


def _hit(source, row):
    """A Hit of `source` again from what `_rows` kept."""
    (pk, section, at, group, title, phrase, boost, others), rest = row
    hit = registry.Hit(
        source, pk, section, at, group=group, title=title, phrase=phrase, boost=boost
    )
    hit.others = others
    hit.rest = [_hit(source, (behind, [])) for behind in rest]
    return hit


def best_partial(query, request, *, sections=None):
    """When nothing has every term: the terms of the largest subset of the query's first
    PARTIAL_TERMS that finds anything (of subsets as large, the one that finds most), or None.
    Each term is looked up once; subsets are compared by the documents their terms share."""
    words = terms(query)[:PARTIAL_TERMS]
    found = {}
    for word in words:
        hits, _more = _hits(f'"{word}"', request.user, sections)
        found[word] = {(hit.source.kind, hit.pk) for hit in hits}
    for size in range(len(words) - 1, 0, -1):
        shared = {
            kept: set.intersection(*(found[word] for word in kept))
            for kept in combinations(words, size)
        }
        best = max(shared, key=lambda kept: len(shared[kept]))
        if shared[best]:
            return list(best)
    return None


def answer(query, request, *, section="", page=1, sections=None):
    """What a results page shows for `query`: `found` (find), `several_terms`, and when
    nothing was found (checked, in any section) `nothing` and what `rescue` offers. The site's
    and the forum's search pages both ask it."""
    found = find(query, request, section=section, page=page, sections=sections)
    shown = {"found": found, "several_terms": len(terms(query)) > 1}
    if not found.count and not (section and found.sections[0][2]):
        shown["nothing"] = True
        shown.update(rescue(query, request, sections=sections))
    return shown


def rescue(query, request, *, sections=None):
    """What to offer when nothing has every term of `query`, each only when it finds something:
    `respelled`, the query as the site spells its sounds (停车常 → 停车场: "did you mean",
    a link, never mixed in); and `offered`, the words and results of the most terms."""
    offered = {}
    words = terms(query)[:PARTIAL_TERMS]
    respelled = [respelling(word) or word for word in words]
    # Offered only when the reader finds it, checked: the respelling is read from every
    # document, private ones included.
    if respelled != words and find(" ".join(respelled), request, sections=sections).count:
        offered["respelled"] = " ".join(respelled)
    if len(words) > 1:
        kept = best_partial(query, request, sections=sections)
        if kept:
            offered["offered"] = {
                "words": kept,
                "found": find(phrase_query(kept), request, sections=sections),
            }
    return offered


def suggestions(query, request, limit=8, sections=None):
    """What to offer as `query` is typed: the titles of pages and topics the reader may open
    that have the words, newest first, and before them the Chinese a pinyin query spells (a
    search for it) when one of those titles has it: the spelling is read from every document,
    so it is only offered where the reader can see it used. Up to `limit` (text, link)
    pairs, the link None for a search."""
    titles = []
    for source in _asked(sections):
        titles += source.titles(query, request.user, request, limit)
    titles.sort(key=lambda row: row[0] or _OLDEST, reverse=True)
    offered, seen_titles = [], set()
    for _at, title, link in titles:
        if title not in seen_titles and link:
            seen_titles.add(title)
            offered.append((title, link))
    words = terms(query)
    spelled = [pinyin_spelling(word) for word in words]
    if any(spelled):
        text = " ".join(s or w for s, w in zip(spelled, words, strict=True))
        if any(contains(title, text) for title in seen_titles):
            offered.insert(0, (text, None))
    return offered[:limit]


def loosen(query):
    """`query` with each long Chinese word written outside quotes cut into the words it is
    made of (search.words.cut): 电梯维修 finds 电梯需要尽快维修 too, after 电梯维修 itself (the
    words side by side rank first). A phrase in quotes stays as written."""
    words, loose = terms(query), loose_terms(query)
    parts = [part for word in words for part in (cut(word) if word in loose else [word])]
    return phrase_query(parts) if parts != words else query


def phrase_query(words):
    """A query asking for each of `words` as a whole (a quoted phrase each)."""
    return " ".join(f'"{word}"' for word in words)
