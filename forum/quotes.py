"""Quoting a post in a reply, and taking a closed account's words and name out of the quotes of
its posts in other people's posts.

A quote is Markdown the replier may edit before sending:

    > **王\\*\\***: [#3](/forum/t/12/#post-3)
    > the quoted text, line by line

The link names the quoted post by its topic and number, so the quote can be found again when
its author closes their account. Quotes made before the link was added carry the name only:
those are matched by the name and the text, best-effort.
"""

import re
from collections import defaultdict

from django.conf import settings
from django.db.models import Q
from django.utils import translation
from django.utils.translation import gettext as _

from forum.models import Post, PostRevision
from forum.paging import post_url
from forum.posting import TEXT_FIELDS, set_text

MARKDOWN_PUNCTUATION = re.compile(r"([\\`*_{}\[\]()#+\-.!<>|~])")
HEADER = re.compile(
    r"(?P<prefix>(?:> ?)+)\*\*(?P<name>(?:\\.|[^*\\])+)\*\*:"
    r"(?P<link>[ \t]*\[#\d+\]\([^)\s]*/t/(?P<topic>\d+)/(?:\?page=\d+)?#post-(?P<position>\d+)\))?"
    r"[ \t]*"
)
MARKERS = re.compile(r"(?:> ?)*")


def escape(name):
    """A name as Markdown text: the stars of 王** must not end the bold."""
    return MARKDOWN_PUNCTUATION.sub(r"\\\1", str(name))


def quote(post):
    """The start of a reply that quotes `post`."""
    lines = "\n".join(f"> {line}" for line in post.source.splitlines())
    name = escape(post.author.public_name)
    return f"> **{name}**: [#{post.position}]({post_url(post)})\n{lines}\n\n"


def _depth(line):
    return MARKERS.match(line)[0].count(">")


def _unquoted(lines, depth):
    """The text of a quote's lines without its `depth` quote markers, compared line by line."""
    marker = re.compile(rf"(?:> ?){{{depth}}}")
    text = [marker.sub("", line.rstrip("\r\n"), count=1).rstrip() for line in lines]
    return "\n".join(text).strip()


def _normal(source):
    return "\n".join(line.rstrip() for line in source.splitlines()).strip()


class _Forgetting:
    """One closure's rewrite of quotes: which posts are the owner's, how to recognise them."""

    def __init__(self, user, remove):
        own = Post.objects.filter(author=user)
        self.positions = set(own.values_list("topic_id", "position"))
        self.texts = defaultdict(list)  # topic: the owner's texts there, earlier versions too
        for topic_id, source in own.values_list("topic_id", "source"):
            self.texts[topic_id].append(_normal(source))
        for topic_id, source in PostRevision.objects.filter(post__author=user).values_list(
            "post__topic_id", "source"
        ):
            self.texts[topic_id].append(_normal(source))
        self.name = escape(user.public_name)
        self.remove = remove
        with translation.override(settings.LANGUAGE_CODE):
            self.closed = escape(_("Closed account"))
            self.note = _("(This text was deleted by its author.)")

    def theirs(self, header, body, topic_id):
        if header["link"]:
            return (int(header["topic"]), int(header["position"])) in self.positions
        if header["name"] != self.name:
            return False
        quoted = _unquoted(body, header["prefix"].count(">"))
        return bool(quoted) and any(quoted in text for text in self.texts[topic_id])

    def rewrite(self, source, topic_id):
        lines = source.splitlines(keepends=True)
        out, index = [], 0
        while index < len(lines):
            line = lines[index]
            text = line.rstrip("\r\n")
            header = HEADER.fullmatch(text)
            index += 1
            if not header:
                out.append(line)
                continue
            depth = header["prefix"].count(">")
            end = index
            while end < len(lines) and _depth(lines[end]) >= depth:
                end += 1
            if not self.theirs(header, lines[index:end], topic_id):
                out.append(line)  # someone else's quote: its lines are read on, nested ones too
                continue
            newline = line[len(text) :]
            out.append(f"{header['prefix']}**{self.closed}**:{header['link'] or ''}{newline}")
            if self.remove:
                out.append(f"{header['prefix']}{self.note}{newline or chr(10)}")
                index = end
        return "".join(out)


def forget_quotes(user, *, remove):
    """In other people's posts (and their earlier versions), quotes of `user`'s posts name
    已注销用户, and with `remove` lose the quoted text. Posts are saved one by one, as an edit
    is, so their HTML and the search index follow. Call before the owner's own posts and names
    are erased. Returns how many posts changed."""
    forgetting = _Forgetting(user, remove)
    if not forgetting.positions:
        return 0
    topics = {topic_id for topic_id, _position in forgetting.positions}
    quoting = Q(source__contains="**:")
    changed = 0
    for post in Post.objects.filter(quoting, topic__in=topics).exclude(author=user):
        source = forgetting.rewrite(post.source, post.topic_id)
        if source != post.source:
            set_text(post, source)
            post.save(update_fields=TEXT_FIELDS)
            changed += 1
    revisions = []
    for revision in (
        PostRevision.objects.filter(quoting, post__topic__in=topics)
        .exclude(post__author=user)
        .select_related("post")
    ):
        source = forgetting.rewrite(revision.source, revision.post.topic_id)
        if source != revision.source:
            revision.source = source
            revisions.append(revision)
    PostRevision.objects.bulk_update(revisions, ["source"])
    return changed
