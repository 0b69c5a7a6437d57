"""Keep Markdown rendering fast on any input: neutralise the patterns Python-Markdown is slow on.

Python-Markdown and bleach are fast on ordinary text but some inputs cost them time that grows
with the square of the length (or recursion that overflows the stack). Each pattern below was
found by measurement on a 10,000-character comment (see tests/domain/test_rendering_bounds.py);
each is neutralised in a way that leaves ordinary text rendered exactly as before:

- A ``[`` that is never closed makes every link pattern scan to the end of the paragraph, and
  brackets nested hundreds deep make each one scan its whole span. Such brackets can never
  start a link, or only absurd ones, so they are escaped as if written ``\\[``.
- A ``(`` after ``](`` that is never closed makes the link pattern scan to the end; when there
  are many of them they are escaped too (a few cost little, and a link title may hold one).
- Lists and quotes nested on one line (``- - - - a``, ``> > > a``) recurse once per level and
  overflow the stack: markers beyond a depth no one writes are escaped.
- A block with thousands of lines that each split off (``a\\n=\\n`` headings, tables) is
  re-scanned after each split: a blank line is put in after a few hundred lines.
- bleach's link finder backtracks over runs of ``(`` and of ``a-a-a-``: it only starts at the
  beginning of such a run, which finds the same links.

The escapes are the ones Python-Markdown makes itself for a backslash (STX, code point, ETX),
so they come out as the plain character and never show a backslash.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as etree

import markdown
from bleach.linkifier import build_url_re
from markdown.extensions import Extension
from markdown.inlinepatterns import InlineProcessor
from markdown.preprocessors import Preprocessor
from markdown.treeprocessors import Treeprocessor
from markdown.util import ETX, STX

# Deeper than anyone writes by hand; low enough that no recursion or rescan costs much.
MAX_BRACKET_DEPTH = 6
MAX_NESTING_DEPTH = 12
MAX_BLOCK_LINES = 400
# Unclosed link targets: this many cost little, and a link title may hold a lone "(".
MAX_UNCLOSED_TARGETS = 8

_GUARD_TAG = "notes-bounded"
_CONTAINER_MARKER = re.compile(r"[ \t]*(?:>|[-*+](?=[ \t])|\d{1,9}[.)](?=[ \t]))")
_LINK_PUNCTUATION = re.compile(r"[\[\]()]")
_MARKER_CHAR = re.compile(r"([>*+-]|(?<=\d)[.)])")


def url_re() -> re.Pattern[str]:
    """Return bleach's pattern for bare links, made to start only where a run of them starts."""
    pattern = build_url_re(protocols=("http", "https"))
    return re.compile(r"(?<![(\w-])" + pattern.pattern, pattern.flags)


def _escaped(char: str) -> str:
    return f"{STX}{ord(char)}{ETX}"


def neutralise_link_punctuation(text: str) -> str:
    """Escape the brackets and parentheses that only make the link patterns slow."""
    if "[" not in text:
        return text
    escape: set[int] = set()
    brackets: list[int] = []
    pairs: list[tuple[int, int]] = []
    parens: list[int] = []
    targets: list[int] = []
    for match in _LINK_PUNCTUATION.finditer(text):
        char, position = match[0], match.start()
        if char == "[":
            brackets.append(position)
        elif char == "]" and brackets:
            start = brackets.pop()
            if len(brackets) >= MAX_BRACKET_DEPTH:
                pairs.append((start, position))
        elif char == "(":
            parens.append(position)
            if position and text[position - 1] == "]":
                targets.append(position)
        elif char == ")" and parens:
            parens.pop()
    escape.update(brackets)
    for start, stop in pairs:
        escape.update((start, stop))
    unclosed = set(parens).intersection(targets)
    if len(unclosed) > MAX_UNCLOSED_TARGETS:
        escape.update(unclosed)
    if not escape:
        return text
    pieces, last = [], 0
    for position in sorted(escape):
        pieces += [text[last:position], _escaped(text[position])]
        last = position + 1
    pieces.append(text[last:])
    return "".join(pieces)


def cap_nesting(lines: list[str]) -> list[str]:
    """Escape container markers beyond the nesting depth, and break very long blocks."""
    capped: list[str] = []
    run = 0
    for line in lines:
        if not line.strip():
            run = 0
        elif run >= MAX_BLOCK_LINES:
            capped.append("")
            run = 0
        run += 1
        capped.append(_cap_line(line))
    return capped


def _cap_line(line: str) -> str:
    position, depth = 0, 0
    while match := _CONTAINER_MARKER.match(line, position):
        depth += 1
        if depth > MAX_NESTING_DEPTH:
            marker_end = match.end()
            return line[:position] + _escape_markers(line[position:marker_end]) + line[marker_end:]
        position = match.end()
    return line


def _escape_markers(marker: str) -> str:
    # One escaped marker is enough: what follows it is no longer at the start of a block.
    return _MARKER_CHAR.sub(r"\\\1", marker, count=1)


class _NestingPreprocessor(Preprocessor):
    def run(self, lines: list[str]) -> list[str]:
        return cap_nesting(lines)


class _LinkGuard(InlineProcessor):
    """Escape the link punctuation of one run of text before the link patterns see it.

    It matches the whole text; when something needs escaping the text is put, escaped, into a
    wrapper element whose content the later patterns still process, and which
    `_UnwrapGuard` removes again.
    """

    def handleMatch(  # type: ignore[override]
        self, m: re.Match[str], data: str
    ) -> tuple[etree.Element | None, int | None, int | None]:
        text = m[0]
        guarded = neutralise_link_punctuation(text)
        if guarded == text:
            return None, None, None
        wrapper = etree.Element(_GUARD_TAG)
        wrapper.text = guarded
        return wrapper, m.start(0), m.end(0)


class _UnwrapGuard(Treeprocessor):
    """Replace each wrapper element by its content."""

    def run(self, root: etree.Element) -> None:
        # Innermost first: a wrapper may hold another.
        for parent in reversed(list(root.iter())):
            for wrapper in [child for child in parent if child.tag == _GUARD_TAG]:
                _unwrap(parent, wrapper)


def _unwrap(parent: etree.Element, wrapper: etree.Element) -> None:
    index = list(parent).index(wrapper)
    children = list(wrapper)
    text, tail = wrapper.text or "", wrapper.tail or ""
    if index:
        previous = parent[index - 1]
        previous.tail = (previous.tail or "") + text
    else:
        parent.text = (parent.text or "") + text
    parent.remove(wrapper)
    for offset, child in enumerate(children):
        parent.insert(index + offset, child)
    if children:
        last = children[-1]
        last.tail = (last.tail or "") + tail
    elif index:
        previous = parent[index - 1]
        previous.tail = (previous.tail or "") + tail
    else:
        parent.text = (parent.text or "") + tail


class BoundsExtension(Extension):
    """Register the guards: nesting before the blocks, links before the link patterns."""

    def extendMarkdown(self, md: markdown.Markdown) -> None:
        # After fenced code is set aside (25), so code blocks are never touched.
        md.preprocessors.register(_NestingPreprocessor(md), "bounded_nesting", 21)
        # After code spans (190) and backslash escapes (180), before the link patterns (170);
        # again after links (160) and images (150), whose targets may have taken a "]" that
        # closed an earlier "[".
        for priority in (178, 155, 145):
            md.inlinePatterns.register(
                _LinkGuard(r"(?s)\A.+", md), f"bounded_links_{priority}", priority
            )
        # After the inline patterns (20), before images become links (15).
        md.treeprocessors.register(_UnwrapGuard(md), "bounded_unwrap", 19)
