"""Links to every item of a list from one reverse(): a page of twenty or thirty items asks the
URL resolver once per kind of link, not once per item."""

from django.urls import reverse

#: A number no real id reaches, reversed in the place of one.
_MARK = 2_147_483_647


def addresses(name, *args):
    """The address of URL `name` for any last argument: `addresses("forum:edit")(post.pk)`,
    `addresses("cases:attachment", case.reference)(file.pk)`. The last argument is an id or a
    reference: nothing that needs quoting in a path."""
    head, _mark, tail = reverse(name, args=[*args, _MARK]).rpartition(str(_MARK))
    return lambda last: f"{head}{last}{tail}"
