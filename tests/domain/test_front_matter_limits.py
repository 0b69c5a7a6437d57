"""YAML front matter can never make the server allocate much more than the text it reads."""

from __future__ import annotations

import tracemalloc

import pytest

from notes_app.domain import limits
from notes_app.domain.event_post import EventPostError, parse_event_post
from notes_app.domain.notes_format import MAX_YAML_DEPTH, NotesFormatError, parse

# The classic "billion laughs": nine aliases of nine aliases, nine levels deep (9**9 strings).
BILLION_LAUGHS = """---
title: Laughs
date: 2025-01-15
a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]
b: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]
c: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]
d: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c]
e: &e [*d,*d,*d,*d,*d,*d,*d,*d,*d]
f: &f [*e,*e,*e,*e,*e,*e,*e,*e,*e]
g: &g [*f,*f,*f,*f,*f,*f,*f,*f,*f]
h: &h [*g,*g,*g,*g,*g,*g,*g,*g,*g]
i: &i [*h,*h,*h,*h,*h,*h,*h,*h,*h]
---
The body.
"""
PARSERS = [(parse_event_post, EventPostError), (parse, NotesFormatError)]


def _peak_bytes(read, error, text: str) -> tuple[int, str]:
    """Read `text`, which must be refused (or, for an ordinary text, read): peak memory, why."""
    tracemalloc.start()
    try:
        try:
            read(text)
        except error as refused:
            return tracemalloc.get_traced_memory()[1], str(refused)
        return tracemalloc.get_traced_memory()[1], ""
    finally:
        tracemalloc.stop()


@pytest.mark.parametrize(("read", "error"), PARSERS)
def test_the_billion_laughs_is_refused_naming_the_line_and_stays_small(read, error):
    peak, message = _peak_bytes(read, error, BILLION_LAUGHS)
    assert message == "line 4: YAML anchors and aliases are not allowed"
    # A small multiple of the text, where loading it would take gigabytes.
    assert peak < 100 * len(BILLION_LAUGHS), peak


@pytest.mark.parametrize(("read", "error"), PARSERS)
def test_an_anchor_alone_is_refused_too(read, error):
    text = "---\nterms: [Falcon]\nspeakers: &people []\n---\nA note.\n"
    with pytest.raises(error, match=r"^line 3: YAML anchors and aliases are not allowed$"):
        read(text)


@pytest.mark.parametrize(("read", "error"), PARSERS)
def test_deep_nesting_is_refused_not_a_recursion_error(read, error):
    text = "---\nterms: " + "[" * 5000 + "\n---\nA note.\n"
    peak, message = _peak_bytes(read, error, text)
    assert message == f"line 2: the front matter is nested more than {MAX_YAML_DEPTH} levels deep"
    # Refused early: ten times deeper costs no more, and less than an ordinary list that long.
    deeper, _ = _peak_bytes(read, error, "---\nterms: " + "[" * 50_000 + "\n---\n")
    assert deeper < 2 * peak
    # An ordinary list loads in full (an event post then says it has no title).
    ordinary, _ = _peak_bytes(read, error, "---\nterms: [" + "a," * 2500 + "a]\n---\n")
    assert peak < ordinary


def test_duplicate_keys_are_still_tolerated_in_event_posts():
    text = "---\ntitle: First\ndate: 2025-01-15\ntitle: Second\n---\nBody.\n"
    post, warnings = parse_event_post(text)
    assert post.title == "Second"
    assert warnings == ["line 4: 'title' is given twice (first on line 2); the later value is used"]


def test_a_merge_key_without_an_alias_still_works():
    post, _ = parse_event_post("---\ntitle: T\ndate: 2025-01-15\n<<: {author: Ann}\n---\nB\n")
    assert post.author == "Ann"


def test_a_notes_file_names_the_line_of_an_item_that_is_too_long():
    long_body = "x" * (limits.ITEM_BODY.characters + 1)
    text = f"---\nspeakers: []\n---\n\nA short note.\n\n{long_body}\n"
    with pytest.raises(NotesFormatError) as refused:
        parse(text)
    assert str(refused.value) == f"line 7: {limits.ITEM_BODY.message}"
    parse(f"A note.\n\n{'x' * limits.ITEM_BODY.characters}\n")  # at the limit: fine


def test_a_notes_file_names_the_line_of_a_descriptor_that_is_too_long():
    descriptor = "a" * (limits.SPEAKER_DESCRIPTOR.characters + 1)
    text = (
        f"---\nspeakers:\n  - handle: robin\n    name: Robin\n    descriptor: {descriptor}\n---\n"
    )
    expected = f"^line 5: Descriptors must be {limits.SPEAKER_DESCRIPTOR.characters} characters"
    with pytest.raises(NotesFormatError, match=expected):
        parse(text)


def test_limit_messages_say_the_number_in_words():
    assert limits.COMMENT.message == "Comments must be 10,000 characters or fewer."
    assert limits.COMMENT.problem("x" * 10_000) is None
    assert limits.COMMENT.problem("x" * 10_001) == limits.COMMENT.message
