"""Writing documents into the index (their whole text, and their titles again on their own)
and reading candidates from it."""

from django.db import connection, transaction
from django.db.models import Exists, OuterRef
from django.db.models.expressions import RawSQL

from search import folding, registry
from search.grams import codes, seams
from search.models import Gram, IndexState
from search.registry import PHRASE, TITLE

Kind = Gram.Kind


#: Each kind of document's titles, indexed again on their own.
TITLES = {Kind.POST: Kind.POST_TITLE, Kind.PAGE: Kind.PAGE_TITLE}

#: A search looks at this many of the newest candidates with every term (and as many whose
#: title has them): the work of a search is bounded by it, however common the words.
WINDOW = 1001


def index_document(kind, object_id, text, title=""):
    """Replace a document's terms: those of its whole text (the title included, so terms may
    be split between the two) and those of its title alone. Called after each save of a post
    or publish of a page."""
    with transaction.atomic():
        remove_document(kind, object_id)
        Gram.objects.bulk_create(index_rows(kind, object_id, text, title), batch_size=1000)


def index_rows(kind, object_id, text, title=""):
    """The index's rows for a document (for bulk writes of many documents at once)."""
    return [
        Gram(gram=gram, kind=kind, object_id=object_id)
        for gram, kind, object_id in entries(kind, object_id, text, title)
    ]


def entries(kind, object_id, text, title=""):
    """The index's rows for a document as (gram, kind, object_id) tuples, for writing a great
    many at once (a model instance each costs five times the rest of the work)."""
    return [(term, kind, object_id) for term in codes(text)] + [
        (term, TITLES[kind], object_id) for term in codes(title)
    ]


def rebuild():
    """Index every registered source's documents again, with today's folding; returns how
    many documents were indexed."""
    with transaction.atomic():
        Gram.objects.all().delete()
        count = 0
        for source in registry.sources():
            for object_id, title, text in source.documents():
                index_document(source.kind, object_id, text, title)
                count += 1
        IndexState.objects.update_or_create(pk=1, defaults={"folding": folding.VERSION})
        for source in registry.sources():
            if source.scope is not None:
                source.scope.bump()  # nothing ranked with the old index is answered
    return count


def is_current():
    """Whether the index was built with today's folding."""
    return IndexState.objects.filter(pk=1, folding=folding.VERSION).exists()


def remove_document(kind, object_id):
    Gram.objects.filter(kind__in=(kind, TITLES[kind]), object_id=object_id).delete()


def candidates(kind, groups, below=None):
    """Ids of the documents that have at least one code of each of `groups` (sets of codes,
    search.grams.query_groups), newest (highest id) first, as a subquery: the documents of one
    code read backwards in the primary key, each looked up there for every other group.
    Nothing is grouped or counted, so a slice of it (the newest thousand) costs a thousand
    lookups however many documents match. `below`: only ids lower than it."""
    groups = sorted(groups, key=lambda group: (len(group), sorted(group)))
    first, *others = groups
    found = Gram.objects.filter(kind=kind, gram__in=first)
    if below is not None:
        found = found.filter(object_id__lt=below)
    for group in others:
        same = Gram.objects.filter(kind=kind, object_id=OuterRef("object_id"))
        found = found.filter(Exists(same.filter(gram__in=group)))
    found = found.order_by("-object_id").values("object_id")
    return found.distinct() if len(first) > 1 else found


def found_in_titles(kind, groups):
    """The newest WINDOW documents of `kind` whose title alone has every group, as a list of
    ids: few, since titles are short."""
    return [row["object_id"] for row in candidates(TITLES[kind], groups)[:WINDOW]]


#: When fewer than WINDOW of a window's candidates are readable (a private board's posts, a
#: hidden topic's take places too), the next older window is read, up to this many times.
TOP_UPS = 3


def look_up(kind, groups, read):
    """What a reader may see among the candidates of `groups`: `read(matching)` returns the
    rows of the documents readable among a Matching's `ids`. The newest window is read first;
    while fewer than WINDOW rows were readable and there are more candidates, the next older
    window too (TOP_UPS at most, so a search stays bounded). Returns (rows, titled ids, more)."""
    matching = Matching(kind, groups)
    titled, rows = matching.titled, read(matching)
    for _top_up in range(TOP_UPS):
        if not matching.more or len(rows) >= WINDOW:
            break
        matching = Matching(kind, groups, below=matching.oldest, known=titled)
        rows += read(matching)
    return rows, titled, matching.more


class Matching:
    """What a search of `kind` looks at: the newest WINDOW candidates (below `below`), and
    every document whose title has the terms however old (search.engine ranks those first;
    only in the newest window). `ids` lists both, less `known` (`keys` for `pk__in`: the
    database then reads each document by its key, where a query that asked for either of two
    subqueries would read every document), `titled` the title matches, `more` whether there
    were more candidates than the window, `oldest` the oldest of the window."""

    def __init__(self, kind, groups, below=None, known=frozenset()):
        newest = [row["object_id"] for row in candidates(kind, groups, below)[:WINDOW]]
        self.titled = set() if below is not None else set(found_in_titles(kind, groups))
        self.ids = sorted(self.titled.union(newest).difference(known), reverse=True)
        self.more = len(newest) >= WINDOW
        self.oldest = newest[-1] if newest else None

    @property
    def keys(self):
        """`ids` for `pk__in`. On PostgreSQL one array, unnested in the query: a list of a
        thousand or more numbers is a parameter each, which costs more to send and plan than
        reading the rows (36 against 20 ms for 1,469 posts)."""
        if connection.vendor == "postgresql":
            return RawSQL("SELECT unnest(%s::bigint[])", [self.ids])
        return self.ids


def has_phrase(kind, query):
    """An expression saying whether a document has the query's terms side by side, as typed
    (电梯 维修 → 电梯维修): it has the pairs that join them. None for a query of one term."""
    joins = seams(query)
    if not joins:
        return None
    same = Gram.objects.filter(kind=kind, object_id=OuterRef("pk"))
    expression = None
    for join in joins:
        found = Exists(same.filter(gram=join))
        expression = found if expression is None else expression & found
    return expression


def ranked(kind, groups, readable, *, limit, tries):
    """The best `limit` groups among the documents of `readable` that have every one of
    `groups` (search.grams.query_groups) in the index, ranked in the database in one query:
    what search.registry.rank does in Python for a source with few documents. `readable` is a
    values() query of the documents a reader may see, with the columns `doc` (the id), `grp`
    (what the results show once), `at` (its time: ordered as a time, returned as
    registry.recency writes it), `phrase` and `boost`; with
    `groups` None, every row of it is a candidate and it brings `in_title` too.

    The candidates: the newest WINDOW readable ones and every one whose title has the terms;
    when fewer than WINDOW of the newest WINDOW in the index are readable, the newest WINDOW
    readable among (TOP_UPS + 1) × WINDOW (look_up, for hits, reads whole windows instead).
    Without `groups`, the rows of `readable` (a slice of the newest) are all candidates. Returns (rows, groups, more):
    rows of (doc, grp, at, in_title, phrase, boost, place in its group, how many of the group
    rank behind it) for the first `tries` of each group shown, the number of groups, and
    whether there were more candidates than the window."""
    if not readable.query.is_sliced:
        readable = readable.order_by()
    if groups is None:
        return _ranked(readable, None, limit, tries)
    for window in (WINDOW, (TOP_UPS + 1) * WINDOW):
        rows, found, seen, readable_count = _ranked(readable, (kind, groups, window), limit, tries)
        if seen <= window or readable_count >= WINDOW:
            break
    return rows, found, seen > window or readable_count > WINDOW


def _ranked(readable, candidates_of, limit, tries):
    sql, params = readable.query.sql_with_params()
    if candidates_of is None:
        prefix, prefix_params = "", []
        found = f"SELECT * FROM ({sql}) AS readable"
        seen = "(SELECT COUNT(*) FROM found)"
    else:
        kind, groups, window = candidates_of
        newest, newest_params = _sql(candidates(kind, groups)[: window + 1])
        titled, titled_params = _sql(candidates(TITLES[kind], groups)[:WINDOW])
        prefix = (
            f"newest AS MATERIALIZED (SELECT object_id FROM ({newest}) AS newest),"
            f" titled AS MATERIALIZED (SELECT object_id FROM ({titled}) AS titled),"
        )
        prefix_params = [*newest_params, *titled_params]
        found = (
            f"SELECT readable.*, readable.doc IN (SELECT object_id FROM titled) AS in_title"
            f" FROM ({sql}) AS readable WHERE"
            f" {_among('readable.doc', 'SELECT object_id FROM newest UNION SELECT object_id FROM titled')}"
        )
        seen = "(SELECT COUNT(*) FROM newest)"
    query = f"""
        WITH {prefix}
        found AS ({found}),
        numbered AS (
            SELECT found.*, ROW_NUMBER() OVER (ORDER BY doc DESC) AS age FROM found
        ),
        scored AS (
            SELECT numbered.*,
                CASE WHEN in_title THEN {TITLE} ELSE 0 END
                + CASE WHEN phrase THEN {PHRASE} ELSE 0 END + boost AS points
            FROM numbered WHERE in_title OR age <= %s
        ),
        ranked AS (
            SELECT scored.*,
                ROW_NUMBER() OVER (
                    PARTITION BY grp ORDER BY points DESC, at DESC, doc DESC
                ) AS place,
                COUNT(*) OVER (PARTITION BY grp) AS size
            FROM scored
        ),
        best AS (
            SELECT grp FROM ranked WHERE place = 1
            ORDER BY points DESC, at DESC, doc DESC LIMIT %s
        ),
        totals AS (
            SELECT (SELECT COUNT(*) FROM ranked WHERE place = 1) AS groups,
                (SELECT COUNT(*) FROM numbered) AS readable,
                {seen} AS seen
        )
        SELECT shown.doc, shown.grp, CAST(shown.at AS TEXT), shown.in_title, shown.phrase, shown.boost,
            shown.place, shown.size - shown.place,
            totals.groups, totals.readable, totals.seen
        FROM totals LEFT JOIN (
            SELECT * FROM ranked
            WHERE place <= %s AND grp IN (SELECT grp FROM best)
        ) AS shown ON 1 = 1
    """
    # A query the index cannot look up reads the newest posts' text: as many as it was given.
    window = WINDOW if candidates_of else 2 * WINDOW
    with connection.cursor() as cursor:
        cursor.execute(query, [*prefix_params, *params, window, limit, tries])
        rows = cursor.fetchall()
    found, readable_count, seen = rows[0][-3:]
    shown = [row[:8] for row in rows if row[0] is not None]
    if candidates_of is None:
        return shown, found, readable_count >= WINDOW
    return shown, found, seen, readable_count


def _sql(queryset):
    return queryset.query.sql_with_params()


def _among(column, ids):
    """`column` is one of the ids the query `ids` gives. On PostgreSQL as an array: its planner
    then looks each candidate up by its key (a few hundred, a thousand at most) rather than
    reading the whole table to join it with them, a millisecond of 7,000 posts' 5."""
    if connection.vendor == "postgresql":
        return f"{column} = ANY(ARRAY({ids}))"
    return f"{column} IN ({ids})"
