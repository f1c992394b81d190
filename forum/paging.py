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


#: A number no real id reaches, reversed in the place of one (addresses).
_MARK = 2_147_483_647


def addresses(name):
    """The address of URL `name` for any id, from one reverse(): `addresses("forum:edit")(pk)`.
    A page that links every item of a list builds its links with this, not reverse() each."""
    head, _mark, tail = reverse(name, args=[_MARK]).partition(str(_MARK))
    return lambda pk: f"{head}{pk}{tail}"


def position_url(topic_id, position, topic_url=None):
    """The address of post number `position` in a topic; `topic_url`: the topic's address when
    the caller has it (addresses("forum:topic")), so a list asks reverse() once."""
    url = topic_url(topic_id) if topic_url else reverse("forum:topic", args=[topic_id])
    page = page_of(position)
    return f"{url}?page={page}#post-{position}" if page > 1 else f"{url}#post-{position}"


def post_url(post):
    return position_url(post.topic_id, post.position)
