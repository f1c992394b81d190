"""@mentions: an owner names a neighbour as the forum shows them (a nickname, 王**, a real name
they chose to show), and the post keeps who was meant by account (Post.mentions).

Two ways in, both checked against the text as posted:
- picked from the list under the box (`people`): the form sends the accounts picked, and each
  one counts while "@" and the name it was picked by are still in the text;
- typed: "@" and a nickname (nicknames are unique), or an account's username, as before.

Marking happens around the Markdown: each mention's text is swapped for a placeholder before
the text is rendered, so a masked name's "**" is never read as bold, and put back after, as a
<span class="mention"> outside links and code, as the plain text inside them.
"""

import re
from dataclasses import dataclass

from django.db.models import Q
from django.utils.html import escape

from forum import access
from forum.markdown import plain_text
from owners.models import User
from owners.public_names import NICKNAME_MAX, nickname_key

#: At most this many people are told of one post, so a post cannot become a mass mailing.
MAX_MENTIONS = 10
#: People offered in the list under the box.
MAX_OFFERED = 8
# An @ right after Latin letters or digits is an email address's; after Chinese it is a mention.
NOT_AN_EMAIL = r"(?<![A-Za-z0-9_.@])"
USERNAME = re.compile(NOT_AN_EMAIL + r"@([A-Za-z0-9_][A-Za-z0-9_.\-]{0,149})")
# What follows an @ where a nickname may be typed: up to the longest nickname, to a space.
AFTER_AT = re.compile(NOT_AN_EMAIL + rf"@([^\s@]{{1,{NICKNAME_MAX}}})")
# The placeholder for the n-th mention while the text is rendered: private-use characters, which
# no keyboard types and Markdown leaves alone.
HOLD = "\ue000{}\ue001"
HELD = re.compile("\ue000([0-9]+)\ue001")
# Text between tags, outside <a>, <code> and <pre>, is where a mention is marked.
SKIP_INSIDE = ("a", "code", "pre")


@dataclass(frozen=True)
class Mention:
    user: User
    #: What the text says, "@" included: "@王**", "@湖畔小李".
    text: str


def find(source, picked=()):
    """The people `source` mentions (at most ten), each with the text that names them."""
    text = plain_text(source)
    found = {}
    ids = [pk for pk in picked if isinstance(pk, int)][:MAX_MENTIONS]
    if ids:
        for user in User.objects.filter(pk__in=ids, is_active=True, closed_at__isnull=True):
            said = f"@{user.public_name}"
            if said in text:
                found[user.pk] = Mention(user, said)
    typed = list(dict.fromkeys(AFTER_AT.findall(text)))[:MAX_MENTIONS]
    if typed:
        # Any beginning of what follows an @ may be a nickname: "@小李你好" names 小李.
        keys = {
            nickname_key(word[:end]): word[:end]
            for word in typed
            for end in range(len(word), 1, -1)
        }
        usernames = USERNAME.findall(text)[:MAX_MENTIONS]
        people = User.objects.filter(
            Q(nickname_key__in=[key for key in keys if key]) | Q(username__in=usernames),
            is_active=True,
            closed_at__isnull=True,
        )
        for user in people:
            if user.pk in found:
                continue
            if user.username in usernames:
                found[user.pk] = Mention(user, f"@{user.username}")
            else:
                found[user.pk] = Mention(user, f"@{keys[user.nickname_key]}")
    return list(found.values())[:MAX_MENTIONS]


def hold(source, mentions):
    """`source` with each mention's text swapped for its placeholder, longest first."""
    for index, mention in sorted(enumerate(mentions), key=lambda m: -len(m[1].text)):
        source = re.sub(
            NOT_AN_EMAIL + re.escape(mention.text), lambda _m, i=index: HOLD.format(i), source
        )
    return source


def put_back(html, mentions):
    """Rendered HTML with the placeholders turned back into the mentions' text: marked as a
    mention in running text, plain inside links and code."""
    parts, skipping = re.split(r"(<[^>]+>)", html), 0
    for index, part in enumerate(parts):
        if part.startswith("<"):
            name = part.strip("</>").split()[0].lower() if part.strip("</>") else ""
            if name in SKIP_INSIDE:
                skipping += -1 if part.startswith("</") else 1
            continue
        parts[index] = HELD.sub(
            lambda m, plain=bool(skipping): _written(mentions[int(m[1])].text, plain), part
        )
    return "".join(parts)


def _written(text, plain):
    return escape(text) if plain else f'<span class="mention">{escape(text)}</span>'


def people(reader, topic=None, board=None, query=""):
    """Whom `reader` may mention where they write: people who may read the topic (or board),
    the topic's own writers first, then anyone whose shown name begins with `query`; never
    the reader. [{"id", "name", "in_topic"}], at most eight."""
    board = topic.board if topic is not None else board
    query = query.strip().lstrip("@")
    offered = {}
    if topic is not None:
        writers = (
            User.objects.filter(forum_posts__topic=topic, is_active=True, closed_at__isnull=True)
            .exclude(pk=reader.pk)
            .distinct()[:50]
        )
        for user in writers:
            if _starts(user.public_name, query) and access.can_read_topic(user, topic):
                offered[user.pk] = (user, True)
    if query and len(offered) < MAX_OFFERED:
        shown = Q(nickname_key__startswith=nickname_key(query)) if nickname_key(query) else Q()
        shown |= Q(nickname="", show_real_name=True, real_name__startswith=query)
        if len(query) == 1:  # a surname: everyone shown as 王** is offered by 王
            shown |= Q(nickname="", show_real_name=False, real_name__startswith=query)
        others = (
            User.objects.filter(shown, is_active=True, closed_at__isnull=True)
            .exclude(pk=reader.pk)
            .exclude(pk__in=list(offered))
            .order_by("-last_login")[:20]
        )
        for user in others:
            if _starts(user.public_name, query) and (
                access.can_read_topic(user, topic) if topic else access.can_read(user, board)
            ):
                offered[user.pk] = (user, False)
    return [
        {"id": user.pk, "name": str(user.public_name), "in_topic": in_topic}
        for user, in_topic in list(offered.values())[:MAX_OFFERED]
    ]


def _starts(name, query):
    return not query or str(name).casefold().startswith(query.casefold())
