"""Markdown rendering: hostile input never produces active content."""

from __future__ import annotations

import threading
from html.parser import HTMLParser

import pytest

from notes_app.domain import rendering
from notes_app.domain.rendering import (
    ALLOWED_TAGS,
    LINK_REL,
    is_safe_url,
    render_markdown,
    render_markdown_parts,
)

FORBIDDEN_TAGS = {
    "script",
    "style",
    "iframe",
    "frame",
    "svg",
    "math",
    "object",
    "embed",
    "img",
    "noscript",
    "form",
    "input",
    "button",
    "textarea",
    "link",
    "meta",
    "base",
    "template",
    "video",
    "audio",
    "source",
}


class _Collector(HTMLParser):
    """Collect every start tag and its attributes, as a browser's parser would see them."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict[str, str | None]]] = []

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))

    handle_startendtag = handle_starttag


def parse(html: str) -> list[tuple[str, dict[str, str | None]]]:
    collector = _Collector()
    collector.feed(html)
    collector.close()
    return collector.tags


def assert_inert(html: str) -> None:
    """Fail unless the HTML has no script, no handler, no style and only safe link targets."""
    for tag, attrs in parse(html):
        assert tag not in FORBIDDEN_TAGS, html
        assert tag in ALLOWED_TAGS, html
        for name, value in attrs.items():
            assert not name.startswith("on"), html
            assert name not in ("style", "src", "srcset", "action", "formaction", "xlink:href")
            if name == "href":
                assert is_safe_url(value or ""), html
                assert _scheme(value or "") in ("", "http", "https", "mailto"), html
        if tag == "a":
            assert attrs.get("rel") == LINK_REL, html


def _scheme(url: str) -> str:
    """Read a URL's scheme the lenient way a browser does."""
    compact = "".join(ch for ch in url if ch > " " and ch not in "\x7f\u200b\ufeff")
    head = compact.split("/", 1)[0]
    return head.split(":", 1)[0].lower() if ":" in head else ""


HOSTILE = [
    "<script>alert(1)</script>",
    "<SCRIPT SRC=//evil.example/x.js></SCRIPT>",
    "<img src=x onerror=alert(1)>",
    '<p onclick="alert(1)">hi</p>',
    "<body onload=alert(1)>",
    "<svg onload=alert(1)><circle r=1 /></svg>",
    "<svg><script>alert(1)</script></svg>",
    '<math><mtext><table><mglyph><style><img src=x onerror="alert(1)"></style></mtext></math>',
    '<noscript><p title="</noscript><img src=x onerror=alert(1)>">',
    '<iframe src="javascript:alert(1)"></iframe>',
    '<object data="data:text/html,<script>alert(1)</script>"></object>',
    '<embed src="javascript:alert(1)">',
    '<style>body{background:url("javascript:alert(1)")}</style>',
    '<p style="background:url(javascript:alert(1))">css</p>',
    '<a href="javascript:alert(1)">click</a>',
    '<a href="jav&#x09;ascript:alert(1)">tab</a>',
    '<a href="&#106;&#97;&#118;&#97;&#115;&#99;&#114;&#105;&#112;&#116;:alert(1)">dec</a>',
    "[click](javascript:alert(1))",
    "[click](JaVaScRiPt:alert(1))",
    "[click]( javascript:alert(1))",
    "[click](jav&#x09;ascript:alert(1))",
    "[click](&#106;avascript:alert(1))",
    "[click](java%0ascript:alert(1))",
    "[click](<javascript:alert(1)>)",
    "[click](vbscript:msgbox(1))",
    "[click](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
    "[click][evil]\n\n[evil]: javascript:alert(1)",
    "[evil]\n\n[evil]: data:text/html,<script>alert(1)</script>",
    "![x](javascript:alert(1))",
    '![x](http://example.org/a.png "title" onerror=alert(1))',
    "[![x](javascript:alert(1))](javascript:alert(2))",
    "<javascript:alert(1)>",
    "<vbscript:msgbox(1)>",
    '[x](http://example.org "a" onmouseover="alert(1)")',
    '[x](http://example.org"onmouseover="alert(1))',
    "<form action=//evil.example><button formaction=javascript:alert(1)>go</button></form>",
    '<a href="#" onclick="alert(1)">x</a>',
    "<base href=//evil.example/>",
    '<meta http-equiv="refresh" content="0;url=javascript:alert(1)">',
    "<template><script>alert(1)</script></template>",
    '<div><a href="\u200bjavascript:alert(1)">zero width</a></div>',
    "```\n</code></pre><script>alert(1)</script>\n```",
    "`<script>alert(1)</script>`",
    "    <script>alert(1)</script>",
    "| a |\n|---|\n| <img src=x onerror=alert(1)> |",
    "> <script>alert(1)</script>",
    "- <iframe src=//evil.example>",
    "&lt;script&gt;alert(1)&lt;/script&gt;",
    "<!--><script>alert(1)</script>-->",
    "<scr<script>ipt>alert(1)</script>",
    '<a href="javascript&colon;alert(1)">colon entity</a>',
    "[x](javascript&colon;alert(1))",
    'www.example.org/"onmouseover="alert(1)',
    "<xss:script>alert(1)</xss:script>",
]


@pytest.mark.parametrize("markdown_text", HOSTILE)
def test_hostile_markdown_renders_inert(markdown_text):
    assert_inert(render_markdown(markdown_text))


@pytest.mark.parametrize("markdown_text", HOSTILE)
def test_hostile_markdown_stays_inert_inside_a_document(markdown_text):
    document = f"# Heading\n\nSome **text** before.\n\n{markdown_text}\n\n- a list\n- after it\n"
    assert_inert(render_markdown(document))


def test_raw_html_is_escaped_as_text():
    assert render_markdown("<b>bold</b>") == "<p>&lt;b&gt;bold&lt;/b&gt;</p>"


def test_ordinary_markdown_keeps_its_structure():
    html = render_markdown(
        "# Title\n\nSome *em* and **strong** and `code`.\n\n> quote\n\n1. one\n2. two\n\n---"
    )
    tags = [tag for tag, _ in parse(html)]
    for tag in ("h1", "em", "strong", "code", "blockquote", "ol", "li", "hr"):
        assert tag in tags


def test_links_keep_safe_targets_and_titles_and_get_rel():
    html = render_markdown('[site](https://example.org/a?b=1 "Title") and [me](mailto:a@b.org)')
    links = [attrs for tag, attrs in parse(html) if tag == "a"]
    assert links[0] == {"href": "https://example.org/a?b=1", "title": "Title", "rel": LINK_REL}
    assert links[1]["href"] == "mailto:a@b.org"


def test_relative_and_fragment_links_are_kept():
    html = render_markdown("[a](/meetings/1) [b](#item-3)")
    assert [attrs["href"] for tag, attrs in parse(html) if tag == "a"] == ["/meetings/1", "#item-3"]


def test_unsafe_link_keeps_its_text_without_a_link():
    html = render_markdown("[click here](javascript:alert(1))")
    assert html == "<p>click here</p>"


def test_bare_urls_are_linked_with_rel():
    html = render_markdown("See https://example.org/page for more.")
    assert parse(html)[1] == ("a", {"href": "https://example.org/page", "rel": LINK_REL})


def test_urls_in_code_are_not_linked():
    assert "<a" not in render_markdown("`https://example.org`")


def test_images_become_links_to_the_image():
    html = render_markdown("![a chart](https://example.org/chart.png)")
    assert html == (f'<p><a href="https://example.org/chart.png" rel="{LINK_REL}">a chart</a></p>')


def test_image_inside_a_link_becomes_its_alt_text():
    html = render_markdown("[![logo](https://example.org/l.png)](https://example.org)")
    assert html == f'<p><a href="https://example.org" rel="{LINK_REL}">logo</a></p>'


def test_html_comments_are_dropped():
    assert render_markdown("Intro <!--more--> rest") == "<p>Intro  rest</p>"
    assert render_markdown("<!--more-->\n\nBody") == "<p>Body</p>"


def test_tables_keep_alignment_only():
    html = render_markdown("| a | b |\n|:--|--:|\n| 1 | 2 |")
    cells = [attrs for tag, attrs in parse(html) if tag in ("th", "td")]
    assert cells[0] == {"align": "left"} and cells[1] == {"align": "right"}


def test_fenced_code_language_is_not_copied_into_attributes():
    html = render_markdown("```robin-example\nx = 1\n```")
    assert "robin" not in html and html == "<pre><code>x = 1\n</code></pre>"


def test_headings_get_no_ids():
    html = render_markdown("## Robin Example {#robin}")
    assert parse(html) == [("h2", {})]


def test_abbreviations_are_not_expanded_into_attributes():
    html = render_markdown("The WHO said so.\n\n*[WHO]: Robin Example")
    assert "title" not in html


def test_renderer_is_safe_to_use_from_several_threads():
    results: list[str] = []

    def work() -> None:
        for _ in range(20):
            results.append(render_markdown("*a* [b](https://example.org)\n\n- c"))

    threads = [threading.Thread(target=work) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(set(results)) == 1


@pytest.mark.parametrize(
    ("url", "safe"),
    [
        ("https://example.org", True),
        ("mailto:a@b.org", True),
        ("/relative", True),
        ("#frag", True),
        ("page?q=a:b", True),
        ("javascript:alert(1)", False),
        (" java\tscript:alert(1)", False),
        ("data:text/html,x", False),
        ("vbscript:x", False),
        ("http://[::1", False),
    ],
)
def test_is_safe_url(url, safe):
    assert is_safe_url(url) is safe


# --- several parts in one pass ---------------------------------------------------------------

PARTS = [
    "# Heading",
    "- first bullet",
    "- second bullet",
    "A paragraph with *emphasis* and a [link](https://example.org).",
    "> a quote",
    "    indented code",
    "```\nfenced code\n```",
    "| a | b |\n|---|---|\n| 1 | 2 |",
    "Two\n\nparagraphs",
    "1. one\n2. two",
]


def test_parts_render_as_each_would_alone():
    assert render_markdown_parts(PARTS) == [render_markdown(part) for part in PARTS]


def test_parts_keep_neighbouring_lists_apart():
    assert render_markdown_parts(["- a", "- b"]) == [
        "<ul>\n<li>a</li>\n</ul>",
        "<ul>\n<li>b</li>\n</ul>",
    ]


def test_a_part_may_render_to_nothing_and_references_resolve_across_parts():
    parts = ["[site]: https://example.org", "See [site].", "<!--more-->"]
    assert render_markdown_parts(parts) == [
        "",
        f'<p>See <a href="https://example.org" rel="{LINK_REL}">site</a>.</p>',
        "",
    ]


def test_form_feeds_in_the_text_do_not_split_parts():
    assert render_markdown_parts(["a\fb", "c"]) == ["<p>a b</p>", "<p>c</p>"]


def test_a_fence_that_swallows_the_marker_falls_back_to_one_part_at_a_time():
    parts = ["```\ncode", "middle", "```"]
    assert render_markdown_parts(parts) == [render_markdown(part) for part in parts]


def test_a_marker_inside_a_quote_falls_back_to_one_part_at_a_time(monkeypatch):
    monkeypatch.setattr(rendering.secrets, "token_hex", lambda n: "0" * (2 * n))
    marker = "zq" + "0" * 24 + "z"
    parts = [f"> quoted\n>\n> {marker}", "after"]
    assert render_markdown_parts(parts) == [render_markdown(part) for part in parts]


def test_one_part_or_none():
    assert render_markdown_parts([]) == []
    assert render_markdown_parts(["*x*"]) == ["<p><em>x</em></p>"]


@pytest.mark.parametrize("markdown_text", HOSTILE)
def test_hostile_parts_render_inert(markdown_text):
    for html in render_markdown_parts(["Before.", markdown_text, "- after"]):
        assert_inert(html)
