"""The forum's Markdown renderer: ordinary posts render, hostile ones come out inert."""

import re
from html.parser import HTMLParser

import pytest

from forum.markdown import plain_text, render_markdown, sanitize

ALLOWED_TAGS = {
    *("p", "br", "strong", "em", "del", "s", "code", "pre", "blockquote", "ul", "ol", "li"),
    *("a", "img", "h3", "h4", "h5", "h6", "hr", "table", "thead", "tbody", "tr", "th", "td"),
    "span",
}
REL = 'rel="nofollow noopener ugc"'


class TagCollector(HTMLParser):
    """Every start/end tag and its attributes, as a browser-like tokenizer sees them."""

    def __init__(self, markup):
        super().__init__(convert_charrefs=True)
        self.tags, self.attrs = [], []
        self.feed(markup)
        self.close()

    def handle_starttag(self, tag, attrs):
        self.tags.append(tag)
        self.attrs.extend((tag, name, value or "") for name, value in attrs)

    def handle_endtag(self, tag):
        self.tags.append(tag)


def scheme(url):
    """The scheme a browser would see: tabs and newlines anywhere and C0/space at the ends are ignored."""
    url = re.sub(r"[\t\n\r]", "", url).strip("".join(map(chr, range(0x21))))
    match = re.match(r"([a-zA-Z][a-zA-Z0-9+.\-]*):", url)
    return match.group(1).lower() if match else ""  # "" is a relative URL


# -- ordinary posts ---------------------------------------------------------------------------


def test_bold_emphasis_and_strikethrough():
    assert (
        render_markdown("**粗** *斜* ~~删~~")
        == "<p><strong>粗</strong> <em>斜</em> <s>删</s></p>\n"
    )


def test_lists():
    html = render_markdown("- 一\n- 二\n\n1. 甲\n2. 乙")
    assert "<ul>\n<li>一</li>\n<li>二</li>\n</ul>" in html
    assert "<ol>\n<li>甲</li>\n<li>乙</li>\n</ol>" in html


def test_quote():
    assert render_markdown("> 物业说下周修") == "<blockquote>\n<p>物业说下周修</p>\n</blockquote>\n"


def test_external_link_gets_ugc_rel_and_no_target():
    html = render_markdown('[金都](https://example.com/a?b=1 "官网")')
    assert html == (f'<p><a href="https://example.com/a?b=1" title="官网" {REL}>金都</a></p>\n')
    assert "target" not in html


def test_autolink_and_protocol_relative_link_are_external():
    assert REL in render_markdown("<https://example.com>")
    assert REL in render_markdown("[x](//example.com/path)")


@pytest.mark.parametrize(
    "href", ["/forum/12/", "#reply-3", "notices/2024", "mailto:kefu@example.com"]
)
def test_relative_and_mailto_links_get_no_rel(href):
    assert render_markdown(f"[看这里]({href})") == f'<p><a href="{href}">看这里</a></p>\n'


def test_image():
    assert render_markdown('![小区](https://example.com/a.png "大门")') == (
        '<p><img src="https://example.com/a.png" alt="小区" title="大门"></p>\n'
    )
    assert render_markdown("![图](/media/a.png)") == '<p><img src="/media/a.png" alt="图"></p>\n'


def test_image_cannot_point_at_mailto():
    assert render_markdown("![x](mailto:a@example.com)") == '<p><img alt="x"></p>\n'


def test_newline_is_a_line_break_for_chinese_text():
    assert render_markdown("今天停水\n明天恢复") == "<p>今天停水<br>\n明天恢复</p>\n"


def test_table_alignment_without_style():
    html = render_markdown("| 楼栋 | 户数 |\n|:--|--:|\n| 1 | 120 |")
    assert '<th align="left">楼栋</th>' in html
    assert '<td align="right">120</td>' in html
    assert "<table>" in html and "<tbody>" in html and "style" not in html


@pytest.mark.parametrize(
    ("source", "heading"),
    [("# 标题", "<h3>标题</h3>"), ("## 小标题", "<h4>小标题</h4>"), ("#### 四", "<h4>四</h4>")],
)
def test_page_level_headings_are_demoted(source, heading):
    assert render_markdown(source) == heading + "\n"


def test_code_block_keeps_script_as_text():
    html = render_markdown("```html\n<script>alert(1)</script>\n```")
    assert html == "<pre><code>&lt;script&gt;alert(1)&lt;/script&gt;\n</code></pre>\n"
    assert render_markdown("`<b>`") == "<p><code>&lt;b&gt;</code></p>\n"


def test_raw_html_is_shown_as_text():
    assert render_markdown("<b>粗</b>") == "<p>&lt;b&gt;粗&lt;/b&gt;</p>\n"


def test_mentions_added_later_survive_the_allow_list():
    assert sanitize('<span class="mention">@张三</span>') == '<span class="mention">@张三</span>'
    assert sanitize('<span class="x" onclick="alert(1)">@李四</span>') == "<span>@李四</span>"


# -- hostile posts ----------------------------------------------------------------------------

XSS_PAYLOADS = [
    # script tags in many spellings
    "<script>alert(1)</script>",
    "<SCRIPT>alert(1)</SCRIPT>",
    "<ScRiPt>alert(1)</sCrIpT>",
    "<script src=//evil.example/x.js></script>",
    "<script/xss src=//evil.example/x.js></script>",
    "<script\n>alert(1)</script\n>",
    '<script type="text/javascript">alert(1)</script>',
    "<<script>script>alert(1)<</script>/script>",
    "<scr<script>ipt>alert(1)</scr</script>ipt>",
    "<scr<!-- -->ipt>alert(1)</script>",
    "<scr\x00ipt>alert(1)</script>",
    "<script>alert(1)",
    # event handlers
    "<img src=x onerror=alert(1)>",
    '<img src="x" onerror="alert(1)"/>',
    "<IMG SRC=JaVaScRiPt:alert(1)>",
    '<img """><script>alert(1)</script>">',
    "<img src=x:alert(alt) onerror=eval(src) alt=0>",
    "<svg onload=alert(1)>",
    "<svg><script>alert(1)</script></svg>",
    "<svg><animate onbegin=alert(1) attributeName=x dur=1s>",
    '<svg><a xlink:href="javascript:alert(1)"><text>x</text></a></svg>',
    "<body onload=alert(1)>",
    "<details open ontoggle=alert(1)>",
    "<x onclick=alert(1)>click me</x>",
    "<input autofocus onfocus=alert(1)>",
    "<video><source onerror=alert(1)></video>",
    "<marquee onstart=alert(1)>x</marquee>",
    "<frameset onload=alert(1)>",
    # embedding elements
    '<iframe src="javascript:alert(1)"></iframe>',
    '<iframe srcdoc="<script>alert(1)</script>"></iframe>',
    '<object data="javascript:alert(1)"></object>',
    '<embed src="javascript:alert(1)">',
    "<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>",
    '<math href="javascript:alert(1)">x</math>',
    "<template><script>alert(1)</script></template>",
    '<noscript><p title="</noscript><img src=x onerror=alert(1)>">',
    "<xmp><img src=x onerror=alert(1)></xmp>",
    "<plaintext><script>alert(1)</script>",
    # page-level and form elements
    "<style>@import 'javascript:alert(1)';</style>",
    '<meta http-equiv="refresh" content="0;url=javascript:alert(1)">',
    '<base href="javascript:alert(1)//">',
    '<form action="javascript:alert(1)"><input type=submit></form>',
    "<button formaction=javascript:alert(1)>x</button>",
    '<link rel=stylesheet href="javascript:alert(1)">',
    # CSS
    '<div style="background:url(javascript:alert(1))">x</div>',
    '<p style="width: expression(alert(1))">x</p>',
    '<span class="mention" style="-moz-binding:url(x.xml#xss)">@x</span>',
    # raw links
    '<a href="javascript:alert(1)">x</a>',
    '<a href="jav&#x09;ascript:alert(1)">x</a>',
    '<a href="&#x6A;avascript:alert(1)">x</a>',
    '<a href=" &#14;  javascript:alert(1)">x</a>',
    '<a href="data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==">x</a>',
    '<a href="vbscript:msgbox(1)">x</a>',
    # attribute breaking
    '"><script>alert(1)</script>',
    "'><img src=x onerror=alert(1)>",
    '[x](https://example.com/"onmouseover="alert(1))',
    '[x](https://example.com "t\\" onmouseover=alert(1)")',
    '![x](https://example.com/a.png"onerror="alert(1))',
    '<https://example.com/"onmouseover="alert(1)>',
    # markdown links
    "[x](javascript:alert(1))",
    "[x](JaVaScRiPt:alert(1))",
    "[x](  javascript:alert(1))",
    "[x](\tjavascript:alert(1))",
    "[x](<javascript:alert(1)>)",
    "[x](java&#x09;script:alert(1))",
    "[x](java&#x0A;script:alert(1))",
    "[x](&#106;avascript:alert(1))",
    "[x](&#x6A;&#x61;&#x76;&#x61;&#x73;&#x63;&#x72;&#x69;&#x70;&#x74;&#x3A;alert(1))",
    "[x](javascript&#58;alert(1))",
    "[x](javascript&colon;alert(1))",
    "[x](%6Aavascript:alert(1))",
    "[x](javascript://%0Aalert(1))",
    "[x](\x01javascript:alert(1))",
    "[x](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
    "[x](vbscript:msgbox(1))",
    "[x](file:///etc/passwd)",
    "[x](FILE:///etc/passwd)",
    "[<img src=x onerror=alert(1)>](https://example.com)",
    "[<script>alert(1)</script>](https://example.com)",
    # markdown images
    "![x](javascript:alert(1))",
    "![x](  JAVASCRIPT:alert(1))",
    "![x](data:image/svg+xml;base64,PHN2ZyBvbmxvYWQ9YWxlcnQoMSk+)",
    "![x](data:image/svg+xml,<svg onload=alert(1)>)",
    "![x](data:image/png;base64,iVBORw0KGgo=)",
    "![x](vbscript:msgbox(1))",
    "![x](file:///c:/x.png)",
    "![<img src=x onerror=alert(1)>](https://example.com/a.png)",
    # reference-style links and autolinks
    "[x][r]\n\n[r]: javascript:alert(1)",
    "[r]\n\n[r]: JaVaScRiPt:alert(1) 'title'",
    "![x][r]\n\n[r]: data:image/svg+xml;base64,PHN2ZyBvbmxvYWQ9YWxlcnQoMSk+",
    "<javascript:alert(1)>",
    "<JAVASCRIPT:alert(1)>",
    "<vbscript:msgbox(1)>",
    "<data:text/html,<script>alert(1)</script>>",
    "<file:///etc/passwd>",
    # entities and unicode
    "&lt;script&gt;alert(1)&lt;/script&gt;",
    "&#60;script&#62;alert(1)&#60;/script&#62;",
    "&amp;lt;script&amp;gt;alert(1)&amp;lt;/script&amp;gt;",
    "\\u003cscript\\u003ealert(1)\\u003c/script\\u003e",
    "＜script＞alert(1)＜/script＞",
    "<script\u200b>alert(1)</script>",
    # comments and CDATA
    "<!--<script>alert(1)</script>-->",
    "<![CDATA[<script>alert(1)</script>]]>",
    # markdown around script
    "**<script>alert(1)</script>**",
    "*<script>*alert(1)*</script>*",
    "`<script>`alert(1)`</script>`",
    "_<script>_alert(1)",
    "# <script>alert(1)</script>",
    "> <script>alert(1)</script>",
    "- <img src=x onerror=alert(1)>",
    "| <script>alert(1)</script> | x |\n|---|---|\n| <img src=x onerror=alert(1)> | y |",
    "    <script>alert(1)</script>",
    # malformed and unclosed
    '<img src="x',
    '<a href="javascript:alert(1)',
    "<unclosed <script>alert(1)",
    "<a href=javascript:alert(1)>x",
]


class TestXssCorpus:
    def test_corpus_is_large_and_distinct(self):
        assert len(XSS_PAYLOADS) >= 60
        assert len(set(XSS_PAYLOADS)) == len(XSS_PAYLOADS)

    @pytest.mark.parametrize("payload", XSS_PAYLOADS)
    def test_rendered_html_is_inert(self, payload):
        html = render_markdown(payload)
        assert "<script" not in html.lower()
        found = TagCollector(html)
        assert set(found.tags) <= ALLOWED_TAGS, html
        for tag, name, value in found.attrs:
            assert not name.startswith("on"), html
            assert name not in ("style", "id", "target", "srcdoc", "formaction"), html
            if name == "class":
                assert (tag, value) == ("span", "mention"), html
            if name == "href":
                assert scheme(value) in ("", "http", "https", "mailto"), html
            if name == "src":
                assert scheme(value) in ("", "http", "https"), html

    @pytest.mark.parametrize("payload", XSS_PAYLOADS)
    def test_plain_text_is_plain(self, payload):
        assert not re.search(r"<[A-Za-z!?/]", plain_text(payload))


# -- plain text -------------------------------------------------------------------------------


def test_plain_text_removes_markup():
    source = "# 通知\n\n**停水** 见[公告](/notices/1)，![图](/a.png)\n\n- `代码`\n\n> 引用"
    assert plain_text(source) == "通知 停水 见公告， 代码 引用"


def test_plain_text_unescapes_entities():
    assert plain_text("A &amp; B &lt; C &quot;引号&quot; &copy;") == 'A & B < C "引号" ©'
    assert plain_text("Tom & Jerry > 3") == "Tom & Jerry > 3"


def test_plain_text_collapses_whitespace():
    assert plain_text("  一\n\n\n二\t\t三  \n\n- 四\n- 五  ") == "一 二 三 四 五"


def test_plain_text_keeps_chinese():
    assert plain_text("金都花园 **业主** 论坛：欢迎！") == "金都花园 业主 论坛：欢迎！"


def test_plain_text_drops_markup_hidden_in_entities():
    assert plain_text("看 &lt;b&gt;这里&lt;/b&gt;") == "看 这里"


def test_plain_text_of_nothing():
    assert plain_text("") == ""
