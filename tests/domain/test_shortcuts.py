"""The quick paths of the gate find exactly what the plain patterns they stand for find.

Each shortcut (search from the few characters a match needs, skip texts that cannot hold one,
render neighbouring one-line paragraphs without a marker) is checked against the slow, obvious
reading on random text made of the characters that matter.
"""

from __future__ import annotations

import unicodedata
from functools import partial

from hypothesis import given, settings
from hypothesis import strategies as st

from notes_app.domain import markers, textmatch
from notes_app.domain.rendering import render_markdown, render_markdown_parts

_DIGIT_PIECES = [
    "07700",
    "900",
    "123",
    "4",
    " ",
    "\t",
    "\u00a0",
    "-",
    "(",
    ")",
    ".",
    "/",
    "x",
    "\n",
]
_DIGIT_PIECES += ["\u0660\u0667", "\u2013", "\u2212", "+44"]
_AT_PIECES = ["(at)", "[ at ]", "<at>", "{AT}", "(At)", " ", "\t", "x", "at", ")", "<", ">", "]"]
_MARKER_PIECES = [
    "[confidential]",
    "[/confidential]",
    "[ Confidential ]",
    "\uff3bconfidential\uff3d",
]
_MARKER_PIECES += [
    "[conf\u200bidential]",
    "[",
    "]",
    "/",
    " ",
    "x",
    "confidential",
    "[/ CONFIDENTIAL]",
]


def _made_of(pieces: list[str], most: int = 12):
    return st.lists(st.sampled_from(pieces), max_size=most).map("".join)


@settings(max_examples=300, deadline=None)
@given(_made_of(_DIGIT_PIECES, 20))
def test_digit_runs_are_the_runs_the_pattern_finds(text):
    quick = [m.span() for m in textmatch._digit_runs(text)]
    assert quick == [m.span() for m in textmatch._DIGIT_RUN.finditer(text)]


@settings(max_examples=300, deadline=None)
@given(_made_of(_AT_PIECES))
def test_bracketed_ats_are_the_ones_the_pattern_finds(text):
    quick = [m.span() for m in textmatch._bracketed_ats(text)]
    assert quick == [m.span() for m in textmatch._AT_BRACKETED.finditer(text)]


@settings(max_examples=300, deadline=None)
@given(_made_of(_MARKER_PIECES))
def test_markers_in_finds_every_marker(text):
    assert [m.span() for m in markers.markers_in(text)] == [
        m.span() for m in markers.MARKER.finditer(text)
    ]
    assert markers.has_marker(text) == (markers.MARKER.search(text) is not None)


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet="ab *_~\u200b\u2019` \t\n\u00a0\u3000Conf:", max_size=60))
def test_plain_text_for_informal_markers_is_the_split_and_joined_text(text):
    folded = textmatch.fold(unicodedata.normalize("NFC", text))
    if "**" in folded or "__" in folded:
        folded = markers._CLOSING_EMPHASIS.sub(partial(markers._closing_colon, folded), folded)
    assert markers._plain(text) == " ".join(folded.translate(markers._PLAIN_TABLE).split())


_ONE_LINERS = [
    "Hello world",
    "# Title",
    "**Label:** said",
    "2024 was big",
    "Zoë said",
    "x <!-- c -->",
]
_OTHERS = [
    "- a",
    "1. one",
    "> quote",
    "    code",
    "para\nline",
    "***",
    "Title\n===",
    "<b>x</b>",
    "3) x",
]


@settings(max_examples=200, deadline=None)
@given(st.lists(st.sampled_from(_ONE_LINERS + _OTHERS), min_size=2, max_size=8))
def test_parts_render_as_each_alone_with_or_without_markers_between(texts):
    assert render_markdown_parts(texts) == [render_markdown(text) for text in texts]


_INFORMAL_PIECES = ["confidential", "strictly", "in", "confidence", "off the", "record", "not for"]
_INFORMAL_PIECES += ["not to be", "the notes", "circulation", "between us", "don't", "do not"]
_INFORMAL_PIECES += ["minute", "minuted", "this", "session", "private", "[", "]", "(", ")", ":"]
_INFORMAL_PIECES += ["camera", "embargoed", "under the embargo", "publish", ".", " ", "\n", "the"]
# Whole markers too, so that each pattern is met often.
_INFORMAL_PIECES += [
    "(in camera)",
    "[private]",
    "off-the-record",
    "not for publication",
    "in camera",
]
_INFORMAL_PIECES += [
    "please don't share.",
    "confidential items",
    "confidential. the",
    "not minuted",
]
_INFORMAL_PIECES += [
    "between ourselves",
    "a private meeting",
    "(strictly confidential)",
    "do not forward",
]


@settings(max_examples=400, deadline=None)
@given(_made_of(_INFORMAL_PIECES, 10))
def test_informal_markers_are_those_every_pattern_finds(text):
    plain = markers._plain(text)
    every = [name for name, pattern in markers.INFORMAL_MARKERS if pattern.search(plain)]
    found = markers.informal_markers_of([text], spans_cut=True)[0]
    assert [name for name in found if name != markers.NEAR_MARKER] == every
