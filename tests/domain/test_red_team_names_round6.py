"""Round 6 of the blind red team on names split to dodge the matcher (R9): one space inside a
capitalised name joins it back; ordinary words that happen to spell a name apart stay."""

from __future__ import annotations

import pytest

from notes_app.domain.notes import Draft, Item, ItemKind, Speaker
from notes_app.domain.redaction import redact

QUILLAN = Speaker("q", "Quillan Ashbourne", organisation="Corvid Metrics")


def _published(body: str) -> str:
    draft = Draft((QUILLAN,), (), (Item(ItemKind.NOTE, body, id="n1"),))
    published, report = redact(draft, {})
    assert report.ok, report.leaks
    return published.markdown.strip()


SPLIT = [
    ("r9-given-name-split-by-a-space", "V0 Quil lan here.", "V0 a participant here."),
    ("r9-family-name-split-by-a-space", "V9 Ash bourne here.", "V9 a participant here."),
    ("r9-full-name-with-its-family-name-split", "Quillan Ash bourne came.", "A participant came."),
    ("r9-split-by-a-thin-space", "V1 Ash\u2009bourne here.", "V1 a participant here."),
    ("r9-split-by-a-no-break-space", "V2 Quil\u00a0lan here.", "V2 a participant here."),
    ("r9-split-by-a-soft-line-break", "V3 Quil\nlan here.", "V3 a participant here."),
]


@pytest.mark.parametrize(("body", "expected"), [c[1:] for c in SPLIT], ids=[c[0] for c in SPLIT])
def test_r9_a_name_split_by_one_space_is_replaced(body, expected):
    assert _published(body) == expected


@pytest.mark.parametrize(
    "body",
    ["We will ash the bourne.", "The Ash grove was cut.", "The Ash and the Bourne rivers meet."],
)
def test_r9_words_that_only_spell_a_name_apart_stay(body):
    assert _published(body) == body


POLISH = (
    Speaker("marek", "Marek Nowakowski"),
    Speaker("ag", "Agnieszka Wróblewska"),
    Speaker("jk", "Jan Kowalski"),
)
DECLINED = [
    ("r1-fleeting-e", "Members thanked Markiem for the introduction.", "Markiem"),
    ("r1-feminine-genitive", "Artykuł pani Wróblewskiej był ciekawy.", "Wróblewskiej"),
    ("r1-feminine-instrumental", "Z panią Wróblewską.", "Wróblewsk"),
    ("r1-masculine-dative", "Dziękujemy Kowalskiemu.", "Kowalsk"),
]


@pytest.mark.parametrize(
    ("body", "canary"), [c[1:] for c in DECLINED], ids=[c[0] for c in DECLINED]
)
def test_r1_a_polish_name_declined_is_replaced(body, canary):
    draft = Draft(POLISH, (), (Item(ItemKind.NOTE, body, id="n1"),))
    published, report = redact(draft, {})
    assert report.ok and canary not in published.markdown


def test_r1_the_stem_alone_is_an_ordinary_word_and_stays():
    body = "Mark the date; the market is open."
    draft = Draft(POLISH, (), (Item(ItemKind.NOTE, body, id="n1"),))
    assert redact(draft, {})[0].markdown.strip() == body


OTHER_SCRIPTS = (Speaker("ps", "प्रिया शर्मा"), Speaker("gp", "Γιώργος Παπαδόπουλος"))
USUAL_SPELLINGS = [
    ("r26-devanagari-family-name", "Ms Sharma made the point.", "Sharma"),
    ("r26-devanagari-full-name", "Priya Sharma made the point.", "Sharma"),
    ("r26-greek-family-name", "Yiorgos Papadopoulos made the point.", "Papadopoulos"),
]


@pytest.mark.parametrize(
    ("body", "canary"), [c[1:] for c in USUAL_SPELLINGS], ids=[c[0] for c in USUAL_SPELLINGS]
)
def test_r26_the_usual_latin_spelling_of_a_name_recorded_in_another_script(body, canary):
    draft = Draft(OTHER_SCRIPTS, (), (Item(ItemKind.NOTE, body, id="n1"),))
    published, report = redact(draft, {})
    assert report.ok and canary not in published.markdown


TERMS = ("Project Lantern", "Harbourside Redevelopment Scheme")
TERM_FORMS = [
    ("r24-generic-word-abbreviated", "T5 Proj. Lantern went well.", "Lantern"),
    ("r24-generic-word-in-german", "T7 Projekt Lantern went well.", "Lantern"),
    ("r24-generic-word-in-french", "T8 Projet Lantern went well.", "Lantern"),
    ("r24-acronym-of-three-words", "T6 HRS went well.", "HRS"),
]


@pytest.mark.parametrize(
    ("body", "canary"), [c[1:] for c in TERM_FORMS], ids=[c[0] for c in TERM_FORMS]
)
def test_r24_an_extra_term_abbreviated_or_translated_is_replaced(body, canary):
    draft = Draft((), TERMS, (Item(ItemKind.NOTE, body, id="n1"),))
    published, report = redact(draft, {})
    assert report.ok and canary not in published.markdown


def test_r24_the_ordinary_words_of_a_term_stay():
    body = "A lantern lit the project room."
    draft = Draft((), TERMS, (Item(ItemKind.NOTE, body, id="n1"),))
    assert redact(draft, {})[0].markdown.strip() == body
