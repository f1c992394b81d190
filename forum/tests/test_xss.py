"""Hostile posts sent through the real forms stay inert: in the stored HTML and on every page that
shows them (topic, board, search, the forms that echo them back, the report form).

Each surface is one test that loops over the whole corpus of tests/test_markdown.py and collects
every problem it finds, so a failure lists all the payloads that got through, not just the first.
"""

import re
import xml.etree.ElementTree as ET
from datetime import timedelta
from html.parser import HTMLParser

import pytest
from django.conf import settings
from django.db.models import F
from django.test import Client
from django.urls import reverse
from django.utils.html import escape

from forum import posting
from forum.models import Post, Topic
from forum.tests.test_markdown import ALLOWED_TAGS, XSS_PAYLOADS, scheme
from portal.validators import printable

pytestmark = pytest.mark.django_db

# Django's forms refuse NUL characters outright; every other payload must be accepted.
REFUSED = [payload for payload in XSS_PAYLOADS if "\x00" in payload]


def stored(source):
    """What the forms keep of a text: no control characters, no blank lines around it."""
    return printable(source).lstrip("\r\n").rstrip()


BAD_SCHEMES = {"javascript", "data", "vbscript"}
URL_ATTRIBUTES = {"href", "src", "xlink:href", "action", "formaction", "poster", "background"}
VOID = {
    *("area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta"),
    *("param", "source", "track", "wbr"),
}
# Elements whose contents come from owners: post bodies (and previews), and the places that show
# titles, names and search excerpts.
POST_BODY = "prose-post"
OWNER_TEXT = {"topic-row__title", "search-results", "crumbs", "quote", "notification-list"}
OWNER_TEXT_TAGS = {"h1", "title"}
# Markup the templates themselves put around owners' text inside those elements.
TEMPLATE_TAGS = {"mark", "footer", "li", "a", "p", "span", "time"}
POST_ATTRIBUTES = {"href", "src", "alt", "title", "align", "rel", "class"}


def words(text):
    return " ".join(text.split())


class PageScan(HTMLParser):
    """One pass over a page: what in it could run script, and the text of every element.

    html.parser tokenizes like a browser for the purpose here (tag and attribute names, entities);
    the stack of open elements knows which of them hold owners' content.
    """

    def __init__(self, markup):
        super().__init__(convert_charrefs=True)
        self.stack = []  # [(tag, region, element)]; region: None, "post" or "text"
        self.elements = []  # {"tag", "attrs", "text"} for every element, in document order
        self.problems = []
        self.handlers = set()  # (tag, name, value) of every on* attribute on the page
        self.scripts = []  # (attrs, region) of every <script>
        self.feed(markup)
        self.close()

    def _region_of(self, tag, attrs):
        classes = set(attrs.get("class", "").split())
        if POST_BODY in classes:
            return "post"
        if classes & OWNER_TEXT or tag in OWNER_TEXT_TAGS:
            return "text"
        return None

    def handle_starttag(self, tag, attrs, *, void=False):
        pairs = [(name, value or "") for name, value in attrs]
        attributes = dict(pairs)
        region = self.stack[-1][1] if self.stack else None  # where this element sits
        element = {"tag": tag, "attrs": attributes, "text": []}
        self.elements.append(element)
        if tag == "script":
            self.scripts.append((attributes, region))
        for name, value in pairs:
            if name.startswith("on"):
                self.handlers.add((tag, name, value))
                if region:
                    self.problems.append(f"<{tag} {name}={value!r}> inside owners' content")
            if name in URL_ATTRIBUTES and scheme(value) in BAD_SCHEMES:
                self.problems.append(f"<{tag} {name}={value!r}>")
        if region == "post":
            if tag not in ALLOWED_TAGS:
                self.problems.append(f"<{tag}> in a post body")
            for name, value in pairs:
                if name not in POST_ATTRIBUTES:
                    self.problems.append(f"<{tag} {name}=…> in a post body")
                elif name == "class" and (tag, value) != ("span", "mention"):
                    self.problems.append(f"<{tag} class={value!r}> in a post body")
                elif name == "href" and scheme(value) not in ("", "http", "https", "mailto"):
                    self.problems.append(f"<{tag} href={value!r}> in a post body")
                elif name == "src" and scheme(value) not in ("", "http", "https"):
                    self.problems.append(f"<{tag} src={value!r}> in a post body")
        elif region == "text":
            if tag not in ALLOWED_TAGS | TEMPLATE_TAGS:
                self.problems.append(f"<{tag}> in owners' text")
            if "style" in attributes:
                self.problems.append(f"<{tag} style=…> in owners' text")
        if not void and tag not in VOID:
            self.stack.append((tag, region or self._region_of(tag, attributes), element))

    def handle_startendtag(self, tag, attrs):
        self.handle_starttag(tag, attrs, void=True)

    def handle_endtag(self, tag):
        for index in range(len(self.stack) - 1, -1, -1):
            if self.stack[index][0] == tag:
                del self.stack[index:]
                return

    def handle_data(self, data):
        for _tag, _region, element in self.stack:
            element["text"].append(data)

    def find(self, tag, css_class=None):
        """Elements by tag and class, each with its text content."""
        return [
            {**element, "text": "".join(element["text"])}
            for element in self.elements
            if element["tag"] == tag
            and (css_class is None or css_class in element["attrs"].get("class", "").split())
        ]


def inert(markup, handlers=frozenset()):
    """The problems that make `markup` unsafe; [] when it is inert.

    `handlers` are the on* attributes the templates themselves use on this kind of page: any other
    one, anywhere on the page, came from an owner.
    """
    scan = PageScan(markup)
    problems = list(scan.problems)
    for attributes, region in scan.scripts:
        own = attributes.get("src", "").startswith(settings.STATIC_URL) and not region
        if not own:
            problems.append(f"<script {attributes}>")
    # "<script" anywhere that is not one of our own script elements: nothing may smuggle one in.
    allowed = sum(
        1 for a, region in scan.scripts if a.get("src", "").startswith(settings.STATIC_URL)
    )
    if len(re.findall(r"<script", markup, re.IGNORECASE)) > allowed:
        problems.append("<script in the markup")
    problems += [f"unexpected {name} on <{tag}>" for tag, name, _v in scan.handlers - handlers]
    return problems


def post_html_problems(html):
    """Stored Post.html: inert, and only the allow-listed markup."""
    problems = inert(f'<div class="{POST_BODY}">{html}</div>')
    if "<script" in html.lower():
        problems.append("<script in Post.html")
    return problems


def handlers_of(*responses):
    """The on* attributes the templates put on these (harmless) pages."""
    found = set()
    for response in responses:
        assert response.status_code == 200
        found |= PageScan(response.content.decode()).handlers
    return frozenset(found)


def time_passes():
    """Flood control: one post per 15 s and five topics an hour. Move everything earlier,
    keeping the order, so "the previous post" is still the latest one."""
    Post.objects.update(created_at=F("created_at") - timedelta(minutes=1))
    Topic.objects.update(created_at=F("created_at") - timedelta(hours=1))


def search_query(text):
    """At most 50 characters of `text` that the search will find, around its first markup."""
    at = max(text.find("<"), 0)
    return text[max(0, at - 10) : at + 40].strip()


def search(client, query):
    return client.get(reverse("forum:search"), {"q": query}).content.decode()


def result_links(page):
    return {a["attrs"].get("href") for a in PageScan(page).find("a", "search-results__title")}


def check(failures, payload, where, problems):
    failures += [(payload, where, problem) for problem in problems]


def report(failures):
    return "\n".join(f"{payload!r} · {where}: {problem}" for payload, where, problem in failures)


@pytest.fixture
def benign(alice, boards):
    """An ordinary topic by alice in the public owners' board."""
    return posting.create_topic(alice, boards["owners"], title="停车场收费太高", source="太贵了。")


def test_topics_with_hostile_titles_and_bodies(client, alice, bob, boards, benign):
    board = boards["owners"]
    client.force_login(alice)
    reader = Client()  # another owner, who may report alice's posts
    reader.force_login(bob)
    new_topic = reverse("forum:new_topic", args=[board.slug])
    handlers = handlers_of(
        client.get(benign.get_absolute_url()),
        client.get(board.get_absolute_url()),
        client.get(new_topic),
        reader.get(reverse("forum:report", args=[benign.posts.get().pk])),
    )
    failures, titles, refused = [], {}, []
    for payload in XSS_PAYLOADS:
        time_passes()
        data = {"title": payload[:100], "source": payload}

        # The preview shows the rendered text and echoes the title and text back into the form.
        preview = client.post(new_topic, {**data, "preview": "1"})
        if payload in REFUSED:
            refused.append(payload)
            assert preview.status_code == 200 and 'class="field__error"' in preview.text
            assert client.post(new_topic, data).status_code == 200
            continue
        check(failures, payload, "preview", inert(preview.text, handlers))
        assert PageScan(preview.text).find("div", POST_BODY), payload

        response = client.post(new_topic, data)
        assert response.status_code == 302, (payload, response.text[:3000])
        topic = Topic.objects.latest("pk")
        post = topic.posts.get()
        titles[topic.pk] = topic.title
        assert topic.title == printable(payload[:100]).strip()
        check(failures, payload, "Post.html", post_html_problems(post.html))

        page = client.get(topic.get_absolute_url()).content.decode()
        check(failures, payload, "topic page", inert(page, handlers))
        scan = PageScan(page)
        if [words(h1["text"]) for h1 in scan.find("h1")] != [words(topic.title)]:
            failures.append((payload, "topic page", "the title is not the <h1> text"))
        if escape(topic.title) not in page or ("<" in topic.title and topic.title in page):
            failures.append((payload, "topic page", "the title is not escaped"))
        if len(scan.find("div", "post__body")) != 1:
            failures.append((payload, "topic page", "the post body is not one element"))

        results = search(client, topic.title[:50])
        check(failures, payload, "search by title", inert(results, handlers))
        titled = [
            a
            for a in PageScan(results).find("a", "search-results__title")
            if a["attrs"].get("href") == post.get_absolute_url()
        ]
        if [words(a["text"]) for a in titled] != [words(topic.title)]:
            failures.append((payload, "search by title", "the topic is not found by its title"))

        reporting = reader.get(reverse("forum:report", args=[post.pk])).content.decode()
        check(failures, payload, "report form", inert(reporting, handlers))

    assert refused == REFUSED
    assert not failures, report(failures)

    # Every title, on the board's pages, as text.
    listed, number = {}, 1
    while True:
        response = client.get(board.get_absolute_url(), {"page": number})
        page = response.content.decode()
        problems = inert(page, handlers)
        assert not problems, (number, problems)
        for row in PageScan(page).find("a", "topic-row__title"):
            pk = int(re.search(r"/t/(\d+)/", row["attrs"]["href"]).group(1))
            listed[pk] = words(row["text"])
        if f"page={number + 1}" not in page:
            break
        number += 1
    wrong = {pk: title for pk, title in titles.items() if listed.get(pk) != words(title)}
    assert not wrong, wrong
    assert number > 1  # the board really was paged through


def test_replies_with_hostile_bodies(client, alice, bob, boards, benign):
    posting.reply(bob, benign, source="同感。")  # so the pages show bob his own post's buttons
    client.force_login(bob)
    reply_url = reverse("forum:reply", args=[benign.pk])
    handlers = handlers_of(client.get(benign.get_absolute_url()), client.get(reply_url))
    failures, refused = [], []
    for payload in XSS_PAYLOADS:
        time_passes()
        response = client.post(reply_url, {"source": payload})
        if payload in REFUSED:
            refused.append(payload)
            assert response.status_code == 200 and 'class="field__error"' in response.text
            continue
        assert response.status_code == 302, (payload, response.text[:3000])
        post = Post.objects.latest("pk")
        assert post.source == stored(payload) and post.author == bob
        check(failures, payload, "Post.html", post_html_problems(post.html))

        # The page the reply lands on (20 posts a page: every earlier payload is checked again).
        page = client.get(response["Location"]).content.decode()
        check(failures, payload, "topic page", inert(page, handlers))
        if f'id="post-{post.position}"' not in page:
            failures.append((payload, "topic page", "the reply is not on its page"))

        # Quoting it puts the source into the reply form's textarea.
        quoting = client.get(reply_url, {"quote": post.pk}).content.decode()
        check(failures, payload, "quote", inert(quoting, handlers))

        if query := search_query(post.search_text):
            results = search(client, query)
            check(failures, payload, "search", inert(results, handlers))
            if post.get_absolute_url() not in result_links(results):
                failures.append((payload, "search", f"not found by {query!r}"))

    assert refused == REFUSED
    assert not failures, report(failures)
    assert benign.posts.count() == 2 + len(XSS_PAYLOADS) - len(REFUSED)


def test_edits_to_hostile_bodies(client, alice, boards, benign):
    post = benign.posts.get()
    client.force_login(alice)
    edit_url = reverse("forum:edit", args=[post.pk])
    handlers = handlers_of(client.get(benign.get_absolute_url()), client.get(edit_url))
    failures, refused = [], []
    for payload in XSS_PAYLOADS:
        response = client.post(edit_url, {"source": payload})
        if payload in REFUSED:
            refused.append(payload)
            assert response.status_code == 200 and 'class="field__error"' in response.text
            continue
        assert response.status_code == 302, (payload, response.text[:3000])
        post.refresh_from_db()
        assert post.source == stored(payload)
        check(failures, payload, "Post.html", post_html_problems(post.html))

        page = client.get(response["Location"]).content.decode()
        check(failures, payload, "topic page", inert(page, handlers))

        # The edit form shows the source again, in its textarea.
        editing = client.get(edit_url).content.decode()
        check(failures, payload, "edit form", inert(editing, handlers))

        if query := search_query(post.search_text):
            results = search(client, query)
            check(failures, payload, "search", inert(results, handlers))
            if post.get_absolute_url() not in result_links(results):
                failures.append((payload, "search", f"not found by {query!r}"))

    assert refused == REFUSED
    assert not failures, report(failures)
    assert post.revisions.count() == len(XSS_PAYLOADS) - len(REFUSED)


# XML 1.0 has no place for these, so the forms drop them before a feed has to carry them.
CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")


def test_the_board_feed_carries_hostile_titles_and_bodies_as_text(client, alice, boards):
    """Feed readers show the titles as text and the bodies as HTML: both must stay inert."""
    board = boards["owners"]
    feed_url = reverse("forum:board_feed", args=[board.slug])
    atom = "{http://www.w3.org/2005/Atom}"
    failures = []
    for payload in XSS_PAYLOADS:
        if CONTROL.search(payload):
            continue
        time_passes()
        topic = posting.create_topic(alice, board, title=payload[:100], source=payload)
        entry = ET.fromstring(client.get(feed_url).content).find(f"{atom}entry")  # the newest
        if entry.findtext(f"{atom}title") != topic.title:
            failures.append((payload, "feed", "the title is not the entry's text"))
        summary = entry.findtext(f"{atom}summary") or ""
        check(failures, payload, "feed summary", post_html_problems(summary))
    assert not failures, report(failures)


def test_a_control_character_in_a_title_does_not_break_the_feed(client, alice, boards):
    payload = next(p for p in XSS_PAYLOADS if CONTROL.search(p) and p not in REFUSED)
    client.force_login(alice)
    response = client.post(
        reverse("forum:new_topic", args=["owners"]), {"title": payload, "source": payload}
    )
    assert response.status_code == 302  # accepted
    topic = Topic.objects.get(author=alice)
    feed = client.get(reverse("forum:board_feed", args=["owners"]))
    atom = "{http://www.w3.org/2005/Atom}"
    assert ET.fromstring(feed.content).find(f"{atom}entry").findtext(f"{atom}title") == topic.title


def test_search_echoes_hostile_queries_as_text(client, benign):
    handlers = handlers_of(client.get(reverse("forum:search")))
    failures = []
    for payload in XSS_PAYLOADS:
        query = printable(payload).strip()[:50]  # as the search box keeps it
        page = search(client, payload)
        check(failures, payload, "search query", inert(page, handlers))
        boxes = [box["attrs"].get("value") for box in PageScan(page).find("input")]
        if query and query not in boxes:
            failures.append((payload, "search query", "the query is not echoed in the box"))
    assert not failures, report(failures)


def test_the_scanner_catches_what_it_should():
    """The helpers above would notice a hole, were there one."""
    body = '<div class="post__body prose-post">{}</div>'
    assert inert(body.format("<p>好<strong>的</strong></p>")) == []
    assert inert(body.format("<p>&lt;script&gt;alert(1)&lt;/script&gt;</p>")) == []
    assert inert(body.format("<script>alert(1)</script>"))
    assert inert(body.format("<ScRiPt src=//evil.example/x.js></ScRiPt>"))
    assert inert("<p><!-- <script>alert(1)</script> --></p>")
    assert inert(body.format('<img src="x" onerror="alert(1)">'))
    assert inert(body.format('<a href=" jav&#x09;ascript:alert(1)">x</a>'))
    assert inert(body.format('<img src="data:image/svg+xml,x">'))
    assert inert(body.format('<span style="x">x</span>'))
    assert inert(body.format("<iframe></iframe>"))
    assert inert('<h1><svg onload="alert(1)"></svg></h1>')
    # A payload that closes the body early is still caught, as an unknown handler on the page.
    assert inert(body.format('</div><img src=x onerror="alert(1)">'))
    known = frozenset({("form", "onsubmit", "return confirm(this.dataset.confirm)")})
    assert inert('<form onsubmit="return confirm(this.dataset.confirm)"></form>', known) == []
    assert inert('<form onsubmit="alert(1)"></form>', known)
