"""Raw HTML in notes Markdown: removed from the source, so that every surface shows the same text.

The published HTML never passes raw HTML through (`rendering` escapes tags and drops comments),
but the redacted Markdown is also circulated as it is: the Markdown export and the plain-text
email. Any other Markdown renderer would hide an HTML comment (a facilitator-only note) or join
`Qzx<b>ample</b>` back into a name. So raw HTML is removed from the Markdown *before* terms are
scrubbed and before anything is rendered: then the scrubber sees `Qzxample`, and the HTML and the
Markdown show the same words.

Removed, outside code: HTML comments (an unclosed `<!--` runs to the end of the text), opening
and closing tags, processing instructions, declarations and CDATA sections. Kept: code spans
and fenced code blocks (where `<b>` is literal text in every renderer), backslash-escaped `\\<`,
autolinks (`<https://...>`, `<name@example.org>`), angle-bracketed link targets, and a `<` that
does not start markup ("a < b").
"""

from __future__ import annotations

import re

# Opening and closing tags as CommonMark reads them (attribute values may be quoted).
_ATTRIBUTE = r"""(?:\s+[^\s"'=<>`/]+(?:\s*=\s*(?:[^\s"'=<>`]+|'[^']*'|"[^"]*"))?)"""
_OPEN_TAG = rf"<[A-Za-z][A-Za-z0-9-]*{_ATTRIBUTE}*\s*/?>"
_CLOSE_TAG = r"</[A-Za-z][A-Za-z0-9-]*\s*>"
_PROCESSING = r"<\?.*?\?>"
_CDATA = r"<!\[CDATA\[.*?\]\]>"
_DECLARATION = r"<![A-Za-z][^>]*>"
MARKUP = re.compile("|".join((_OPEN_TAG, _CLOSE_TAG, _PROCESSING, _CDATA, _DECLARATION)), re.S)
_COMMENT_OPEN = "<!--"
_COMMENT_CLOSE = "-->"
_FENCE = re.compile(r"^[ \t]*(`{3,}|~{3,})")
_ESCAPABLE = frozenset("!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~")


def strip_raw_html(text: str) -> str:
    """Remove raw HTML (comments, tags and the like) from Markdown, leaving code as it is."""
    if "<" not in text:
        return text
    pieces, prose = [], []
    lines = text.splitlines(keepends=True)
    i = 0
    while i < len(lines):
        fence = _FENCE.match(lines[i])
        close = _closing_fence(lines, i, fence.group(1)) if fence else None
        if close is None:
            prose.append(lines[i])
            i += 1
            continue
        stripped, unclosed = _strip_prose("".join(prose))
        pieces.append(stripped)
        if unclosed:
            return "".join(pieces)  # an unclosed comment runs to the end, over code too
        prose = []
        pieces.append("".join(lines[i : close + 1]))
        i = close + 1
    pieces.append(_strip_prose("".join(prose))[0])
    return "".join(pieces)


def _closing_fence(lines: list[str], start: int, fence: str) -> int | None:
    """Return the line that closes a fenced block, or None when it never closes.

    An unclosed fence is prose here, as Python-Markdown reads it, so its markup is removed.
    """
    closing = re.compile(rf"^[ \t]*{re.escape(fence[0])}{{{len(fence)},}}[ \t]*$")
    for j in range(start + 1, len(lines)):
        if closing.match(lines[j].rstrip("\r\n")):
            return j
    return None


def _strip_prose(text: str) -> tuple[str, bool]:
    """Remove markup from text outside fenced code, keeping code spans and escapes.

    Also tells whether an HTML comment was left open (it then runs to the end of the text).
    """
    if "<" not in text:
        return text, False
    out: list[str] = []
    i, n = 0, len(text)
    while i < n:
        char = text[i]
        if char == "\\" and i + 1 < n and text[i + 1] in _ESCAPABLE:
            out.append(text[i : i + 2])
            i += 2
        elif char == "`":
            end = _code_span_end(text, i)
            out.append(text[i:end])
            i = end
        elif text.startswith(_COMMENT_OPEN, i):
            close = text.find(_COMMENT_CLOSE, i + len(_COMMENT_OPEN))
            if close < 0:
                return "".join(out), True
            i = close + len(_COMMENT_CLOSE)
        elif char == "<" and not text.endswith("](", 0, i) and (found := MARKUP.match(text, i)):
            i = found.end()
        else:
            out.append(char)
            i += 1
    return "".join(out), False


def _code_span_end(text: str, start: int) -> int:
    """Return where the code span opening at `start` ends, or the end of a lone backtick run."""
    run = start
    while run < len(text) and text[run] == "`":
        run += 1
    size = run - start
    search = run
    while (found := text.find("`" * size, search)) >= 0:
        after = found + size
        if (after >= len(text) or text[after] != "`") and text[found - 1] != "`":
            return after
        while after < len(text) and text[after] == "`":
            after += 1
        search = after
    return run  # no closing run: the backticks are literal
