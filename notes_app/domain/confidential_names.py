"""The proper nouns of a draft's confidential text, which nothing members see may repeat.

A member who rewords a confidential sentence in a comment ("so the Halberd Foundation is
pulling out?") repeats no run of its words, yet tells everyone what was said in confidence. The
names in confidential text (a run of capitalised words, or one capitalised word inside a
sentence) that the public notes never use are therefore protected in comments like a term, and
a facilitator is warned where another meeting's notes use them.

What counts as confidential is what `markers` says: confidential items (headings included) and
the spans of the others. Words the public text uses, month and day names, and a capitalised
word that only starts a sentence are not names.
"""

from __future__ import annotations

import re
from functools import lru_cache

from notes_app.domain import markers
from notes_app.domain.identity import ordinary_word
from notes_app.domain.notes import Draft, ItemKind

# A word: letters first, then letters, digits, apostrophes or inner hyphens.
_WORD = re.compile(r"[^\W\d_][\w\u2019'-]*")
# Lower-case words a name may hold between its capitalised words ("Bank of England").
_INNER = frozenset(["of", "for", "the", "de", "la", "du", "van", "von", "der", "on"])
# Capitalised at a sentence's start, they only start it ("The Halberd Foundation").
_OPENERS = frozenset(
    [
        "the",
        "a",
        "an",
        "our",
        "their",
        "this",
        "that",
        "these",
        "those",
        "we",
        "they",
        "i",
        "it",
        "its",
        "in",
        "at",
        "on",
        "for",
        "with",
        "and",
        "but",
        "so",
        "if",
        "when",
        "as",
        "my",
        "your",
        "his",
        "her",
    ]
)
_CALENDAR = frozenset(
    [
        "january",
        "february",
        "march",
        "april",
        "may",
        "june",
        "july",
        "august",
        "september",
        "october",
        "november",
        "december",
        "monday",
        "tuesday",
        "wednesday",
        "thursday",
        "friday",
        "saturday",
        "sunday",
    ]
)
# What ends a sentence or starts a block: a word after one starts a sentence.
_SENTENCE_END = frozenset('.!?:;\n#>*-+|(["\u201c')


def confidential_names(draft: Draft) -> tuple[str, ...]:
    """The names confidential text of the draft uses and its public text does not."""
    return _names(draft)


@lru_cache(maxsize=64)
def _names(draft: Draft) -> tuple[str, ...]:
    draft = markers.under_confidential_headings(draft)
    secret: list[str] = []
    public: list[str] = []
    for item in draft.items:
        body = item.body
        if item.confidential:
            secret.append(body)
            continue
        if item.kind is ItemKind.SECTION or not markers.has_marker(body):
            public.append(body)
            continue
        found = markers.find_spans(body)
        public.extend(body[start:end] for start, end in found.public)
        secret.extend(" ".join(body[start:end] for start, end in span) for span in found.spans)
    if not secret:
        return ()
    known = _words(public)
    names: list[str] = []
    for text in secret:
        names += [
            name
            for name in _proper_nouns(markers.MARKER.sub(" ", text))
            if not is_public(name, known)
        ]
    return tuple(dict.fromkeys(names))


def public_words(draft: Draft) -> frozenset[str]:
    """The words (folded to lower case) of the draft's text outside anything confidential."""
    return _public_words(draft)


@lru_cache(maxsize=64)
def _public_words(draft: Draft) -> frozenset[str]:
    draft = markers.under_confidential_headings(draft)
    public: list[str] = []
    for item in draft.items:
        if item.confidential:
            continue
        found = markers.find_spans(item.body)
        public.extend(item.body[start:end] for start, end in found.public)
    return _words(public)


def is_public(name: str, words: frozenset[str]) -> bool:
    """Tell whether every distinctive word of a name is among the public words."""
    found = [w.casefold() for w in _WORD.findall(name)]
    return all(w in words or w in _CALENDAR or len(w) < 3 for w in found if w not in _INNER)


def _words(texts: list[str]) -> frozenset[str]:
    return frozenset(word.casefold() for text in texts for word in _WORD.findall(text))


def _proper_nouns(text: str) -> list[str]:
    """Runs of capitalised words (with a lower-case "of" or "and" inside), each as written;
    a lone capitalised word that only starts a sentence is not one."""
    found: list[str] = []
    run: list[re.Match[str]] = []
    pending: list[re.Match[str]] = []  # inner lower-case words, kept if a capital follows

    def close() -> None:
        if not run:
            return
        first = run[0]
        words = list(run)
        if _starts_sentence(text, first.start()) and first[0].casefold() in _OPENERS:
            words = words[1:]
        if len(words) > 1 or (
            words and (not _starts_sentence(text, words[0].start()) or not _ordinary(words[0][0]))
        ):
            found.append(text[words[0].start() : words[-1].end()])

    previous_end, opening = -1, False
    for match in _WORD.finditer(text):
        word = match[0]
        joined = run and text[previous_end : match.start()].strip(" \t") == ""
        if word[0].isupper():
            if run and joined:
                run.extend(pending)
                run.append(match)
            else:
                close()
                run = [match]
            pending = []
            # One capitalised word that starts a sentence takes no "of" after it ("Ask the").
            opening = len(run) == 1 and _starts_sentence(text, match.start())
        elif run and joined and word.casefold() in _INNER and not pending and not opening:
            pending = [match]
        else:
            close()
            run, pending = [], []
        previous_end = match.end()
    close()
    return found


def _ordinary(word: str) -> bool:
    return ordinary_word(word) or (word.endswith("s") and ordinary_word(word[:-1]))


def _starts_sentence(text: str, at: int) -> bool:
    before = text[:at].rstrip(" \t*_`")
    return not before or before[-1] in _SENTENCE_END
