"""Round 6 of the blind red team on informal confidential markers (R20): each is a warning the
facilitator must confirm before the item is published; prose that only looks alike is not."""

from __future__ import annotations

import pytest

from notes_app.domain.notes import Draft, Item, ItemKind
from notes_app.domain.redaction import redact


def _warnings(body: str) -> list[str]:
    draft = Draft((), (), (Item(ItemKind.NOTE, body, id="n1"),))
    _, report = redact(draft, {})
    return [w.kind for w in report.warnings if w.item_id == "n1"]


MARKED = [
    ("r20-cjk-lenticular-brackets", "【confidential】 M2 secret two."),
    ("r20-guillemets", "«confidential» M3 secret three."),
    ("r20-strictly-private-lead", "Strictly private: M9 secret nine."),
    ("r20-private-lead", "Private: M10 secret ten."),
    ("r20-abbreviated-in-brackets", "[conf] M12 secret twelve."),
    ("r20-abbreviated-with-a-dot", "(conf.) M13 secret thirteen."),
]


@pytest.mark.parametrize("body", [c[1] for c in MARKED], ids=[c[0] for c in MARKED])
def test_an_informal_marker_is_a_warning(body):
    assert "informal-marker" in _warnings(body)


PROSE = [
    ("a-conference", "The conference was good."),
    ("the-private-sector", "Growth in the private sector: slow but steady."),
    ("private-mid-sentence", "We held a private view. It was private: fine."),
]


@pytest.mark.parametrize("body", [c[1] for c in PROSE], ids=[c[0] for c in PROSE])
def test_prose_is_no_marker(body):
    assert "informal-marker" not in _warnings(body)
