"""The stored counters and pointers of topics and boards. The actions keep them as they go;
the recount functions rebuild them from the posts (after imports or repairs) by the same rules:
a topic's official answer and a board's latest post are worked out here and nowhere else."""

from forum.models import Board, Post, Topic


def recount_topic(topic):
    last = topic.posts.order_by("-position").first()
    topic.post_count = last.position if last else 0
    topic.last_post = last
    topic.last_post_at = last.created_at if last else topic.created_at
    topic.save(update_fields=["post_count", "last_post", "last_post_at"])
    refresh_official_answer(topic)


def recount_board(board):
    posts = Post.objects.filter(topic__board=board, topic__is_hidden=False)
    board.topic_count = Topic.objects.visible().filter(board=board).count()
    board.post_count = posts.count()
    board.save(update_fields=["topic_count", "post_count"])
    refresh_latest(board.pk)


def refresh_official_answer(topic):
    """The topic's official answer is its first visible official post, or none (a
    spokesperson's announcement answers itself)."""
    answer = topic.posts.visible().filter(is_official=True).order_by("position").first()
    if topic.official_answer_id != (answer.pk if answer else None):
        Topic.objects.filter(pk=topic.pk).update(official_answer=answer)
        topic.official_answer = answer


def refresh_latest(board_id):
    """The board's "latest post": the newest one a reader can actually see."""
    latest = (
        Post.objects.visible()
        .filter(topic__board_id=board_id, topic__is_hidden=False)
        .order_by("-created_at")
        .first()
    )
    Board.objects.filter(pk=board_id).update(last_post=latest)
