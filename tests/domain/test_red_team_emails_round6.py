"""Round 6 of the blind red team on email addresses written to dodge a plain @ (R19).

Each leak plants the address as the red team wrote it and proves that no part of its local part
or domain reaches the notes; each precision case is prose that stays exactly as written.
"""

from __future__ import annotations

import pytest

from notes_app.domain.notes import Draft, Item, ItemKind
from notes_app.domain.redaction import redact
from notes_app.domain.textmatch import find_contacts


def _redacted(body: str) -> str:
    draft = Draft((), (), (Item(ItemKind.NOTE, body, id="n1"),))
    published, report = redact(draft, {})
    assert report.ok, report.leaks
    return published.markdown


LEAKS = [
    ("r19-bracketed-at-and-dot", "john[at]example[.]com", "john"),
    ("r19-spaces-around-at-and-dots", "john @ example . com", "john"),
    ("r19-public-provider-spaced", "jane @ gmail . com", "jane"),
    ("r19-full-width-capital-at", "johnＡＴexample.com", "john"),
    ("r19-ascii-capital-at", "johnATexample.com", "john"),
    ("r19-provider-without-its-ending", "jane@gmail", "jane"),
    ("r19-round-brackets-and-dot", "jane (at) gmail (.) com", "jane"),
]


@pytest.mark.parametrize(("address", "canary"), [c[1:] for c in LEAKS], ids=[c[0] for c in LEAKS])
def test_an_address_written_to_dodge_the_at_is_removed(address, canary):
    published = _redacted(f"Item K1: ask about {address} today.")
    assert canary not in published
    assert "[email removed]" in published
    assert published.startswith("Item K1: ask about ") and published.rstrip().endswith("today.")


PROSE = [
    ("meet-at-a-time", "We meet @ 5pm . Then we go home."),
    ("at-home", "I was @ home. Then I left."),
    ("capital-words", "The DATA team and the AT scale work."),
    ("a-handle", "See @robin on the forum."),
    ("spaces-in-a-name", "Ping me @ the office . com later."),
]


@pytest.mark.parametrize("text", [c[1] for c in PROSE], ids=[c[0] for c in PROSE])
def test_prose_with_an_at_sign_is_not_an_address(text):
    assert find_contacts(text) == []


SPOKEN = [
    ("r4-uk-mobile-in-words", "Call oh seven nine one one one two three four five six today."),
    ("r4-international-in-words", "Or plus four eight six one five five five zero one two three."),
    ("r4-with-double", "Ring oh seven seven double oh nine oh oh one two three now."),
]


@pytest.mark.parametrize("body", [c[1] for c in SPOKEN], ids=[c[0] for c in SPOKEN])
def test_r4_a_phone_number_written_out_in_words_is_removed(body):
    published = _redacted(body)
    assert "[phone removed]" in published
    assert "seven" not in published and "five" not in published


@pytest.mark.parametrize(
    "text", ["one, two, three, four, five, six, seven: we counted.", "We need one or two people."]
)
def test_r4_counting_in_words_is_no_phone_number(text):
    assert find_contacts(text) == []
