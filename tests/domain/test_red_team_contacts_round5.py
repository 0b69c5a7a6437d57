"""Round 5 of the blind red team on phone numbers (L2, L19, L27, and the phones of L11, L20, L21).

An international number written without its "+" or "00", in groups whose first is the country
code, is a phone when libphonenumber finds it valid, or possible with a contact word before it;
a national number with its area code in brackets is one when it is valid in a likely region.
Each leak plants the number as the red team wrote it and proves its digits gone; each precision
case asserts the exact sentence members read.
"""

from __future__ import annotations

import pytest

from notes_app.domain.notes import Draft, Item, ItemKind, Speaker
from notes_app.domain.redaction import find_terms, redact
from notes_app.domain.textmatch import find_contacts

ANNA = Speaker("anna", "Anna Kovalchuk", organisation="Ministry of Digital Transformation")


def _redacted(body: str):
    draft = Draft((ANNA,), (), (Item(ItemKind.NOTE, body, id="n1"),))
    return redact(draft, {})


def _digits(text: str) -> str:
    return "".join(c for c in text if c.isdigit())


# (name, sentence, the number as written in it)
LEAKS = [
    ("l2-uk-country-code-without-plus", "Call Anna on 44 20 7946 0958 today.", "44 20 7946 0958"),
    ("l2-ukraine-country-code-without-plus", "Or ring 380 44 123 4567.", "380 44 123 4567"),
    ("l19-german-switchboard-short-form", "Reach them at 49 89 2361 0 soon.", "49 89 2361 0"),
    ("l19-french-number-in-pairs", "Or try 33 1 23 45 67 89 soon.", "33 1 23 45 67 89"),
    ("l19-german-national-bracketed-area-code", "Or (089) 2361-0 soon.", "(089) 2361-0"),
    ("l19-greek-number-still-caught", "Or 30 210 123 4567 soon.", "30 210 123 4567"),
    ("l27-indian-mobile", "Call 91 98765 43210 today.", "91 98765 43210"),
    ("l27-polish-landline", "Call 48 12 616 1234 today.", "48 12 616 1234"),
    ("l27-finnish-landline", "Call 358 9 310 1691 today.", "358 9 310 1691"),
    ("l11-uk-mobile-after-called", "I called 44 7700 900999 to ask her", "44 7700 900999"),
    ("l20-uk-number-after-ring-her-on", "Ring her on 44 20 7946 0958", "44 20 7946 0958"),
    ("l21-welsh-number-in-description", "Contact Rhiannon on 44 29 2087 4000.", "44 29 2087 4000"),
    ("l10-uk-mobile-in-a-label", "Jo B-S, call 44 7700 900123", "44 7700 900123"),
    ("l12-uk-mobile-in-a-descriptor", "a speaker, ring 44 7700 900456", "44 7700 900456"),
    ("german-contact-word-possible-number", "Telefon: 49 30 1234 56 ab neun.", "49 30 1234 56"),
    # Found by the lead after round 5: a national number without its trunk 0 after a contact
    # word, and a local number after "her number".
    ("uk-mobile-without-trunk-zero", "Call him on 7700 900123 after six.", "7700 900123"),
    ("uk-landline-without-trunk-zero", "Ring 2079460958 after six.", "2079460958"),
    ("local-number-after-her-number", "Her number is 7946 0958, she said.", "7946 0958"),
]


@pytest.mark.parametrize(("body", "number"), [c[1:] for c in LEAKS], ids=[c[0] for c in LEAKS])
def test_round5_phone_is_found_and_removed(body, number):
    assert [body[a:b] for a, b, kind in find_contacts(body) if kind == "phone"] == [number]
    published, report = _redacted(body)
    assert report.ok, report.leaks
    assert _digits(number) not in _digits(published.markdown + published.html)
    assert "phone removed" in published.markdown


def test_round5_red_team_sentences_lose_every_number_and_keep_their_words():
    published, _ = _redacted(
        "- Reach them at 49 89 2361 0 or 30 210 123 4567 or 33 1 23 45 67 89 or (089) 2361-0"
    )
    assert published.items[0].markdown == (
        "- Reach them at [phone removed] or [phone removed] or [phone removed] or [phone removed]"
    )
    published, _ = _redacted("Call 91 98765 43210 or 48 12 616 1234 or 358 9 310 1691")
    assert published.items[0].markdown == (
        "Call [phone removed] or [phone removed] or [phone removed]"
    )


def test_round5_comment_finder_finds_the_same_numbers():
    """Comments are refused through `find_terms(..., contacts=)`: the same finder."""
    found = find_terms("I called 44 7700 900999 to ask her", [], contacts=())
    assert [(m.term.kind.value, m.text) for m in found] == [("phone", "44 7700 900999")]


# Numbers that are not phones, each kind the brief names; each must read exactly as written.
NOT_PHONES = [
    ("years-in-pairs", "Budgets for 2024 2025 and 2025 2026 were set."),
    ("years-after-a-country-code-like-count", "Route 49 2019 2024 plans were kept."),
    ("amount-pounds-spaced-thousands", "The fund is \u00a32 000 000 this year."),
    ("amount-euros-after-currency", "They raised \u20ac 45 2612 3456 in all."),
    ("amount-round-thousands", "Costs rose to 39 000 000 euros and 44 000 000 000 lire."),
    ("amount-world-population", "About 7 500 000 000 people live there."),
    ("date-with-dots", "We met on 20.10.2024 and 31.12.2024."),
    ("date-with-slashes", "We met on 27/10/2024 and 05/03/2025."),
    ("date-with-spaces", "We met on 30 10 2024."),
    ("date-iso", "We met on 2024-10-15 at 14:30."),
    ("time-range", "Talks ran 20.30-21.45 on Friday."),
    ("percentages", "Scores of 45 50 60 70 80 % were seen."),
    ("reference-number", "Invoice 45 2612 3456 is paid."),
    ("case-reference", "Case ref 44 20 7946 0958 is closed."),
    ("version-number", "Upgrade to 44.0.2403.157 first, then 3.12.1."),
    ("isbn-13", "See ISBN 978-0-306-40615-7 and ISBN 979-10-90636-07-1."),
    ("internet-address", "The server 212.58.244.20 was down."),
    ("counts-in-a-row", "We had 20 30 40 people."),
    ("rising-counts", "Turnout went 45 50 60 70 80 over five years."),
    ("coordinates", "We met at 51.5074 0.1278 by the river."),
    ("reach-a-count", "We reach 1000000 people a year."),
    ("contact-a-count", "We contact 2024 2025 cohorts."),
    ("bracketed-year", "The report (2024) 123 pages long."),
    ("short-national-without-a-contact-word", "Table 089 2361-0 was empty."),
    ("number-of-members", "Our number of members is 12000000 now."),
    ("ten-digit-count-without-a-contact-word", "They counted 7700900123 grains."),
    ("call-for-years", "We call 2024 2025 the lost years."),
]


@pytest.mark.parametrize("body", [c[1] for c in NOT_PHONES], ids=[c[0] for c in NOT_PHONES])
def test_round5_numbers_that_are_not_phones_stay(body):
    assert [kind for _, _, kind in find_contacts(body)] == []
    published, report = _redacted(body)
    assert published.items[0].markdown == body
    assert report.ok


@pytest.mark.parametrize(
    ("level", "words"),
    [("descriptor", "a speaker, ring 44 7700 900456"), ("name", "Gwen, call 07700 900123")],
    ids=["l12-phone-in-a-descriptor-stored-before", "l10-phone-in-a-label-stored-before"],
)
def test_round5_a_phone_in_a_credit_stored_before_the_rule_is_removed_when_published(level, words):
    """Labels and descriptors are refused with a phone at entry; one stored before (or written
    in the front matter) still loses the number in the notes."""
    from notes_app.domain.consent import Consent, Decision, Level, wording_hash

    gwen = Speaker("gwen", "Gwen Talbot", descriptor=words)
    item = Item(ItemKind.STATEMENT, "We tried it.", speaker="gwen", id="s1")
    grant = Consent("s1", "gwen", Decision.GRANTED, wording_hash(item.body), Level(level), words)
    published, report = redact(Draft((gwen,), (), (item,)), {"s1": grant})
    assert report.ok, report.leaks
    shown = published.items[0].markdown + published.items[0].html
    assert _digits(words) not in _digits(shown)
    assert "[phone removed]" in published.items[0].markdown
