"""Findings of the blind red team on the gate (round 3), each a named case.

Leaks: a protected form that reached members as written. Garbling: ordinary text that the
engine used to mangle. Each case plants its canary and proves it gone (or, for garbling, the
text unchanged).
"""

from __future__ import annotations

import pytest

from notes_app.domain.notes import Draft, Item, ItemKind, Speaker
from notes_app.domain.redaction import redact
from notes_app.domain.textmatch import skeleton

ROBIN = Speaker(
    "robin",
    "Robin Quennell",
    organisation="Marlowe Civic Foundation",
    role="Head of Tarnwick Strategy",
    email="robin.quennell@marlowefdn.org",
    aliases=("Quenny",),
)
JO = Speaker("jo", "Jo Tarrant", organisation="Brackenridge Council")
MARK = Speaker("mark", "Mark Director")
SPEAKERS = (ROBIN, JO, MARK)

LEAKS = [
    ("plural surname", "Quennells were there.", "quennell"),
    ("plural surname after an article", "The Tarrants view.", "tarrant"),
    ("surname with a digit", "Quennell2 said it.", "quennell"),
    ("surname with a Greek letter joined", "Quennellα agreed.", "quennell"),
    ("digit three for e", "Qu3nnell agreed.", "qu3nnell"),
    ("digit zero for o", "R0bin agreed.", "r0bin"),
    ("digits one for l at the end of a word", "Quenne11 agreed.", "quenne11"),
    ("bars for l", "Quenne|| agreed.", "quenne"),
    ("Greek epsilon for e", "Quεnnell agreed.", "nnell"),
    ("negative circled letters", "🅠🅤🅔🅝🅝🅔🅛🅛 agreed.", "🅝🅝"),
    ("negative squared letters", "🆀🆄🅴🅽🅽🅴🅻🅻 agreed.", "🅽🅽"),
    ("organisation with a plural", "Brackenridges agreed.", "brackenridge"),
    ("phone with dots", "Call 020.7946.0123 today.", "7946"),
    ("email with a quoted local part", 'Write "quoted"@example.org.', "quoted"),
]


@pytest.mark.parametrize(
    ("text", "canary"), [case[1:] for case in LEAKS], ids=[case[0] for case in LEAKS]
)
def test_red_team_leak_is_closed(text, canary):
    published, report = redact(Draft(SPEAKERS, (), (Item(ItemKind.NOTE, text, id="n1"),)), {})
    shown = published.markdown + published.html
    assert canary.casefold() not in shown.casefold()
    assert skeleton(canary) not in skeleton(shown) or not skeleton(canary).isalpha()
    assert report.ok


GARBLED = [
    (
        "a name part that is a verb and a title",
        "We will mark the papers. Mark my words: the director will lead on open data.",
    ),
    ("particles of another language", "The van was parked; der Spiegel."),
    ("months and places", "In May the council of Europe may bill us."),
]


@pytest.mark.parametrize("text", [case[1] for case in GARBLED], ids=[case[0] for case in GARBLED])
def test_red_team_ordinary_text_is_left_alone(text):
    speakers = (*SPEAKERS, Speaker("anna", "Anna van der Berg"), Speaker("bill", "Bill Council"))
    published, _ = redact(Draft(speakers, (), (Item(ItemKind.NOTE, text, id="n1"),)), {})
    assert published.items[0].markdown == text
