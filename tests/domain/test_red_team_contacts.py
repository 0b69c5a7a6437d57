"""Findings of the blind red team on contact details, names joined by markup and over-redaction.

Leaks plant a canary (a phone number, a name) and prove it gone from the published Markdown and
HTML; over-redaction cases assert the exact sentence members read.
"""

from __future__ import annotations

import re

import pytest

from notes_app.domain.consent import Consent, Decision, Level, wording_hash
from notes_app.domain.notes import Draft, Item, ItemKind, Speaker
from notes_app.domain.redaction import redact
from notes_app.domain.textmatch import contact_key, find_contacts

VARNS = Speaker("ell", "Ella Varnsworth", organisation="Quillon Trust")
SPEAKERS = (VARNS,)


def _digits(script_zero: int, number: str) -> str:
    return "".join(chr(script_zero + int(d)) if d.isdigit() else d for d in number)


def _redacted(body: str, speakers=SPEAKERS, **kwargs):
    draft = Draft(speakers, (), (Item(ItemKind.NOTE, body, id="n1"),))
    return redact(draft, {}, **kwargs)


def _ascii_digits(text: str) -> str:
    return "".join(str(int(c)) for c in text if c.isdecimal())


PHONES = [
    ("en dash", "Ring 07700\u2013900\u2013123 to join."),
    ("non-breaking hyphen", "Ring +44 7700\u2011900123 to join."),
    ("figure dash", "Ring 07700\u2012900\u2012123 to join."),
    ("minus sign", "Ring 07700\u2212900\u2212123 to join."),
    ("em dash", "Ring 07700\u2014900\u2014123 to join."),
    ("hyphen U+2010", "Ring 07700\u2010900\u2010123 to join."),
    ("no-break spaces", "Ring 07700\u00a0900\u00a0123 to join."),
    ("thin spaces", "Ring 07700\u2009900\u2009123 to join."),
    ("em spaces", "Ring 07700\u2003900\u2003123 to join."),
    ("ideographic spaces", "Ring 07700\u3000900\u3000123 to join."),
    ("Arabic-Indic digits", f"Ring {_digits(0x0660, '07700900123')} to join."),
    ("Extended Arabic-Indic digits", f"Ring {_digits(0x06F0, '07700 900 123')} to join."),
    ("Devanagari digits", f"Ring {_digits(0x0966, '07700-900123')} to join."),
    ("international without a plus", "Ring 447700900123 to join."),
    ("international with 00", "Ring 00447700900123 to join."),
    ("international in a query string", "See https://example.org/call?n=447700900123 to join."),
    ("international in a link target", "[Ring us](https://example.org/?tel=447700900123) now."),
    (
        "fullwidth digits and plus",
        "Call \uff0b\uff14\uff14 \uff12\uff10 \uff17\uff19\uff14\uff16 \uff10\uff10\uff10\uff10.",
    ),
    ("local after call", "Please call 79460123 to join."),
    ("local after ring me on", "Ring me on 2079 4601 to join."),
    ("local after tel", "tel 79460123 for the desk."),
    ("local after phone number", "Phone number: 7946-0123."),
    ("local after mobile", "Mobile 794 60123."),
    ("local after whatsapp", "WhatsApp 7946012 to join."),
    ("local after text", "Text 79460123 to join."),
    ("local after fax", "Fax: 79460123."),
]


@pytest.mark.parametrize("body", [c[1] for c in PHONES], ids=[c[0] for c in PHONES])
def test_red_team_phone_is_removed(body):
    number = _ascii_digits(body)
    published, report = _redacted(body)
    assert report.ok, report.leaks
    assert number[-7:] not in _ascii_digits(published.markdown + published.html)
    assert "phone removed" in published.markdown or "phone-removed" in published.markdown


NOT_PHONES = [
    ("ISBN with its name", "The guide (ISBN 9780306406157) helps."),
    ("an order number", "Order 447700900123 arrived late."),
    ("an amount with separators", "The fund holds 12,000,000,000 pounds."),
    ("a year range", "From 2019 to 2024 we met 120 times."),
    ("a year range after call", "We call 2019-2024 the lost years."),
    ("a count after call", "We call 12 panels a year."),
    ("a long number starting with a digit no country uses", "Code 999999999999 is a test."),
    ("dates with en dashes", "We met on 2024\u201310\u201315 and 2025\u201301\u201302."),
    ("a short number after ring", "Ring 4 times."),
    ("a long local-looking number without a contact word", "We counted 79460123 votes."),
    ("Arabic-Indic year", f"In {_digits(0x0660, '2024')} we met."),
]


@pytest.mark.parametrize("body", [c[1] for c in NOT_PHONES], ids=[c[0] for c in NOT_PHONES])
def test_red_team_numbers_that_are_not_phones_stay(body):
    published, report = _redacted(body)
    assert published.items[0].markdown == body
    assert report.ok


def test_phones_in_any_digits_are_allow_listed_by_their_value():
    assert contact_key(_digits(0x0660, "020 7946 0000")) == contact_key("020-7946-0000")
    assert [kind for _, _, kind in find_contacts("call \u0660\u0662\u0660 7946 0000")] == ["phone"]


# --- names split by markup that a view joins again (finding 5) -----------------------------

JOINED = [
    ("empty image", "We asked Varns![](x.png)worth today."),
    ("empty image with a title", 'We asked Varns![](x.png "t")worth today.'),
    ("empty link", "We asked Varns[](https://example.net/)worth today."),
    ("emphasis", "We asked Varns**worth** today."),
    ("footnote reference", "We asked Varns[^1]worth today.\n\n[^1]: A note."),
    ("hard line break", "We asked Varns  \nworth today."),
    ("backslash line break", "We asked Varns\\\nworth today."),
    ("br tag", "We asked Varns<br>worth today."),
    ("table cells", "| Varns | worth |\n| --- | --- |\n| a | b |"),
    ("letter spacing", "We asked V a r n s w o r t h today."),
]


@pytest.mark.parametrize("body", [c[1] for c in JOINED], ids=[c[0] for c in JOINED])
def test_red_team_name_joined_by_markup_is_never_published(body):
    published, report = _redacted(body)
    joined = re.sub(r"!?\[\]\([^)]*\)|\[\^\w+\](?!:)|<[^>]*>|[\W_]+", "", published.markdown)
    rendered = re.sub(r"<[^>]*>|[\W_]+", "", published.html)
    shown = "varnsworth" in joined.casefold() or "varnsworth" in rendered.casefold()
    # Replaced, or refused: never published as members would read it.
    assert not shown or not report.ok


# --- over-redaction (finding 6) ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        (
            "Ella said the Quillon plan works.",
            "A participant said an organisation plan works.",
        ),
        ("Ella and the Quillon plan.", "A participant and an organisation plan."),
        ("Ella of the Quillon Trust spoke.", "A participant spoke."),
    ],
    ids=["said the", "and the before a noun", "one person's apposition still merges"],
)
def test_red_team_replacement_keeps_the_words_between_two_terms(body, expected):
    published, _ = _redacted(body)
    assert published.items[0].markdown == expected


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        ("Use `[confidential]x[/confidential]` here.", "Use here."),
        ("Use `` [confidential]x[/confidential] `` here.", "Use here."),
        ("`a` [confidential]x[/confidential] `b` here.", "`a` `b` here."),
    ],
    ids=["single backticks", "double backticks", "two code spans around the span"],
)
def test_red_team_emptied_code_span_leaves_no_backticks(body, expected):
    published, _ = _redacted(body)
    assert published.items[0].markdown == expected


def test_red_team_name_split_by_emphasis_leaves_no_empty_emphasis():
    # The marks a replacement swallows whole, with their pair round it, go with the name.
    published, _ = _redacted("We asked Varns**worth** today, and **Varns**worth too.")
    assert published.items[0].markdown == "We asked a participant today, and a participant too."


def test_red_team_redacted_in_a_credit_label_is_not_escaped_in_the_export():
    item = Item(ItemKind.STATEMENT, "Pay panels fairly.", "ell", id="s1")
    label = "Ella, Project Nightjar"
    consent = Consent("s1", "ell", Decision.GRANTED, wording_hash(item.body), Level.NAME, label)
    draft = Draft(SPEAKERS, (), (item,))
    published, _ = redact(draft, {"s1": consent}, terms=["Project Nightjar"])
    assert published.items[0].markdown == "**Ella, [redacted]:** Pay panels fairly."


# --- comments: the shared check finds contact details too (finding 7) ----------------------


def test_red_team_find_terms_with_contacts_finds_emails_and_phones_not_allow_listed():
    from notes_app.domain.redaction import find_terms

    text = "Mail max@example.net or hello@network.example, ring 07700\u2013900\u2013123."
    found = find_terms(text, [], contacts=("Hello@Network.example",))
    assert [(m.term.kind.value, m.text) for m in found] == [
        ("email", "max@example.net"),
        ("phone", "07700\u2013900\u2013123"),
    ]
    assert find_terms(text, []) == []  # without `contacts`, terms only (labels, bylines)
