"""What identifies a speaker beyond their name (DESIGN.md rule 3), and what does not (rule 6)."""

from __future__ import annotations

import html

import pytest

from notes_app.domain.consent import Consent, Decision, Level, wording_hash
from notes_app.domain.identity import email_forms, organisation_forms
from notes_app.domain.notes import Draft, Item, ItemKind, Speaker
from notes_app.domain.redaction import AN_ORGANISATION, protected_terms, redact

# The red team's speaker: nothing consented, every detail planted as a canary.
ROBIN = Speaker(
    "robin",
    "Robin Qzxname",
    organisation="Qzxorg University",
    role="Qzxrole Lead",
    email="qzxmail@qzxdomain.org",
)
NAMED = Speaker("ana", "Ana Named", organisation="Other Place", email="ana@gmail.com")


def note(body: str, item_id: str = "n1") -> Item:
    return Item(ItemKind.NOTE, body, id=item_id)


def published_text(body: str, *speakers: Speaker) -> tuple[str, str, bool]:
    draft = Draft(speakers or (ROBIN,), (), (note(body),))
    published, report = redact(draft, {})
    return published.markdown, html.unescape(published.html), report.ok


# (case name, text planted in the notes, canary that must not be published)
CANARIES = [
    ("email local part", "ask qzxmail please", "qzxmail"),
    ("email domain auto-linked", "visit qzxdomain.org", "qzxdomain"),
    ("email domain as link", "see [site](https://qzxdomain.org/about)", "qzxdomain"),
    ("registrable name", "the qzxdomain people", "qzxdomain"),
    ("organisation distinctive part", "Qzxorg said", "qzxorg"),
    ("organisation part lower case", "someone at qzxorg agreed", "qzxorg"),
    ("role", "the Qzxrole Lead was there", "qzxrole"),
    ("role lower case", "our qzxrole lead spoke", "qzxrole"),
    ("email written out", "qzxmail at qzxdomain dot org", "qzxmail"),
    ("email written out, domain", "qzxmail at qzxdomain dot org", "qzxdomain"),
    ("email half written out", "write to qzxmail at qzxdomain.org", "qzxdomain"),
    ("email in brackets", "qzxmail (at) qzxdomain (dot) org", "qzxdomain"),
]


@pytest.mark.parametrize(
    ("body", "canary"), [c[1:] for c in CANARIES], ids=[c[0] for c in CANARIES]
)
def test_canary_is_not_published(body, canary):
    markdown, page, _ = published_text(body)
    assert canary not in markdown.casefold()
    assert canary not in page.casefold()


def test_replacements_read_as_english():
    markdown, _, ok = published_text("the Qzxrole Lead was there. Qzxorg said. ask qzxmail please")
    assert ok
    assert "A participant was there" in markdown or "a participant was there" in markdown
    assert "the a participant" not in markdown
    assert "ask a participant please" in markdown


def test_role_is_not_protected_where_the_speaker_is_named():
    statement = Item(ItemKind.STATEMENT, "As Qzxrole Lead I agree.", "robin", id="s1")
    consent = Consent(
        "s1", "robin", Decision.GRANTED, wording_hash(statement.body), Level.NAME, "Robin"
    )
    terms = protected_terms(Draft((ROBIN,), (), (statement,)), {"s1": consent})
    assert not any(t.speaker == "robin" for t in terms)


# --- precision: what does not become protected ---------------------------------------------

PRECISION = [
    (
        "generic word of the organisation",
        Speaker("x", "Xan Qzy", "Example University"),
        "the University library",
        "University",
    ),
    (
        "generic word with article",
        Speaker("x", "Xan Qzy", "Northshire Council"),
        "the council met",
        "the council",
    ),
    (
        "public mail provider",
        Speaker("x", "Xan Qzy", email="xanqzy@gmail.com"),
        "I use gmail daily",
        "gmail",
    ),
    ("role mailbox", Speaker("x", "Xan Qzy", email="info@qzyorg.org"), "more info soon", "info"),
    (
        "common-word organisation part",
        Speaker("x", "Xan Qzy", "The Open University"),
        "the door was open",
        "open",
    ),
]


@pytest.mark.parametrize(
    ("speaker", "body", "kept"), [c[1:] for c in PRECISION], ids=[c[0] for c in PRECISION]
)
def test_ordinary_words_stay(speaker, body, kept):
    markdown, _, _ = published_text(body, speaker)
    assert kept in markdown


def test_derived_forms():
    assert organisation_forms("Qzxorg University") == ["Qzxorg"]
    assert organisation_forms("The Northshire Council") == ["Northshire"]
    assert organisation_forms("Example University") == []
    assert "HQT" in organisation_forms("Halvorsen Quantum Trust")
    assert "AIR" not in organisation_forms("Air Industry Regulators")  # a common word
    forms = [text for text, _ in email_forms("qzxmail@dept.qzxdomain.ac.uk")]
    assert "dept.qzxdomain.ac.uk" in forms and "qzxdomain" in forms and "qzxmail" in forms
    assert [text for text, _ in email_forms("xan@gmail.com")][:1] == ["xan at gmail dot com"]


def test_a_named_speaker_keeps_their_details():
    markdown, _, _ = published_text("the org is Other Place", NAMED)
    assert AN_ORGANISATION in markdown  # not named: their organisation is protected
