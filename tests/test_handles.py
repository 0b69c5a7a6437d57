"""One handle rule: the notes format and the speakers service accept and refuse the same handles."""

from __future__ import annotations

import pytest

from notes_app.domain import handles
from notes_app.domain.notes_format import NotesFormatError, parse, serialise
from notes_app.services import speakers
from notes_app.services.errors import ServiceError

GOOD = ["robin", "r", "R2", "ro-bin_2.x", "_robin", "robin_", "r.ex", "a" * 64, "9lives"]
BAD = ["robin-", "robin.", "-robin", ".robin", "robin smith", "zoë", "r\u043ebin", "a" * 65, ""]


def format_accepts(handle: str) -> bool:
    try:
        parse(f"---\nspeakers:\n  - handle: '{handle}'\n    name: R\n---\n")
    except NotesFormatError:
        return False
    return True


def service_accepts(handle: str) -> bool:
    try:
        speakers._check(speakers.SpeakerFields(handle, "R"))
    except ServiceError:
        return False
    return True


@pytest.mark.parametrize("handle", GOOD + BAD)
def test_both_agree(handle):
    expected = handle in GOOD
    assert handles.is_handle(handle) is expected
    assert format_accepts(handle) is expected
    assert service_accepts(handle) is expected


@pytest.mark.parametrize("handle", GOOD)
def test_a_good_handle_round_trips_as_a_statement(handle):
    text = f"---\nspeakers:\n  - handle: '{handle}'\n    name: R\n---\n\n@{handle}: Hello."
    draft = parse(text)
    assert draft.items[0].speaker == handle
    assert parse(serialise(draft)) == draft
