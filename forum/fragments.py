"""The part of a post every reader sees alike, rendered once and kept in the shared cache.

A topic page shows twenty posts; rendering each one's author, avatar, badges, number, time,
text and pictures is most of the page's work. That part is the same for everyone who may open
the topic, so it is rendered once per *version* of the post and kept in the shared cache
(portal.cache: while Redis is away every read is a miss and the page is rendered as before).

The version is a digest of everything the fragment shows: the post's number, times, flags and
text, its author's public name, badge and avatar, the language and time zone, and the template
itself. An edit, a hide or restore by a moderator, a deletion, an account closure, a new
nickname or avatar all make a new key, so no write path has to remember to invalidate anything;
the old entries simply expire. A post that is not shown (hidden by a moderator, deleted by its
author) has a fragment without its text: the text is neither in its key nor in its HTML, so
the cache cannot show it to anyone.

What differs per reader (the like button and whether they liked it, quote, edit, delete,
report, a moderator's reason shown to the author) is drawn by the topic page around the
fragment, from answers asked once per page (forum.access).

A post's pictures are attached when it is written and removed only with its text (an account
closure empties the post), so they change only with something in the digest; they are read
only for the posts whose fragment is missing.
"""

import hashlib
from pathlib import Path

from django.core.cache import cache
from django.template import Context, Template
from django.template.loader import get_template
from django.utils import timezone, translation
from django.utils.safestring import mark_safe

from forum.forms import PostForm
from forum.models import PostImage

TEMPLATE = "forum/includes/post_shared.html"
#: The template's own text is part of every key: a deployment that changes it starts afresh.
SHAPE = hashlib.blake2b(
    (Path(__file__).parent / "templates" / TEMPLATE).read_bytes(), digest_size=6
).hexdigest()
#: How long an unused fragment stays; a new version never waits for it.
FRAGMENT_SECONDS = 7 * 24 * 3600


def setting():
    """What every fragment of this request shares: the template, language and time zone."""
    return f"{SHAPE}\x1f{translation.get_language()}\x1f{timezone.get_current_timezone_name()}"


def version(post, shared=None):
    """Everything the fragment of `post` shows, as a short digest (its author loaded)."""
    author = post.author
    parts = (
        shared or setting(),
        post.position,
        post.created_at.timestamp(),
        post.edited_at.timestamp() if post.edited_at else "",
        post.is_official,
        post.is_hidden,
        post.deleted_by_author,
        author.pk,
        author.public_name,
        author.is_verified_owner,
        author.avatar.name,
        post.html if post.is_visible else "",
    )
    text = "\x1f".join(map(str, parts))
    return hashlib.blake2b(text.encode(), digest_size=16).hexdigest()


def key(post, shared=None):
    return f"forum:post:{post.pk}:{version(post, shared)}"


def shared_html(posts):
    """{post pk: the shared HTML of that post} for `posts` (authors loaded): one read of the
    shared cache for all of them; the missing ones are rendered, with their pictures in one
    query, and stored in one write."""
    shared = setting()
    keys = {post.pk: key(post, shared) for post in posts}
    found = cache.get_many(list(keys.values())) if keys else {}
    missing = [post for post in posts if keys[post.pk] not in found]
    if missing:
        pictures = {}
        shown = [post.pk for post in missing if post.is_visible]
        for picture in PostImage.objects.filter(post__in=shown) if shown else ():
            pictures.setdefault(picture.post_id, []).append(picture)
        template = get_template(TEMPLATE)
        rendered = {
            keys[post.pk]: template.render({"post": post, "images": pictures.get(post.pk, [])})
            for post in missing
        }
        cache.set_many(rendered, FRAGMENT_SECONDS)
        found.update(rendered)
    return {pk: mark_safe(found[key]) for pk, key in keys.items()}  # rendered and escaped here


#: The empty reply form's fields at the foot of a topic page: the same for every reader in a
#: language (spokespersons also get the "official reply" box), so rendered once per process.
_REPLY_FIELDS = {}
_FIELDS = '{% for field in form %}{% include "includes/field.html" %}{% endfor %}'


def reply_fields(spokesperson):
    """The fields of a fresh PostForm as HTML (no CSRF token: the page adds its own)."""
    known = (translation.get_language(), spokesperson)
    if known not in _REPLY_FIELDS:
        form = PostForm(spokesperson=spokesperson)
        _REPLY_FIELDS[known] = Template(_FIELDS).render(Context({"form": form}))
    return _REPLY_FIELDS[known]
