"""Replacements that read as English, and removals that leave a sentence unreadable (rule 6).

Redaction chooses what to replace; this module fits the replacements into the sentence around
them:

- a speaker named together with their role and organisation ("Robin Example, Data Lead at
  Acme,") is one person: the run becomes one replacement ("a participant");
- a determiner before a replacement that has its own article goes ("the Acme Trust" is "an
  organisation", not "the an organisation");
- and it tells where removing a confidential span or a term leaves words that no longer read
  ("was funded by ." or "a participant a participant"), for a warning on that item.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from typing import NamedTuple

from notes_app.domain.identity import HONORIFICS, PARTICLES
from notes_app.domain.textmatch import initial_before

# Words that stand between the parts of one person's description: "Robin, Data Lead at Acme".
_APPOSITION = re.compile(
    r"(?:[^\S\n]*,[^\S\n]*|[^\S\n]*\([^\S\n]*|[^\S\n]*[\u2013\u2014-][^\S\n]*|[^\S\n]+)"
    r"(?:(?:at|from|of|with|for|in)[^\S\n]+)?(?:the[^\S\n]+)?",
    re.IGNORECASE,
)
_DETERMINER = re.compile(
    r"\b(the|a|an|our|their|its|this|that|his|her|my|your)[^\S\n]+\Z", re.IGNORECASE
)
# A title before a name: the honorifics `identity` strips from names.
_TITLE = re.compile(
    rf"\b({'|'.join(sorted(HONORIFICS))})\.?[^\S\n]+\Z",
    re.IGNORECASE,
)
_SENTENCE_START = re.compile(r"(?:\A|[.!?:]\s+|\n\s*)[*_\"'(\[]*\Z")
# A sentence's start, also after a list marker, heading or quote at the start of a line.
_ITEM_START = re.compile(r"(?:\A|[.!?:]\s+|\n\s*)(?:(?:[-+*]|\d+[.)]|#+|>)[^\S\n]+)?[*_\"'(\[]*\Z")
_ARTICLE = re.compile(r"(?:a|an)\s", re.IGNORECASE)


class Edit(NamedTuple):  # a tuple: one is made for every replacement
    """A replacement in a text: where, with what, and whose (the speaker's handle, or "")."""

    start: int
    end: int
    text: str
    speaker: str = ""
    person: bool = False  # the speaker's name or alias (not their organisation or role)
    fixed: bool = False  # in a link target or code: left exactly as it is


def fit(
    source: str, edits: Sequence[Edit], initials: Mapping[str, frozenset[str]] | None = None
) -> list[Edit]:
    """Fit replacements into the sentence: merge one speaker's runs, drop doubled articles.
    `initials` holds the letters each speaker's initials may be written with."""
    letters = initials or {}
    groups: list[list[Edit]] = []
    for edit in sorted(edits, key=lambda e: (e.start, e.end)):
        if groups and _same_person(source, groups[-1][-1], edit):
            groups[-1].append(edit)
        else:
            groups.append([edit])
    return [
        _from_not_of(
            source,
            _without_determiner(
                source,
                _with_initials(
                    source,
                    _with_particles(source, _join(source, group)),
                    letters.get(group[0].speaker),
                ),
            ),
        )
        for group in groups
    ]


def _same_person(source: str, left: Edit, right: Edit) -> bool:
    if not left.speaker or left.speaker != right.speaker or left.fixed or right.fixed:
        return False
    gap = source[left.end : right.start]
    return right.start >= left.end and _APPOSITION.fullmatch(gap) is not None


def _join(source: str, group: list[Edit]) -> Edit:
    """One replacement for a run; an apposition opened with a comma or bracket closes with it:
    "Robin, Data Lead at Acme, said" is "a participant said"."""
    first, last = group[0], group[-1]
    if len(group) == 1:
        return first
    person = next((edit for edit in group if edit.person), first)
    text = _like(first.text, person.text)
    end = last.end
    opened = source[first.end : group[1].start].lstrip()[:1]
    close = {",": ",", "(": ")"}.get(opened)
    if close and source[end : end + 1] == close:
        end += 1
    return Edit(first.start, end, text, first.speaker, any(edit.person for edit in group))


def _like(shape: str, text: str) -> str:
    """Capitalise `text` as `shape` is (a replacement at the start of a sentence)."""
    return text[:1].upper() + text[1:] if shape[:1].isupper() else text


# The particles of a family name, but not those that are also English words or names (`do`,
# `ten`, `bin`, `Al`): written directly before a replaced name, they are part of it.
_ENGLISH_PARTICLES = ("do", "ten", "te", "bin", "ben", "bat", "ap", "ab", "al", "el", "lo", "les")
_NAME_PARTICLES = sorted(p for p in PARTICLES if len(p) > 1 and p not in _ENGLISH_PARTICLES)
_PARTICLES_BEFORE = re.compile(
    rf"(?<![\w'\u2019])(?:(?:{'|'.join(_NAME_PARTICLES)})[^\S\n]+)+\Z", re.IGNORECASE
)


def _with_particles(source: str, edit: Edit) -> Edit:
    """Take the particles directly before a replaced name along with it (`van der Berg`,
    `Van Anna`): one replacement, not `van der a participant`."""
    if edit.fixed or not edit.person:
        return edit
    before = _PARTICLES_BEFORE.search(source, max(0, edit.start - 30), edit.start)
    if before is None:
        return edit
    starts = _SENTENCE_START.search(source, max(0, before.start() - 40), before.start()) is not None
    text = edit.text[:1].upper() if starts else edit.text[:1].lower()
    return edit._replace(start=before.start(), text=text + edit.text[1:])


def _with_initials(source: str, edit: Edit, letters: frozenset[str] | None) -> Edit:
    """Take the initials directly before a replaced name along with it (`K. Lee`, `J. A.
    Bloggs-Smith`): one replacement, not `K. a participant`, in lower case unless the initials
    start the sentence."""
    if edit.fixed or not edit.person:
        return edit
    begin = initial_before(source, edit.start, letters)
    if begin is None:
        return edit
    return edit._replace(start=begin, text=_cased_at(source, begin, edit.text))


# "of" after a replaced role or name, before what they belong to: "a participant of the firm"
# does not read, "a participant from the firm" does.
_OF_AFTER = re.compile(r"([^\S\n]+)of(?=[^\S\n]+\S)", re.IGNORECASE)


def _from_not_of(source: str, edit: Edit) -> Edit:
    """Write "from" for an "of" after a replaced speaker ("The Director of the firm said" is
    "A participant from the firm said")."""
    if edit.fixed or not edit.speaker or edit.text.lower() != "a participant":
        return edit
    after = _OF_AFTER.match(source, edit.end)
    if after is None:
        return edit
    return edit._replace(end=after.end(), text=f"{edit.text}{after[1]}from")


def _cased_at(source: str, position: int, text: str) -> str:
    """Capitalise `text` if a sentence starts at `position`, else write it in lower case."""
    starts = _ITEM_START.search(source, max(0, position - 40), position) is not None
    return (text[:1].upper() if starts else text[:1].lower()) + text[1:]


def _without_determiner(source: str, edit: Edit) -> Edit:
    """Drop "the" before a replacement that has its own article ("the an organisation"), and a
    title before a person ("Dr a participant")."""
    if edit.fixed or not _ARTICLE.match(edit.text):
        return edit
    before = _DETERMINER.search(source, max(0, edit.start - 12), edit.start)
    title = None
    if before is None and edit.person:
        title = before = _TITLE.search(source, max(0, edit.start - 14), edit.start)
    if before is None:
        return edit
    capital = before.group(1)[:1].isupper()
    if title is not None:  # a title is capitalised anyway: only a sentence's start counts
        capital = capital and _SENTENCE_START.search(source, 0, before.start()) is not None
    text = (
        edit.text[:1].upper() + edit.text[1:] if capital else edit.text[:1].lower() + edit.text[1:]
    )
    return edit._replace(start=before.start(), text=text)


# --- what no longer reads ---------------------------------------------------------------

_LEFT_HANGING = re.compile(
    r"\b(?:the|a|an|of|to|with|by|from|at|in|on|for|and|or|but|that|than|as|is|was|are|were|"
    r"said|says|told|because|about|into|between|our|their|its|this|these)[^\S\n]*\Z",
    re.IGNORECASE,
)
_OPEN = re.compile(r"[,;:(\u2013\u2014-][^\S\n]*\Z")
_RIGHT_STOP = re.compile(r"[^\S\n]*(?:[.,;:!?)]|\Z|\n)")


def hanging_join(left: str, right: str) -> bool:
    """Tell whether removing the text between `left` and `right` leaves a sentence that no
    longer reads: a word that needs what followed it ("funded by ."), or punctuation
    that opened something the removal left empty ("the plan ( ) was", "so, .")."""
    if not _RIGHT_STOP.match(right):
        return False
    return bool(_LEFT_HANGING.search(left) or _OPEN.search(left))


_REPLACEMENT_RUN = r"(?:a participant|an organisation|\[redacted\])"
_DOUBLED = re.compile(rf"\b{_REPLACEMENT_RUN}[^\S\n]+{_REPLACEMENT_RUN}\b", re.IGNORECASE)


def doubled_replacements(text: str) -> list[str]:
    """Return the places where two replacements stand side by side ("a participant a
    participant"), which a reader cannot make sense of."""
    found = text.count("participant") + text.count("organisation") + text.count("[redacted]")
    if found < 2:
        return []  # the quick answer for most texts: two are needed side by side
    return [match.group() for match in _DOUBLED.finditer(text)]
