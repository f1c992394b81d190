"""Recompute the stored counters from the posts themselves (after imports or repairs)."""

from forum.models import Board, Post, Topic


def recount_topic(topic):
    last = topic.posts.order_by("-position").first()
    topic.post_count = last.position if last else 0
    topic.last_post = last
    topic.last_post_at = last.created_at if last else topic.created_at
    topic.official_answer = (
        topic.posts.filter(is_official=True, position__gt=1).order_by("position").first()
    )
    topic.save(update_fields=["post_count", "last_post", "last_post_at", "official_answer"])


def recount_board(board):
    posts = Post.objects.filter(topic__board=board, topic__is_hidden=False)
    board.topic_count = Topic.objects.filter(board=board, is_hidden=False).count()
    board.post_count = posts.count()
    board.last_post = posts.order_by("-created_at").first()
    board.save(update_fields=["topic_count", "post_count", "last_post"])


def refresh_latest(board_id):
    """The board's "latest post": the newest one a reader can actually see."""
    latest = (
        Post.objects.filter(
            topic__board_id=board_id,
            topic__is_hidden=False,
            is_hidden=False,
            deleted_by_author=False,
        )
        .order_by("-created_at")
        .first()
    )
    Board.objects.filter(pk=board_id).update(last_post=latest)
