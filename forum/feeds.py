from django.contrib.auth.models import AnonymousUser
from django.contrib.syndication.views import Feed
from django.db.models import Prefetch
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils.feedgenerator import Atom1Feed

from forum import access
from forum.models import Board, Post
from portal.validators import printable


class BoardFeed(Feed):
    """The newest topics of a public board, as Atom."""

    feed_type = Atom1Feed

    def get_object(self, request, slug):
        board = get_object_or_404(Board, slug=slug)
        if not access.has_feed(board):
            raise Http404
        return board

    def title(self, board):
        return board.name

    def link(self, board):
        return board.get_absolute_url()

    def subtitle(self, board):
        return board.description

    def items(self, board):
        opening = Post.objects.visible().filter(position=1)
        return (
            access.visible_topics(AnonymousUser(), board)
            .select_related("author")
            .prefetch_related(Prefetch("posts", queryset=opening, to_attr="opening"))
            .order_by("-created_at")[:30]
        )

    def item_title(self, topic):
        return printable(topic.title)  # titles saved before the forms dropped control characters

    def item_description(self, topic):
        return topic.opening[0].html if topic.opening else ""

    def item_author_name(self, topic):
        return printable(str(topic.author.public_name))

    def item_pubdate(self, topic):
        return topic.created_at
