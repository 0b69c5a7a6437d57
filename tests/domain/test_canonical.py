"""Canonical text: what changes rendering without being seen is removed, and reported."""

from __future__ import annotations

import unicodedata

import pytest
from hypothesis import given
from hypothesis import strategies as st

from notes_app.domain.canonical import canonical, canonical_draft, is_hidden
from notes_app.domain.notes import Draft, Item, ItemKind, Speaker
from notes_app.domain.redaction import redact


@pytest.mark.parametrize(
    ("text", "expected", "line"),
    [
        ("Ro\u202ebin\u202c", "Robin", "removed 2 bidirectional control characters"),
        ("a\u2066b\u2069c\u200ed\u200fe\u061cf", "abcdef", "removed 5 bidirectional control"),
        ("Ro\u200bbin", "Robin", "removed 1 invisible character"),
        ("Ro\u00adbin", "Robin", "removed 1 invisible character"),
        ("Ro\u2060b\ufeffin", "Robin", "removed 2 invisible characters"),
        ("Rob\ufe0fin\U000e0041", "Robin", "removed 2 invisible characters"),
        ("R\u3164o\uffa0b\u115fi\u1160n", "Robin", "removed 4 invisible characters"),
        ("Rob\x07in\x1b", "Robin", "removed 2 control characters"),
        (
            "a.\u2028b.\u2029c",
            "a.\nb.\nc",
            "turned 2 line or paragraph separators into line breaks",
        ),
        ("Vash\u2028te\u0085bb", "Vashtebb", "removed 2 line breaks inside a word"),
        ("a.\u0085b", "a.\nb", "turned 1 line or paragraph separator into line breaks"),
        ("a\rb", "a\nb", "turned 1 line or paragraph separator into line breaks"),
        ("Exam\u00ad\n  ple", "Example", "removed 1 invisible character"),
        ("Zoe\u0308", "Zo\u00eb", "normalised the text to its composed Unicode form (NFC)"),
    ],
)
def test_each_kind_of_hidden_character_is_removed_and_reported(text, expected, line):
    result, lines = canonical(text)
    assert result == expected
    assert any(reported.startswith(line) for reported in lines), lines


def test_plain_text_newlines_tabs_and_windows_line_ends_are_kept_silently():
    assert canonical("Plain text.\n\n\tIndented.") == ("Plain text.\n\n\tIndented.", [])
    assert canonical("one\r\ntwo") == ("one\ntwo", [])
    assert canonical("Zoë, Привет, 東京, café") == ("Zoë, Привет, 東京, café", [])


def test_one_line_per_kind_with_counts():
    _, lines = canonical("a\u200bb\u200bc\u202ed\x07e")
    assert lines == [
        "removed 1 bidirectional control character",
        "removed 2 invisible characters (zero-width, soft hyphen, filler, ...)",
        "removed 1 control character",
    ]


@given(st.text())
def test_canonical_text_has_nothing_hidden_and_is_stable(text):
    result, _ = canonical(text)
    assert not any(is_hidden(char) for char in result)
    assert unicodedata.is_normalized("NFC", result)
    assert canonical(result) == (result, [])


def test_every_text_of_a_draft_is_canonical_and_the_report_says_where():
    speaker = Speaker(
        "robin",
        "Ro\u200bbin Example",
        organisation="Example\u00ad University",
        aliases=("R\u202eob",),
    )
    items = (
        Item(ItemKind.SECTION, "Head\u2060ing", level=2, id="h1"),
        Item(ItemKind.NOTE, "Plain note.", id="n1"),
        Item(ItemKind.NOTE, "Odd\x07 note.", id="n2"),
    )
    draft, changes = canonical_draft(Draft((speaker,), ("Pro\u200bject X",), items))
    assert draft.speakers[0].name == "Robin Example"
    assert draft.speakers[0].organisation == "Example University"
    assert draft.speakers[0].aliases == ("Rob",)
    assert draft.terms == ("Project X",)
    assert [item.body for item in draft.items] == ["Heading", "Plain note.", "Odd note."]
    assert draft.items[1] is items[1]
    where = [item_id for item_id, _ in changes]
    assert where.count("") == 4 and "h1" in where and "n2" in where and "n1" not in where


def test_redaction_reports_canonical_changes_and_publishes_no_hidden_character():
    speaker = Speaker("robin", "Robin Example")
    body = "Ro\u200bbin said \u202eso\u202c."
    draft = Draft((speaker,), (), (Item(ItemKind.NOTE, body, id="n1"),))
    published, report = redact(draft, {})
    assert report.ok
    assert "Robin" not in published.html
    assert not any(is_hidden(char) for char in published.html if char not in "\n\t")
    rules = [(change.rule, change.item_id) for change in report.changes]
    assert ("4 canonical text", "n1") in rules
