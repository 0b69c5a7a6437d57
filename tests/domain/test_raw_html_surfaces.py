"""Raw HTML never reaches a text surface: the Markdown export and the plain-text email show what
the published HTML shows (DESIGN.md, "Protection: what members see", rule 5)."""

from __future__ import annotations

import html
import re
import unicodedata

import pytest

from notes_app.domain.notes import Draft, Item, ItemKind, Speaker
from notes_app.domain.raw_html import strip_raw_html
from notes_app.domain.redaction import redact
from notes_app.domain.rendering import render_markdown

QZX = Speaker("qv", "Qzxample Vorn", organisation="Brindlecombe Trust")
CANARY_NOTE = "Qzxhtmlcomment"


def flat(text: str) -> str:
    """Fold hard, independently of the code under test: decode, drop accents and separators."""
    text = unicodedata.normalize("NFKD", html.unescape(text))
    text = "".join(c for c in text if not unicodedata.combining(c))
    return re.sub(r"[\W_]+", "", text.casefold())


def rendered_elsewhere(markdown: str) -> str:
    """What another Markdown renderer shows: raw HTML passed through, tags and comments unseen."""
    text = re.sub(r"<!--.*?(?:-->|\Z)", "", markdown, flags=re.S)
    return re.sub(r"<[^>]*>", "", text)


def note(body: str, item_id: str = "n1") -> Item:
    return Item(ItemKind.NOTE, body, id=item_id)


def published_of(*items: Item):
    return redact(Draft((QZX,), ("Project Nightjar",), tuple(items)), {})


CORPUS = [
    pytest.param("<!-- Qzxhtmlcomment facilitator-only note -->", CANARY_NOTE, id="html-comment"),
    pytest.param("Ahead. <!-- Qzxhtmlcomment facilitator-only", CANARY_NOTE, id="unclosed-comment"),
    pytest.param(
        "Ahead.\n\n<!--\nQzxhtmlcomment\nfacilitator-only\n-->", CANARY_NOTE, id="multiline"
    ),
    pytest.param("- one\n- two <!-- Qzxhtmlcomment --> three", CANARY_NOTE, id="comment-in-item"),
    pytest.param("We heard from Qzx<b>ample</b> today.", "Qzxample", id="tag-split-name"),
    pytest.param("We heard from Qz<span>xam</span>ple today.", "Qzxample", id="span-split-name"),
    pytest.param('Ask <a href="https://x.example/">Qzxample</a>.', "Qzxample", id="raw-anchor"),
    pytest.param("We heard from Qzx<!-- -->ample today.", "Qzxample", id="comment-split-name"),
    pytest.param("We heard from <i>Qzx</i>&#97;mple today.", "Qzxample", id="entity-split-tags"),
    pytest.param("We heard from Qzx<br/>am&#x70;le today.", "Qzxample", id="entity-and-br"),
    pytest.param(
        "From <em\nclass='x'>Brindle</em>combe Trust.", "Brindlecombe Trust", id="multiline-tag"
    ),
    pytest.param("<?php Qzxhtmlcomment ?> and <![CDATA[Qzxhtmlcomment]]>", CANARY_NOTE, id="pi"),
    pytest.param("Nightjar<!-- x -->: Project<b></b> Nightjar", "Project Nightjar", id="term"),
]


@pytest.mark.parametrize(("body", "canary"), CORPUS)
def test_raw_html_hides_nothing_from_any_surface(body, canary):
    published, report = published_of(note("Public first line."), note(body, "n2"))
    if not report.ok:
        return  # refused: nothing is published
    needle = flat(canary)
    for surface in (
        published.html,
        html.unescape(re.sub(r"<[^>]*>", "", published.html)),
        published.markdown,
        rendered_elsewhere(published.markdown),
    ):
        assert needle not in flat(surface)
    assert "<!--" not in published.markdown
    assert not re.search(r"</?[A-Za-z][^>]*>", published.markdown)


@pytest.mark.parametrize(("body", "canary"), CORPUS)
def test_html_and_markdown_show_the_same_words(body, canary):
    published, _ = published_of(note(body))
    shown_by_html = html.unescape(re.sub(r"<[^>]*>", "", published.html))
    shown_by_markdown = html.unescape(re.sub(r"<[^>]*>", "", render_markdown(published.markdown)))
    assert flat(shown_by_markdown) == flat(shown_by_html)
    assert flat(rendered_elsewhere(published.markdown)) == flat(shown_by_html)


def test_removing_raw_html_is_reported_without_quoting_it():
    _, report = published_of(note("Fine. <!-- Qzxhtmlcomment -->"))
    assert report.ok
    assert any(change.rule == "4 raw html" for change in report.changes)
    assert CANARY_NOTE not in repr(report)


def test_the_final_check_reads_the_markdown_itself(monkeypatch):
    from notes_app.domain.redaction import assemble as redaction
    from notes_app.domain.redaction import final_check

    monkeypatch.setattr(redaction, "strip_raw_html", lambda text: text)  # a broken version
    # The page shows the tags as text (`&lt;b&gt;`), and so would this view without decoding:
    # only the Markdown views are left to see the name join.
    monkeypatch.setattr(final_check, "_decoded_text_view", final_check._text_view)
    published, report = published_of(note("We heard from Qzx<b>ample</b> today."))
    assert "Qzx<b>ample</b>" in published.markdown  # the mistake happened...
    assert not report.ok  # ...and publication is refused, naming the Markdown
    assert {leak.view for leak in report.leaks} <= {"markdown", "markdown-text"}
    assert any(leak.view.startswith("markdown") for leak in report.leaks)


def test_the_final_check_reads_the_text_with_entities_decoded_first(monkeypatch):
    from notes_app.domain.redaction import assemble as redaction

    monkeypatch.setattr(redaction, "strip_raw_html", lambda text: text)
    _, report = published_of(note("We heard from Qzx<b>ample</b> today."))
    assert "text-decoded-first" in {leak.view for leak in report.leaks}
    assert "Qzxample" not in repr(report)


def test_a_comment_kept_in_the_markdown_is_refused(monkeypatch):
    from notes_app.domain.redaction import assemble as redaction

    monkeypatch.setattr(redaction, "strip_raw_html", lambda text: text)
    published, report = published_of(note("Fine. Qzx<!-- -->ample said so."))
    assert "<!--" in published.markdown
    assert not report.ok
    assert "Qzxample" not in repr(report)


# --- precision: ordinary Markdown is untouched -----------------------------------------------

ORDINARY = [
    "Plain text with *emphasis*, **strong** and `code`.",
    "- one\n- two\n- three",
    "1. first\n2. second",
    "A [link](https://example.org/path?a=1&b=2) and <https://example.org/auto>.",
    "An email autolink <someone@example.org> is removed as a contact, not as HTML.",
    "If a < b and c > d then a<b.",
    "Use `<b>` for bold and `<!-- -->` for comments.",
    "```html\n<b>bold</b> <!-- kept -->\n```",
    "~~~\n<span>literal</span>\n~~~",
    "Escaped \\<b> stays literal.",
    "| a | b |\n|---|:-:|\n| 1 | 2 |",
    "> A quote\n> over two lines",
]


@pytest.mark.parametrize("body", ORDINARY)
def test_ordinary_markdown_is_not_touched(body):
    assert strip_raw_html(body) == body


@pytest.mark.parametrize("body", [b for b in ORDINARY if "@" not in b])
def test_ordinary_markdown_exports_as_written(body):
    published, report = published_of(note(body))
    assert report.ok
    assert published.markdown == body + "\n"
    assert not any(change.rule == "4 raw html" for change in report.changes)


def test_code_keeps_tags_literally_in_both_views():
    published, report = published_of(note("Write `<b>x</b>` here.\n\n```\n<i>y</i>\n```"))
    assert report.ok
    assert "`<b>x</b>`" in published.markdown
    assert "<i>y</i>" in published.markdown
    assert "<code>&lt;b&gt;x&lt;/b&gt;</code>" in published.html
    assert "&lt;i&gt;y&lt;/i&gt;" in published.html


def test_an_unclosed_fence_is_prose_so_its_markup_goes():
    assert strip_raw_html("```\nA <!-- secret --> b") == "```\nA  b"


def test_an_unclosed_comment_runs_over_later_code():
    assert strip_raw_html("A <!-- hidden\n```\n<b>x</b>\n```\nafter") == "A "
