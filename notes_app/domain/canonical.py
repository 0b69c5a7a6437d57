"""Canonical text: nothing published changes what is displayed without being seen.

Every piece of draft text (bodies, headings, speaker fields, terms, the meeting's details)
passes `canonical` before redaction, so that neither the matching nor a reader can be fooled by
characters that render as nothing or reorder what is shown (DESIGN.md, "Protection", point 4):

- bidirectional controls (embeddings, overrides, isolates, marks) are removed;
- default-ignorable code points (zero-width characters, the soft hyphen, variation selectors,
  tag characters, Hangul fillers, ...), read from the Unicode property itself, are removed;
- a soft hyphen at the end of a line joins the two halves of its word;
- control characters other than newline and tab are removed; the ones that break lines
  (carriage return, NEL, vertical tab, form feed, ...) and the line and paragraph separators
  become newlines; NEL and the line and paragraph separators inside a word, which they would
  split (`Vash\u2028tebb`), are removed;
- the text is normalised to NFC.

`canonical` says, for each kind of removal, how many characters went, so that the facilitator
sees it in the report.
"""

from __future__ import annotations

import unicodedata
from collections import Counter
from collections.abc import Callable
from dataclasses import fields, replace

import regex

from notes_app.domain.notes import Draft, Item, Speaker

BIDI_CONTROLS = frozenset(
    "\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"
)
# One pass finds every character that may need to go; the kind is decided per character.
_SUSPECT = regex.compile(
    r"[\p{Default_Ignorable_Code_Point}\p{Cc}\u2028\u2029\u061c]", regex.VERSION1
)
_SOFT_HYPHEN_BREAK = regex.compile(r"\u00ad[^\S\n]*\n[^\S\n]*")
_DEFAULT_IGNORABLE = regex.compile(r"\p{Default_Ignorable_Code_Point}")
_KEPT = frozenset("\n\t")

_Clean = Callable[[str, str, str], str]
_BIDI = "bidi"
_INVISIBLE = "invisible"
_CONTROL = "control"
_LINE_BREAK = "line-break"
_SPLIT_WORD = "split-word"
# Separators nobody types inside a word, but which split it for a reader.
_WORD_SPLITTERS = frozenset("\u0085\u2028\u2029")
_MESSAGES = {
    _BIDI: "removed {n} bidirectional control character{s}",
    _INVISIBLE: "removed {n} invisible character{s} (zero-width, soft hyphen, filler, ...)",
    _CONTROL: "removed {n} control character{s}",
    _LINE_BREAK: "turned {n} line or paragraph separator{s} into line breaks",
    _SPLIT_WORD: "removed {n} line break{s} inside a word",
}


def _inside_word(text: str, start: int, end: int) -> bool:
    """Tell whether a character stands between two letters or digits."""
    before = text[start - 1 : start]
    after = text[end : end + 1]
    return before.isalnum() and after.isalnum()


def canonical(text: str) -> tuple[str, list[str]]:
    """Return the text without hidden characters, in NFC, and a line per kind of change."""
    if text.isascii() and text.isprintable():
        return text, []
    counts: Counter[str] = Counter()
    text = text.replace("\r\n", "\n")
    # A soft hyphen at the end of a line says that the word goes on: join its halves.
    text, joined = _SOFT_HYPHEN_BREAK.subn("", text)
    counts[_INVISIBLE] += joined

    def replace(match: regex.Match[str]) -> str:
        char = match.group()
        kind = _kind(char)
        if kind is None:
            return char
        if char in _WORD_SPLITTERS and _inside_word(text, match.start(), match.end()):
            kind = _SPLIT_WORD
        counts[kind] += 1
        return "\n" if kind == _LINE_BREAK else ""

    cleaned = _SUSPECT.sub(replace, text)
    composed = unicodedata.normalize("NFC", cleaned)
    lines = [
        _MESSAGES[kind].format(n=counts[kind], s="" if counts[kind] == 1 else "s")
        for kind in _MESSAGES
        if counts[kind]
    ]
    if composed != cleaned:
        lines.append("normalised the text to its composed Unicode form (NFC)")
    return composed, lines


def canonical_draft(draft: Draft) -> tuple[Draft, list[tuple[str, str]]]:
    """Make every text of a draft canonical; say where (item id, or "" and a field) and what."""
    changes: list[tuple[str, str]] = []

    def clean(text: str, item_id: str, where: str) -> str:
        result, lines = canonical(text)
        changes.extend((item_id, f"{where}{line}") for line in lines)
        return result

    speakers = tuple(_canonical_speaker(speaker, clean) for speaker in draft.speakers)
    terms = tuple(clean(term, "", "extra term: ") for term in draft.terms)
    items = tuple(_canonical_item(item, clean) for item in draft.items)
    announced = tuple(_canonical_speaker(person, clean) for person in draft.announced)
    if not changes:
        return draft, changes
    return Draft(speakers, terms, items, announced), changes


def _canonical_speaker(speaker: Speaker, clean: _Clean) -> Speaker:
    where = f"speaker @{speaker.handle}, "
    changed = {
        field.name: clean(getattr(speaker, field.name), "", f"{where}{field.name}: ")
        for field in fields(speaker)
        if field.name not in ("handle", "aliases", "links")
    }
    aliases = tuple(clean(alias, "", f"{where}alias: ") for alias in speaker.aliases)
    links = tuple(clean(link, "", f"{where}link: ") for link in speaker.links)
    return replace(speaker, aliases=aliases, links=links, **changed)


def _canonical_item(item: Item, clean: _Clean) -> Item:
    body = clean(item.body, item.id, "")
    return item if body == item.body else replace(item, body=body)


def is_hidden(char: str) -> bool:
    """Tell whether a character is one that canonical text never contains."""
    return _kind(char) is not None


def _kind(char: str) -> str | None:
    if char in _KEPT:
        return None
    if char in BIDI_CONTROLS:
        return _BIDI
    if _DEFAULT_IGNORABLE.match(char):
        return _INVISIBLE
    if char in "\u2028\u2029" or (unicodedata.category(char) == "Cc" and char.isspace()):
        return _LINE_BREAK
    if unicodedata.category(char) == "Cc":
        return _CONTROL
    return None


def strip_hidden(text: str) -> str:
    """Remove the characters canonical text never contains, changing nothing else."""
    if text.isascii() and text.isprintable():
        return text
    return "".join(char for char in text if char in _KEPT or not is_hidden(char))


def _invisible_in_bmp() -> str:
    """Every bidi control and default-ignorable character of the Basic Multilingual Plane."""
    plane = "".join(map(chr, range(0x10000)))
    return "".join(_DEFAULT_IGNORABLE.findall(plane)) + "".join(sorted(BIDI_CONTROLS))


# For plain regular expressions, which know no Unicode properties. The fillers are letters to
# Python (category Lo): a pattern of word characters must leave them out by name.
INVISIBLE = "".join(dict.fromkeys(_invisible_in_bmp()))
WORDLIKE_INVISIBLE = "".join(char for char in INVISIBLE if char.isalnum())
