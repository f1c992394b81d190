"""Topic pages are ranges of post numbers, so page 50 costs what page 1 costs.

Arithmetic and addresses only, no models: the models use it for their links."""

from django.urls import reverse

POSTS_PER_PAGE = 20


def page_of(position):
    return (position - 1) // POSTS_PER_PAGE + 1


def positions_on(page):
    first = (page - 1) * POSTS_PER_PAGE + 1
    return first, first + POSTS_PER_PAGE - 1


def page_count(post_count):
    return max(1, page_of(post_count)) if post_count else 1


def position_url(topic_id, position, topic_url=None):
    """The address of post number `position` in a topic; `topic_url`: the topic's address when
    the caller has it (portal.links.addresses("forum:topic")), so a list asks reverse() once."""
    url = topic_url(topic_id) if topic_url else reverse("forum:topic", args=[topic_id])
    page = page_of(position)
    return f"{url}?page={page}#post-{position}" if page > 1 else f"{url}#post-{position}"


def post_url(post):
    return position_url(post.topic_id, post.position)
