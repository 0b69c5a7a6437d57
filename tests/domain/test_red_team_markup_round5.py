"""The blind red team's fifth round on markup around what redaction takes out (O1, O2, O3, O6),
on markers at the start of nested, quoted and numbered items, and on confidential text repeated
in other words (L9, L15).

Each markup case says the exact Markdown members read and proves the protected or confidential
text absent from the Markdown and the page; each marker case goes through the notes format, as
an import does; each paraphrase case says whether the facilitator is warned, and that the
warning neither refuses nor quotes the confidential text.
"""

from __future__ import annotations

import html

import pytest

from notes_app.domain import markers, notes_format
from notes_app.domain.notes import Draft, Item, ItemKind
from notes_app.domain.notes_format import NotesFormatError
from notes_app.domain.redaction import redact
from notes_app.domain.redaction.paraphrase import KIND as PARAPHRASE
from tests.domain.test_red_team_round5_usage import ANNA, GWEN, KIM

SPEAKERS = (KIM, GWEN, ANNA)
FRONT = "---\nspeakers:\n  - handle: kim\n    name: Kim Lee\n---\n\n"


def _published(items: list[Item]):
    result, report = redact(Draft(SPEAKERS, (), tuple(items)), {})
    assert not report.leaks, report.leaks
    return result, report


def _shown(result) -> str:
    return (result.markdown + "\n" + html.unescape(result.html)).casefold()


# --- markup around replacements and removed spans (O1, O2, O3, O6) ------------------------

# (name, body, kind, speaker, the Markdown members read, canaries that must not be shown)
MARKUP = [
    (
        "o1-emphasis-inside-a-name",
        "- Anna *Koval*chuk agreed",
        ItemKind.NOTE,
        None,
        "- A participant agreed",
        ("anna", "koval", "*"),
    ),
    (
        "o2-emphasised-organisation-words",
        "We built the tool in-house, see **Acme** *Analytics*.",
        ItemKind.STATEMENT,
        "kim",
        "We built the tool in-house, see an organisation.",
        ("acme", "analytics", "*"),
    ),
    (
        "o3-link-around-a-given-name",
        "- [Gwen](#) T<em>albot</em> waved",
        ItemKind.NOTE,
        None,
        "- A participant waved",
        ("gwen", "talbot", "[", "]", "(#)"),
    ),
    (
        "o3-link-around-a-family-name",
        "Met Gwen [Talbot](https://example.org/x) today",
        ItemKind.NOTE,
        None,
        "Met a participant today",
        ("gwen", "talbot", "[", "example.org"),
    ),
    (
        "o3-emphasised-link-text",
        "- [**Gwen**](#) Talbot waved",
        ItemKind.NOTE,
        None,
        "- A participant waved",
        ("gwen", "talbot", "*", "["),
    ),
    (
        "o6-emphasis-around-a-confidential-span",
        "- *[confidential]SECRET-DELTA[/confidential]* emphasised span",
        ItemKind.NOTE,
        None,
        "- emphasised span",
        ("secret-delta", "*"),
    ),
    (
        "o6-strong-emphasis-around-a-confidential-span",
        "- **[confidential]SECRET-DELTA[/confidential]** emphasised span",
        ItemKind.NOTE,
        None,
        "- emphasised span",
        ("secret-delta", "*"),
    ),
    (
        "o6-span-opening-an-emphasis",
        "- see *[confidential]SECRET-DELTA[/confidential] now*",
        ItemKind.NOTE,
        None,
        "- see *now*",
        ("secret-delta", "* now", "see * "),
    ),
    (
        "o6-span-closing-an-emphasis",
        "- **bold [confidential]SECRET-DELTA[/confidential]** after",
        ItemKind.NOTE,
        None,
        "- **bold** after",
        ("secret-delta", "bold **"),
    ),
]


@pytest.mark.parametrize(
    ("body", "kind", "speaker", "expected", "canaries"),
    [case[1:] for case in MARKUP],
    ids=[case[0] for case in MARKUP],
)
def test_markup_a_replacement_or_removal_swallows_is_not_left_stray(
    body, kind, speaker, expected, canaries
):
    result, _ = _published([Item(kind, body, speaker, id="i1")])
    assert result.items[0].markdown == expected
    page = html.unescape(result.html).casefold()
    for canary in canaries:
        assert canary not in result.items[0].markdown.casefold()
        if canary not in ("[", "]", "(#)"):  # the page's own markup has no brackets to test
            assert canary not in page.replace("<li>", "").replace("</li>", "")


def test_markup_emphasis_that_pairs_outside_the_name_stays_paired():
    result, _ = _published([Item(ItemKind.NOTE, "- *Gwen Talbot and co* waved", id="i1")])
    assert result.items[0].markdown == "- *A participant and co* waved"


def test_markup_a_link_whose_text_is_the_name_keeps_the_replacement_as_its_text():
    result, _ = _published([Item(ItemKind.NOTE, "- [Gwen Talbot](#) waved", id="i1")])
    assert result.items[0].markdown == "- [A participant](#) waved"


# --- [confidential] at the start of a nested, quoted or numbered item ---------------------

# (name, notes body, the Markdown members read, the canaries that must not be shown)
NESTED = [
    (
        "nested-bullet",
        "- public one\n  - [confidential] SECRET-NEST said\n  - public two\n- public three",
        "- public one\n  - public two\n- public three\n",
        ("secret-nest",),
    ),
    (
        "nested-bullet-with-its-own-nested-items",
        "- a\n  - [confidential] SECRET-NEST\n    - child SECRET-CHILD\n  - sibling",
        "- a\n  - sibling\n",
        ("secret-nest", "secret-child"),
    ),
    (
        "block-quote-line",
        "Intro\n\n> [confidential] SECRET-QUOTE here\n> more SECRET-QUOTE-TWO",
        "Intro\n",
        ("secret-quote",),
    ),
    (
        "bullet-in-a-block-quote",
        "> - [confidential] SECRET-QUOTE\n> - public point",
        "> - public point\n",
        ("secret-quote",),
    ),
    (
        "numbered-item",
        "1. [confidential] SECRET-NUM one\n2. public item",
        "2. public item\n",
        ("secret-num",),
    ),
    (
        "numbered-item-with-a-continuation-line",
        "1. public\n2. [confidential] SECRET-NUM two\n   continued SECRET-CONT\n3. public three",
        "1. public\n3. public three\n",
        ("secret-num", "secret-cont"),
    ),
    (
        "nested-marker-closed-later-is-a-span",
        "- a\n  - [confidential] SECRET-SPAN [/confidential] public",
        "- a\n  - public\n",
        ("secret-span",),
    ),
]


@pytest.mark.parametrize(
    ("body", "expected", "canaries"), [case[1:] for case in NESTED], ids=[c[0] for c in NESTED]
)
def test_nested_marker_marks_that_item_confidential(body, expected, canaries):
    text = FRONT + body
    draft = notes_format.parse(text)
    assert notes_format.serialise(draft) == text + "\n"  # the file reads back as written
    result, report = redact(draft, {})
    assert not report.leaks, report.leaks
    assert result.markdown == expected
    for canary in canaries:
        assert canary not in _shown(result)


@pytest.mark.parametrize(
    ("body", "line"),
    [
        ("Para with [confidential] unclosed", 7),
        ("- a\n  [confidential] SECRET continuation line", 8),
        ("> quote [confidential] unclosed", 7),
        ("> [/confidential] stray", 7),
        ("1. one [confidential] unclosed", 7),
        ("- a\n  - [confidential] x [confidential] y", 8),
    ],
    ids=[
        "mid-line-in-a-paragraph",
        "continuation-line-without-a-bullet",
        "mid-line-in-a-quote",
        "stray-closing-in-a-quote",
        "mid-line-in-a-numbered-item",
        "second-opening-inside-a-marked-item",
    ],
)
def test_nested_odd_marker_elsewhere_still_refuses(body, line):
    with pytest.raises(NotesFormatError) as caught:
        notes_format.parse(FRONT + body)
    assert caught.value.line == line


def test_nested_second_reading_of_the_markers_agrees_with_the_first():
    body = "- a\n  - [confidential] SECRET-NEST\n  - public two"
    found = markers.find_spans(body)
    first = [body[start:end] for span in found.spans for start, end in span]
    second = [text for _, _, text in markers.span_texts(body)]
    assert first == second == [" SECRET-NEST"]


# --- confidential text repeated in other words (L9, L15) ----------------------------------


def _paraphrase_warnings(items: list[Item]):
    result, report = _published(items)
    return [w for w in report.warnings if w.kind == PARAPHRASE], result


L9_CONFIDENTIAL = "The Wellcome Trust will stop funding the Leeds pilot in March."


def test_l9_paraphrase_of_a_confidential_item_is_warned_not_refused():
    items = [
        Item(ItemKind.STATEMENT, L9_CONFIDENTIAL, "kim", confidential=True, id="c1"),
        Item(
            ItemKind.NOTE,
            "Members heard that the main funder of the Leeds pilot is withdrawing its money "
            "in spring.",
            id="p1",
        ),
    ]
    found, result = _paraphrase_warnings(items)
    assert [w.item_id for w in found] == ["p1"]
    assert "confidential item 1" in found[0].message
    for secret in ("wellcome", "leeds", "pilot", "funding"):
        assert secret not in found[0].message.casefold()
    assert "wellcome" not in _shown(result)


def test_l15_amount_written_differently_in_the_same_statement_is_warned():
    body = (
        "Heron was discussed [confidential]the Heron budget of £2m is gone[/confidential]; "
        "later the 2 million pounds for Heron is gone too."
    )
    found, _ = _paraphrase_warnings([Item(ItemKind.STATEMENT, body, "g", id="s1")])
    assert [w.item_id for w in found] == ["s1"]
    assert "confidential span of this item" in found[0].message
    assert "£2m" not in found[0].message and "heron" not in found[0].message.casefold()


@pytest.mark.parametrize(
    ("confidential", "public"),
    [
        (
            "The council will cut the budget for the library in March.",
            "Members asked the council about the budget in March.",
        ),
        (
            "The Wellcome Trust will stop funding the Leeds pilot.",
            "The City Council met in Leeds about data.",
        ),
        ("The Heron budget of £2m is gone.", "The parks budget of 2 million pounds is safe."),
        ("We spent £2m on the Heron rollout.", "Heron was launched last year."),
    ],
    ids=[
        "ordinary-shared-words-only",
        "one-distinctive-word-without-a-run",
        "same-amount-without-a-shared-distinctive-word",
        "shared-name-without-the-amount",
    ],
)
def test_paraphrase_no_warning_without_a_distinctive_run_or_amount(confidential, public):
    items = [
        Item(ItemKind.STATEMENT, confidential, "kim", confidential=True, id="c1"),
        Item(ItemKind.NOTE, public, id="p1"),
    ]
    found, _ = _paraphrase_warnings(items)
    assert found == []


def test_paraphrase_warning_names_a_span_in_another_item_by_its_place():
    items = [
        Item(ItemKind.NOTE, "Agenda agreed.", id="n1"),
        Item(
            ItemKind.NOTE, "Budget: [confidential]the Heron budget is £2m[/confidential].", id="n2"
        ),
        Item(ItemKind.NOTE, "Heron will have two million... no, 2 million pounds.", id="n3"),
    ]
    found, _ = _paraphrase_warnings(items)
    assert [(w.item_id, "a confidential span in item 2" in w.message) for w in found] == [
        ("n3", True)
    ]
