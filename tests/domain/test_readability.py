"""Readability corpus: what members read must still be English (DESIGN.md, rule 6).

Speakers here are named like ordinary words (Will Council, Hope Brown, Crisis Mind), have
particles, apostrophes and transliterated letters in their names, and organisations that are
ordinary words. Each case is a note or statement and the exact text members get.
"""

from __future__ import annotations

import pytest

from notes_app.domain.consent import Consent, Decision, Level, wording_hash
from notes_app.domain.notes import Draft, Item, ItemKind, Speaker
from notes_app.domain.redaction import redact

SPEAKERS = (
    Speaker("will", "Will Council", organisation="Van der Berg Housing", role="Housing Officer"),
    Speaker(
        "mind",
        "Crisis Mind",
        organisation="Keep Trust",
        role="Public Engagement, Communications and Impact Manager",
    ),
    Speaker(
        "hope",
        "Hope Brown",
        organisation="The Green Institute",
        role="Director",
        descriptor="a speaker from a charity",
    ),
    Speaker("anna", "Anna van der Berg", organisation="Berg Consulting"),
    Speaker("siob", "Dr Siobhan O'Neill", organisation="Acme Analytics Ltd", role="Data Lead"),
    Speaker("jan", "Jan Müller", aliases=("Jan the Man",)),
    Speaker("rose", "Rose Mark", organisation="Bridge", descriptor="a researcher"),
    Speaker("oak", "Ash Oakley", organisation="Harbour"),
)

# (name, text, what members read). Nobody here is credited, except where a case says so.
NOTES = [
    (
        "a capital letter that ends a sentence is no initial",
        "We chose plan A. Will said it worked.",
        "We chose plan A. A participant said it worked.",
    ),
    (
        "a capital letter that ends a sentence makes no name of the next word",
        "We chose plan A. Will the council agree?",
        "We chose plan A. Will the council agree?",
    ),
    (
        "an initial of the speaker goes with the replacement",
        "We met W. Council and W. C. Council.",
        "We met a participant and a participant.",
    ),
    (
        "a name in lower case at a sentence's start is replaced with a capital",
        "The van was late. will said so.",
        "The van was late. A participant said so.",
    ),
    (
        "after a colon or an abbreviation the replacement stays in lower case",
        "One view: will said so, e.g. will said it twice.",
        "One view: a participant said so, e.g. a participant said it twice.",
    ),
    (
        "ordinary words that are names stay ordinary words",
        "Will the council grant it? The housing crisis is worse. Keep in mind the council van "
        "was late.",
        "Will the council grant it? The housing crisis is worse. Keep in mind the council van "
        "was late.",
    ),
    (
        "a name followed by a reporting verb",
        "Will said the council van was late.",
        "A participant said the council van was late.",
    ),
    (
        "a name capitalised in running text and as a possessive",
        "We asked Will about it, and Will's answer was clear.",
        "We asked a participant about it, and a participant's answer was clear.",
    ),
    (
        "the same word as a word and as a name",
        "Hope is not a plan, said Brown.",
        "Hope is not a plan, said a participant.",
    ),
    (
        "lower case and the whole name",
        "There is hope. Hope Brown disagreed.",
        "There is hope. A participant disagreed.",
    ),
    (
        "a name with role and organisation is one participant",
        "Crisis Mind, Public Engagement, Communications and Impact Manager at Keep Trust, spoke.",
        "A participant spoke.",
    ),
    (
        "an organisation keeps no doubled article",
        "The Keep Trust pilot worked, and Keep Trust staff agreed.",
        "An organisation pilot worked, and an organisation staff agreed.",
    ),
    (
        "particles are never terms alone",
        "Anna van der Berg spoke. The van was late and Berg apologised.",
        "A participant spoke. The van was late and a participant apologised.",
    ),
    (
        "a title, an apostrophe surname and the part after the apostrophe",
        "We asked Dr O'Neill. Neill agreed; Siobhan too.",
        "We asked a participant. A participant agreed; a participant too.",
    ),
    (
        "a transliterated name",
        "Mueller wrote to us. We will keep in touch.",
        "A participant wrote to us. We will keep in touch.",
    ),
    (
        "a role with its article and organisation",
        "Members heard from the Data Lead at Acme Analytics.",
        "Members heard from a participant.",
    ),
    (
        "a bracketed organisation after the name",
        "We thanked Hope Brown (The Green Institute) for hosting.",
        "We thanked a participant for hosting.",
    ),
    (
        "an organisation that is an ordinary word",
        "The harbour was busy. The pilot was funded by Harbour.",
        "The harbour was busy. The pilot was funded by an organisation.",
    ),
    (
        "a removed span in the middle of a sentence",
        "The grant was [confidential]£2m from the Treasury[/confidential] agreed in March.",
        "The grant was agreed in March.",
    ),
    (
        "a removed sentence between sentences",
        "Members agreed. [confidential]The minister will resign.[/confidential] Next steps follow.",
        "Members agreed. Next steps follow.",
    ),
    (
        "a removed span before the full stop",
        "The pilot ran in three towns [confidential]including Wigan[/confidential].",
        "The pilot ran in three towns.",
    ),
    (
        "a list of ordinary words and a name",
        "- Will wrote the report.\n- We will publish it in May.\n- Keep it short.",
        "- A participant wrote the report.\n- We will publish it in May.\n- Keep it short.",
    ),
    (
        "a heading in title case",
        "## Keep Going\n\nThe crisis team met.",
        "## Keep Going\n\nThe crisis team met.",
    ),
    (
        "an alias of ordinary words",
        "Jan the Man chaired. We met the man from the council.",
        "A participant chaired. We met the man from the council.",
    ),
    (
        "a sentence that starts with an ordinary word",
        "Council budgets are tight, said Will.",
        "Council budgets are tight, said a participant.",
    ),
]


@pytest.mark.parametrize(
    ("text", "expected"), [case[1:] for case in NOTES], ids=[case[0] for case in NOTES]
)
def test_members_read_plain_english(text, expected):
    published, report = redact(Draft(SPEAKERS, (), (Item(ItemKind.NOTE, text, id="n1"),)), {})
    assert report.ok, report.leaks
    assert published.items[0].markdown == expected


def _consent(item: Item, level: Level, label: str = "") -> Consent:
    return Consent(
        item.id, item.speaker or "", Decision.GRANTED, wording_hash(item.body), level, label
    )


def test_a_credited_and_an_uncredited_speaker_in_one_sentence():
    statement = Item(
        ItemKind.STATEMENT, "Rose Mark said the data was late; Will agreed.", "rose", id="s1"
    )
    mention = Item(
        ItemKind.NOTE, "Rose presented, and we will mark the date. Will took notes.", id="n1"
    )
    consents = {"s1": _consent(statement, Level.NAME, "Rose Mark")}
    published, report = redact(Draft(SPEAKERS, (), (statement, mention)), consents)
    assert report.ok
    assert [item.markdown for item in published.items] == [
        "**Rose Mark:** Rose Mark said the data was late; a participant agreed.",
        "Rose presented, and we will mark the date. Will took notes.",
    ]
    # "Will took" starts a sentence: "took" is no reporting verb, so it is the facilitator's
    # call, and the preview says so.
    assert [(w.kind, w.item_id) for w in report.warnings] == [("ambiguous-word", "n1")]


def test_a_described_speaker_reads_as_their_descriptor():
    statement = Item(
        ItemKind.STATEMENT,
        "We at the Green Institute think the green belt matters.",
        "hope",
        id="s1",
    )
    mention = Item(
        ItemKind.NOTE,
        "Hope Brown of The Green Institute chaired, and Will Council took notes.",
        id="n1",
    )
    consents = {"s1": _consent(statement, Level.DESCRIPTOR, "a speaker from a charity")}
    published, _ = redact(Draft(SPEAKERS, (), (statement, mention)), consents)
    assert [item.markdown for item in published.items] == [
        "**a speaker from a charity:** We at an organisation think the green belt matters.",
        "A speaker from a charity chaired, and a participant took notes.",
    ]


@pytest.mark.parametrize(
    ("text", "shown"),
    [
        ("The project was funded by [confidential]the Wellcome Trust[/confidential].", "by"),
        ("The plan ([confidential]draft two[/confidential]) was agreed.", "("),
    ],
    ids=["a preposition left hanging", "empty brackets"],
)
def test_a_removed_span_that_leaves_a_sentence_unreadable_is_a_warning(text, shown):
    _, report = redact(Draft(SPEAKERS, (), (Item(ItemKind.NOTE, text, id="n1"),)), {})
    [warning] = [w for w in report.warnings if w.kind == "unreadable"]
    assert warning.item_id == "n1" and shown in warning.message
    assert "Wellcome" not in warning.message and "draft two" not in warning.message


def test_a_removed_span_that_leaves_a_sentence_whole_is_no_warning():
    text = "Members agreed. [confidential]The minister will resign.[/confidential] Next."
    _, report = redact(Draft(SPEAKERS, (), (Item(ItemKind.NOTE, text, id="n1"),)), {})
    assert not report.warnings


def test_two_replacements_side_by_side_are_a_warning():
    text = "Ash Oakley Anna van der Berg met."
    published, report = redact(Draft(SPEAKERS, (), (Item(ItemKind.NOTE, text, id="n1"),)), {})
    assert published.items[0].markdown == "A participant a participant met."
    assert [w.kind for w in report.warnings] == ["unreadable"]
