"""Markdown for forum posts, rendered to HTML once, on save, and stored with the post.

Raw HTML is shown as text, and the rendered HTML is then cleaned by nh3 against an explicit
allow-list of tags, attributes and URL schemes, so a gap in one layer is caught by the other.
Links to other sites are user-generated content: rel="nofollow noopener ugc" keeps search
engines from crediting them to us and the linked page from reaching back via window.opener.
"""

import html
from functools import cache
from urllib.parse import urlsplit

import nh3
from markdown_it import MarkdownIt

EXTERNAL_REL = "nofollow noopener ugc"
BLOCKS = {"p", "br", "hr", "blockquote", "pre", "ul", "ol", "li", "h3", "h4", "h5", "h6"}
TABLES = {"table", "thead", "tbody", "tr", "th", "td"}
TAGS = BLOCKS | TABLES | {"strong", "em", "del", "s", "code", "a", "img", "span"}
ATTRIBUTES = {
    "a": {"href", "title"},
    "img": {"src", "alt", "title"},
    "th": {"align"},
    "td": {"align"},
}
# Allowed with one exact value only: our own rel, and mentions that other code adds later.
ATTRIBUTE_VALUES = {"a": {"rel": {EXTERNAL_REL}}, "span": {"class": {"mention"}}}
URL_SCHEMES = {"http", "https", "mailto"}
_DEMOTED = {"h1": "h3", "h2": "h4"}


def _scheme_and_host(url) -> tuple[str, str]:
    try:
        parts = urlsplit(str(url or ""))
    except ValueError:  # e.g. a broken IPv6 host: treat as foreign and unknown
        return "?", "?"
    return parts.scheme, parts.netloc


def _forum_rules(state) -> None:
    """Demote page-level headings, align table cells without style, mark external links
    (rel is decided here, per link, because nh3's link_rel would apply to every link),
    and drop image sources other than http, https and relative ones (nh3 allows mailto)."""
    for token in state.tokens:
        if token.type in ("heading_open", "heading_close"):
            token.tag = _DEMOTED.get(token.tag, token.tag)
        elif token.type in ("th_open", "td_open") and "style" in token.attrs:
            token.attrs = {"align": str(token.attrs["style"]).removeprefix("text-align:")}
        for child in token.children or ():
            scheme, host = _scheme_and_host(child.attrs.get("href") or child.attrs.get("src"))
            if child.type == "link_open" and (scheme in ("http", "https") or host):
                child.attrSet("rel", EXTERNAL_REL)
            elif child.type == "image" and scheme not in ("", "http", "https"):
                del child.attrs["src"]


@cache
def _markdown() -> MarkdownIt:
    md = MarkdownIt("commonmark", {"html": False, "linkify": False, "breaks": True})
    md.enable(["table", "strikethrough"])
    md.core.ruler.push("forum", _forum_rules)
    return md


def sanitize(rendered: str) -> str:
    return nh3.clean(
        rendered,
        tags=TAGS,
        attributes=ATTRIBUTES,
        tag_attribute_values=ATTRIBUTE_VALUES,
        url_schemes=URL_SCHEMES,
        link_rel=None,  # rel comes from _forum_rules, on external links only
    )


def render_markdown(source: str) -> str:
    """Owner-written Markdown as safe HTML, to be stored with the post."""
    return sanitize(_markdown().render(source))


def plain_text(source: str) -> str:
    """The words of a post without markup, for search indexing and email excerpts.

    Tags are stripped and entities decoded until neither is left, as text such as
    ``&lt;b&gt;`` decodes into markup. Each round shortens the text or ends the loop.
    """
    text = _markdown().render(source)
    while len(stripped := html.unescape(nh3.clean(text, tags=set()))) < len(text):
        text = stripped
    return " ".join(stripped.split())
