"""What marks notes confidential: the one grammar of markers, spans, headings and informal hints.

The notes format, the redaction engine and the draft editor all read markers through this
module, so that a marker one of them sees is a marker for all of them.

**Markers.** ``[confidential]`` opens (or, at the start of a block, marks an item) and
``[/confidential]`` closes. A marker is recognised whatever its case (``[CONFIDENTIAL]``), its
spacing (``[ confidential ]``, ``[/ confidential]``, even ``[confi dential]``), invisible
characters inside it (zero-width space and joiners, soft hyphen, word joiner, byte order mark,
bidi controls, variation selectors, combining marks: ``[confi\\u200bdential]``) and
compatibility or look-alike forms of its letters and brackets (full-width letters, a Cyrillic
``с``), folded as `textmatch.fold_char` folds text. A marker that is missed is a leak; one
found where the writer meant none only hides text, which the facilitator sees in the preview.

**Spans.** `find_spans` pairs markers the one way every reader uses, failing closed: an unclosed
span runs to the end of the body, a stray closing marker makes everything before it
confidential, and markers nested inside a span are part of it. A marker at the start of a
nested bullet, a numbered item or a block-quote line marks that item, as one at the start of a
block marks the block's item (`marked_item`); anywhere else an opening marker opens a span.

**Confidential headings.** A section marked confidential excludes its whole section: the heading
and every item after it, up to (not including) the next section of the same or a higher level
(``##`` ends a ``## [confidential]`` section, so does ``#``; ``###`` does not), or the end of the
notes. What is a heading is what the renderer makes one: ``Title`` underlined with ``---`` is,
but a paragraph of two lines above ``---`` is a paragraph and a rule (Python-Markdown), so it does
not end the section. Blank lines, blocks and lists do not end it. A deeper heading inside it is
excluded with it, even when not marked itself. See `confidential_flags`. A footnote or link
reference definition that confidential text refers to is confidential too (`definition_flags`).

**Informal markers** ("(confidential)", "**Confidential:**", "off the record", "between us",
...) are not markers: `informal_markers` finds them so that redaction can warn, and the
facilitator decides.
"""

from __future__ import annotations

import difflib
import re
import unicodedata
from bisect import bisect_right
from collections.abc import Sequence
from dataclasses import dataclass, replace
from functools import lru_cache, partial

from notes_app.domain.notes import Draft, Item, ItemKind
from notes_app.domain.rendering import render_markdown
from notes_app.domain.textmatch import INVISIBLE, fold, fold_char, positions_of

OPENING_TEXT = "[confidential]"
CLOSING_TEXT = "[/confidential]"
_WORD = "confidential"

# Characters that change nothing visible: allowed anywhere inside a marker. Default-ignorable
# code points (textmatch's list, variation selectors, tags) and combining marks.
_IGNORABLE_RANGES = (
    "\u0300-\u036f\u180b-\u180f\u200b-\u200f\u202a-\u202e\u2060-\u206f"
    "\ufe00-\ufe0f\ufe20-\ufe2f\ufeff\U000e0000-\U000e0fff"
)
_IGNORABLE = f"[{re.escape(INVISIBLE)}{_IGNORABLE_RANGES}]"
_FILL = rf"(?:\s|{_IGNORABLE})*"
# Where compatibility and look-alike forms of the marker's characters are looked for: Latin,
# IPA, Greek, Cyrillic, letter-like and enclosed forms, small and full-width forms, and
# mathematical letters. Folding every code point would cost a quarter of a second at import.
_SCRIPT_BLOCKS = (
    (0x0000, 0x0530),
    (0x1D00, 0x1DBF),
    (0x1E00, 0x1FFF),
    (0x2100, 0x24FF),
    (0x2C60, 0x2C7F),
    (0xA720, 0xA7FF),
    (0xFE30, 0xFE6F),
    (0xFF00, 0xFFEF),
    (0x1D400, 0x1D7FF),
    (0x1F130, 0x1F189),
)


@lru_cache(maxsize=1)
def _forms() -> dict[str, str]:
    """Map each character of a marker to the characters that fold to it."""
    wanted = set(_WORD + "[]/")
    found: dict[str, set[str]] = {char: {char, char.upper()} for char in wanted}
    for first, last in _SCRIPT_BLOCKS:
        for code in range(first, last + 1):
            folded = fold_char(chr(code))
            if folded in wanted:
                found[folded].add(chr(code))
    return {char: "".join(sorted(forms)) for char, forms in found.items()}


def _char(char: str) -> str:
    return f"[{re.escape(_forms()[char])}]"


def _marker_pattern(closing: bool | None, capture: bool = False) -> str:
    """The pattern of an opening (False), closing (True) or either (None) marker."""
    slash = {False: "", True: _char("/"), None: f"{_char('/')}?"}[closing]
    slash = f"({slash})" if capture else slash
    letters = _FILL.join(_char(char) for char in _WORD)
    return rf"{_char('[')}{_FILL}{slash}{_FILL}{letters}{_FILL}{_char(']')}"


OPENING_PATTERN = _marker_pattern(False)
CLOSING_PATTERN = _marker_pattern(True)
# Group 1 is the slash: empty for an opening marker.
MARKER = re.compile(_marker_pattern(None, capture=True), re.IGNORECASE)
# What stands before a marker that marks a nested item: a line's indent and quote marks
# (`pre`), then a bullet or a number (`  - `, `1. `), or a block quote's `>` alone (`> `).
_ITEM_LEAD = r"(?P<pre>[ \t>]*?)(?:(?:[-*+]|\d{1,9}[.)])[ \t]+|(?<=>)[ \t]*)"
# The line that ends a marked nested item: an item at the same level or an outer one.
_NEXT_ITEM = r"\n(?!(?P=pre)[ \t])[ \t>]*(?:[-*+]|\d{1,9}[.)])(?:[ \t]|$)"
# A span read the simple way: from an opening marker to the next closing one or the end, or,
# from a marker that starts a nested item, to that item's end (`_ITEM_TEXT`, tried only where
# a marker follows nothing but a lead on its line). The redaction engine's final check uses
# `span_texts` as a second, independent reading of `find_spans`.
_SPAN_TEXT = re.compile(rf"{OPENING_PATTERN}(?P<text>.*?)(?:{CLOSING_PATTERN}|\Z)", re.I | re.S)
_ITEM_TEXT = re.compile(
    rf"{_ITEM_LEAD}{OPENING_PATTERN}(?P<text>.*?)(?:{CLOSING_PATTERN}|\Z|(?={_NEXT_ITEM}))",
    re.I | re.S | re.M,
)
# The characters a lead is made of: a quick test before `_LEAD` or `_ITEM_TEXT` is tried.
_LEAD_CHARS = " \t>-*+.)0123456789"
_LEAD = re.compile(_ITEM_LEAD)
# A span closed with no other marker inside: what stands out as a span in a whole notes file,
# where an opening marker alone marks an item.
CLOSED_SPAN = re.compile(
    rf"{OPENING_PATTERN}((?:(?!{_marker_pattern(None)}).)*?){CLOSING_PATTERN}", re.I | re.S
)


def may_hold_marker(text: str) -> bool:
    """The quick answer for most texts: an ASCII text without a "[" holds no marker, as the only
    ASCII character that reads as a bracket is the bracket itself."""
    return "[" in text or not text.isascii()


def markers_in(text: str) -> list[re.Match[str]]:
    """Every marker in a text."""
    return list(MARKER.finditer(text)) if may_hold_marker(text) else []


def is_closing(marker: re.Match[str]) -> bool:
    """Tell whether a match of `MARKER` is a closing marker."""
    return bool(marker[1])


def has_marker(text: str) -> bool:
    """Tell whether a text holds any confidential marker."""
    return may_hold_marker(text) and MARKER.search(text) is not None


# --- spans --------------------------------------------------------------------------------

Range = tuple[int, int]


@dataclass(frozen=True)
class Spans:
    """Where a body's confidential spans are.

    `public` are the pieces of the body outside every span, in order. Each of `spans` is the
    text of one span as ranges of the body (markers at its ends left out): one range, or for a
    stray closing marker, the public pieces before it. `unbalanced` says the markers did not
    pair up.
    """

    public: tuple[Range, ...]
    spans: tuple[tuple[Range, ...], ...]
    unbalanced: bool = False


def marked_item(text: str, marker: re.Match[str]) -> Range | None:
    """Where the nested item an opening marker marks starts (its line) and ends, or None.

    A marker at the start of a nested bullet, a numbered item or a block-quote line
    (``  - [confidential] ...``, ``1. [confidential] ...``, ``> [confidential] ...``) marks
    that item, as one at the start of a block marks the block's item, unless the next marker
    closes it (a span). The item runs to the next item at its level or an outer one (its own
    nested items and continuation lines are part of it), or to the end of the text.
    """
    if is_closing(marker):
        return None
    start = marker.start()
    line = text.rfind("\n", 0, start) + 1
    if line < start and (text[line] not in _LEAD_CHARS or text[line:start].strip(_LEAD_CHARS)):
        return None  # the quick answer for a marker inside a line
    lead = _LEAD.fullmatch(text, line, start)
    if lead is None:
        return None
    following = MARKER.search(text, marker.end())
    if following and is_closing(following):
        return None
    pre = re.escape(lead["pre"])
    ending = re.compile(_NEXT_ITEM.replace("(?P=pre)", pre), re.M).search(text, marker.end())
    return line, ending.start() if ending else len(text)


def span_texts(body: str) -> list[tuple[int, int, str]]:
    """Read the spans of a body the simple way: (start, end, text) of each, markers included
    in start and end but not in the text (see `_SPAN_TEXT`)."""
    found = []
    position = 0
    while (span := _SPAN_TEXT.search(body, position)) is not None:
        line = body.rfind("\n", 0, span.start()) + 1
        if not body[line : span.start()].strip(_LEAD_CHARS):
            span = _ITEM_TEXT.match(body, line) or span
        found.append((span.start(), span.end(), span["text"]))
        position = max(span.end(), span.start() + 1)
    return found


def without_spans(body: str) -> str:
    """The body with each span read the simple way (`span_texts`) put as a space."""
    pieces, position = [], 0
    for start, end, _ in span_texts(body):
        pieces += [body[position:start], " "]
        position = end
    return "".join([*pieces, body[position:]])


def find_spans(body: str) -> Spans:
    """Pair the markers of a body into spans, failing closed on broken markers; a marked
    nested item is a span from its marker to its end (`marked_item`)."""
    if not has_marker(body):
        return Spans(((0, len(body)),), ())
    kept: list[Range] = []
    spans: list[tuple[Range, ...]] = []
    depth, position, opened, unbalanced = 0, 0, 0, False
    for marker in MARKER.finditer(body):
        if marker.start() < position:
            continue  # inside a marked nested item
        item = marked_item(body, marker) if depth == 0 else None
        if item is not None:
            kept.append((position, item[0]))
            spans.append(((marker.end(), item[1]),))
            position = item[1]
        elif not is_closing(marker):
            if depth == 0:
                kept.append((position, marker.start()))
                opened = marker.end()
            depth += 1
        elif depth:
            depth -= 1
            if depth == 0:
                spans.append(((opened, marker.start()),))
                position = marker.end()
        else:
            spans.append((*kept, (position, marker.start())))
            kept, position, unbalanced = [], marker.end(), True
    if depth:
        spans.append(((opened, len(body)),))
        unbalanced = True
    else:
        kept.append((position, len(body)))
    return Spans(tuple(kept), tuple(spans), unbalanced)


# --- confidential headings ----------------------------------------------------------------


def section_level(item: Item) -> int:
    """The level a section is written at: 1 to 6."""
    return min(max(item.level, 1), 6)


# Whether a note or a statement is a heading is decided by the renderer itself, so that the two
# never disagree: Python-Markdown reads a setext heading only from a block whose *first* line is
# underlined at the margin ("Title\n---"); a longer paragraph above "---" is a paragraph and a
# rule, and an indented underline is text. It reads "#Title" (no space) as a heading too. Only a
# body with a line that could make a heading is rendered: one that starts with "#", "=" or "-".
_MAYBE_HEADING = re.compile(r"^[ \t]*(?:#|[=-]+[ \t]*$)", re.MULTILINE)
_HEADING_TAG = re.compile(r"<h([1-6])>")


@lru_cache(maxsize=4096)
def _rendered_headings(body: str) -> tuple[int | None, int | None]:
    """The level of the heading a body renders as when it starts with one, and the highest level
    (the smallest number) of any heading it renders, each None when there is none."""
    if not _MAYBE_HEADING.search(body):
        return None, None
    html = render_markdown(body)
    levels = [int(level) for level in _HEADING_TAG.findall(html)]
    first = _HEADING_TAG.match(html)
    return (int(first[1]) if first else None), (min(levels) if levels else None)


def heading_level(item: Item) -> int | None:
    """The level of a heading item (a section, or a note or statement that renders as a heading
    from its first line), or None: the level at which the item ends a confidential section.

    A bullet is rendered inside a list, so it never ends one.
    """
    if item.kind is ItemKind.SECTION:
        return section_level(item)
    if item.bullet:
        return None
    level = _rendered_headings(item.body)[0]
    if level is not None and item.kind is ItemKind.STATEMENT:
        # A credit is written before the statement: "**Label:** #Title" is a paragraph.
        level = _rendered_headings(f"**x:** {item.body}")[0]
    return level


def covered_level(item: Item) -> int | None:
    """The level of the section a confidential item covers, or None when it is no heading.

    Failing closed: a note or statement with a heading anywhere in it (after a rule, say), as the
    renderer reads it, covers the section of its highest heading.
    """
    if item.kind is ItemKind.SECTION:
        return section_level(item)
    return _rendered_headings(item.body)[1]


def confidential_flags(items: Sequence[Item]) -> list[bool]:
    """Tell, item by item, whether it is confidential: marked itself or under a marked heading.

    A confidential heading covers every item after it up to the next heading of the same or a
    higher level (a smaller or equal level number), as the renderer reads headings.
    """
    flags = []
    covering = 0  # the level of the confidential section we are in; 0 when none
    for item in items:
        if covering:
            level = heading_level(item)
            if level is not None and level <= covering:
                covering = 0
        if item.confidential and not covering:
            covering = covered_level(item) or 0
        flags.append(item.confidential or bool(covering))
    return flags


# A footnote (``[^1]: ...``) or link reference definition (``[ref]: https://... "title"``) is an
# item of its own, but what it says belongs to the text that refers to it. Labels are read as
# Markdown reads them: any case, any run of spaces. Any bracketed text counts as a reference
# (``[^1]``, ``[text][ref]``, ``[ref][]``, ``[ref]``): when in doubt, exclude. A definition is
# read however it is written, as a writer means it even where Markdown would not: indented,
# inside block quotes or bullets (``> - [^1]: ...``), with a space before the colon
# (``[^1] : ...``), or with brackets in its label (``[^[1]]: ...``).
_LABEL = r"((?:[^\[\]\n]|\[[^\[\]\n]*\])+)"
_DEFINITION = re.compile(
    rf"^[ \t]*(?:(?:>|[-*+]|\d{{1,9}}[.)])[ \t]*)*\[{_LABEL}\][ \t]*:", re.MULTILINE
)
_REFERENCE = re.compile(r"\[([^\[\]\n]+)\]")
_NESTED_REFERENCE = re.compile(rf"\[{_LABEL}\]")


def _label(text: str) -> str:
    return " ".join(text.split()).casefold()


def _references(text: str) -> set[str]:
    """The labels a text refers to, its own definitions' labels left out."""
    text = MARKER.sub(" ", _DEFINITION.sub(" ", text))
    # ``[^[1]]`` refers to ``^[1]`` (as its definition names it) and to ``1``.
    found = _REFERENCE.findall(text) + _NESTED_REFERENCE.findall(text)
    return {_label(label) for label in found}


def definitions(item: Item) -> set[str]:
    """The labels of the footnote and link reference definitions an item holds."""
    if item.kind is ItemKind.SECTION:
        return set()
    return {_label(label) for label in _DEFINITION.findall(item.body)}


def _referenced(items: Sequence[Item], flags: Sequence[bool]) -> tuple[set[str], set[str]]:
    """The labels confidential text refers to (items and spans), and those published text does."""
    secret: set[str] = set()
    public: set[str] = set()
    for item, flag in zip(items, flags, strict=True):
        if "[" not in item.body:
            continue
        if flag:
            secret |= _references(item.body)
            continue
        found = find_spans(item.body)
        for span in found.spans:
            secret |= _references(" ".join(item.body[start:end] for start, end in span))
        public |= _references(" ".join(item.body[start:end] for start, end in found.public))
    return secret, public


def definition_flags(items: Sequence[Item], flags: Sequence[bool]) -> list[bool]:
    """Add to confidential flags every item that defines a label confidential text refers to."""
    held = [definitions(item) for item in items]
    if not any(held):
        return list(flags)
    secret, _ = _referenced(items, flags)
    return [flag or bool(labels & secret) for flag, labels in zip(flags, held, strict=True)]


def shared_definitions(draft: Draft) -> list[str]:
    """The ids of confidential items defining a label that published text refers to as well.

    Such a definition is excluded (`under_confidential_headings`); the published reference to
    it is left without its target, which the facilitator should see.
    """
    items = draft.items
    flags = [item.confidential for item in items]
    held = [definitions(item) if flag else set() for item, flag in zip(items, flags, strict=True)]
    if not any(held):
        return []
    _, public = _referenced(items, flags)
    return [item.id for item, labels in zip(items, held, strict=True) if labels & public]


def under_confidential_headings(draft: Draft) -> Draft:
    """Return the draft with every item under a confidential heading marked confidential, and
    every footnote or reference definition that confidential text refers to."""
    flags = definition_flags(draft.items, confidential_flags(draft.items))
    if all(item.confidential == flag for item, flag in zip(draft.items, flags, strict=True)):
        return draft
    items = tuple(
        item if item.confidential == flag else replace(item, confidential=flag)
        for item, flag in zip(draft.items, flags, strict=True)
    )
    return replace(draft, items=items)


# --- informal markers ---------------------------------------------------------------------

# Each is matched on folded text (see `_plain`): lower case, no accents or invisible characters,
# no emphasis marks, straight apostrophes, single spaces.
INFORMAL_MARKERS: tuple[tuple[str, re.Pattern[str]], ...] = tuple(
    (name, re.compile(pattern))
    for name, pattern in (
        # In any bracket: (confidential), 【confidential】, «confidential», [conf].
        (
            "(confidential)",
            r"[(\u3010\u3014\u3008\u00ab\u2039]\s?(?:strictly\s)?confidential\s?"
            r"[)\u3011\u3015\u3009\u00bb\u203a]"
            r"|[\[({\u3010] ?conf\.? ?[\])}\u3011]",
        ),
        ("Confidential:", r"\bconfidential\s?(?::|[\u2013\u2014]|-(?!\w))"),
        ("strictly confidential", r"\bstrictly confidential\b"),
        ("in confidence", r"\bin (?:strict |strictest )?confidence\b"),
        ("off the record", r"\boff[\s-]the[\s-]record\b"),
        ("not for the notes", r"\bnot for (?:the )?(?:notes|minutes|record)\b"),
        (
            "not for circulation",
            r"\bnot (?:for|to be) (?:circulat|shar|publi[cs]|distribut|repeat|quot)\w*",
        ),
        ("between us", r"\bbetween (?:us|ourselves|you and me)\b"),
        ("don't minute this", r"\b(?:don'?t|do not) (?:minute|record)\b"),
        ("not to be minuted", r"\bnot (?:to be )?minuted\b"),
        # A heading or a lead that is the word alone: "## Confidential", "CONFIDENTIAL ITEMS",
        # "Confidential. The grant..." ("confidential data" is prose).
        (
            "Confidential (heading)",
            r"^[^\w\x00]*confidential(?: (?:items?|sessions?|discussions?|business|matters?"
            r"|sections?|notes?|part|annex|briefing|remarks))?[^\w\x00]*$",
        ),
        ("Confidential.", r"(?:^|[.!?:] ?)[^\w\x00]*confidential ?[.!](?!\w)"),
        ("confidential session", r"\bconfidential (?:session|part|item)s?\b"),
        ("private session", r"\bprivate (?:session|discussion|meeting)s?\b"),
        ("Private:", r"(?:^|[.!?] ?)[^\w\x00]*(?:strictly )?private ?(?::|[\u2013\u2014])"),
        ("[private]", r"[\[({] ?(?:private|in camera) ?[\])}]|^[^\w\x00]*private[^\w\x00]*$"),
        ("in camera", r"\bin camera\b"),
        ("embargoed", r"\bembargoed\b|\bunder (?:an |the )?embargo\b"),
        (
            "do not publish",
            r"\b(?:don'?t|do not) (?:publish|circulate|distribute|forward|minute"
            r"|(?:share|repeat|quote)(?= ?(?:$|[.!,;:)\]}]|this|that|it\b|outside|beyond"
            r"|with anyone|any of|anything|elsewhere|further)))",
        ),
    )
)
# Something that looks like a marker but is not one (a typo, another bracket, one bracket): a
# word next to a bracket that is spelt nearly like "confidential".
NEAR_MARKER = "a marker that is not [confidential]"
_NEAR = 0.8
_APOSTROPHES = str.maketrans({"\u2019": "'", "\u02bc": "'", "\u2018": "'", "`": "'"})


class _PlainTable(dict):
    """A `str.translate` table: ignorable characters and emphasis marks go, apostrophes are
    straight, spaces plain (memoised per character)."""

    def __missing__(self, code: int) -> str | None:
        char = chr(code)
        if char in "*_~" or _IGNORABLE_CHAR.fullmatch(char):
            kept = None
        elif char.isspace():
            kept = " "
        else:
            kept = _APOSTROPHES.get(code, char)
        self[code] = kept
        return kept


_IGNORABLE_CHAR = re.compile(_IGNORABLE)
# Found from the marks (few) rather than from every word character before them (many).
_CLOSING_EMPHASIS = re.compile(r"(?:\*\*|__)(?=[ \t])")
_PLAIN_TABLE = _PlainTable()


def _plain(text: str) -> str:
    """Fold text for finding informal markers: lower case, no accents or invisible characters,
    no emphasis marks, straight apostrophes, single spaces."""
    text = fold(unicodedata.normalize("NFC", text))  # fold_char, memoised over the text
    # Emphasis that closes after a word sets it apart as a colon would: "**CONFIDENTIAL** The
    # grant..." reads as "confidential: the grant...".
    if "**" in text or "__" in text:
        text = _CLOSING_EMPHASIS.sub(partial(_closing_colon, text), text)
    text = text.translate(_PLAIN_TABLE)
    while "  " in text:  # as " ".join(text.split()), without a list of every word
        text = text.replace("  ", " ")
    return text.strip(" ")


def _closing_colon(text: str, mark: re.Match[str]) -> str:
    """A colon for emphasis that closes right after a word character, else the marks as they are."""
    before = text[mark.start() - 1 : mark.start()]
    return ":" if before and (before.isalnum() or before == "_") else mark.group()


# The words each informal marker's pattern cannot match without (in the folded text): most items
# hold none, and a substring test is far quicker than the patterns.
_MARKER_KEYS: dict[str, tuple[str, ...]] = {
    "(confidential)": ("confiden", "conf"),
    "Confidential:": ("confiden",),
    "strictly confidential": ("confiden",),
    "in confidence": ("confiden",),
    "off the record": ("record",),
    "not for the notes": ("not for",),
    "not for circulation": ("not for", "not to be"),
    "between us": ("between",),
    "don't minute this": ("don't", "dont", "do not"),
    "not to be minuted": ("minute",),
    "Confidential (heading)": ("confiden",),
    "Confidential.": ("confiden",),
    "confidential session": ("confiden",),
    "private session": ("private",),
    "Private:": ("private",),
    "[private]": ("private", "camera"),
    "in camera": ("camera",),
    "embargoed": ("embargo",),
    "do not publish": ("don't", "dont", "do not"),
}
_INFORMAL_KEYS = tuple(dict.fromkeys(key for keys in _MARKER_KEYS.values() for key in keys))


_SEPARATOR = "\x00"  # survives `_plain` (it is neither space nor ignorable)


def informal_markers(text: str) -> list[str]:
    """Name the informal markers outside the spans of a text, each once."""
    return informal_markers_of([text])[0]


def informal_markers_of(texts: Sequence[str], *, spans_cut: bool = False) -> list[list[str]]:
    """Name the informal markers outside the spans of many texts, each once a text
    (`spans_cut`: the texts have had their spans cut out already).

    All texts are folded and searched in one pass; only a text that holds one of the words
    every marker has is matched against each pattern.
    """
    if not texts:
        return []
    publics = (
        texts
        if spans_cut
        else [" ".join(t[start:end] for start, end in find_spans(t).public) for t in texts]
    )
    plain = _plain(_SEPARATOR.join(t.replace(_SEPARATOR, " ") for t in publics))
    starts = [0] + [m.end() for m in re.finditer(_SEPARATOR, plain)]
    bounds = [*starts, len(plain) + 1]
    found: list[list[str]] = [[] for _ in texts]
    for k in sorted({bisect_right(starts, at) - 1 for at in positions_of(plain, _INFORMAL_KEYS)}):
        own = plain[bounds[k] : bounds[k + 1] - 1]
        held = {key for key in _INFORMAL_KEYS if key in own}
        found[k] = [
            name
            for name, pattern in INFORMAL_MARKERS
            if not held.isdisjoint(_MARKER_KEYS[name]) and pattern.search(own)
        ]
    for position, word in _bracketed_words(plain):
        if _near_marker(word):
            found[bisect_right(starts, position) - 1].append(NEAR_MARKER)
    return [list(dict.fromkeys(names)) for names in found]


_BRACKET = re.compile(r"[\[\]{}<>]")
_AFTER_OPENING = re.compile(r"[\[{<]\s?/?\s?([a-z]{5,})")
_BEFORE_CLOSING = re.compile(r"([a-z]{5,})\s?\Z")


def _bracketed_words(plain: str) -> list[tuple[int, str]]:
    """Words of 5 letters or more just inside a bracket, found from the brackets (few) rather
    than from every word (many)."""
    words = []
    for bracket in _BRACKET.finditer(plain):
        at = bracket.start()
        if bracket.group() in "[{<":
            after = _AFTER_OPENING.match(plain, at)
            if after:
                words.append((at, after[1]))
        else:
            before = _BEFORE_CLOSING.search(plain, max(0, at - 40), at)
            if before:
                words.append((at, before[1]))
    return words


def _near_marker(word: str) -> bool:
    """Tell whether a word is spelt nearly like "confidential" (a typo in a marker)."""
    # A ratio of 0.8 with a 12-letter word needs a word of 8 to 18 letters.
    if not 8 <= len(word) <= 18:
        return False
    matcher = difflib.SequenceMatcher(None, word, _WORD)
    return matcher.quick_ratio() >= _NEAR and matcher.ratio() >= _NEAR
