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
from django.utils.functional import cached_property
from django.utils.html import escape
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from forum.forms import PostForm
from forum.models import PostImage
from portal import framing
from portal.when import ago

TEMPLATE = "forum/includes/post_shared.html"
#: The template's own text is part of every key: a deployment that changes it starts afresh.
SHAPE = hashlib.blake2b(
    (Path(__file__).parent / "templates" / TEMPLATE).read_bytes(), digest_size=6
).hexdigest()
#: How long an unused fragment stays; a new version never waits for it.
FRAGMENT_SECONDS = 7 * 24 * 3600


#: What the fragments show of a person: the public name, the badge, the avatar.
_AUTHOR = (
    "username",
    "real_name",
    "first_name",
    "last_name",
    "nickname",
    "show_real_name",
    "is_verified_owner",
    "avatar",
    "closed_at",
)
#: What a topic page loads of each post and its author: the fragment, the controls and the
#: rules of forum.access need no more (the Markdown source and the search text stay behind).
POST_FIELDS = (
    "topic_id",
    "author_id",
    "position",
    "html",
    "created_at",
    "edited_at",
    "is_official",
    "is_hidden",
    "hidden_reason",
    "deleted_by_author",
    "like_count",
    *(f"author__{name}" for name in _AUTHOR),
)
#: What a topic page keeps of each post beside a copy kept for every reader of a kind
#: (portal.pagecache.reader_copy): all that each reader's buttons are worked out from.
POST_FACTS = (
    "id",
    "position",
    "author_id",
    "is_official",
    "is_hidden",
    "deleted_by_author",
    "hidden_reason",
    "like_count",
)
#: What a board's list loads of each topic and its author.
ROW_FIELDS = (
    "board_id",
    "author_id",
    "title",
    "is_pinned",
    "is_locked",
    "is_hidden",
    "official_answer_id",
    "post_count",
    "last_post_at",
    *(f"author__{name}" for name in _AUTHOR),
)


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

    def render(missing):
        pictures = {}
        shown = [post.pk for post in missing if post.is_visible]
        for picture in PostImage.objects.filter(post__in=shown) if shown else ():
            pictures.setdefault(picture.post_id, []).append(picture)
        template = get_template(TEMPLATE)
        return {
            post.pk: template.render({"post": post, "images": pictures.get(post.pk, [])})
            for post in missing
        }

    return _cached(posts, keys, render)


def _cached(items, keys, render):
    """{pk: HTML} for `items`, `keys` {pk: cache key}: read together, the missing rendered by
    `render(missing items)` ({pk: HTML}) and written together."""
    found = cache.get_many(list(keys.values())) if keys else {}
    missing = [item for item in items if keys[item.pk] not in found]
    if missing:
        rendered = {keys[pk]: html for pk, html in render(missing).items()}
        cache.set_many(rendered, FRAGMENT_SECONDS)
        found.update(rendered)
    return {pk: mark_safe(found[key]) for pk, key in keys.items()}  # rendered and escaped here


# -- Topic lists ---------------------------------------------------------------------------

ROW_TEMPLATE = "forum/includes/topic_row.html"
ROW_SHAPE = hashlib.blake2b(
    (Path(__file__).parent / "templates" / ROW_TEMPLATE).read_bytes(), digest_size=6
).hexdigest()
#: Where the reader's own link goes in a cached row (the first unread reply, or the topic).
HREF = "\x00href\x00"


def row_version(topic, board, when):
    """Everything a topic's row shows but the reader's unread marker: its author, title,
    badges, replies, the time since the last post as the row words it (`when`), and whether
    it waits for an official answer."""
    author = topic.author
    parts = (
        ROW_SHAPE,
        translation.get_language(),
        topic.title,
        topic.is_pinned,
        topic.is_locked,
        topic.is_hidden,
        topic.post_count,
        when,
        board.is_question_board,
        topic.official_answer_id is not None,
        author.pk,
        author.public_name,
        author.is_verified_owner,
        author.avatar.name,
    )
    text = "\x1f".join(map(str, parts))
    return hashlib.blake2b(text.encode(), digest_size=16).hexdigest()


def topic_rows(topics, board, reader_marks):
    """The list of a board's topics, marked safe: each row from the shared cache but for its
    link and unread marker, which are this reader's (`reader_marks`: {topic pk: (href, HTML of
    the marker)})."""
    whens = {t.pk: ago(t.last_post_at) for t in topics}
    keys = {
        topic.pk: f"forum:row:{topic.pk}:{row_version(topic, board, whens[topic.pk])}"
        for topic in topics
    }

    def render(missing):
        template = get_template(ROW_TEMPLATE)
        return {
            topic.pk: template.render(
                {"topic": topic, "board": board, "when": whens[topic.pk], "href": HREF}
            )
            for topic in missing
        }

    rows = _cached(topics, keys, render)
    out = []
    for topic in topics:
        href, marker = reader_marks[topic.pk]
        row = rows[topic.pk].replace(HREF, href, 1)
        out.append(row.replace("</li>", f"{marker}</li>", 1) if marker else row)
    return mark_safe("\n".join(out))  # the rows were escaped when rendered; href is built


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


class Controls:
    """Each post of a topic page as this reader sees it: the shared fragment, then what only
    they get (the like button and whether they liked it, quote, edit, delete or report, a
    moderator's reason for hiding), built from answers the view asked of forum.access.

    Plain string building, not a template: twenty posts a page, every page, and nothing here
    but fixed markup, numbers, the reader's CSRF field and one escaped text."""

    def __init__(self, request):
        self.request = request
        self.like, self.quote = _("Like"), pgettext("quote a post in a reply", "Quote")
        self.edit, self.delete, self.report = _("Edit"), _("Delete"), _("Report")
        self.confirm = escape(_("Delete this post?"))
        self.hidden, self.reason = _("A moderator hid this post."), _("Reason:")
        self.deleted = _("Deleted by the author.")

    def item(self, post, shared):
        """The post: its shared fragment, then this reader's part (`tail`), written in by
        portal.framing: at once, or when a copy of the page kept for every reader is read."""
        official = " post--official" if post.is_official else ""
        mine = framing.write(self.request, "post", post.pk)
        return f'<li class="post{official}" id="post-{post.position}">\n    {shared}\n    {mine}\n</li>'

    def tail(self, post):
        """What this reader gets under the post."""
        if post.is_hidden:
            why = f" {self.reason} {escape(post.hidden_reason)}" if post.sees_why_hidden else ""
            return f'<p class="post__removed">{self.hidden}{why}</p>'
        if post.deleted_by_author:
            return f'<p class="post__removed">{self.deleted}</p>'
        return f'<footer class="post__actions">{self.actions(post)}</footer>'

    @cached_property
    def csrf(self):
        """The CSRF field of the forms (like, delete), asked only when a post has one: a
        visitor's page sets no CSRF cookie, so the anonymous page cache may keep it."""
        return framing.csrf(self.request)

    def actions(self, post):
        parts = []
        count = post.like_count
        if post.like_url:
            on = " post__like--on" if post.liked else ""
            number = f" <span>{count}</span>" if count else ""
            parts.append(
                f'<form method="post" action="{post.like_url}">{self.csrf}<button class="post__like'
                f'{on}" type="submit" aria-pressed="{"true" if post.liked else "false"}">♥ '
                f"{self.like}{number}</button></form>"
            )
        elif count:
            parts.append(f'<span class="muted">♥ {count}</span>')
        if post.quote_url:
            parts.append(f'<a href="{post.quote_url}">{self.quote}</a>')
        if post.edit_url:
            parts.append(f'<a href="{post.edit_url}">{self.edit}</a>')
        if post.delete_url:
            parts.append(
                f'<form method="post" action="{post.delete_url}" data-confirm="{self.confirm}">'
                f'{self.csrf}<button type="submit" class="link-button">{self.delete}</button></form>'
            )
        elif post.report_url:
            parts.append(f'<a href="{post.report_url}">{self.report}</a>')
        return "\n".join(parts)

    def page(self, posts, shared):
        """The whole list of items, marked safe: everything in it was escaped above or in the
        shared fragments."""
        return mark_safe("\n".join(self.item(post, shared[post.pk]) for post in posts))
