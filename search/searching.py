"""Published pages in the site search (search.registry): the index follows every publication,
and a search returns the live pages anyone may read. A page model says which section of the
results it shows under with `search_section` (news, magazine, listings); others show under
All only.

The pages anyone may read are few (a few hundred in a busy year): each process keeps their
titles and texts, folded and as written, while the pages' version stands (`catalogue`); a
search ranks them there, not in the index, and the page of results shows them from there,
asking the database only whether each is still live and public. A site with more than
CATALOGUE_PAGES (or CATALOGUE_CHARACTERS) searches them in the index instead, as the forum's
posts are.
"""

import time
from functools import cache as memoize
from itertools import pairwise
from types import SimpleNamespace

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.cache import cache
from django.db.models import Exists, F, OuterRef, Value
from django.db.models.lookups import StartsWith
from django.dispatch import receiver
from django.utils.html import format_html, strip_tags
from wagtail.models import Page, PageViewRestriction, Site, get_page_models
from wagtail.signals import page_published, page_unpublished

from portal import pagecache
from search import registry
from search.folding import fold, terms
from search.grams import IS_CJK, query_groups, seams
from search.index import (
    Kind,
    found_in_titles,
    has_phrase,
    index_document,
    look_up,
    remove_document,
)
from search.queries import contains, found_in, highlight, needles, snippet

#: A query too short for the index (one Chinese character) reads the pages' text instead, a
#: batch at a time, newest first, up to this many matches.
SCANNED = 60
#: ... among at most this many of the newest pages.
SCANNED_PAGES = 2000
_BATCH = 100
#: Up to this many public pages, of up to this many characters in all (folded and as written),
#: a search reads them from what each process keeps (some 10 MiB at most).
CATALOGUE_PAGES = 1000
CATALOGUE_CHARACTERS = 2_000_000
#: ... built again after this long at most, as a search's ranking is (search.engine).
CATALOGUE_SECONDS = 600


class Pages(registry.Source):
    kind = Kind.PAGE
    sections = ("news", "magazine", "listings", "pages")
    # What anyone may read, which every change of a page shows bumps: one kind of reader.
    scope = pagecache.PAGES

    def documents(self):
        for page in _public(Page.objects.live()).specific().iterator(chunk_size=200):
            yield page.pk, page.title, page_text(page)

    def hits(self, query, user):
        kept = catalogue()
        if kept is not None:
            return self._kept_hits(kept, query), False
        found = _public(Page.objects.live())
        groups = query_groups(query)
        if not groups:
            hits = self._scanned(found, query)
            return hits, len(hits) >= SCANNED
        phrase = has_phrase(Kind.PAGE, query) or Value(False)

        def read(matching):
            rows = found.filter(pk__in=matching.keys).annotate(
                phrase=phrase, at=registry.recency("first_published_at")
            )
            return list(rows.values_list("pk", "content_type_id", "at", "phrase"))

        rows, titled, more = look_up(Kind.PAGE, groups, read)
        hits = [
            registry.Hit(self, pk, section(type_id), at, title=pk in titled, phrase=phrase)
            for pk, type_id, at, phrase in rows
        ]
        return hits, more

    def _kept_hits(self, kept, query):
        """The kept pages with every term of `query`: the check the index's candidates pass
        to be shown, made on every page at once. A page whose title has the terms ranks as
        one found in its title; one with the terms side by side as typed, as a phrase (where
        the index would find the pairs that join them)."""
        asked = terms(query)
        if not asked:
            return []
        words = needles(asked)
        phrase = _as_typed(asked) if seams(query) else None
        return [
            registry.Hit(
                self,
                pk,
                entry.section,
                entry.at,
                title=found_in(entry.title, words),
                phrase=phrase is not None and phrase in entry.text,
            )
            for pk, entry in kept.items()
            if found_in(entry.text, words)
        ]

    def titles(self, query, user, request, limit):
        groups = query_groups(query)
        if not groups:
            return []
        pages = (
            _public(Page.objects.live())
            .filter(pk__in=found_in_titles(Kind.PAGE, groups))
            .order_by("-first_published_at")
            .only("title", "url_path", "first_published_at")
        )
        address = _addresses(request)
        return [
            (page.first_published_at, page.title, address(page))
            for page in pages[: 4 * limit]
            if contains(page.title, query)
        ][:limit]

    def public_titles(self, limit):
        pages = _public(Page.objects.live()).order_by("-first_published_at")
        return list(pages.values_list("title", flat=True)[:limit])

    def _scanned(self, pages, query):
        hits = []
        pages = pages.order_by("-first_published_at", "-pk")
        for start in range(0, SCANNED_PAGES, _BATCH):
            batch = list(pages[start : start + _BATCH].specific())
            for page in batch:
                if contains(page_text(page), query):
                    hit = registry.Hit(
                        self,
                        page.pk,
                        section(page.content_type_id),
                        None,
                        title=contains(page.title, query),
                    )
                    hit.item = page
                    hits.append(hit)
            if len(batch) < _BATCH or len(hits) >= SCANNED:
                break
        times = dict(
            Page.objects.filter(pk__in=[hit.pk for hit in hits])
            .annotate(at=registry.recency("first_published_at"))
            .values_list("pk", "at")
        )
        for hit in hits:
            hit.at = times.get(hit.pk)
        return hits

    def show(self, hits, query, request):
        missing = [hit.pk for hit in hits if hit.item is None]
        shown = _kept_shown(missing) if missing else {}
        address = _addresses(request)
        if shown is None:
            pages = _public(Page.objects.live()).filter(pk__in=missing).specific()
            shown = {page.pk: _Shown(page, address(page)) for page in pages}
        kept = []
        for hit in hits:
            page = shown.get(hit.pk) if hit.item is None else _Shown(hit.item, address(hit.item))
            if page is None or page.link is None or not contains(page.text, query):
                continue
            body = page.text.split("\n", 1)[-1]  # the title is shown above the snippet already
            hit.item = SimpleNamespace(
                url=page.link,
                title_marked=highlight(page.title, query),
                snippet=snippet(body if contains(body, query) else page.text, query),
                kind=str(page.kind().get_verbose_name()),
                first_published_at=page.first_published_at,
            )
            kept.append(hit)
        return kept

    def card(self, hit):
        page = hit.item
        return format_html(
            '<li class="card"><a class="search-results__title" href="{}">{}</a>\n'
            "    <p>{}</p>\n"
            '    <p class="muted">{} · {}</p></li>\n',
            page.url,
            page.title_marked,
            page.snippet,
            page.kind,
            registry.time_element(page.first_published_at),
        )


registry.register(Pages())


def _as_typed(asked):
    """The terms side by side as a folded text has them: a Chinese character joins its
    neighbour directly, Latin words keep a space."""
    joined = asked[0]
    for before, after in pairwise(asked):
        joined += ("" if IS_CJK.match(before[-1]) or IS_CJK.match(after[0]) else " ") + after
    return joined


class _Shown:
    """What a page of results shows of a page: its title and text as written, its kind, its
    time and its link (None: no site leads to it)."""

    __slots__ = ("title", "text", "type_id", "first_published_at", "link")

    def __init__(self, page, link, text=None):
        self.title, self.text = page.title, page_text(page) if text is None else text
        self.type_id, self.first_published_at = page.content_type_id, page.first_published_at
        self.link = link

    def kind(self):
        return ContentType.objects.get_for_id(self.type_id).model_class()


class _Entry:
    """A kept page, as a search ranks it: its results section and time, its title and text
    folded; and as the page of results shows it (`shown`), its link as one site gives it."""

    __slots__ = ("section", "at", "title", "text", "shown")

    def __init__(self, page, at, path):
        text = page_text(page)
        self.section, self.at = section(page.content_type_id), at
        self.title, self.text = fold(page.title), fold(text)
        self.shown = _Shown(page, path, text)


def _kept_shown(pks):
    """The pages to show, from the catalogue: only whether each is still live and public is
    asked (a restriction made with no signal shows at once here). None when the catalogue
    lacks one, or there are several sites or content languages: a link then follows the site
    asked and the reader's language (`_addresses`)."""
    kept = catalogue()
    if kept is None or not all(pk in kept for pk in pks):
        return None
    if settings.WAGTAIL_I18N_ENABLED or not _single_site():
        return None
    public = _public(Page.objects.live()).filter(pk__in=pks).values_list("pk", flat=True)
    return {pk: kept[pk].shown for pk in public}


#: (the pages' version, when it was built as time.monotonic(), {id: _Entry} or None), in this
#: process.
_kept = (None, 0.0, None)


def catalogue():
    """The public live pages a link leads to, as a search ranks them ({id: _Entry}): built
    once per version of the pages (portal.pagecache.PAGES, which every publication, scheduled
    expiry, move, deletion, view restriction and site change bumps) and CATALOGUE_SECONDS at most.
    None, and the search asks the index, when there are more than CATALOGUE_PAGES or their
    text passes CATALOGUE_CHARACTERS, or while the shared cache is down (every request would
    read a new version and build it again)."""
    global _kept
    if getattr(cache, "outage", None) is not None and cache.outage.down_since is not None:
        return None  # portal.cache.RedisCache, while Redis cannot be reached
    version, kept = pagecache.PAGES.version(), _kept
    if kept[0] != version or time.monotonic() - kept[1] > CATALOGUE_SECONDS:
        kept = (version, time.monotonic(), _built())
        _kept = kept
    return kept[2]


def _built():
    public = _public(Page.objects.live()).annotate(at=registry.recency("first_published_at"))
    times = dict(public.order_by("-pk").values_list("pk", "at")[: CATALOGUE_PAGES + 1])
    if len(times) > CATALOGUE_PAGES:
        return None
    entries, size = {}, 0
    sites = SimpleNamespace()  # where Wagtail keeps the sites' root paths, read once for all
    for page in Page.objects.filter(pk__in=times).order_by("-pk").specific():
        parts = page.get_url_parts(sites)
        if parts is None or parts[2] is None:
            continue  # under no site, or not routable: no link to show it by
        entry = entries[page.pk] = _Entry(page, times[page.pk], parts[2])
        size += len(entry.text) + len(entry.shown.text)
        if size > CATALOGUE_CHARACTERS:
            return None
    return entries


def _public(pages):
    """The pages anyone may open: below the root, under no view restriction (Wagtail's
    public() reads every restriction first; asked inside the query instead), and not of a
    kind that says `search_public = False` (a survey, for signed-in owners)."""
    restricted = PageViewRestriction.objects.filter(StartsWith(OuterRef("path"), F("page__path")))
    pages = pages.filter(~Exists(restricted), depth__gt=1)
    kept_out = ContentType.objects.get_for_models(*_kept_out(), for_concrete_models=False)
    if kept_out:
        pages = pages.exclude(content_type_id__in=[kind.pk for kind in kept_out.values()])
    return pages


@memoize
def _kept_out():
    """The kinds of page the site search never shows (their content types are read from
    Django's cache of them: no join in the query)."""
    return tuple(
        model for model in get_page_models() if getattr(model, "search_public", True) is False
    )


def section(content_type_id):
    """The results section of a kind of page: its `search_section`, else pages (All only)."""
    model = ContentType.objects.get_for_id(content_type_id).model_class()
    return getattr(model, "search_section", "pages")


def _single_site():
    """Whether one site holds every page (the sites' root paths, as Wagtail's get_url counts
    them, kept in the cache by Wagtail)."""
    return len({root.site_id for root in Site.get_site_root_paths()}) == 1


def _addresses(request):
    """A page's link as {% pageurl %} writes it, without its query for the current site: the
    path alone when there is one site, the full address when there are several."""
    single = _single_site()

    def address(page):
        parts = page.get_url_parts(request)
        if parts is None or parts[2] is None:
            return None  # not routable
        _site, root_url, path = parts
        return path if single else root_url + path

    return address


def page_text(page):
    """A page's title and the words of its text fields and body. A members-only magazine
    issue is indexed by what everyone may read: title, teaser and contents."""
    parts = [page.title, page.search_description]
    for name in ("intro", "summary", "place", "address", "city", "district"):
        value = getattr(page, name, "")
        if isinstance(value, str):
            parts.append(strip_tags(value))  # some are rich text
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


# Each index write bumps the pages' version once it is written: the change's own bump (by
# home.caching) may come first, and a search made in between would keep the old ranking
# under the new version.
@receiver(page_published)
def index_page(sender, instance, **kwargs):
    page = instance.specific
    if getattr(page, "search_public", True) is False:
        return  # never found by the site search (a survey, a notice): not indexed either
    index_document(Kind.PAGE, page.pk, page_text(page), page.title)
    pagecache.PAGES.bump()


@receiver(page_unpublished)
def forget_page(sender, instance, **kwargs):
    remove_document(Kind.PAGE, instance.pk)
    pagecache.PAGES.bump()
