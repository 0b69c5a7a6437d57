"""Redaction: every rule of "Redaction: what members see", and the ways a name slips through."""

from __future__ import annotations

import html
import re
import unicodedata
from urllib.parse import unquote_plus

import pytest

from notes_app.domain.consent import Consent, Decision, Level, wording_hash
from notes_app.domain.notes import Draft, Item, ItemKind, Speaker
from notes_app.domain.notes_format import parse
from notes_app.domain.redaction import (
    A_PARTICIPANT,
    AN_ORGANISATION,
    REDACTED,
    RedactionOptions,
    TermKind,
    find_terms,
    name_parts,
    protected_terms,
    redact,
    split_spans,
)
from tests.paths import PROJECT_ROOT

# A speaker who has not consented to anything: everything about them is protected.
QUILLON = Speaker(
    "quillon",
    "Quillon Vardakis",
    organisation="Halvorsen Institute",
    role="Chief Data Steward",
    email="quillon@vardakis.example",
    aliases=("Dr Vardakis",),
    descriptor="a speaker from a research institute",
)
# A speaker who consents to be named on one statement.
ROBIN = Speaker(
    "robin",
    "Robin Example",
    organisation="Example University",
    role="Ethics Lead",
    email="robin@example.org",
    aliases=("Rob",),
    descriptor="a speaker from a university",
)
ZOE = Speaker("zoe", "Zoë Kowalczyk", organisation="Brightwater Trust")
MEETING_TERM = "Project Nightjar"

_LOOKALIKES = str.maketrans("аеорсухіΑΒΕΙΚΜΝΟΡΤΧΥ", "aeopcyxiabeikmnoptxy")


def flat(text: str) -> str:
    """Normalise hard, independently of the code under test: decode, fold, drop separators."""
    text = unquote_plus(html.unescape(text))
    text = unicodedata.normalize("NFKD", text)
    text = "".join(c for c in text if not unicodedata.combining(c)).translate(_LOOKALIKES)
    return re.sub(r"[\W_]+", "", text.casefold().translate(_LOOKALIKES))


def visible(markup: str) -> str:
    """What a reader sees: the HTML without its tags."""
    return re.sub(r"<[^>]*>", "", markup)


def shows(published, text: str) -> bool:
    """Tell whether text survives anywhere in what members get, however disguised."""
    needle = flat(text)
    return any(
        needle in flat(view)
        for view in (published.html, visible(published.html), published.markdown)
    )


def note(body: str, item_id: str = "n1", **fields) -> Item:
    return Item(ItemKind.NOTE, body, id=item_id, **fields)


def statement(speaker: Speaker, body: str, item_id: str, **fields) -> Item:
    return Item(ItemKind.STATEMENT, body, speaker.handle, id=item_id, **fields)


def section(body: str, item_id: str = "h1", level: int = 2) -> Item:
    return Item(ItemKind.SECTION, body, level=level, id=item_id)


def grant(item: Item, level: Level = Level.NAME, label: str = "", descriptor=None) -> Consent:
    """A grant; by descriptor, recording the speaker's descriptor as a grant does (a grant that
    records none credits nobody)."""
    if level is Level.DESCRIPTOR:
        known = {s.handle: s for s in (QUILLON, ROBIN, ZOE)}
        label = descriptor if descriptor is not None else known[item.speaker or ""].descriptor
    return Consent(
        item.id, item.speaker or "", Decision.GRANTED, wording_hash(item.body), level, label
    )


def draft_of(*items: Item, speakers=(QUILLON, ROBIN, ZOE), terms=(MEETING_TERM,)) -> Draft:
    return Draft(tuple(speakers), tuple(terms), tuple(items))


# --- bypass classes: the term must be replaced, or publication refused ---------------------

DISGUISES = [
    ("plain", "Quillon Vardakis said so.", "Quillon Vardakis"),
    ("lower case", "quillon vardakis said so.", "Quillon Vardakis"),
    ("upper case", "QUILLON VARDAKIS said so.", "Quillon Vardakis"),
    ("given name alone", "Then Quillon said so.", "Quillon"),
    ("family name alone", "As Vardakis put it.", "Vardakis"),
    ("possessive", "Quillon's idea was good.", "Quillon"),
    ("curly possessive", "Quillon\u2019s idea was good.", "Quillon"),
    ("plural possessive", "The Quillons' idea was good.", "Quillon"),
    ("possessive of a name in s", "The Vardakis' idea was good.", "Vardakis"),
    ("accents added", "Quillón Vardákis said so.", "Quillon Vardakis"),
    ("accents as marks", "Quillo\u0301n said so.", "Quillon"),
    ("fullwidth letters", "\uff31\uff55\uff49\uff4c\uff4c\uff4f\uff4e said so.", "Quillon"),
    (
        "mathematical letters",
        "\U0001d410\U0001d42e\U0001d422\U0001d425\U0001d425\U0001d428\U0001d427 said so.",
        "Quillon",
    ),
    ("zero-width space", "Quil\u200blon said so.", "Quillon"),
    ("zero-width joiner", "Quil\u200dlon said so.", "Quillon"),
    ("soft hyphen", "Quil\u00adlon said so.", "Quillon"),
    ("cyrillic o", "Quill\u043en said so.", "Quillon"),
    ("greek capitals", "QU\u0399LL\u039fN said so.", "Quillon"),
    ("line break between names", "Quillon\nVardakis said so.", "Quillon Vardakis"),
    ("hyphenated across lines", "As Var-\ndakis said.", "Vardakis"),
    ("joined", "QuillonVardakis said so.", "Quillon Vardakis"),
    ("snake case", "See quillon_vardakis on the wiki.", "Quillon Vardakis"),
    ("dotted", "See quillon.vardakis on the wiki.", "Quillon Vardakis"),
    ("emphasis split", "**Quil**lon said so.", "Quillon"),
    ("underscore emphasis split", "_Vard_akis said so.", "Vardakis"),
    ("backslash escape", "Quil\\lon said so.", "Quillon"),
    ("entity encoded", "Q&#117;illon said so.", "Quillon"),
    ("named entity", "Quillon&nbsp;Vardakis said so.", "Quillon Vardakis"),
    ("link text", "[Quillon](https://example.org/) said so.", "Quillon"),
    ("link target", "[profile](https://example.org/people/quillon-vardakis)", "Quillon Vardakis"),
    ("link title", '[profile](https://example.org/ "by Quillon Vardakis")', "Quillon Vardakis"),
    ("percent-encoded space", "<https://example.org/Quillon%20Vardakis>", "Quillon Vardakis"),
    ("percent-encoded letter", "https://example.org/Q%75illon", "Quillon"),
    ("reference link", "[profile][q]\n\n[q]: https://example.org/vardakis", "Vardakis"),
    ("image alt text", "![Quillon Vardakis](https://example.org/photo.png)", "Quillon Vardakis"),
    ("image target", "![photo](https://example.org/vardakis.png)", "Vardakis"),
    ("code span", "Run `notify(quillon)` now.", "Quillon"),
    ("fenced code", "```\nowner = 'Vardakis'\n```", "Vardakis"),
    ("table cell", "| who | what |\n|---|---|\n| Quillon | data |", "Quillon"),
    ("block quote", "> Quillon said so.", "Quillon"),
    ("alias", "Dr Vardakis agreed.", "Dr Vardakis"),
    ("alias split over lines", "Dr\nVardakis agreed.", "Dr Vardakis"),
    ("organisation", "People at the Halvorsen Institute agreed.", "Halvorsen Institute"),
    ("organisation joined", "See #HalvorsenInstitute for more.", "Halvorsen Institute"),
    ("email", "Write to quillon@vardakis.example today.", "quillon@vardakis.example"),
    ("mailto link", "[write](mailto:quillon@vardakis.example)", "quillon@vardakis.example"),
    ("email autolink", "<quillon@vardakis.example>", "quillon@vardakis.example"),
    ("meeting term", "We discussed Project Nightjar at length.", MEETING_TERM),
    ("meeting term lower case", "we discussed project nightjar.", MEETING_TERM),
    ("meeting term in url", "https://example.org/project-nightjar/plan", MEETING_TERM),
]


@pytest.mark.parametrize(
    ("body", "term"), [d[1:] for d in DISGUISES], ids=[d[0] for d in DISGUISES]
)
def test_disguised_terms_are_replaced(body, term):
    published, report = redact(draft_of(note(body)), {})
    assert report.ok, report.leaks
    assert not shows(published, term)


@pytest.mark.parametrize(
    ("body", "term"), [d[1:] for d in DISGUISES], ids=[d[0] for d in DISGUISES]
)
def test_disguised_terms_are_replaced_in_headings_and_statements(body, term):
    items = (section(body.replace("\n", " ")), statement(ROBIN, body, "s1"))
    published, report = redact(draft_of(*items), {})
    assert report.ok, report.leaks
    assert not shows(published, term)


@pytest.mark.parametrize(
    ("body", "kind"),
    [
        ("[Qui](https://example.org/)llon said so.", "name"),
        ("**someone**@elsewhere.example", "contact"),
    ],
    # A fullwidth phone number is scrubbed now (its digits are decimal digits): see
    # tests/domain/test_red_team_contacts.py.
    ids=["name split by a link", "email split by emphasis"],
)
def test_what_scrubbing_misses_the_final_check_refuses(body, kind):
    _, report = redact(draft_of(note(body)), {})
    assert not report.ok
    assert [(leak.kind, leak.item_id, leak.view) for leak in report.leaks] == [(kind, "n1", "text")]


def test_a_leak_report_says_where_and_in_which_view_without_quoting():
    _, report = redact(draft_of(note("[Qui](https://example.org/)llon said so.")), {})
    assert not report.ok
    leak = report.leaks[0]
    assert (leak.kind, leak.what, leak.item_id, leak.view) == (
        "name",
        "name of @quillon",
        "n1",
        "text",
    )
    assert leak.normal_form == "nfkc-casefold"
    assert "Quillon" not in repr(report)


def test_replacement_reads_naturally():
    published, _ = redact(draft_of(note("Quillon's point. Later Quillon Vardakis agreed.")), {})
    assert published.items[0].body == "A participant's point. Later a participant agreed."


def test_replacement_in_a_link_target_keeps_the_link_valid():
    published, _ = redact(draft_of(note("[profile](https://example.org/quillon-vardakis)")), {})
    assert published.items[0].body == "[profile](https://example.org/a-participant)"
    assert 'href="https://example.org/a-participant"' in published.html


def test_consented_descriptor_replaces_the_speakers_terms():
    quote = statement(QUILLON, "Data stewards need time.", "s1")
    mention = note("Quillon Vardakis from the Halvorsen Institute.", "n1")
    published, _ = redact(draft_of(quote, mention), {"s1": grant(quote, Level.DESCRIPTOR)})
    descriptor = QUILLON.descriptor
    # The name and the organisation are one person's: one replacement, which reads.
    assert published.items[1].body == f"{descriptor.capitalize()}."


def test_extra_terms_from_the_meeting_and_the_network():
    body = "Project Nightjar and Operation Larkspur were discussed."
    published, report = redact(draft_of(note(body)), {}, terms=["Operation Larkspur"])
    assert published.items[0].body == f"{REDACTED} and {REDACTED} were discussed."
    assert {c.rule for c in report.changes} == {"3 extra terms"}


@pytest.mark.parametrize(
    "body",
    [
        "Call +44 20 7946 0000 or 020 7946 0001.",
        "Call (020) 7946-0002.",
        "Call +44\u00a020\u00a07946\u00a00000.",
        "Call 555-123-4567.",
        "Mail someone@elsewhere.example.",
    ],
)
def test_anyones_contact_details_are_removed(body):
    published, report = redact(draft_of(note(body)), {})
    assert report.ok
    assert not re.search(r"\d{4}|@", published.markdown)
    assert {c.rule for c in report.changes} == {"3 contact details"}


def test_allow_listed_contact_details_stay():
    body = "Write to hello@network.example or call 020 7946 0000."
    options = RedactionOptions(
        allowed_contacts=frozenset({"Hello@Network.example", "020 7946 0000"})
    )
    published, report = redact(draft_of(note(body)), {}, options=options)
    assert published.items[0].body == body and report.ok


def test_a_protected_email_is_removed_even_if_allow_listed():
    options = RedactionOptions(allowed_contacts=frozenset({QUILLON.email}))
    published, _ = redact(draft_of(note(f"Write to {QUILLON.email}.")), {}, options=options)
    assert QUILLON.email not in published.markdown


def test_dates_amounts_and_identifiers_are_not_phone_numbers():
    body = "On 2024-10-15 we spent 1,000,000 pounds on ISBN 978-0-306-40615-7 (ref 123456789)."
    published, _ = redact(draft_of(note(body)), {})
    assert published.items[0].body == body


def test_diacritics_in_the_protected_name_match_plain_text():
    published, _ = redact(draft_of(note("Zoe Kowalczyk and ZOE agreed; so did zoe.")), {})
    assert not shows(published, "Zoe")


# --- rule 2: credit ---------------------------------------------------------------------------


def test_name_level_consent_shows_the_approved_label():
    quote = statement(ROBIN, "Patients should be in the room.", "s1")
    published, report = redact(draft_of(quote), {"s1": grant(quote, label="Dr Robin Example")})
    item = published.items[0]
    assert item.attribution.level is Level.NAME and item.attribution.text == "Dr Robin Example"
    assert item.markdown == "**Dr Robin Example:** Patients should be in the room."
    assert (
        published.html
        == "<p><strong>Dr Robin Example:</strong> Patients should be in the room.</p>"
    )
    assert ("2 credit", "s1", "credited by name", "Dr Robin Example") in [
        (c.rule, c.item_id, c.action, c.replacement) for c in report.changes
    ]


def test_descriptor_level_consent_shows_the_descriptor():
    quote = statement(ROBIN, "Patients should be in the room.", "s1")
    published, _ = redact(draft_of(quote), {"s1": grant(quote, Level.DESCRIPTOR)})
    assert published.items[0].attribution.text == "a speaker from a university"
    assert published.markdown.startswith("**a speaker from a university:** Patients")


@pytest.mark.parametrize(
    ("decision", "changed", "reason"),
    [
        (Decision.DECLINED, False, "declined"),
        (Decision.WITHDRAWN, False, "withdrawn"),
        (Decision.GRANTED, True, "wording changed"),
    ],
)
def test_no_current_consent_means_no_speaker(decision, changed, reason):
    quote = statement(ROBIN, "Patients should be in the room.", "s1")
    body = quote.body + " (edited)" if changed else quote.body
    consent = Consent(
        "s1", "robin", decision, wording_hash(quote.body), Level.NAME, "Robin Example"
    )
    published, report = redact(draft_of(statement(ROBIN, body, "s1")), {"s1": consent})
    assert published.items[0].attribution is None
    assert published.markdown == body + "\n"
    assert not shows(published, "Robin")
    assert any(reason in c.action for c in report.changes if c.rule == "2 credit")


def test_whitespace_changes_keep_consent():
    quote = statement(ROBIN, "Patients should be in the room.", "s1")
    edited = statement(ROBIN, "Patients  should be\nin the room.", "s1")
    published, _ = redact(draft_of(edited), {"s1": grant(quote, label="Robin Example")})
    assert published.items[0].attribution is not None


def test_consent_given_by_another_speaker_does_not_count():
    quote = statement(ROBIN, "Patients should be in the room.", "s1")
    forged = Consent("s1", "zoe", Decision.GRANTED, wording_hash(quote.body), Level.NAME, "Zoë")
    published, _ = redact(draft_of(quote), {"s1": forged})
    assert published.items[0].attribution is None


def test_a_speaker_named_once_may_be_named_elsewhere():
    quote = statement(ROBIN, "Patients should be in the room.", "s1")
    mention = note("Robin Example of Example University said more later.", "n1")
    published, _ = redact(draft_of(quote, mention), {"s1": grant(quote, label="Robin Example")})
    assert published.items[1].body == mention.body


def test_a_speaker_without_name_consent_is_never_named():
    quote = statement(ROBIN, "Patients should be in the room.", "s1")
    mention = note("Robin Example of Example University said more.", "n1")
    published, _ = redact(draft_of(quote, mention), {"s1": grant(quote, Level.DESCRIPTOR)})
    assert not shows(published, "Robin")
    assert not shows(published, "Example University")


def test_consent_on_a_confidential_statement_does_not_allow_naming():
    secret = statement(ROBIN, "Our funder is leaving.", "s1", confidential=True)
    mention = note("Robin spoke first.", "n1")
    published, _ = redact(draft_of(secret, mention), {"s1": grant(secret, label="Robin")})
    assert not shows(published, "Robin")


def test_labels_are_plain_text_in_markdown():
    quote = statement(ROBIN, "Patients first.", "s1")
    label = "Robin *Example* [x](javascript:alert(1))"
    published, _ = redact(draft_of(quote), {"s1": grant(quote, label=label)})
    assert "<em>" not in published.html and "<a" not in published.html
    assert "Robin *Example* [x](javascript:alert(1)):" in visible(published.html)


# --- rule 1 and 7: confidential text and the attendee list -----------------------------------


def test_confidential_items_leave_no_trace():
    items = (
        section("Funding", "h1"),
        note("First point.", "n1"),
        statement(ROBIN, "Our funder is about to cut the programme.", "s1", confidential=True),
        note("Second point.", "n2"),
    )
    published, report = redact(draft_of(*items), {})
    assert [item.id for item in published.items] == ["h1", "n1", "n2"]
    assert published.html == "<h2>Funding</h2>\n<p>First point.</p>\n<p>Second point.</p>"
    assert published.markdown == "## Funding\n\nFirst point.\n\nSecond point.\n"
    assert not shows(published, "funder")
    assert ("1 confidential", "s1", "excluded the item") in [
        (c.rule, c.item_id, c.action) for c in report.changes
    ]
    assert "funder" not in repr(report)


def test_a_confidential_bullet_does_not_break_the_list():
    items = (
        note("Alpha", "b1", bullet=True),
        note("Bravo secret", "b2", bullet=True, confidential=True),
        note("Charlie", "b3", bullet=True),
    )
    published, _ = redact(draft_of(*items), {})
    assert published.html == "<ul>\n<li>Alpha</li>\n<li>Charlie</li>\n</ul>"
    assert published.markdown == "- Alpha\n- Charlie\n"


@pytest.mark.parametrize(
    ("notes_text", "expected_html"),
    [
        ("* a\n* b", "<ul>\n<li>a</li>\n<li>b</li>\n</ul>"),
        ("- a\n- b\n- c", "<ul>\n<li>a</li>\n<li>b</li>\n<li>c</li>\n</ul>"),
        ("+ one\n  more", "<ul>\n<li>one\n  more</li>\n</ul>"),
        (
            "- a\n- [confidential] secret\n- @quillon: b\n- c",
            "<ul>\n<li>a</li>\n<li>b</li>\n<li>c</li>\n</ul>",
        ),
        (
            "Intro.\n\n* a\n* b\n\nAfter.",
            "<p>Intro.</p>\n<ul>\n<li>a</li>\n<li>b</li>\n</ul>\n<p>After.</p>",
        ),
    ],
)
def test_a_plain_list_renders_as_one_list(notes_text, expected_html):
    front = "---\nspeakers: [{handle: quillon, name: Quillon Vardakis}]\n---\n\n"
    published, _ = redact(parse(front + notes_text), {})
    assert published.html == expected_html
    assert "<ul>\n<li>\n<ul>" not in published.html


def test_the_demo_notes_render_without_nested_lists():
    text = (PROJECT_ROOT / "notes_app" / "services" / "demo_notes.md").read_text(encoding="utf-8")
    published, _ = redact(parse(text + "\n\n- first\n- second\n"), {})
    assert published.html.endswith("<ul>\n<li>first</li>\n<li>second</li>\n</ul>")
    assert published.html.count("<ul>") == 1


@pytest.mark.parametrize(
    ("body", "public"),
    [
        (
            "It took twice as long [confidential]because the council pulled out[/confidential], "
            "and it changed the questions.",
            "It took twice as long, and it changed the questions.",
        ),
        ("Start [confidential]secret[/confidential] end.", "Start end."),
        ("[confidential]Secret first.[/confidential] Then public.", "Then public."),
        ("Public.\n\n[confidential]Secret paragraph.[/confidential]\n\nMore.", "Public.\n\nMore."),
        ("Line one\n[confidential]secret line[/confidential]\nline two.", "Line one\nline two."),
        ("- a\n- [confidential]secret[/confidential]\n- c", "- a\n- c"),
        ("(see [confidential]the memo[/confidential])", "(see)"),
        ("A [CONFIDENTIAL]secret[/Confidential] B", "A B"),
        ("A [confidential]x [confidential]y[/confidential] z[/confidential] B", "A B"),
    ],
)
def test_confidential_spans_vanish_cleanly(body, public):
    assert split_spans(body).public == public
    published, report = redact(draft_of(note(body)), {})
    assert published.items[0].body == public
    assert not shows(published, "secret") and not shows(published, "council")
    assert report.ok


def test_an_item_that_was_all_confidential_span_is_dropped():
    items = (note("[confidential]All of it.[/confidential]", "n1"), note("Rest.", "n2"))
    published, _ = redact(draft_of(*items), {})
    assert [item.id for item in published.items] == ["n2"]


@pytest.mark.parametrize(
    ("body", "public"),
    [
        ("Public [confidential]secret to the end", "Public"),
        ("secret before[/confidential] public after", "public after"),
    ],
)
def test_broken_markers_fail_closed_with_a_warning(body, public):
    published, report = redact(draft_of(note(body)), {})
    assert published.items[0].body == public
    assert not shows(published, "secret")
    assert [w.kind for w in report.warnings] == ["confidential-markers"]


def test_no_list_of_speakers_is_published():
    items = (statement(ROBIN, "One.", "s1"), statement(QUILLON, "Two.", "s2"))
    published, _ = redact(draft_of(*items), {})
    for speaker in (ROBIN, QUILLON, ZOE):
        for text in (speaker.name, speaker.organisation, speaker.handle):
            assert not shows(published, text)


# --- rule 5: fail closed ----------------------------------------------------------------------


def test_clean_notes_pass_the_final_check_without_warnings():
    quote = statement(ROBIN, "Patients should be in the room when the problem is defined.", "s1")
    items = (
        section("Involving patients early"),
        quote,
        note("Members discussed how to pay people fairly for their time.", "n1"),
        note("- [Guidance](https://example.org/guidance) on payments\n- A table:\n", "n2"),
    )
    published, report = redact(draft_of(*items), {"s1": grant(quote, label="Robin Example")})
    assert report.ok and not report.warnings, report.warnings
    assert len(report.checks) >= 10
    assert any("raw-html" in check for check in report.checks)
    assert any("attributes" in check for check in report.checks)


def test_the_report_lists_every_check():
    _, report = redact(draft_of(note("x")), {})
    for rule in ("rule 1", "rule 2", "rule 3", "rule 5", "rule 6"):
        assert any(check.startswith(rule) for check in report.checks)
    for view in ("raw-html", "text", "attributes"):
        assert any(f"{view} view" in check for check in report.checks)


def test_confidential_text_reaching_the_output_is_a_leak():
    # A reference defined in a confidential span cannot be used: the span is gone first.
    items = (
        note(
            "See [the plan][p].\n\n[confidential][p]: https://example.org/qzxsecretplan[/confidential]"
        ),
    )
    published, report = redact(draft_of(*items), {})
    assert not shows(published, "qzxsecretplan")
    assert report.ok


# --- rule 6: warnings -------------------------------------------------------------------------


def test_uncredited_statement_naming_its_speakers_role_warns():
    quote = statement(QUILLON, "As Chief Data Steward I have seen this.", "s1")
    _, report = redact(draft_of(quote), {})
    assert [(w.kind, w.item_id) for w in report.warnings] == [("implicit-identification", "s1")]


def test_uncredited_statement_naming_its_speakers_organisation_warns_even_though_replaced():
    quote = statement(QUILLON, "At the Halvorsen Institute we tried it.", "s1")
    published, report = redact(draft_of(quote), {})
    assert not shows(published, "Halvorsen")
    assert "implicit-identification" in [w.kind for w in report.warnings]


def test_credited_statement_naming_its_role_does_not_warn():
    quote = statement(ROBIN, "As Ethics Lead I have seen this.", "s1")
    _, report = redact(draft_of(quote), {"s1": grant(quote, label="Robin Example")})
    assert not report.warnings


def test_named_speaker_mentioned_in_another_uncredited_statement_warns():
    credited = statement(ROBIN, "Patients first.", "s1")
    other = statement(QUILLON, "I agree with Robin Example on this.", "s2")
    published, report = redact(draft_of(credited, other), {"s1": grant(credited, label="Robin")})
    assert ("named-speaker-mentioned", "s2") in [(w.kind, w.item_id) for w in report.warnings]
    assert "Robin Example" in published.items[1].body


def test_uncredited_statement_naming_its_own_named_speaker_warns():
    credited = statement(ROBIN, "Patients first.", "s1")
    own = statement(ROBIN, "Speaking as Robin, I disagree.", "s2")
    _, report = redact(draft_of(credited, own), {"s1": grant(credited, label="Robin")})
    assert ("implicit-identification", "s2") in [(w.kind, w.item_id) for w in report.warnings]


def test_a_run_of_confidential_words_in_a_published_item_warns():
    secret = "our funder is about to cut the whole programme next spring"
    items = (
        statement(ROBIN, secret.capitalize() + ".", "s1", confidential=True),
        note("Someone said that the funder is about to cut the whole programme.", "n1"),
    )
    published, report = redact(draft_of(*items), {})
    assert report.ok
    assert ("confidential-run", "n1") in [(w.kind, w.item_id) for w in report.warnings]
    assert "confidential item s1" in report.warnings[0].message


def test_fewer_than_six_shared_words_do_not_warn():
    items = (
        statement(ROBIN, "The funder is about to leave.", "s1", confidential=True),
        note("The funder is about to speak.", "n1"),
        note("They are [confidential]about to leave[/confidential] soon; about to leave.", "n2"),
    )
    _, report = redact(draft_of(*items), {})
    assert not report.warnings


def test_a_protected_name_inside_a_longer_word_is_replaced_with_the_word():
    published, report = redact(draft_of(note("The Quillonite mineral.")), {})
    assert "uillon" not in published.markdown and report.ok
    assert published.items[0].body == "A participant mineral."


def test_a_protected_name_inside_an_ordinary_word_is_a_near_miss():
    speaker = Speaker("lind", "Ada Lind")
    published, report = redact(draft_of(note("A blind spot.", "n1"), speakers=(speaker,)), {})
    assert published.items[0].body == "A blind spot."
    assert [(w.kind, w.item_id) for w in report.warnings] == [("near-miss", "n1")]


def test_a_name_part_that_is_a_common_word_is_replaced_only_where_it_is_used_as_a_name():
    speaker = Speaker("mark", "Mark Example")
    items = (note("Example: we mark it, for example, with Mark's tool.", "n1"),)
    published, report = redact(draft_of(*items, speakers=(speaker,)), {})
    assert (
        published.items[0].body
        == "A participant: we mark it, for example, with a participant's tool."
    )
    assert not report.warnings  # "mark" and "example" are written as ordinary words


def test_an_ordinary_word_capitalised_at_the_start_of_a_sentence_is_a_warning():
    speaker = Speaker("mark", "Mark Example")
    published, report = redact(
        draft_of(note("Mark the date. Example follows.", "n1"), speakers=(speaker,)), {}
    )
    assert published.items[0].body == "Mark the date. Example follows."
    assert [w.kind for w in report.warnings] == ["ambiguous-word", "ambiguous-word"]


def test_a_descriptor_that_names_the_organisation_keeps_it_unredacted():
    speaker = Speaker(
        "ana",
        "Ana Quinterro",
        organisation="Coral Council",
        descriptor="a speaker from Coral Council",
    )
    quote = statement(speaker, "We tried it.", "s1")
    published, report = redact(
        draft_of(quote, speakers=(speaker,)),
        {"s1": grant(quote, Level.DESCRIPTOR, descriptor=speaker.descriptor)},
    )
    assert published.markdown.startswith("**a speaker from Coral Council:**")
    assert report.ok
    assert "descriptor" in [w.kind for w in report.warnings]


def test_unknown_speaker_is_uncredited_and_warned():
    stray = Item(ItemKind.STATEMENT, "Hello.", "ghost", id="s1")
    published, report = redact(draft_of(stray), {})
    assert published.items[0].attribution is None
    assert [w.kind for w in report.warnings] == ["unknown-speaker"]


# --- protected terms and comments --------------------------------------------------------------


def test_protected_terms_lists_what_must_not_appear():
    quote = statement(ROBIN, "Patients first.", "s1")
    terms = protected_terms(draft_of(quote), {"s1": grant(quote, label="Robin")}, ["Larkspur"])
    found = {(t.text, t.kind) for t in terms}
    assert ("Quillon Vardakis", TermKind.NAME) in found
    assert ("Vardakis", TermKind.NAME) in found
    assert ("Dr Vardakis", TermKind.ALIAS) in found
    assert ("quillon@vardakis.example", TermKind.EMAIL) in found
    assert ("Halvorsen Institute", TermKind.ORGANISATION) in found
    assert ("Project Nightjar", TermKind.TERM) in found and ("Larkspur", TermKind.TERM) in found
    assert not any(t.speaker == "robin" for t in terms)
    assert {t.replacement for t in terms if t.speaker == "quillon"} == {
        A_PARTICIPANT,
        AN_ORGANISATION,
        "[email removed]",
    }


@pytest.mark.parametrize(
    ("name", "parts"),
    [
        # The parts, each order of two (unless both are ordinary words), and "m" respelt as
        # "rn" (UTS #39).
        (
            "Robin Example",
            ["Robin", "Example", "Robin Exarnple"],
        ),
        (
            "Dr Anna Smith-Jones",
            [
                *("Anna Smith-Jones", "Anna", "Smith-Jones", "Smith", "Jones", "Smith-Jones Anna"),
                *("Anna Srnith-Jones", "Srnith-Jones", "Srnith-Jones Anna"),
            ],
        ),
        ("Prof. J. R. Tolkien", ["J R Tolkien", "Tolkien", "J Tolkien", "J.R.T.", "J.T."]),
        ("Cher", []),
        ("Jean-Luc", ["Jean-Luc", "Jean", "Luc"]),
    ],
)
def test_name_parts(name, parts):
    assert name_parts(name) == parts


def test_find_terms_for_comments():
    terms = protected_terms(draft_of(), {})
    found = find_terms("I think **Quil**lon from halvorsen-institute was right.", terms)
    assert [(m.term.kind, m.text) for m in found] == [
        (TermKind.NAME, "Quil**lon"),
        (TermKind.ORGANISATION, "halvorsen-institute"),
    ]
    assert find_terms("Nothing to see here, for example.", terms) == []


# --- the final check catches what a mistake upstream would let through -------------------------


@pytest.mark.parametrize(
    ("body", "form"),
    [
        ("[Qui](https://example.org/)llon spoke.", "nfkc-casefold"),
        # Written as an entity: a zero-width space itself is removed before redaction.
        ("[Qui](https://example.org/)&#8203;llon spoke.", "invisible-removed"),
        ("[Quí](https://example.org/)llon spoke.", "accents-removed"),
        ("[Qui](https://example.org/)ll\u043en spoke.", "look-alikes-mapped"),
        ("[Qui](https://example.org/)-llon spoke.", "separators-removed"),
    ],
)
def test_leaks_name_the_weakest_normal_form_that_shows_them(body, form):
    _, report = redact(draft_of(note(body)), {})
    assert [(leak.view, leak.normal_form) for leak in report.leaks] == [("text", form)]


def test_a_mistake_in_cutting_spans_is_caught(monkeypatch):
    from notes_app.domain import redaction

    def careless(body):  # a broken version that keeps the text of every span
        return redaction.SpanSplit(redaction._MARKER.sub("", body), ())

    monkeypatch.setattr(redaction, "split_spans", careless)
    body = (
        "Public. [confidential]The Kestrelwing budget will be cut by the new minister "
        "next year.[/confidential] More."
    )
    published, report = redact(draft_of(note(body)), {})
    assert "Kestrelwing" in published.html  # the mistake happened...
    assert not report.ok  # ...and publication is refused
    assert {(leak.kind, leak.what) for leak in report.leaks} == {
        ("confidential", "text of confidential span n1")
    }
    assert {leak.view for leak in report.leaks} == {"text"}  # (raw-html reads the markup)


def test_a_mistake_in_dropping_confidential_items_is_caught(monkeypatch):
    from dataclasses import replace

    from notes_app.domain import redaction

    real = redaction._prepare_items

    def careless(draft, *args):  # a broken version that forgets the confidential flag
        items = tuple(replace(item, confidential=False) for item in draft.items)
        return real(replace(draft, items=items), *args)

    monkeypatch.setattr(redaction, "_prepare_items", careless)
    items = (
        note("Public point.", "n1"),
        note("Our funder is about to cut the programme.", "c1", confidential=True),
    )
    _, report = redact(draft_of(*items), {})
    assert not report.ok
    assert {(leak.kind, leak.item_id) for leak in report.leaks} == {("confidential", "c1")}


def test_contact_details_are_found_item_by_item_when_compatibility_forms_change_lengths():
    items = (note("The \ufb01nance team.", "n1"), note("**someone**@elsewhere.example", "n2"))
    _, report = redact(draft_of(*items), {})
    assert [(leak.kind, leak.item_id) for leak in report.leaks] == [("contact", "n2")]


def test_terms_inside_one_escape_sequence_are_replaced_together():
    encoded = "".join(f"%{ord(c):02X}" for c in "Project Nightjar Quillon")
    published, report = redact(draft_of(note(f"<https://example.org/{encoded}>")), {})
    assert report.ok and not shows(published, "Nightjar") and not shows(published, "Quillon")


def test_links_with_queries_and_escapes_are_checked_decoded():
    body = "[a](https://example.org/search?q=data%20trust&lang=en)"
    published, report = redact(draft_of(note(body)), {})
    assert report.ok and "&amp;" in published.html


def test_a_name_at_the_end_of_a_longer_word_is_replaced_with_the_word():
    published, _ = redact(draft_of(note("The Anquillon river.")), {})
    assert published.items[0].body == "A participant river."


def test_a_handle_holding_a_name_is_replaced_whole():
    published, _ = redact(draft_of(note("Follow @quillonvardakis2024, or @Quillon_V.")), {})
    assert published.items[0].body == "Follow a participant, or a participant."


def test_a_speaker_named_once_and_described_elsewhere_may_be_named():
    first = statement(ROBIN, "One.", "s1")
    second = statement(ROBIN, "Two.", "s2")
    consents = {"s1": grant(first, label="Robin"), "s2": grant(second, Level.DESCRIPTOR)}
    terms = protected_terms(draft_of(first, second), consents)
    assert not any(term.speaker == "robin" for term in terms)


def test_extra_terms_without_letters_are_ignored():
    assert all(t.kind is not TermKind.TERM for t in protected_terms(draft_of(terms=("--",)), {}))


def test_the_word_confidential_alone_is_not_a_marker():
    assert split_spans("This is confidential.").public == "This is confidential."


# --- matching ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "pattern", "found"),
    [
        ("Rob in the room", "Robin", []),
        ("Project\n\nNightjar", "Project Nightjar", []),
        ("Robinson", "Robin", [("Robin", "near")]),
        ("Zoe\u0308 said", "Zoë", [("Zoe\u0308", "match")]),
        ("Strasse and Straße", "Straße", [("Strasse", "match"), ("Straße", "match")]),
        ("\ufb01ne Robin", "Robin", [("Robin", "match")]),
        ("MyRobin", "Robin", [("Robin", "match")]),
        ("Robin Example", "RobinExample", [("Robin Example", "match")]),
        ("a-b-c", "---", []),
        ("the nhs-digital team", "NHS Digital", [("nhs-digital", "match")]),
        ("Großartig", "Gross", [("Groß", "near")]),
    ],
)
def test_matcher_word_rules(text, pattern, found):
    from notes_app.domain.textmatch import Matcher, Pattern

    hits = Matcher([Pattern(pattern, None, near=True)]).scan(text)
    assert [(text[h.start : h.end], h.status.value) for h in hits] == found


def test_decoding_maps_back_to_the_source():
    from notes_app.domain.textmatch import Decoded

    decoded = Decoded("a&amp;b &bogus; %FF R%6Fbin")
    assert decoded.text == "a&b &bogus; %FF Robin"
    assert decoded.to_source(1, 2) == (1, 6)  # the & came from &amp;
    assert decoded.to_source(17, 18) == (21, 24)  # the o came from %6F
    assert decoded.to_source(16, 21) == (20, 27)


@pytest.mark.parametrize(
    ("text", "kinds"),
    [
        ("call (+44) 20 7946 0000", ["phone"]),
        ("ref x123456789012y", []),
        ("a@b", []),
        ("first.last+tag@sub.example.co.uk", ["email"]),
    ],
)
def test_contact_details(text, kinds):
    from notes_app.domain.textmatch import find_contacts

    assert [kind for _, _, kind in find_contacts(text)] == kinds


def test_words_shared_by_a_span_and_the_text_between_spans_are_not_leaks():
    body = (
        "The pilot [confidential]Kestrelwing lost its funding[/confidential] ran as "
        "Kestrelwing for a year [confidential]in Leeds[/confidential]."
    )
    published, report = redact(draft_of(note(body)), {})
    assert published.items[0].body == "The pilot ran as Kestrelwing for a year."
    assert report.ok and not report.warnings


def test_words_in_percent_encoded_links_count_as_public():
    body = (
        "[search](https://example.org/?q=data%20Kestrelwing) "
        "[confidential]Kestrelwing is closing[/confidential]"
    )
    published, report = redact(draft_of(note(body)), {})
    assert "Kestrelwing" in published.html and report.ok


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        ("Quillon said.", "A participant said."),
        ("Yes. Quillon said.", "Yes. A participant said."),
        ("- **Quillon** said.", "- **A participant** said."),
        ("We asked Quillon.", "We asked a participant."),
        ("Ask " + "x" * 60 + ". Quillon said.", "Ask " + "x" * 60 + ". A participant said."),
    ],
)
def test_replacements_start_sentences_with_a_capital(body, expected):
    published, _ = redact(draft_of(note(body)), {})
    assert published.items[0].body == expected


def test_names_in_scripts_without_spaces_are_found_inside_longer_runs():
    speaker = Speaker("wang", "王小明")
    published, report = redact(draft_of(note("我们和王小明说了。"), speakers=(speaker,)), {})
    assert published.items[0].body == "我们和a participant说了。"
    assert report.ok


# --- a credit on one statement does not reach the speaker's other statements -----------------


def _declined(item: Item) -> Consent:
    return Consent(item.id, item.speaker or "", Decision.DECLINED, wording_hash(item.body))


@pytest.mark.parametrize("level", [Level.DESCRIPTOR, Level.NAME])
def test_a_credit_on_one_statement_does_not_identify_the_speaker_in_one_they_declined(level):
    credited = statement(QUILLON, "Data stewards need time.", "s1")
    declined = statement(
        QUILLON, "At the Halvorsen Institute, Quillon Vardakis (Dr Vardakis) left QZXCANARY.", "s2"
    )
    consents = {
        "s1": grant(credited, level, "Quillon Vardakis, Chief Data Steward"),
        "s2": _declined(declined),
    }
    published, report = redact(draft_of(credited, declined), consents)
    first, second = published.items
    assert first.attribution is not None
    assert second.attribution is None
    assert "QZXCANARY" in second.body  # the statement itself is still there
    for canary in (
        QUILLON.descriptor,
        "Halvorsen",
        "Quillon",
        "Vardakis",
        "Chief Data Steward",
        "research institute",
    ):
        assert flat(canary) not in flat(second.body), canary
        assert flat(canary) not in flat(second.html), canary
    assert A_PARTICIPANT in second.body.lower()
    # The facilitator still sees why (and the role that stayed is a warning there, not here).
    assert any(c.item_id == "s2" and c.rule.startswith("3") for c in report.changes)


def test_other_peoples_mentions_of_a_described_speaker_still_use_the_descriptor():
    credited = statement(QUILLON, "Data stewards need time.", "s1")
    mention = note("Quillon Vardakis spoke first.", "n1")
    published, _ = redact(draft_of(credited, mention), {"s1": grant(credited, Level.DESCRIPTOR)})
    assert published.items[1].body.startswith(QUILLON.descriptor.capitalize())


def test_repeats_confidential_finds_runs_spans_and_rare_words_but_not_public_text():
    from notes_app.domain.redaction import repeats_confidential

    secret = statement(
        ROBIN, "Our funder Qzxbrambles is leaving next spring.", "s1", confidential=True
    )
    spanned = statement(
        ROBIN, "It took long [confidential]because the council left[/confidential].", "s2"
    )
    public = note("Members discussed how to pay people fairly.", "n1")
    draft = draft_of(secret, spanned, public)
    assert repeats_confidential(draft, "Robin, of Qzxbrambles")
    assert repeats_confidential(draft, "Robin (BECAUSE the Council left)")
    assert not repeats_confidential(draft, "Robin, of Qzxbrambles", single_words=False)
    assert not repeats_confidential(draft, "Robin Example, pay people fairly")
    assert not repeats_confidential(draft_of(public), "anything at all")
