"""The blind red team's fifth round on when a name that is also a word is one, and how its
replacement reads (findings L3, L7, L8, L14, L20, L23, O4, O5).

Our own speakers, shaped like the red team's: a given name that only a specialist's dictionary
lists as a word (`Kim`), family names that are ordinary words (`Lee`, `Talbot`), a given name
that is one (`Anna`), and a one-word role (`Director`). Each leak case plants the protected
text and proves it absent from the Markdown and the page; each readability case says the exact
sentence members read.
"""

from __future__ import annotations

import html

import pytest

from notes_app.domain.identity import ordinary_name_word, ordinary_word
from notes_app.domain.notes import Draft, Item, ItemKind, Speaker
from notes_app.domain.redaction import find_terms, protected_terms, redact
from notes_app.domain.redaction.terms import ProtectedTerm, TermKind, is_vague

KIM = Speaker(
    "kim",
    "Kim Lee",
    organisation="Acme Analytics Ltd",
    role="Data Protection Officer",
    email="kim.lee@acme-analytics.com",
)
JO = Speaker("jo", "Jo Bloggs-Smith", organisation="The Open Data Institute", role="Head of Policy")
GWEN = Speaker("g", "Gwen Talbot", organisation="Northshire Council")
PRIS = Speaker("pz", "Priscilla Zhang", organisation="Zhang Consulting", role="Director")
ANNA = Speaker("anna", "Анна Ковальчук", organisation="Міністерство цифрової трансформації")
OLEK = Speaker("olek", "Ołeksandr Petrenko", organisation="Kyiv Digital Office")
SPEAKERS = (KIM, JO, GWEN, PRIS, ANNA, OLEK)


def _redact(body: str, kind: ItemKind = ItemKind.NOTE, speaker: str | None = None):
    item = Item(kind, body, speaker, id="i1")
    return redact(Draft(SPEAKERS, (), (item,)), {})


def published(body: str, kind: ItemKind = ItemKind.NOTE, speaker: str | None = None) -> str:
    result, report = _redact(body, kind, speaker)
    assert not report.leaks, report.leaks
    return result.items[0].markdown


def shown(body: str) -> str:
    result, report = _redact(body)
    assert not report.leaks, report.leaks
    return (result.markdown + "\n" + html.unescape(result.html)).casefold()


# (name, body, canaries that must not be shown)
LEAKS = [
    (
        "l7-lower-case-given-name-in-another-speakers-statement",
        "I have worked with kim and her team at Acme for years.",
        ("kim",),
    ),
    ("l7-lower-case-given-name-after-to", "We sent it to kim yesterday.", ("kim",)),
    ("l7-lower-case-given-name-starting-a-sentence", "kim was great.", ("kim",)),
    ("l3-transliterated-given-name-in-an-and-pair", "- anna and olek both spoke", ("anna",)),
    ("l3-ordinary-given-name-before-a-verb-of-speech", "Later, anna said no.", ("anna",)),
    ("l3-ordinary-given-name-thanked", "thanks anna for the slides", ("anna",)),
    ("l3-ordinary-name-beside-another-name", "jo and lee agreed on it", ("jo ", " lee")),
    (
        "l8-initial-and-ordinary-family-name",
        "A note about K. Lee and J. Bloggs-Smith.",
        ("lee", "k.", "j."),
    ),
    ("l8-two-initials-and-family-name", "We thanked J. A. Talbot for it.", ("talbot", "j. a.")),
    ("l8-initial-without-space", "We thanked G.Talbot for it.", ("talbot", "g.")),
    (
        "l14-initial-at-the-start-of-an-item",
        "- P. Zhang and G. Talbot",
        ("talbot", "zhang", "p.", "g."),
    ),
    (
        "l14-plural-possessive-of-ordinary-family-name",
        "- Talbots' team and the Zhangs",
        ("talbot", "zhang"),
    ),
    ("l14-initial-and-possessive", "It was G. Talbot's idea.", ("talbot", "g.")),
    (
        "l23-family-name-in-a-snake-case-file-name",
        "- Gwen's slides: talbot_slides_final.pdf",
        ("talbot",),
    ),
    ("l23-family-name-in-a-kebab-case-file-name", "See slides-talbot.pptx now.", ("talbot",)),
    ("l23-family-name-in-a-dotted-file-name", "See talbot.notes.md now.", ("talbot",)),
    ("l23-capitalised-family-name-in-a-file-name", "- Talbot_final.docx is attached", ("talbot",)),
]


@pytest.mark.parametrize(
    ("body", "canaries"), [case[1:] for case in LEAKS], ids=[case[0] for case in LEAKS]
)
def test_round5_usage_leaks(body, canaries):
    text = shown(body)
    for canary in canaries:
        assert canary.casefold() not in text, (canary, text)


# (name, body, exactly what members read)
READABLE = [
    (
        "l7-lower-case-given-name-reads-as-a-participant",
        "I have worked with kim and her team at Acme for years.",
        "I have worked with a participant and her team at an organisation for years.",
    ),
    (
        # `olek`, the short form of Ołeksandr, is a name in the pair too (round 5, morph).
        "l3-an-and-pair-replaces-both-names",
        "- anna and olek both spoke",
        "- A participant and a participant both spoke",
    ),
    (
        "o4-initials-go-with-the-name-in-lower-case-mid-sentence",
        "A note about K. Lee and J. Bloggs-Smith.",
        "A note about a participant and a participant.",
    ),
    (
        "o4-initials-at-the-start-capitalise-the-replacement",
        "- P. Zhang and G. Talbot",
        "- A participant and a participant",
    ),
    (
        "o4-two-initials-and-a-possessive",
        "It was J. A. Talbot's idea.",
        "It was a participant's idea.",
    ),
    (
        "l14-plural-possessive-reads-as-a-possessive",
        "- Talbots' team and the Zhangs",
        "- A participant's team and a participant",
    ),
    (
        "o5-role-at-the-start-of-a-sentence-with-of",
        "The Director of the consultancy said so.",
        "A participant from the consultancy said so.",
    ),
    (
        "o5-role-mid-sentence-with-of",
        "- Then the Director of the consultancy said so",
        "- Then a participant from the consultancy said so",
    ),
    (
        "o5-name-with-of-another-organisation",
        "Jo Bloggs-Smith of the council spoke.",
        "A participant from the council spoke.",
    ),
    (
        "o5-role-and-organisation-are-one-participant",
        "Ask the DPO at acme-analytics.",
        "Ask a participant.",
    ),
    (
        "l23-file-names-keep-their-extension",
        "- Gwen's slides: talbot_slides_final.pdf and gwen-talbot.pptx",
        "- A participant's slides: a participant.pdf and a participant.pptx",
    ),
    # Precision: the same words where they are no names.
    (
        "precision-lee-and-talbot-as-ordinary-words",
        "The lee of the hill was calm. A talbot is a hound.",
        "The lee of the hill was calm. A talbot is a hound.",
    ),
    (
        "precision-an-ordinary-word-after-a-determiner-before-said",
        "The lee said nothing to the sailors, and the talbot barked.",
        "The lee said nothing to the sailors, and the talbot barked.",
    ),
    (
        "precision-an-ordinary-word-in-a-hyphenated-compound",
        "A talbot-style hound and the lee-side of the boat.",
        "A talbot-style hound and the lee-side of the boat.",
    ),
    (
        "precision-a-letter-and-a-full-stop-is-no-initial-of-a-lower-case-word",
        "We chose plan B. the lee side was calmer.",
        "We chose plan B. the lee side was calmer.",
    ),
    (
        "precision-of-after-an-organisation-stays",
        "Acme Analytics of the north was slow.",
        "An organisation of the north was slow.",
    ),
]


@pytest.mark.parametrize(
    ("body", "expected"), [case[1:] for case in READABLE], ids=[case[0] for case in READABLE]
)
def test_round5_usage_reads(body, expected):
    assert published(body) == expected


def test_round5_usage_in_a_statement_of_another_speaker():
    body = "I have worked with kim and her team at Acme for years; ask the DPO at acme-analytics."
    assert published(body, ItemKind.STATEMENT, "jo") == (
        "I have worked with a participant and her team at an organisation for years; "
        "ask a participant."
    )


def test_round5_usage_kim_is_no_ordinary_word_but_lee_is():
    # Webster's Second lists `kim` in lower case; the smaller GCIDE does not: as a name, it is
    # a name everywhere. `lee`, `anna`, `talbot` are in both: names only where used as one.
    assert ordinary_word("kim") and not ordinary_name_word("kim")
    assert all(ordinary_name_word(word) for word in ("lee", "anna", "talbot", "will", "rose"))
    assert not is_vague("Kim", person=True) and is_vague("Kim")
    assert is_vague("Lee", person=True)


@pytest.mark.parametrize(
    "comment",
    ["kim was great", "thanks anna", "anna and olek both spoke", "I liked K. Lee's point"],
    ids=[
        "l20-comment-lower-case-given-name",
        "l20-comment-thanking-an-ordinary-given-name",
        "l20-comment-an-and-pair",
        "l20-comment-initial-and-family-name",
    ],
)
def test_round5_usage_comments_naming_a_speaker_are_found(comment):
    terms = protected_terms(Draft(SPEAKERS, (), ()), {})
    assert find_terms(comment, terms), comment


@pytest.mark.parametrize(
    "comment",
    ["The lee of the hill was calm", "A talbot is a hound", "Will we meet again?"],
)
def test_round5_usage_comments_with_the_words_as_words_are_posted(comment):
    terms = protected_terms(Draft(SPEAKERS, (), ()), {})
    assert not find_terms(comment, terms), comment


def test_round5_usage_a_person_term_is_marked_as_one():
    terms = protected_terms(Draft((GWEN,), (), ()), {})
    [talbot] = [t for t in terms if t.text == "Talbot"]
    assert talbot == ProtectedTerm("Talbot", TermKind.NAME, "a participant", "g", True)
