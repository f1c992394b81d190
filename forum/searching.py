"""The forum's posts in the site search (search.registry): the index follows every post and
topic title, and a search returns the posts a person may read."""

from django.db.models import Q
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from forum import access
from forum.models import Post, Topic
from search import registry
from search.grams import query_codes
from search.index import Kind, candidates, index_document, remove_document
from search.queries import highlight, snippet


def post_text(post):
    title = post.topic.title if post.position == 1 else ""
    return f"{title}\n{post.search_text}"


def forum_posts(query, user):
    """Posts (and topics by their title) the user may read that contain `query`, newest first."""
    posts = Post.objects.all()
    terms = query_codes(query)
    if terms:
        posts = posts.filter(pk__in=candidates(Kind.POST, terms))
    return (
        posts.visible()
        .filter(topic__board__in=access.readable_boards(user), topic__is_hidden=False)
        .filter(Q(search_text__icontains=query) | Q(position=1, topic__title__icontains=query))
        .select_related("topic__board", "author")
        .order_by("-created_at")
    )


class ForumPosts(registry.Source):
    kind = Kind.POST
    template = "forum/includes/search_group.html"

    def documents(self):
        for post in Post.objects.select_related("topic").iterator(chunk_size=2000):
            yield post.pk, post_text(post)

    def search(self, query, user):
        return forum_posts(query, user)

    def decorate(self, post, query):
        mark(post, query)


def mark(post, query):
    """The matches marked in a found post's title and text, as the site search marks them:
    the site search and the forum's own search page show the same."""
    post.title_marked = highlight(post.topic.title, query)
    post.snippet = snippet(post.search_text, query)


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
