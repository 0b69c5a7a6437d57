"""Round 6 of the blind red team on what the facilitator must be warned of (R11, R12).

R11: a confidential item retold in other words, sharing two of its names, published with no
warning. R12: a speaker credited by name on one statement and not on another; a note retold the
uncredited statement under their name. Both are warnings the facilitator confirms; the cases
with no reason to warn stay quiet.
"""

from __future__ import annotations

import dataclasses

import pytest

from notes_app.domain import notes_format
from notes_app.domain.consent import Consent, Decision, Level, wording_hash
from notes_app.domain.redaction import redact

HEAD = """---
speakers:
  - handle: gwen
    name: Gwendolyn Farrow
    organisation: Farrow Lab
    role: Research Director
---

# Items

@gwen: Data trusts need independent boards.

@gwen: Speaking for the lab, I think the regulator is captured by industry, and I will say so publicly.

[confidential] The ministry will close the regional statistics office in Leeds next June and move forty staff to Newport.

"""


def _warnings(note: str, *, credit_first: bool = True) -> list[tuple[str, str]]:
    draft = notes_format.parse(HEAD + note + "\n")
    items = tuple(dataclasses.replace(it, id=f"i{n}") for n, it in enumerate(draft.items))
    draft = dataclasses.replace(draft, items=items)
    first = items[1]
    consents = {}
    if credit_first:
        consents[first.id] = Consent(
            item_id=first.id,
            speaker="gwen",
            decision=Decision.GRANTED,
            wording_hash=wording_hash(first.body),
            level=Level.NAME,
            label="Gwendolyn Farrow",
        )
    _, report = redact(draft, consents)
    return [(w.kind, w.item_id) for w in report.warnings if w.item_id == items[-1].id]


ECHOES = [
    ("r12-named-and-retold", "Gwendolyn Farrow argued that the regulator is captured by industry."),
    ("r12-given-name-and-retold", "It was Gwendolyn who said the regulator is captured publicly."),
]


@pytest.mark.parametrize("note", [c[1] for c in ECHOES], ids=[c[0] for c in ECHOES])
def test_r12_a_note_retelling_an_uncredited_statement_under_its_speakers_name_warns(note):
    assert ("declined-echo", "i4") in _warnings(note)


@pytest.mark.parametrize(
    "note",
    [
        "Gwendolyn Farrow thanked everyone for coming.",  # names her, retells nothing
        "Members agreed the regulator is captured by industry.",  # retells, names nobody
    ],
)
def test_r12_no_warning_without_both_the_name_and_the_words(note):
    assert [kind for kind, _ in _warnings(note)] == []


def test_r12_no_warning_when_the_speaker_is_credited_nowhere():
    note = "Members said the regulator is captured by industry, as a participant put it."
    assert [kind for kind, _ in _warnings(note, credit_first=False)] == []


RETOLD = [
    (
        "r11-p2",
        "Next June the ministry is shutting its Leeds stats office; 40 staff go to Newport.",
    ),
    ("r11-p3", "Leeds loses its statistics office next summer; forty jobs go to Newport."),
]


@pytest.mark.parametrize("note", [c[1] for c in RETOLD], ids=[c[0] for c in RETOLD])
def test_r11_a_confidential_item_retold_with_two_of_its_names_warns(note):
    assert ("confidential-paraphrase", "i4") in _warnings(note)


def test_r11_one_shared_name_alone_does_not_warn():
    assert _warnings("Our next meeting is in Leeds.") == []
