"""A corpus of notes files with confidential markers, run through the real parse + redact.

Every confidential case hides the canary word (`CANARY`) and only there; each must come out
without it in any view of what members get, while the public sentence (`PUBLIC`) stays, so that
publishing nothing cannot pass. Every informal case must warn on the item that carries it.
"""

from __future__ import annotations

import html
import re
import unicodedata
from dataclasses import replace

import pytest

from notes_app.domain.consent import Consent, Decision, Level, wording_hash
from notes_app.domain.notes import Draft
from notes_app.domain.notes_format import parse
from notes_app.domain.redaction import redact

FRONT = (
    "---\nspeakers:\n  - handle: robin\n    name: Robin Example\n"
    "    organisation: Example University\n---\n\n"
)
CANARY = "Zephyrcanary"
PUBLIC = "Members agreed to meet again in spring."
SECRET = f"The {CANARY} budget will be cut next year."


def notes(text: str) -> Draft:
    """Parse a notes file body and give each item an id, as storing it would."""
    draft = parse(FRONT + text)
    items = tuple(replace(item, id=f"i{n}") for n, item in enumerate(draft.items))
    return replace(draft, items=items)


def flat(text: str) -> str:
    """Fold hard, independently of the code under test: decode, no accents, letters only."""
    text = unicodedata.normalize("NFKD", html.unescape(text))
    text = "".join(c for c in text if not unicodedata.combining(c))
    return re.sub(r"[\W_]+", "", text.casefold())


def views(published) -> list[str]:
    """Every view of what members get: the HTML, its text, the Markdown, and each item's parts."""
    found = [published.html, re.sub(r"<[^>]*>", "", published.html), published.markdown]
    for item in published.items:
        found += [item.body, item.markdown, item.html]
        if item.attribution:
            found.append(item.attribution.text)
    return found


def assert_canary_absent(draft: Draft, consents=None) -> None:
    published, report = redact(draft, consents or {})
    assert report.ok, report.leaks  # published, not refused
    for view in views(published):
        assert flat(CANARY) not in flat(view)
    assert any(flat(PUBLIC) in flat(view) for view in views(published))
    assert CANARY.casefold() not in repr(report).casefold()


def invisible(char: str) -> str:
    return f"[confi{char}dential]"


CONFIDENTIAL_CASES = [
    # Item markers, every way of writing them.
    ("plain marker", f"{PUBLIC}\n\n[confidential] {SECRET}"),
    ("capitalised", f"{PUBLIC}\n\n[Confidential] {SECRET}"),
    ("upper case", f"{PUBLIC}\n\n[CONFIDENTIAL] {SECRET}"),
    ("mixed case", f"{PUBLIC}\n\n[cOnFiDeNtIaL] {SECRET}"),
    ("spaces inside", f"{PUBLIC}\n\n[ confidential ] {SECRET}"),
    ("space before the bracket", f"{PUBLIC}\n\n[confidential ] {SECRET}"),
    ("tab inside", f"{PUBLIC}\n\n[\tconfidential] {SECRET}"),
    ("no-break spaces", f"{PUBLIC}\n\n[\u00a0confidential\u00a0] {SECRET}"),
    ("letter-spaced", f"{PUBLIC}\n\n[confi dential] {SECRET}"),
    ("zero-width space", f"{PUBLIC}\n\n{invisible(chr(0x200B))} {SECRET}"),
    ("zero-width joiner", f"{PUBLIC}\n\n{invisible(chr(0x200D))} {SECRET}"),
    ("zero-width non-joiner", f"{PUBLIC}\n\n{invisible(chr(0x200C))} {SECRET}"),
    ("soft hyphen", f"{PUBLIC}\n\n{invisible(chr(0x00AD))} {SECRET}"),
    ("word joiner", f"{PUBLIC}\n\n{invisible(chr(0x2060))} {SECRET}"),
    ("byte order mark", f"{PUBLIC}\n\n[\ufeffconfidential] {SECRET}"),
    ("variation selector", f"{PUBLIC}\n\n[confidential\ufe0f] {SECRET}"),
    ("bidi control", f"{PUBLIC}\n\n[\u202econfidential\u202c] {SECRET}"),
    ("combining mark", f"{PUBLIC}\n\n[confidentia\u0301l] {SECRET}"),
    (
        "full-width",
        f"{PUBLIC}\n\n\uff3b\uff43\uff4f\uff4e\uff46\uff49\uff44\uff45\uff4e\uff54"
        f"\uff49\uff41\uff4c\uff3d {SECRET}",
    ),
    ("cyrillic look-alike", f"{PUBLIC}\n\n[\u0441onfidential] {SECRET}"),
    ("after the handle", f"{PUBLIC}\n\n@robin: [CONFIDENTIAL] {SECRET}"),
    ("before the handle", f"{PUBLIC}\n\n[Confidential] @robin: {SECRET}"),
    ("invisible after the handle", f"{PUBLIC}\n\n@robin: {invisible(chr(0x200B))} {SECRET}"),
    ("bullet", f"- {PUBLIC}\n- [ Confidential ] {SECRET}\n- Another public point."),
    ("statement bullet", f"- {PUBLIC}\n- @robin: [confi\u2060dential] {SECRET}"),
    # Spans.
    ("span", f"{PUBLIC} [confidential]{SECRET}[/confidential]"),
    ("span upper case", f"{PUBLIC} [CONFIDENTIAL]{SECRET}[/CONFIDENTIAL]"),
    ("span spaced closing", f"{PUBLIC} [ confidential]{SECRET}[ / confidential ]"),
    ("span closing space", f"{PUBLIC} [confidential]{SECRET}[/confidential ]"),
    ("span slash space", f"{PUBLIC} [Confidential]{SECRET}[/ Confidential]"),
    ("span invisible", f"{PUBLIC} {invisible(chr(0x200B))}{SECRET}[/confi\u200bdential]"),
    ("span invisible closing", f"{PUBLIC} [confidential]{SECRET}[/\u2060confidential]"),
    ("span across lines", f"{PUBLIC}\n[confidential]The {CANARY}\nbudget[/confidential] ends."),
    ("span in statement", f"@robin: {PUBLIC} [Confidential]{SECRET}[/Confidential]"),
    ("span in heading", f"## Plans [CONFIDENTIAL]for {CANARY}[/CONFIDENTIAL]\n\n{PUBLIC}"),
    ("span in a list", f"- {PUBLIC}\n- [confidential]{SECRET}[/confidential]\n- More."),
    ("span first", f"[confidential]{SECRET}[/confidential] {PUBLIC}"),
    # Confidential headings: the heading and everything under it, to the next heading of the
    # same or a higher level.
    ("heading then lines in its block", f"{PUBLIC}\n\n## [confidential] Funding\n{SECRET}"),
    ("heading in the middle of a block", f"{PUBLIC}\n## [confidential] Funding\n{SECRET}"),
    (
        "heading mid-block, public after",
        f"Intro.\n# [confidential] Money\n{SECRET}\n# Next\n{PUBLIC}",
    ),
    ("marker before the hashes", f"{PUBLIC}\n\n[confidential] ## Funding\n{SECRET}"),
    (
        "heading covers later blocks",
        f"## [confidential] Funding\n\n{SECRET}\n\n## Next\n\n{PUBLIC}",
    ),
    (
        "heading covers a list",
        f"## [Confidential] Money\n\n- {SECRET}\n- @robin: {SECRET}\n\n# Next\n\n{PUBLIC}",
    ),
    (
        "deeper heading stays covered",
        f"## [CONFIDENTIAL] Funding\n\n### Detail\n\n{SECRET}\n\n## Next\n\n{PUBLIC}",
    ),
    ("higher heading ends it", f"### [confidential] Deep\n\n{SECRET}\n\n## Up\n\n{PUBLIC}"),
    (
        "heading to the end",
        f"{PUBLIC}\n\n# [confidential] Whole\n\n{SECRET}\n\n## Sub\n\nAlso {CANARY}.",
    ),
    ("heading text itself", f"{PUBLIC}\n\n## [confidential] The {CANARY} plan"),
    (
        "invisible in heading marker",
        f"## [confi\u200bdential] Funding\n\n{SECRET}\n\n# Next\n\n{PUBLIC}",
    ),
    ("heading mid-list", f"- {PUBLIC}\n## [confidential] Money\n- {SECRET}"),
    (
        "two confidential headings",
        f"## [confidential] A\n\n{SECRET}\n\n## [confidential] B\n\n{SECRET}\n\n## C\n\n{PUBLIC}",
    ),
]


@pytest.mark.parametrize(
    "text", [text for _, text in CONFIDENTIAL_CASES], ids=[name for name, _ in CONFIDENTIAL_CASES]
)
def test_confidential_text_never_reaches_members(text):
    assert CANARY in text and PUBLIC in text  # the case plants its canary
    assert_canary_absent(notes(text))


def test_a_statement_under_a_confidential_heading_is_excluded_even_with_consent():
    draft = notes(f"## [confidential] Funding\n\n@robin: {SECRET}\n\n## Next\n\n{PUBLIC}")
    statement = draft.items[1]
    consent = Consent(
        statement.id, "robin", Decision.GRANTED, wording_hash(statement.body), Level.NAME, ""
    )
    assert_canary_absent(draft, {statement.id: consent})
    published, _ = redact(draft, {statement.id: consent})
    # The consent was for an excluded statement: the speaker may not be named for it.
    assert "Robin" not in published.html


def test_items_under_a_confidential_heading_are_reported_as_excluded():
    draft = notes(f"## [confidential] Funding\n\n{SECRET}\n\n- a\n- b\n\n## Next\n\n{PUBLIC}")
    published, report = redact(draft, {})
    assert [item.id for item in published.items] == ["i3", "i4"]
    excluded = [c.item_id for c in report.changes if c.action == "excluded the item"]
    assert excluded == ["i0", "i1", "i2"]
    assert "rule 1: items under confidential headings excluded" in report.checks


INFORMAL_CASES = [
    ("parenthesised", "(confidential) The budget is tight.", "(confidential)"),
    ("parenthesised capitals", "The budget (CONFIDENTIAL) is tight.", "(confidential)"),
    ("bold label", "**Confidential:** the budget is tight.", "Confidential:"),
    ("label with dash", "Confidential - the budget is tight.", "Confidential:"),
    ("label with en dash", "CONFIDENTIAL \u2013 the budget is tight.", "Confidential:"),
    ("off the record", "This is off the record: the budget is tight.", "off the record"),
    ("off the record capitals", "OFF THE RECORD, the budget is tight.", "off the record"),
    ("off-the-record", "An off-the-record remark about the budget.", "off the record"),
    ("off the record across lines", "Said off the\nrecord: the budget.", "off the record"),
    ("off the record invisible", "Off\u200b the record: the budget.", "off the record"),
    ("off the record emphasis", "*Off the record*: the budget.", "off the record"),
    ("not for the notes", "Not for the notes, but the budget is tight.", "not for the notes"),
    ("not for the minutes", "This is not for the minutes.", "not for the notes"),
    ("not for circulation", "Not for circulation: the budget.", "not for circulation"),
    ("not to be shared", "This is not to be shared outside.", "not for circulation"),
    ("between us", "Just between us, the budget is tight.", "between us"),
    ("between ourselves", "Between ourselves, it is tight.", "between us"),
    ("don't minute this", "Don't minute this, but the budget is tight.", "don't minute this"),
    ("curly apostrophe", "Don\u2019t minute this: the budget.", "don't minute this"),
    ("do not minute", "Please do not minute the next part.", "don't minute this"),
    ("strictly confidential", "This is strictly confidential.", "strictly confidential"),
    (
        "misspelt marker",
        "[confidental] The budget is tight.",
        "a marker that is not [confidential]",
    ),
    ("braces", "{confidential} The budget is tight.", "a marker that is not [confidential]"),
    (
        "unclosed bracket",
        "[confidential The budget is tight.",
        "a marker that is not [confidential]",
    ),
]


@pytest.mark.parametrize(
    ("text", "name"),
    [(text, name) for _, text, name in INFORMAL_CASES],
    ids=[case for case, _, _ in INFORMAL_CASES],
)
@pytest.mark.parametrize("shape", ["note", "statement", "bullet", "heading"])
def test_informal_markers_warn_on_their_item(text, name, shape):
    written = {
        "note": text,
        "statement": f"@robin: {text}",
        "bullet": f"- @robin: {text}",
        "heading": f"## {' '.join(text.split())}",
    }[shape]
    draft = notes(f"{PUBLIC}\n\n{written}\n\nA later public note.")
    _, report = redact(draft, {})
    warned = [w for w in report.warnings if w.kind == "informal-marker"]
    assert {w.item_id for w in warned} == {"i1"}
    assert any(f"'{name}'" in w.message for w in warned)


@pytest.mark.parametrize(
    "text",
    [
        "The confidentiality of patient data came up.",
        "Data sharing agreements are often kept confidential by default.",
        "The record shows attendance doubled.",
        "We switched the lights off.",
        "The gap between users and designers narrowed.",
        "Minutes from the last meeting were approved.",
        f"{PUBLIC} [confidential]off the record, between us[/confidential]",
    ],
)
def test_ordinary_text_and_markers_inside_spans_do_not_warn(text):
    _, report = redact(notes(text), {})
    assert not [w for w in report.warnings if w.kind == "informal-marker"]


def test_informal_markers_in_a_confidential_item_do_not_warn():
    _, report = redact(notes(f"{PUBLIC}\n\n[confidential] Off the record: {SECRET}"), {})
    assert not [w for w in report.warnings if w.kind == "informal-marker"]


SETEXT_CASES = [
    (
        "a confidential setext heading of level 2",
        "[confidential] Funding QZXSETEXTA\n------\n\nQZXUNDERSETEXT body.\n\n## After\n\nPublic.",
    ),
    (
        "a confidential setext heading of level 1",
        "[confidential] Funding QZXSETEXTA\n=====\n\nQZXUNDERSETEXT body.\n\n# After\n\nPublic.",
    ),
    (
        "a confidential atx heading ended by a setext heading of the same level",
        "## [confidential] QZXSETEXTA\n\nQZXUNDERSETEXT body.\n\nAfter\n---\n\nPublic.",
    ),
]


@pytest.mark.parametrize("text", [t for _, t in SETEXT_CASES], ids=[n for n, _ in SETEXT_CASES])
def test_red_team_a_setext_heading_starts_and_ends_a_confidential_section(text):
    """Round 2: the text under a confidential setext heading was published on every surface."""
    published, _ = redact(notes(text), {})
    for canary in ("QZXSETEXTA", "QZXUNDERSETEXT"):
        assert canary not in published.html and canary not in published.markdown
    assert "Public." in published.html
