"""Turn Markdown written by people into HTML that is safe to show to members.

This is the only place where Markdown becomes HTML: notes, meeting descriptions and comments all
go through `render_markdown`. Two layers, so that one mistake is not enough for a leak or a script:

1. Python-Markdown with a small fixed set of extensions. None of them copies text into attributes
   (no `abbr`, `toc`, `attr_list`, `md_in_html`, `footnotes`), so a protected name can only reach
   the output as text or as a link target, which redaction knows how to check. Raw HTML in the
   Markdown is *escaped*, not passed through: `<script>` shows as the text "<script>", so no
   parser differential between Markdown, bleach and the browser can turn it into markup. HTML
   comments such as `<!--more-->` (common in imported posts) are dropped.
2. bleach with a tight allow-list over what Markdown produced, stripping anything else. Links may
   only use http, https or mailto (or be relative), and every link gets
   `rel="nofollow noopener noreferrer"`.

Images are not allowed: an image would be fetched from a third party by every reader (a
tracking pixel in circulated notes) and its alt text is easy to forget when redacting. Markdown
images become plain links to the image, so nothing is silently lost.

Rendering takes time in proportion to the text on any input: `rendering_bounds` neutralises the
patterns Python-Markdown and bleach are slow on, in ways that leave ordinary text as it was.
"""

from __future__ import annotations

import html
import re
import secrets
import threading
import xml.etree.ElementTree as etree
from collections.abc import Sequence
from functools import partial
from urllib.parse import urlsplit

import bleach
import markdown
from bleach.linkifier import LinkifyFilter
from markdown.blockprocessors import BlockProcessor
from markdown.extensions import Extension
from markdown.inlinepatterns import InlineProcessor
from markdown.treeprocessors import Treeprocessor
from markdown.util import AtomicString

from notes_app.domain import rendering_bounds

EXTENSIONS = ("fenced_code", "tables", "sane_lists")

ALLOWED_TAGS = frozenset(
    {
        "p",
        "br",
        "hr",
        "strong",
        "em",
        "b",
        "i",
        "code",
        "pre",
        "blockquote",
        "ul",
        "ol",
        "li",
        "a",
        "h1",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "table",
        "thead",
        "tbody",
        "tr",
        "th",
        "td",
    }
)

ALLOWED_PROTOCOLS = frozenset({"http", "https", "mailto"})
LINK_REL = "nofollow noopener noreferrer"
_ALIGNMENTS = frozenset({"left", "right", "center"})
_PART_BREAK = "\f"
_EMPTY_PARAGRAPH = re.compile(r"<p>\s*</p>\n?")
# Same test as the browser: strip what it ignores before reading the scheme.
_IGNORED_IN_SCHEME = re.compile(r"[\x00-\x20\x7f-\xa0\u200b-\u200f\u2028\u2029\ufeff]+")


def render_markdown(text: str) -> str:
    """Render Markdown to sanitised HTML."""
    return _tidy(_renderer().convert(text))


def render_markdown_parts(texts: Sequence[str]) -> list[str]:
    """Render several Markdown texts in one pass, much faster than one call each.

    The texts are rendered as one document with a marker block between them (so reference
    links resolve across them). The markers must all be seen at the top level, where they
    become a form feed between blocks: bleach keeps a form feed there (and turns any other
    into "?"), so the HTML can be cut back into parts. Otherwise each text is rendered alone.

    Neighbouring texts that are each one line of paragraph or heading (most notes) need no
    marker between them: each is one top-level element, cut apart where the next one starts.
    """
    if len(texts) < 2:
        return [render_markdown(text) for text in texts]
    texts = [text.replace(_PART_BREAK, " ") for text in texts]
    runs: list[list[str]] = []
    single = False
    for text in texts:
        one_block = _one_block(text)
        if single and one_block:
            runs[-1].append(text)
        else:
            runs.append([text])
        single = one_block
    pieces = _render_runs(["\n\n".join(run) for run in runs])
    if pieces is not None:
        cut = [_cut_run(piece, len(run)) for piece, run in zip(pieces, runs, strict=True)]
        if all(part is not None for part in cut):
            return [_tidy(part) for parts in cut if parts is not None for part in parts]
    pieces = _render_runs(texts)
    return (
        [_tidy(piece) for piece in pieces]
        if pieces is not None
        else list(map(render_markdown, texts))
    )


def _render_runs(texts: Sequence[str]) -> list[str] | None:
    """Render texts with a marker block between each two; None if the HTML does not cut back."""
    marker = "zq" + secrets.token_hex(12) + "z"
    # A known paragraph first and last, because Markdown strips whitespace at the ends.
    parts = [f"{marker}0", *texts, f"{marker}1"]
    html = _renderer().convert(f"\n\n{marker}\n\n".join(parts), marker, len(parts))
    pieces = html.split(_PART_BREAK) if html is not None else []
    expected_ends = [f"<p>{marker}0</p>", f"<p>{marker}1</p>"]
    if len(pieces) != len(parts) or [_tidy(pieces[0]), _tidy(pieces[-1])] != expected_ends:
        return None
    return pieces[1:-1]


# One line that Markdown reads as a paragraph (starting with a letter, a number that is no list
# marker, or strong emphasis) or as a heading: one top-level element, which never runs on into
# the block after it.
_ONE_BLOCK = re.compile(r"#|\*\*[^*\s]|[^\W\d_]|\d+(?![\d.)])")
_LINE_BREAK = re.compile(r"[\n\r\v\f\x1c-\x1e\x85\u2028\u2029]")
_TOP_LEVEL_START = re.compile(r"\n(?=<(?:p|h[1-6])>)")


def _one_block(text: str) -> bool:
    return _ONE_BLOCK.match(text) is not None and _LINE_BREAK.search(text) is None


def _cut_run(html: str, count: int) -> list[str] | None:
    """Cut the HTML of a run of one-block texts into one element each; None if it does not."""
    if count == 1:
        return [html]
    parts = _TOP_LEVEL_START.split(html.strip("\n"))
    return parts if len(parts) == count else None


def _tidy(html: str) -> str:
    return _EMPTY_PARAGRAPH.sub("", html).strip()


def is_safe_url(url: str) -> bool:
    """Tell whether a link target is relative or uses an allowed scheme."""
    compact = _IGNORED_IN_SCHEME.sub("", url)
    if ":" not in compact.split("/", 1)[0].split("?", 1)[0].split("#", 1)[0]:
        return True
    try:
        scheme = urlsplit(compact).scheme.lower()
    except ValueError:
        return False
    return scheme in ALLOWED_PROTOCOLS


class _Renderer:
    """A Markdown converter and a bleach cleaner; neither is thread-safe, so one per thread."""

    def __init__(self) -> None:
        self.part_break = _PartBreak()
        self.markdown = markdown.Markdown(
            extensions=[
                *EXTENSIONS,
                _SafetyExtension(),
                _PartBreakExtension(self.part_break),
                rendering_bounds.BoundsExtension(),
            ],
            extension_configs={"tables": {"use_align_attribute": True}},
            output_format="html",
        )
        linkify = partial(
            LinkifyFilter,
            callbacks=[_harden_link],
            skip_tags={"pre", "code"},
            parse_email=False,
            url_re=rendering_bounds.url_re(),
        )
        self.cleaner = bleach.Cleaner(
            tags=ALLOWED_TAGS,
            attributes=_allowed_attribute,
            protocols=ALLOWED_PROTOCOLS,
            strip=True,
            strip_comments=True,
            filters=[linkify],
        )

    def convert(self, text: str, marker: str = "", parts: int = 1) -> str | None:
        """Render one text; None unless each of the `parts - 1` markers stood at the top level."""
        self.markdown.reset()
        self.part_break.start(marker)
        html = self.markdown.convert(text)
        if self.part_break.misplaced or self.part_break.seen != parts - 1:
            return None
        return self.cleaner.clean(html)


_local = threading.local()


def _renderer() -> _Renderer:
    """Return this thread's renderer, making it on first use."""
    renderer = getattr(_local, "renderer", None)
    if renderer is None:
        renderer = _local.renderer = _Renderer()
    return renderer


def _allowed_attribute(tag: str, name: str, value: str) -> bool:
    """Allow link targets and titles and table alignment; nothing else."""
    if tag == "a":
        return name in ("href", "title")
    if tag in ("th", "td"):
        return name == "align" and value in _ALIGNMENTS
    return False


def _harden_link(attrs: dict, new: bool = False) -> dict | None:
    """Mark every link nofollow, and unlink any target that is not safe."""
    href = attrs.get((None, "href"))
    # bleach has already removed unsafe targets; an anchor left without one is pointless.
    if href is None or not is_safe_url(html.unescape(href)):
        return None
    attrs[(None, "rel")] = LINK_REL
    return attrs


class _SafetyExtension(Extension):
    """Escape raw HTML, drop HTML comments and turn images into links."""

    def extendMarkdown(self, md: markdown.Markdown) -> None:
        md.preprocessors.deregister("html_block")
        md.inlinePatterns.deregister("html")
        md.inlinePatterns.register(_CommentProcessor(r"<!--.*?-->", md), "html_comment", 175)
        md.treeprocessors.register(_ImagesAsLinks(md), "images_as_links", 15)


class _PartBreak(BlockProcessor):
    """Put a part marker between top-level blocks, in an element no inline pattern touches.

    The element stops a list from running on into the next part; once the blocks are built,
    `_PartBreakUnwrap` replaces it by a form feed between the blocks.
    """

    def __init__(self) -> None:
        self.start("")

    def start(self, marker: str) -> None:
        self.marker, self.seen, self.misplaced = marker, 0, False

    def test(self, parent: etree.Element, block: str) -> bool:
        return bool(self.marker) and block == self.marker

    def run(self, parent: etree.Element, blocks: list[str]) -> None:
        blocks.pop(0)
        self.seen += 1
        # Inside a list or quote the marker would cut an element in two.
        self.misplaced = self.misplaced or parent is not self.parser.root
        etree.SubElement(parent, "span").text = AtomicString(self.marker)


class _PartBreakUnwrap(Treeprocessor):
    """Replace each top-level marker element by a form feed."""

    def __init__(self, part_break: _PartBreak) -> None:
        super().__init__()
        self.part_break = part_break

    def run(self, root: etree.Element) -> None:
        if not self.part_break.seen:
            return
        previous = None
        kept = []
        for child in root:
            if child.tag == "span" and child.text == self.part_break.marker:
                # Never first: render_markdown_parts starts with a paragraph of its own.
                if previous is not None:
                    previous.tail = f"{previous.tail or ''}\n{_PART_BREAK}\n{child.tail or ''}"
            else:
                kept.append(child)
                previous = child
        root[:] = kept  # at once: removing the markers one by one takes time in their square


class _PartBreakExtension(Extension):
    def __init__(self, part_break: _PartBreak) -> None:
        super().__init__()
        self.part_break = part_break

    def extendMarkdown(self, md: markdown.Markdown) -> None:
        self.part_break.parser = md.parser
        md.parser.blockprocessors.register(self.part_break, "part_break", 200)
        md.treeprocessors.register(_PartBreakUnwrap(self.part_break), "part_break_unwrap", 5)


class _CommentProcessor(InlineProcessor):
    """Remove an HTML comment from running text."""

    def handleMatch(self, m: re.Match, data: str) -> tuple[str, int, int]:
        return "", m.start(0), m.end(0)


class _ImagesAsLinks(Treeprocessor):
    """Replace each image by a link to it (or by its text inside a link)."""

    def run(self, root: etree.Element) -> None:
        for parent in root.iter():
            for child in parent:
                if child.tag == "img":
                    _image_to_link(child, inside_link=parent.tag == "a")


def _image_to_link(img: etree.Element, inside_link: bool) -> None:
    """Rewrite one image element in place."""
    src, alt = img.get("src", ""), img.get("alt", "")
    img.attrib.clear()
    img.text = alt or ("" if inside_link else src)
    # A span is not allowed, so bleach keeps only its text.
    img.tag = "span" if inside_link else "a"
    if not inside_link:
        img.set("href", src)
