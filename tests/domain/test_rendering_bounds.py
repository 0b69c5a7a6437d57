"""Markdown rendering is bounded: every pattern that was slow renders fast at the longest length
the product accepts, and ordinary text renders exactly as it did before the bounds."""

from __future__ import annotations

import re
import sys
import threading
import time
from contextlib import contextmanager

import pytest
from bleach.linkifier import build_url_re

from notes_app.domain import limits, rendering, rendering_bounds
from notes_app.domain.rendering import render_markdown, render_markdown_parts

# The longest Markdown one render takes: a comment, a meeting description or one item.
LONGEST = max(
    limits.COMMENT, limits.MEETING_DESCRIPTION, limits.ITEM_BODY, key=lambda x: x.characters
)
N = LONGEST.characters
# Generous, so a noisy machine does not fail it; the unbounded renders took many seconds.
SECONDS = 1.0


def _fit(unit: str, prefix: str = "", suffix: str = "") -> str:
    """Repeat `unit` to fill the longest accepted text, with a prefix and a suffix."""
    count = (N - len(prefix) - len(suffix)) // len(unit)
    return prefix + unit * count + suffix


# (pattern, text at the longest accepted length). The time before the bounds is what one render
# of the 10,000-character text took on the 2-core test machine (">4 s": stopped after 4 s).
PATHOLOGICAL = [
    # Link patterns scan from every "[" to the end of the paragraph: quadratic.
    ("unclosed [ run (before: >4 s; 12-21 s reported)", _fit("[")),
    ("unclosed ![ run (before: >4 s)", _fit("![")),
    ("unclosed [ between words (before: >4 s)", _fit("[a ")),
    ("brackets nested 5,000 deep (before: >4 s)", "[" * (N // 2) + "]" * (N // 2)),
    ("image brackets nested deep (before: >4 s)", "![" * (N // 4) + "]" * (N // 4)),
    ("nested link label (before: 2.4 s)", "[" * (N // 2 - 5) + "a" + "]" * (N // 2 - 5) + "(b)"),
    ("empty links with unclosed targets [](( (before: 1.9 s)", _fit("[](")),
    ("link with unclosed ( run in its target (before: 1.6 s)", _fit("(", prefix="[a](b")),
    ("orphaned [ after link targets that took its ] (before: 1.0 s)", _fit("[ [a](b]c) ")),
    # bleach's link finder backtracks on these runs.
    ("run of ( in text: bleach linkify (before: 1.5 s)", _fit("(", prefix="[a](", suffix=")")),
    ("plain run of ( (before: ~1.2 s per 4,000)", _fit("(")),
    ("a-a-a- run: bleach linkify (before: ~0.6 s per 8,000)", _fit("a-")),
    # Nesting on one line recurses once per level: RecursionError, a 500.
    ("- - - - list nesting on one line (before: RecursionError)", _fit("- ", suffix="a")),
    ("+ + + list nesting on one line (before: RecursionError)", _fit("+ ", suffix="a")),
    ("1. 1. 1. list nesting on one line (before: RecursionError)", _fit("1. ", suffix="a")),
    ("> - > - quote and list nesting (before: RecursionError)", _fit("> - ", suffix="a")),
    ("deep blockquote >>>> (before: 0.33 s)", _fit(">")),
    ("deep blockquote > > > (before: 0.32 s)", _fit("> ", suffix="a")),
    ("indented list nesting, 4 spaces a level", "".join("    " * i + "- a\n" for i in range(70))),
    # One block that splits off a line at a time is rescanned after each split: quadratic.
    ("setext headings in one block a/= (before: 1.1 s; >4 s at 20,000)", _fit("a\n=\n")),
    ("setext headings in one block a/- ", _fit("a\n-\n")),
    ("ATX headings in one block", _fit("# a\n")),
    ("tall table (before: 0.5 s; 1.1 s at 20,000)", _fit("|a|b|\n", prefix="|a|b|\n|-|-|\n")),
    # Linear, measured so a change that makes them worse is seen.
    ("wide table", "|" + "a|" * (N // 4 - 1) + "\n|" + "-|" * (N // 4 - 1) + "\n"),
    ("run of *", _fit("*")),
    ("*a emphasis openers", _fit("*a ")),
    ("**a strong openers", _fit("**a")),
    ("*_ mixed emphasis markers", _fit("*_")),
    ("nested emphasis *** a ***", "*" * (N // 2 - 1) + "a" + "*" * (N // 2 - 1)),
    ("run of _", _fit("_")),
    ("run of backticks", _fit("`")),
    ("unclosed code spans `a", _fit("`a ")),
    ("code spans of many lengths", "".join("`" * (i % 50 + 1) + "a" for i in range(N // 26))),
    ("run of <", _fit("<")),
    ("<a tag openers", _fit("<a ")),
    ("<http:// autolink openers", _fit("<http://")),
    ("<!-- unclosed comments", _fit("<!--")),
    ("run of &", _fit("&")),
    ("many reference definitions", "".join(f"[r{i}]: http://e.org/{i}\n" for i in range(N // 25))),
    ("many reference uses", _fit("[x] ", prefix="[x]: http://e\n\n")),
    ("many links", _fit("[a](b) ")),
    ("unclosed code fence", _fit("a\n", prefix="```\n")),
    ("many code fences", _fit("```\n```\n")),
    ("hard line breaks", _fit("a  \n")),
    ("run of \\", _fit("\\")),
    ("[\\ pairs", _fit("[\\")),
    ("unclosed link title quotes", _fit('"', prefix='[a](b "')),
]


@contextmanager
def untraced():
    """Time the product, not the coverage tracer (which makes pure Python 2-3 times slower)."""
    tracer = sys.gettrace()
    sys.settrace(None)
    try:
        yield
    finally:
        sys.settrace(tracer)


@pytest.mark.parametrize(("pattern", "text"), PATHOLOGICAL, ids=[p for p, _ in PATHOLOGICAL])
def test_each_pathological_pattern_renders_fast_at_the_longest_length(pattern, text):
    assert len(text) <= N
    # CPU time of this thread: what the render costs, whatever else the machine is running.
    with untraced():
        started = time.thread_time()
        render_markdown(text)
        elapsed = time.thread_time() - started
    assert elapsed < SECONDS, f"{pattern}: {elapsed:.2f} s"


@pytest.mark.parametrize(
    ("pattern", "text"), PATHOLOGICAL[:12], ids=[p for p, _ in PATHOLOGICAL[:12]]
)
def test_pathological_items_render_fast_in_the_notes_too(pattern, text):
    """The notes render all items in one pass: the guard works there as well."""
    with untraced():
        started = time.thread_time()
        parts = render_markdown_parts(["An ordinary note.", text, "Another note."])
        elapsed = time.thread_time() - started
    assert elapsed < SECONDS
    assert parts[0] == "<p>An ordinary note.</p>" and parts[2] == "<p>Another note.</p>"


def test_an_unclosed_bracket_still_shows_as_a_bracket():
    assert render_markdown("[[[ not a link") == "<p>[[[ not a link</p>"
    assert render_markdown("`[[[` and [[[") == "<p><code>[[[</code> and [[[</p>"


def test_list_nesting_on_one_line_is_capped_and_the_rest_is_text():
    html = render_markdown("- " * 1000 + "a")
    assert html.count("<ul>") == rendering_bounds.MAX_NESTING_DEPTH
    assert "- - -" in html and "\\" not in html


def test_brackets_too_deep_are_plain_text_inside_a_link():
    text = "[" * 20 + "a" + "]" * 20 + "(https://example.org)"
    html = render_markdown(text)
    assert "[" * 10 in html and "\\" not in html


# Ordinary text, with every construct the guards touch in the ways people write them.
ORDINARY = [
    "See [the report](https://example.org/report) and [its annex][annex].\n\n"
    "[annex]: https://example.org/annex",
    "A [link with [nested] brackets](https://example.org/a_(b)) and ![an image](pic.png).",
    '[a link](https://example.org "with a title (and a lone paren")',
    "[a](b) [c](d) [e](f) [g](h) [i](j) [k](l) [m](n) [o](p) [q](r) [s](t)",
    "A [bracket] or two [x], a lone ] and a lone [ here, and ![ too.",
    "Brackets [in [three [levels]]] and (parens (in (three)))",
    "- one\n- two\n    - nested\n        - deeper\n            - deepest\n- three",
    "1. one\n2. two\n    1. nested\n\n- - -\n\n> quote\n> > nested quote\n> > > and again",
    "> - a list in a quote\n> - second\n>\n> 1. and numbers",
    "Title\n=====\n\nSub\n---\n\n# ATX\n\n## Two\n\ntext",
    "| a | b |\n|:--|--:|\n| 1 | 2 |\n| [x](y) | `[` |",
    "Visit example.org, (www.example.com) or https://a.example.net/path_(x) today.",
    "A well-known-site.org and e-mail@example.org, see-also.example.co.uk.",
    "```\n[[[ code ]]] - - - - - - - - - - - - - - a\n```\n\n    indented [code",
    "*em* **strong** _under_ __double__ `code` <b>raw</b> &amp; &copy; <!--more-->",
    "- [ ] task\n- [x] done\n- see [the notes](n.md)\n",
]


def _unbounded(text: str, monkeypatch) -> str:
    """Render as before the bounds: the same renderer without them."""
    with monkeypatch.context() as patch:
        patch.setattr(rendering_bounds.BoundsExtension, "extendMarkdown", lambda self, md: None)
        patch.setattr(rendering_bounds, "url_re", lambda: build_url_re(protocols=("http", "https")))
        return rendering._tidy(rendering._Renderer().convert(text))


@pytest.mark.parametrize("text", ORDINARY)
def test_ordinary_text_renders_exactly_as_without_the_bounds(text, monkeypatch):
    assert render_markdown(text) == _unbounded(text, monkeypatch)


def test_the_comparison_can_tell_the_bounds_apart(monkeypatch):
    """The unbounded renderer really is the old one: it nests every level."""
    text = "- " * 20 + "a"
    assert _unbounded(text, monkeypatch).count("<ul>") == 20
    assert render_markdown(text).count("<ul>") == rendering_bounds.MAX_NESTING_DEPTH


def test_bounds_hold_in_every_thread():
    results: list[bool] = []

    def render() -> None:
        started = time.perf_counter()
        render_markdown("[" * N)
        results.append(time.perf_counter() - started < SECONDS * 2)

    threads = [threading.Thread(target=render) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert results == [True, True]


def test_no_guard_element_reaches_the_html():
    html = render_markdown("[[" + "[a](b]c) " * 50 + "*x* [y](z)")
    assert not re.search(r"notes-bounded", html)
    assert '<a href="z" rel="nofollow noopener noreferrer">y</a>' in html
