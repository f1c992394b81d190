"""The forum's posts in the site search (search.registry): the index follows every post and
topic title, and a search returns the posts a person may read."""

from django.db.models import Q
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from forum import access
from forum.models import Post, Topic
from forum.paging import position_url
from portal.links import addresses
from search import registry
from search.folding import terms
from search.grams import query_groups
from search.index import Kind, candidates, index_document, remove_document
from search.paging import WINDOW, Results
from search.queries import contains, highlight, snippet
from search.synonyms import alternatives


def post_text(post):
    title = post.topic.title if post.position == 1 else ""
    return f"{title}\n{post.search_text}"


def forum_posts(query, user):
    """The posts the user may read among the newest that have every term of `query`
    (search.index), last written first: the candidates, which `has_words` checks on the page
    shown. A query too short to have terms is looked for in every post's text here instead."""
    posts = Post.objects.all()
    groups = query_groups(query)
    if groups:
        posts = posts.filter(pk__in=candidates(Kind.POST, groups)[:WINDOW])
    else:
        # Every term, folded: the documents are mostly written as the folding writes them.
        for term in terms(query):
            anywhere = Q()
            for word in alternatives(term):
                anywhere |= Q(search_text__icontains=word) | Q(
                    position=1, topic__title__icontains=word
                )
            posts = posts.filter(anywhere)
    return (
        posts.visible()
        .filter(topic__board__in=access.readable_boards(user), topic__is_hidden=False)
        .select_related("topic__board", "author")
        .order_by("-pk")
    )


#: The posts of a results page, fetched by id once the candidates are known: only what a
#: result shows (its text, title, board, author's public name, date and link), in any order
#: (search.paging puts them in the candidates' order).
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
    )
    .order_by()
)


def has_words(post, query):
    """Whether a candidate has every term of `query` in its text, with a first post's title."""
    text = f"{post.topic.title}\n{post.search_text}" if post.position == 1 else post.search_text
    return contains(text, query)


def search_results(query, user, per_page=20):
    """The posts found for `query`, paged: a page shows only posts that have the exact words."""
    return Results(
        forum_posts(query, user), per_page, check=lambda post: has_words(post, query), items=SHOWN
    )


class ForumPosts(registry.Source):
    kind = Kind.POST
    template = "forum/includes/search_group.html"

    def documents(self):
        for post in Post.objects.select_related("topic").iterator(chunk_size=2000):
            yield post.pk, post_text(post)

    def search(self, query, user, per_page):
        return search_results(query, user, per_page)

    def decorate(self, posts, query):
        mark(posts, query)


def mark(posts, query):
    """The matches marked in found posts' titles and texts, as the site search marks them, and
    each post's link: the site search and the forum's own search page show the same."""
    topic_url = addresses("forum:topic")
    for post in posts:
        post.title_marked = highlight(post.topic.title, query)
        post.snippet = snippet(post.search_text, query)
        post.url = position_url(post.topic_id, post.position, topic_url)


registry.register(ForumPosts())


@receiver(post_save, sender=Post)
def index_post(sender, instance, **kwargs):
    index_document(Kind.POST, instance.pk, post_text(instance))


@receiver(post_save, sender=Topic)
def index_topic_title(sender, instance, created, **kwargs):
    # The title is searched with the topic's first post.
    first = None if created else instance.posts.filter(position=1).first()
    if first:
        index_document(Kind.POST, first.pk, post_text(first))


@receiver(post_delete, sender=Post)
def forget_post(sender, instance, **kwargs):
    remove_document(Kind.POST, instance.pk)
