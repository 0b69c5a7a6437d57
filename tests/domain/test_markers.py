"""The one grammar of confidential markers, spans, confidential headings and informal markers."""

from __future__ import annotations

import pytest

from notes_app.domain import markers
from notes_app.domain.notes import Item, ItemKind
from notes_app.domain.notes_format import NotesFormatError, parse
from notes_app.domain.redaction import split_spans

OPENINGS = [
    "[confidential]",
    "[Confidential]",
    "[CONFIDENTIAL]",
    "[ confidential ]",
    "[confidential ]",
    "[  Confidential\t]",
    "[confi dential]",
    "[confi\u200bdential]",
    "[confi\u200ddential]",
    "[\u00adconfidential]",
    "[confidential\u2060]",
    "[\ufeffconfidential]",
    "[confidential\ufe0f]",
    "[confidenti\U000e0101al]",
    "[\uff43\uff4f\uff4e\uff46\uff49\uff44\uff45\uff4e\uff54\uff49\uff41\uff4c]",
    "\uff3bconfidential\uff3d",
    "[\u0441onfidential]",
    "[CONF\u0130DENT\u0130AL]",
]
CLOSINGS = [
    "[/confidential]",
    "[/Confidential]",
    "[/ confidential]",
    "[ / CONFIDENTIAL ]",
    "[/confidential ]",
    "[/confi\u200bdential]",
    "[\u2060/confidential]",
    "[\uff0fconfidential]",
]
NOT_MARKERS = [
    "confidential",
    "(confidential)",
    "[confidentiality]",
    "[confidental]",
    "[conf]",
    "[confidential",
    "{confidential}",
    "[non-confidential]",
    "[//confidential]",
]


@pytest.mark.parametrize("text", OPENINGS)
def test_opening_markers(text):
    marker = markers.MARKER.fullmatch(text)
    assert marker and not markers.is_closing(marker)


@pytest.mark.parametrize("text", CLOSINGS)
def test_closing_markers(text):
    marker = markers.MARKER.fullmatch(text)
    assert marker and markers.is_closing(marker)


@pytest.mark.parametrize("text", NOT_MARKERS)
def test_not_markers(text):
    assert not markers.MARKER.search(text)


@pytest.mark.parametrize("opening", OPENINGS)
def test_every_opening_marks_an_item_when_parsed(opening):
    assert parse(f"{opening} Secret.").items == (Item(ItemKind.NOTE, "Secret.", confidential=True),)


@pytest.mark.parametrize("closing", CLOSINGS)
@pytest.mark.parametrize("opening", OPENINGS[:6] + OPENINGS[7:9])
def test_every_pair_is_a_span_for_parser_and_redaction(opening, closing):
    body = f"Public {opening}secret words{closing} end."
    assert parse(body).items == (Item(ItemKind.NOTE, body),)
    split = split_spans(body)
    assert split.public == "Public end."
    assert "secret words" in split.spans[0]


@pytest.mark.parametrize(
    ("text", "line"),
    [
        ("One\n\nTwo [Confidential]three\nfour", 3),
        ("One\n\n- a\n- b [CONFI\u200bDENTIAL]c", 4),
        ("# H [ confidential ]", 1),
    ],
)
def test_an_unclosed_span_in_any_spelling_is_an_import_error_naming_its_line(text, line):
    with pytest.raises(NotesFormatError, match="never closed") as caught:
        parse(text)
    assert caught.value.line == line


def test_spans_fail_closed():
    stray = markers.find_spans("a [confidential]b[/confidential] c [/confidential] d")
    assert stray.unbalanced and stray.public == ((50, 52),)
    unclosed = markers.find_spans("a [Confidential] b")
    assert unclosed.unbalanced and unclosed.spans == (((16, 18),),)
    assert markers.find_spans("plain") == markers.Spans(((0, 5),), ())


def section(level: int, confidential: bool = False) -> Item:
    return Item(ItemKind.SECTION, "h", level=level, confidential=confidential)


NOTE = Item(ItemKind.NOTE, "n")
SECRET_NOTE = Item(ItemKind.NOTE, "n", confidential=True)


@pytest.mark.parametrize(
    ("items", "flags"),
    [
        pytest.param([NOTE, NOTE], [False, False], id="nothing-marked"),
        pytest.param([section(2, True), NOTE, NOTE], [True, True, True], id="to-the-end"),
        pytest.param([section(2, True), NOTE, section(2), NOTE], [1, 1, 0, 0], id="same-level"),
        pytest.param([section(2, True), NOTE, section(1), NOTE], [1, 1, 0, 0], id="higher-level"),
        pytest.param([section(2, True), section(3), NOTE, section(2)], [1, 1, 1, 0], id="deeper"),
        pytest.param([NOTE, section(3, True), NOTE, section(2), NOTE], [0, 1, 1, 0, 0], id="mid"),
        pytest.param([section(2, True), section(3, True), section(2)], [1, 1, 0], id="nested"),
        pytest.param([section(0, True), NOTE, section(1)], [1, 1, 0], id="level-0-is-1"),
        pytest.param([section(2), SECRET_NOTE, NOTE], [0, 1, 0], id="item-marker-alone"),
    ],
)
def test_a_confidential_heading_covers_its_section(items, flags):
    assert markers.confidential_flags(items) == [bool(flag) for flag in flags]


@pytest.mark.parametrize(
    ("text", "found"),
    [
        ("(Confidential) a", ["(confidential)"]),
        ("**CONFIDENTIAL:** a", ["Confidential:"]),
        ("Off the\u00a0record", ["off the record"]),
        ("Not for circulation; between us", ["not for circulation", "between us"]),
        ("[confidential]off the record[/confidential]", []),
        ("confidential data", []),
        ("[conference] call", []),
    ],
)
def test_informal_markers(text, found):
    assert markers.informal_markers(text) == found
