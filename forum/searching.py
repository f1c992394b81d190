"""The forum's posts in the site search (search.registry): the index follows every post and
topic title, and a search returns the posts a person may read, one row per topic."""

from types import SimpleNamespace

from django.contrib.auth.models import AnonymousUser
from django.db.models import BooleanField, Case, ExpressionWrapper, F, Q, Value, When
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from forum import access
from forum.caching import FORUM
from forum.models import Post, Topic
from forum.paging import position_url
from portal.links import addresses
from search import index, registry
from search.folding import terms
from search.grams import query_groups
from search.index import (
    Kind,
    found_in_titles,
    has_phrase,
    index_document,
    remove_document,
)
from search.queries import contains, highlight, snippet
from search.words import alternatives

#: Relevance a post adds to its words (search.registry.points): a spokesperson's reply, then a
#: pinned topic's posts.
OFFICIAL, PINNED = 2, 1
#: The same as the database works it out for each post.
_BOOST = Case(When(is_official=True, then=Value(OFFICIAL)), default=Value(0)) + Case(
    When(topic__is_pinned=True, then=Value(PINNED)), default=Value(0)
)


def post_title(post):
    """The title a post is indexed and shown with: its topic's, on the opening post only."""
    return post.topic.title if post.position == 1 else ""


def post_text(post):
    return f"{post_title(post)}\n{post.search_text}"


class ForumPosts(registry.Source):
    kind = Kind.POST
    sections = ("forum",)
    # Every post, topic and board written bumps it (forum.caching).
    scope = FORUM

    def reader(self, user):
        return access.reader_kind(user)

    def documents(self):
        for post in Post.objects.select_related("topic").iterator(chunk_size=2000):
            yield post.pk, post_title(post), post_text(post)

    def hits(self, query, user):
        """The posts the user may read among the newest WINDOW with every term of `query` in
        the index (search.index.look_up), and those whose topic title has them. A query too
        short to have terms is looked for in the newest posts' text here instead."""
        posts = _readable(user)
        groups = query_groups(query)
        if not groups:
            rows = _rows(_scanned(posts, query))
            return self._hits(rows, set()), len(rows) >= index.WINDOW
        phrase = has_phrase(Kind.POST, query) or Value(False)

        def read(matching):
            found = posts.filter(pk__in=matching.keys)
            return _rows(found.annotate(phrase=phrase, in_title=Value(False)))

        rows, titled, more = index.look_up(Kind.POST, groups, read)
        return self._hits(rows, titled), more

    def ranked(self, query, user, limit, section=""):
        """Ranked in the database (search.index.ranked): a common word has thousands of
        candidates, and only the page shown leaves it."""
        if section and section not in self.sections:
            limit = 0  # only the count, for the tabs
        posts = _readable(user)
        groups = query_groups(query)
        if groups:
            posts = posts.annotate(phrase=has_phrase(Kind.POST, query) or Value(False))
            columns = ()
        else:
            posts = _scanned(posts, query).order_by("-pk")
            columns = ("in_title",)
        readable = posts.annotate(
            doc=F("pk"),
            grp=F("topic_id"),
            at=F("created_at"),
            boost=_BOOST,
        ).values("doc", "grp", "at", "phrase", "boost", *columns)
        if not groups:
            readable = readable[: 2 * index.WINDOW]
        rows, count, more = index.ranked(
            Kind.POST, groups or None, readable, limit=limit, tries=registry.TRIES
        )
        ranked = {}
        for doc, topic, at, in_title, phrase, boost, place, behind in sorted(
            rows, key=lambda row: row[6]
        ):
            hit = registry.Hit(
                self, doc, "forum", at, group=topic, title=in_title, phrase=phrase, boost=boost
            )
            hit.others = behind
            if place == 1:
                ranked[topic] = hit
            else:
                ranked[topic].rest.append(hit)
        best = sorted(ranked.values(), key=registry.order, reverse=True)
        return registry.Ranked(best, {"forum": count}, {"forum"} if more else set())

    def _hits(self, rows, titled):
        return [
            registry.Hit(
                self,
                pk,
                "forum",
                at,
                group=topic,
                title=title or pk in titled,
                phrase=phrase,
                boost=boost,
            )
            for pk, topic, at, title, phrase, boost in rows
        ]

    def titles(self, query, user, request, limit):
        groups = query_groups(query)
        if not groups:
            return []
        first_posts = (
            Post.objects.visible()
            .filter(
                pk__in=found_in_titles(Kind.POST, groups),
                topic__board__in=access.readable_boards(user),
                topic__is_hidden=False,
            )
            .order_by("-pk")
            .values_list("topic__last_post_at", "topic__title", "topic_id")
        )
        topic_url = addresses("forum:topic")
        return [
            (at, title, topic_url(topic))
            for at, title, topic in first_posts[: 4 * limit]
            if contains(title, query)
        ][:limit]

    def public_titles(self, limit):
        topics = Topic.objects.filter(
            board__in=access.readable_boards(AnonymousUser()), is_hidden=False
        ).order_by("-pk")
        return list(topics.values_list("title", flat=True)[:limit])

    def show(self, hits, query, request):
        found = {post.pk: post for post in SHOWN.filter(pk__in=[hit.pk for hit in hits])}
        topic_url = addresses("forum:topic")
        kept = []
        for hit in hits:
            post = found.get(hit.pk)
            if post is None or not has_words(post, query):
                continue
            hit.item = SimpleNamespace(
                url=position_url(post.topic_id, post.position, topic_url),
                title_marked=highlight(post.topic.title, query),
                snippet=snippet(post.search_text, query),
                is_official=post.is_official,
                board=post.topic.board.name,
                author=post.author.public_name,
                created_at=post.created_at,
            )
            kept.append(hit)
        return kept

    def card(self, hit):
        post = hit.item
        official = (
            format_html('<span class="chip">{}</span> ', _("Official reply"))
            if post.is_official
            else ""
        )
        more = ngettext(
            "%(counter)s more reply in this topic matches",
            "%(counter)s more replies in this topic match",
            hit.others,
        )
        return format_html(
            '<li class="card"><a class="search-results__title" href="{}">{}</a>\n'
            "    <p>{}</p>\n"
            '    <p class="muted">{}{} · {} · {}{}</p></li>\n',
            post.url,
            post.title_marked,
            post.snippet,
            official,
            post.board,
            post.author,
            registry.time_element(post.created_at),
            " · " + more % {"counter": hit.others} if hit.others else "",
        )


POSTS = registry.register(ForumPosts())


def _readable(user):
    """The posts `user` may read."""
    return Post.objects.visible().filter(
        topic__board__in=access.readable_boards(user), topic__is_hidden=False
    )


def _rows(posts):
    """What ranks each post (search.registry.points), newest first, two windows at most."""
    rows = (
        posts.annotate(at=registry.recency("created_at"), boost=_BOOST)
        .order_by("-pk")
        .values_list("pk", "topic_id", "at", "in_title", "phrase", "boost")
    )
    return list(rows[: 2 * index.WINDOW])


def _scanned(posts, query):
    """Posts with every term of a query the index cannot look up (one Chinese character, two
    letters) in their text or topic title, folded as the documents mostly are already."""
    in_title = Q()
    for term in terms(query):
        anywhere, titled = Q(), Q()
        for word in alternatives(term):
            titled |= Q(topic__title__icontains=word)
            anywhere |= Q(search_text__icontains=word) | Q(position=1, topic__title__icontains=word)
        posts = posts.filter(anywhere)
        in_title &= titled
    return posts.annotate(
        phrase=Value(False),
        in_title=ExpressionWrapper(Q(position=1) & in_title, output_field=BooleanField()),
    )


#: The posts of a results page, fetched by id once the hits are ranked: only what a result
#: shows (its text, title, board, author's public name, date and link).
SHOWN = (
    Post.objects.select_related("topic__board", "author")
    .only(
        "topic__title",
        "topic__board__name",
        *(f"author__{name}" for name in ("nickname", "real_name", "first_name", "last_name")),
        "author__show_real_name",
        "author__closed_at",
        "position",
        "search_text",
        "created_at",
        "is_official",
    )
    .order_by()
)


def has_words(post, query):
    """Whether a post has every term of `query` in its text, with a first post's title."""
    return contains(post_text(post), query)


# Each index write bumps the forum's version once it is written: the change's own bump (by
# forum.caching) may come first, and a search made in between would keep the old ranking
# under the new version.
@receiver(post_save, sender=Post)
def index_post(sender, instance, **kwargs):
    index_document(Kind.POST, instance.pk, post_text(instance), post_title(instance))
    FORUM.bump()


@receiver(post_save, sender=Topic)
def index_topic_title(sender, instance, created, **kwargs):
    # The title is searched with the topic's first post.
    first = None if created else instance.posts.filter(position=1).first()
    if first:
        index_post(Post, first)


@receiver(post_delete, sender=Post)
def forget_post(sender, instance, **kwargs):
    remove_document(Kind.POST, instance.pk)
    FORUM.bump()
