"""Leaks a blind red team found, each planted as a canary in a draft read by the real parser."""

from __future__ import annotations

import pytest

from notes_app.domain import markers
from notes_app.domain.notes_format import parse
from notes_app.domain.redaction import redact
from notes_app.domain.rendering import render_markdown

FRONT = "---\nspeakers:\n- handle: robin\n  name: Robin Vashtebb\n---\n"
AFTER = "Members agreed to meet again in spring."


def published(text: str):
    """Redact a notes file with no consents; return every surface members get, and the report."""
    result, report = redact(parse(FRONT + text), {})
    return result.markdown + result.html + " ".join(item.body for item in result.items), report


def assert_absent(text: str, *canaries: str, shown: tuple[str, ...] = ()) -> None:
    surfaces, report = published(text)
    for canary in canaries:
        assert canary not in surfaces
    for kept in shown:
        assert kept in surfaces
    assert report.ok


# --- A1: a rule under a paragraph of several lines is no heading ---------------------------


@pytest.mark.parametrize("gap", ["\n", "\n\n"], ids=["same-block", "next-block"])
def test_red_team_rule_under_multiline_paragraph(gap):
    text = (
        "## [confidential] Funding\n\nThe grant is SECRETX1 pounds.\nWe lose it in May SECRETX2.\n"
        f"---{gap}More SECRETX3 detail.\nAnd SECRETX4.\n===\n\n## Next steps\n\n{AFTER}"
    )
    assert render_markdown("a\nb\n---") == "<p>a\nb</p>\n<hr>"  # the renderer's reading
    assert_absent(text, "SECRETX1", "SECRETX2", "SECRETX3", "SECRETX4", shown=(AFTER,))


@pytest.mark.parametrize(
    ("body", "level"),
    [
        ("Title\n---", 2),
        ("Title\n===", 1),
        ("Title\n-", 2),
        ("Title\n----\nmore", 2),
        ("a\nb\n---", None),
        ("a\nb\n===", None),
        ("  Title\n  ---", None),
        ("Title\n    ---", None),
        ("Title\n   ---", None),
        ("#Title", 1),
        ("####### Title", 6),
        ("\\# Title", None),
        (" # Title", None),
    ],
)
def test_red_team_heading_level_agrees_with_the_renderer(body, level):
    from notes_app.domain.notes import Item, ItemKind

    assert markers.heading_level(Item(ItemKind.NOTE, body)) == level
    html = render_markdown(body)
    assert (html.startswith("<h") and html[2] == str(level)) if level else not html.startswith("<h")


def test_red_team_heading_without_space_is_a_confidential_heading():
    text = f"[confidential] #Funding\n\nSECRETH1 detail.\n\n# Next\n\n{AFTER}"
    assert_absent(text, "SECRETH1", "Funding", shown=(AFTER,))


# --- A2: definitions that confidential text refers to --------------------------------------


def test_red_team_definitions_of_confidential_text():
    text = (
        "[confidential] The grant is small[^s], see [the report][ref].\n\n"
        "[^s]: SECRETF1 is the funder.\n\n"
        '[ref]: https://example.net/SECRETF2 "SECRETF3"\n\n'
        "Pay [confidential]as [the plan][Plan] says[/confidential] fairly.\n\n"
        "[plan]: https://example.net/SECRETF4\n\n"
        "## [confidential] Money\n\nSee[^m].\n\n## Close\n\n[^M]: SECRETF5\n\n"
        f"{AFTER} See [public][pub].\n\n[pub]: https://example.net/open"
    )
    assert_absent(
        text, "SECRETF1", "SECRETF2", "SECRETF3", "SECRETF4", "SECRETF5", shown=(AFTER, "/open")
    )


def test_red_team_definition_shared_with_published_text_is_excluded_and_warned():
    text = f"[confidential] Small[^s].\n\n{AFTER}[^s]\n\n[^s]: SECRETF6 funds it."
    assert_absent(text, "SECRETF6", shown=(AFTER,))
    _, report = published(text)
    assert [w.kind for w in report.warnings] == ["confidential-definition"]


# --- A3: continuation paragraphs of a confidential bullet or statement ----------------------


@pytest.mark.parametrize(
    "text",
    [
        "- [confidential] SECRETL1 parent\n\n    SECRETL2 continuation para",
        "- [confidential] SECRETL1 parent\n\n  SECRETL2 second paragraph",
        "[confidential] @robin: SECRETL1 said\n\n    SECRETL2 continued",
        "- public\n- [confidential] SECRETL1 parent\n\n    SECRETL2 one\n\n    SECRETL3 two",
    ],
    ids=["four-spaces", "two-spaces", "statement", "two-paragraphs"],
)
def test_red_team_continuation_of_confidential_item(text):
    assert_absent(f"{text}\n\n{AFTER}", "SECRETL1", "SECRETL2", "SECRETL3", shown=(AFTER,))


# --- A4: informal markers are warned ---------------------------------------------------------

INFORMAL = [
    "## Confidential",
    "## CONFIDENTIAL ITEMS",
    "## Confidential session",
    "## Not for publication",
    "## Private session",
    "## In camera",
    "**CONFIDENTIAL** The grant ends.",
    "Confidential. The grant ends.",
    "The grant ends (not for publication).",
    "The grant ends [do not publish].",
    "[private] The grant ends.",
    "The grant ends. Please don't share.",
    "EMBARGOED until June: the grant ends.",
    "Do not repeat outside this room: the grant ends.",
]


@pytest.mark.parametrize("text", INFORMAL)
def test_red_team_informal_markers_warned(text):
    _, report = published(f"{text}\n\nMore.")
    assert "informal-marker" in [w.kind for w in report.warnings]


@pytest.mark.parametrize(
    "text",
    [
        "Private sector investment grew.",
        "We do not share data with them.",
        "We do not repeat mistakes.",
        "Confidential data is handled well.",
        "The **bold** words.",
        "The camera broke; the embargo on arms held.",
    ],
)
def test_red_team_informal_markers_not_on_prose(text):
    assert markers.informal_markers(text) == []


EXAMPLES = {
    "(confidential)": "(confidential)",
    "Confidential:": "confidential: the grant",
    "strictly confidential": "strictly confidential",
    "in confidence": "in confidence",
    "off the record": "off the record",
    "not for the notes": "not for the notes",
    "not for circulation": "not for publication",
    "between us": "between us",
    "don't minute this": "don't minute this",
    "not to be minuted": "not minuted",
    "Confidential (heading)": "confidential items",
    "Confidential.": "confidential. the grant",
    "confidential session": "a confidential session",
    "private session": "a private session",
    "Private:": "strictly private: the grant",
    "[private]": "[private] the grant",
    "in camera": "in camera",
    "embargoed": "embargoed until june",
    "do not publish": "please don't share.",
}


def test_red_team_every_informal_marker_holds_a_key():
    """The quick prefilter must never hide a marker: every pattern's example holds a key."""
    assert sorted(EXAMPLES) == sorted(name for name, _ in markers.INFORMAL_MARKERS)
    for name, pattern in markers.INFORMAL_MARKERS:
        example = EXAMPLES[name]
        assert pattern.search(example), name
        assert any(key in example for key in markers._MARKER_KEYS[name]), name
        assert markers.informal_markers(example) != [], name
