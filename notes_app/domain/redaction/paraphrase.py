"""Rule 6: a published item that may repeat confidential text in other words, for a warning.

The final check refuses a copy of confidential text (runs of its words, its rare words); a
paraphrase shares fewer words and is the facilitator's call. An item is flagged when it shares
with a confidential item or span

- a run of two content words, one of them distinctive ("the Leeds pilot"), or
- an amount, however written (``£2m``, "2 million pounds"), together with a distinctive word.

A distinctive word is a name: one written with a capital inside a sentence ("the Leeds pilot",
"the Heron budget"), unless it is a word every institution or calendar uses (`_GENERIC`: "the
City Council", "in March"). Shared ordinary words alone ("the council") never warn. The message
names the confidential item by its place in the notes and never quotes it.

Cost: confidential texts are few and read word by word. Published text is read once, by one
automaton of the distinctive words that published text uses at all (`vocabulary`); only the
items it finds them in are split into words.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Mapping, Sequence
from itertools import accumulate, pairwise
from typing import NamedTuple

import ahocorasick
import regex

from notes_app.domain.consent import Attribution, Level
from notes_app.domain.notes import Draft, ItemKind
from notes_app.domain.redaction.credits import credited_speakers
from notes_app.domain.redaction.report import Log
from notes_app.domain.redaction.terms import name_parts
from notes_app.domain.textmatch import fold, words

KIND = "confidential-paraphrase"

# A word with a capital inside a sentence: not after a sentence's end or a line's start, however
# much markup stands between.
_NAME = regex.compile(r"(?<!(?:^|[.!?:;])[^\w\n]*)\b\p{Lu}\w*", regex.MULTILINE)
_STOP = """a an the of to in on at by for from with about into as and or but nor so if than then
that this these those it its is was are were be been being has have had do does did will would
shall should can could may might must not no we they he she i you our their his her my your them
us him me who which what when where there here also very just said says say told later too again
all any some each every more most much many such own other only"""
_STOP_WORDS = frozenset(_STOP.split())
# Capitalised, these still name no one thing: "the City Council", "the Trust", "in March".
_GENERIC_WORDS = """council city county government ministry department office committee board
trust team group project programme program meeting university college school service services
authority agency fund foundation centre center institute network members member january
february march april may june july august september october november december monday tuesday
wednesday thursday friday saturday sunday"""
_GENERIC = frozenset(_GENERIC_WORDS.split())
_CURRENCY = {"£": "gbp", "$": "usd", "€": "eur", "¥": "jpy"}
_CURRENCY_WORDS = {
    "pound": "gbp",
    "pounds": "gbp",
    "gbp": "gbp",
    "dollar": "usd",
    "dollars": "usd",
    "usd": "usd",
    "euro": "eur",
    "euros": "eur",
    "eur": "eur",
}
_SCALES = {
    "k": 1e3,
    "thousand": 1e3,
    "m": 1e6,
    "mn": 1e6,
    "million": 1e6,
    "millions": 1e6,
    "bn": 1e9,
    "b": 1e9,
    "billion": 1e9,
}
_DIGIT = re.compile(r"\d")
_AMOUNT = re.compile(
    r"(?P<sign>[£$€¥])?[ \t]?(?P<number>\d{1,3}(?:,\d{3})+|\d+)(?:\.(?P<fraction>\d+))?"
    r"(?:[ \t]?(?P<scale>k|mn|m|bn|b|thousand|millions?|billion)\b)?"
    r"(?:[ \t]?(?P<unit>pounds?|dollars?|euros?|gbp|usd|eur)\b)?",
    re.IGNORECASE,
)


class _Amount(NamedTuple):
    value: float
    currency: str  # "" when the text does not say


class _Reading(NamedTuple):
    """What a confidential text shares with published text if it is repeated."""

    runs: frozenset[tuple[str, str]]  # pairs of content words, one of them distinctive
    distinctive: frozenset[str]
    amounts: frozenset[_Amount]


def paraphrase_warnings(
    draft: Draft,
    confidential: Sequence[tuple[str, str, str, bool]],
    public: Mapping[str, str],
    vocabulary: set[str],
    log: Log,
) -> None:
    """Warn on each published item that may repeat a confidential item or span in other words.

    `confidential` is (item id, origin, text, whole) as `spans.confidential_texts` gives it;
    `public` the published draft text per item id (`final_check.public_references`), and
    `vocabulary` every word of it (`final_check.public_vocabulary`).
    """
    readings: dict[tuple[str, str], list[_Reading]] = {}
    for item_id, origin, text, _ in confidential:
        reading = _read(text)
        if reading.runs or (reading.amounts and reading.distinctive):
            readings.setdefault((item_id, origin), []).append(reading)
    # Every run holds a distinctive word, and an amount counts only with one.
    wanted = {w for held in readings.values() for r in held for w in r.distinctive} & vocabulary
    if not wanted:
        return
    places = {item.id: n for n, item in enumerate(draft.items, start=1)}
    for item_id in _items_using(public, wanted):
        found_words = words(public[item_id])
        present = set(found_words)
        content = [w for w in found_words if w not in _STOP_WORDS and not w.isdigit()]
        pairs = set(zip(content, content[1:], strict=False))
        amounts = _amounts(public[item_id])
        for (source_id, origin), held in readings.items():
            # Two of its names together say what the item was about ("Leeds ... Newport").
            shared_run = any(
                not reading.runs.isdisjoint(pairs) or len(reading.distinctive & present) >= 2
                for reading in held
            )
            shared_amount = any(
                _same_amount(reading.amounts, amounts)
                and not reading.distinctive.isdisjoint(present)
                for reading in held
            )
            if shared_run or shared_amount:
                log.warn(KIND, item_id, _message(item_id, source_id, origin, places, shared_run))


DECLINED_ECHO = "declined-echo"


def declined_echoes(
    draft: Draft,
    credits: Mapping[int, Attribution],
    public: Mapping[str, str],
    log: Log,
) -> None:
    """Warn on each published item that names a speaker who is credited by name elsewhere
    and repeats words of one of their statements that is not credited (rule 2: a credit on
    one statement never identifies the speaker in one they declined)."""
    named = [h for h, level in credited_speakers(draft, credits).items() if level is Level.NAME]
    if not named:
        return
    places = {item.id: n for n, item in enumerate(draft.items, start=1)}
    for handle in named:
        speaker = draft.speaker(handle)
        uncredited = {
            item.id: _content_pairs(item.body)
            for position, item in enumerate(draft.items)
            if item.speaker == handle
            and item.kind is ItemKind.STATEMENT
            and not item.confidential
            and position not in credits
        }
        if speaker is None or not uncredited:
            continue
        names = {fold(part) for part in name_parts(speaker.name) if len(part) > 2}
        for item_id, text in public.items():
            if item_id in uncredited or names.isdisjoint(words(text)):
                continue
            pairs = _content_pairs(text)
            for statement_id, held in uncredited.items():
                shared = held & pairs
                # Two runs of its words, or one and a third word besides.
                if len(shared) >= 2 or (shared and len(_words_of(held) & _words_of(pairs)) >= 3):
                    log.warn(DECLINED_ECHO, item_id, _echo_message(handle, places, statement_id))


def _words_of(pairs: set[tuple[str, str]]) -> set[str]:
    return {word for pair in pairs for word in pair}


def _content_pairs(text: str) -> set[tuple[str, str]]:
    content = [w for w in words(text) if w not in _STOP_WORDS and not w.isdigit()]
    return set(pairwise(content))


def _echo_message(handle: str, places: Mapping[str, int], statement_id: str) -> str:
    return (
        f"this item names @{handle} and repeats words of item {places.get(statement_id, '?')}, "
        "a statement of theirs that is not credited: check that it does not credit them with it"
    )


def _items_using(public: Mapping[str, str], wanted: set[str]) -> list[str]:
    """The ids of the items whose text holds one of the wanted words (or a word they start or
    end; the caller reads the item's words), found in one pass over all of them."""
    automaton = ahocorasick.Automaton()
    for word in wanted:
        automaton.add_word(word, word)
    automaton.make_automaton()
    ids = list(public)
    texts = [fold(public[item_id]) for item_id in ids]
    starts = list(accumulate((len(text) + 1 for text in texts), initial=0))
    hits = {bisect_right(starts, end) - 1 for end, _ in automaton.iter("\n".join(texts))}
    return [ids[k] for k in sorted(hits)]


def _message(
    item_id: str, source_id: str, origin: str, places: Mapping[str, int], shared_run: bool
) -> str:
    if source_id == item_id:
        source = "a confidential span of this item"
    else:
        what = "a confidential span in item" if origin == "span" else "confidential item"
        source = f"{what} {places.get(source_id, '?')}"
    how = "shares a run of its distinctive words" if shared_run else "gives the same amount"
    return (
        f"this item may repeat {source} in other words ({how}): check that it does not give "
        "away what was said in confidence"
    )


def _read(text: str) -> _Reading:
    """Read a confidential text: its distinctive runs and words, and its amounts."""
    names = {
        word
        for token in _NAME.findall(text)
        for word in words(token)
        if len(word) > 2 and word not in _GENERIC
    }
    if not names:
        return _Reading(frozenset(), frozenset(), frozenset())
    content = [w for w in words(text) if w not in _STOP_WORDS and not w.isdigit()]
    runs = frozenset(pair for pair in pairwise(content) if names.intersection(pair))
    return _Reading(runs, frozenset(names), frozenset(_amounts(text)))


def _amounts(text: str) -> set[_Amount]:
    """The sums of money and large round numbers a text gives, as values."""
    if _DIGIT.search(text) is None:
        return set()
    found = set()
    for match in _AMOUNT.finditer(text):
        sign, scale, unit = match["sign"], match["scale"], match["unit"]
        if not (sign or scale or unit):
            continue  # a plain number (a count, a year) is no amount
        number = float(match["number"].replace(",", "") + "." + (match["fraction"] or "0"))
        value = number * _SCALES.get((scale or "").lower(), 1)
        currency = _CURRENCY.get(sign or "", "") or _CURRENCY_WORDS.get((unit or "").lower(), "")
        found.add(_Amount(value, currency))
    return found


def _same_amount(left: frozenset[_Amount], right: set[_Amount]) -> bool:
    return any(
        a.value == b.value and (a.currency == b.currency or not a.currency or not b.currency)
        for a in left
        for b in right
    )
