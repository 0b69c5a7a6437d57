"""The blind red team's findings: each plants its canary, publishes, and proves it absent."""

from __future__ import annotations

import html

from notes_app.domain.consent import (
    Consent,
    Decision,
    Level,
    decision_for,
    statement_consent,
    wording_hash,
)
from notes_app.domain.notes import Draft, Item, ItemKind, Speaker
from notes_app.domain.redaction import redact


def note(body: str, item_id: str = "n1") -> Item:
    return Item(ItemKind.NOTE, body, id=item_id)


def shown(draft: Draft, consents: dict[str, Consent] | None = None, terms=()) -> str:
    """What members would read: the Markdown and the page, folded for searching."""
    published, report = redact(draft, consents or {}, terms)
    assert not report.leaks, report.leaks
    return (published.markdown + "\n" + html.unescape(published.html)).casefold()


def speaker(organisation: str = "", name: str = "Xan Qzy", role: str = "") -> Speaker:
    return Speaker("x", name, organisation=organisation, role=role)


def assert_absent(body: str, canaries: tuple[str, ...], who: Speaker, terms=()) -> None:
    text = shown(Draft((who,), tuple(terms), (note(body),)))
    for canary in canaries:
        assert canary.casefold() not in text, canary


def test_red_team_organisation_word_alone():
    marlowe = speaker("Marlowe Civic Foundation")
    body = "The Marlowe team agreed. Marlowe's board met. See https://www.marlowe.org/ today."
    assert_absent(body, ("marlowe",), marlowe)


def test_red_team_organisation_words_after_generic():
    kelpie = speaker("The Royal Society for Kelpie Welfare")
    assert_absent("Kelpie Welfare wrote. Kelpie agreed.", ("kelpie",), kelpie)


def test_red_team_organisation_transliterated():
    grunwald = speaker("Universität Grünwald-Ost")
    body = "Grünwald said yes. Gruenwald said no. Grunwald said maybe."
    assert_absent(body, ("grünwald", "gruenwald", "grunwald"), grunwald)


def test_red_team_organisation_ordinary_word_stays_as_a_word():
    published, _ = redact(
        Draft((speaker("Marlowe Civic Foundation"),), (), (note("Voting is a civic duty."),)), {}
    )
    assert "civic duty" in published.markdown


def test_red_team_extra_term_word_alone():
    draft = Draft((), ("Project Kestrel",), (note("We start Kestrel in May; the kestrel flew."),))
    published, report = redact(draft, {})
    assert not report.leaks
    assert "Kestrel in May" not in published.markdown
    assert "the kestrel flew" in published.markdown  # an ordinary word where it is one


def test_red_team_network_term_word_alone():
    draft = Draft((), (), (note("We start Kestrel in May."),))
    assert "kestrel" not in shown(draft, terms=("Project Kestrel",))


def test_red_team_transliterated_names():
    for name, body, canaries in (
        ("Jürgen Habicht", "Juergen agreed.", ("juergen",)),
        ("Jürgen", "Juergen agreed.", ("juergen",)),
        ("Hans Ørsted", "Oersted agreed.", ("oersted",)),
        ("Þóra Ðorsdóttir", "Thora agreed with Thorsdottir.", ("thora", "thorsdottir")),
        ("Иван Петров", "Ivan Petrov agreed. Petrov left.", ("ivan", "petrov")),
    ):
        assert_absent(body, canaries, speaker(name=name))


def test_red_team_role_parts():
    lead = speaker(role="Head of Tarnwick Strategy")
    assert_absent("Tarnwick Strategy wants more. Tarnwick agreed.", ("tarnwick",), lead)


def _named_consent(item: Item, label: str) -> Consent:
    return Consent(item.id, item.speaker or "", Decision.GRANTED, wording_hash(item.body),
                   Level.NAME, label)  # fmt: skip


def test_red_team_shared_first_name_credit():
    # The red team's pair: the credit label shows the part of the name they share.
    named = Speaker("rb", "Rafe Qadir")
    hidden = Speaker("ra", "Rafe Bexley", organisation="Bexmoor Trust")
    said = Item(ItemKind.STATEMENT, "I, Rafe Qadir, think panels need paying.", "rb", id="s1")
    other = Item(ItemKind.STATEMENT, "Budgets are tight, Bexley said.", "ra", id="s2")
    draft = Draft((named, hidden), (), (said, other))
    published, report = redact(draft, {"s1": _named_consent(said, "Rafe Qadir")})
    assert report.ok, report.leaks
    assert "**Rafe Qadir:** I, Rafe Qadir, think" in published.markdown
    assert "bexley" not in published.markdown.casefold()


def test_red_team_shared_first_name_still_hides_the_other():
    named = Speaker("ra", "Rana Qadir")
    hidden = Speaker("rb", "Rana Bexley")
    said = Item(ItemKind.STATEMENT, "Pay panels.", "ra", id="s1")
    draft = Draft((named, hidden), (), (said, note("We heard Rana Bexley.", "n2")))
    text = shown(draft, {"s1": _named_consent(said, "Dr Rana Qadir")})
    assert "bexley" not in text
    assert "dr rana qadir" in text


def test_red_team_descriptor_edited_after_consent():
    said = Item(ItemKind.STATEMENT, "Pay panels fairly.", "x", id="s1")
    agreed = "a speaker from a charity"
    consent = Consent("s1", "x", Decision.GRANTED, wording_hash(said.body), Level.DESCRIPTOR,
                      agreed)  # fmt: skip
    edited = Speaker("x", "Xan Qzy", descriptor="a speaker from Kelpie Welfare in Leeds")
    published, _ = redact(Draft((edited,), (), (said,)), {"s1": consent})
    assert "leeds" not in published.markdown.casefold()
    assert agreed not in published.markdown
    kept = Speaker("x", "Xan Qzy", descriptor=agreed)
    published, _ = redact(Draft((kept,), (), (said,)), {"s1": consent})
    assert agreed in published.markdown


def test_red_team_descriptor_edited_asks_again():
    body = "Pay panels fairly."
    agreed = Consent("s1", "x", Decision.GRANTED, wording_hash(body), Level.DESCRIPTOR,
                     "a speaker from a charity")  # fmt: skip
    now = statement_consent([agreed], "s1", "x", body, "a speaker from Leeds")
    assert now.credit is None
    # Choosing the descriptor credit again records a new grant, for the descriptor as it is now.
    assert decision_for(now, Level.DESCRIPTOR) is Decision.GRANTED
    same = statement_consent([agreed], "s1", "x", body, "a speaker from a charity")
    assert same.credit is not None
    assert decision_for(same, Level.DESCRIPTOR) is None
