"""One email address per field: lists, display names and hidden characters are refused."""

from __future__ import annotations

import pytest

from notes_app.domain.email_address import (
    ONE_ADDRESS,
    NotAnEmailAddress,
    is_email_address,
    normalise_email,
)
from notes_app.domain.notes_format import NotesFormatError, parse

# What the red team sent, and its near relations: each would have put several recipients in
# one To: header, a name or a header of its own into it, or an account no one can write to.
NOT_ONE_ADDRESS = [
    pytest.param("one@example.org,two@evil.example,three@evil.example", id="comma-list"),
    pytest.param("one@example.org;two@evil.example", id="semicolon-list"),
    pytest.param("one@example.org, two@evil.example", id="comma-space-list"),
    pytest.param("one@example.org two@evil.example", id="space-list"),
    pytest.param("Mel Alpha <mel@example.org>", id="display-name"),
    pytest.param("<mel@example.org>", id="angle-brackets"),
    pytest.param("mel@example.org>", id="one-angle-bracket"),
    pytest.param('"mel"@example.org', id="quoted-local-part"),
    pytest.param('"one@example.org,two@evil.example"@example.org', id="quoted-list"),
    pytest.param("mel @example.org", id="inner-space"),
    pytest.param("mel@exam\tple.org", id="tab"),
    pytest.param("mel@example.org\r\nBcc: two@evil.example", id="header-injection"),
    pytest.param("mel\x00@example.org", id="nul"),
    pytest.param("mel@example.org\x07", id="control-character"),
    pytest.param("mel\u200b@example.org", id="zero-width-space"),
    pytest.param("mel@example.org\u2028two@evil.example", id="line-separator"),
    pytest.param("one@example.org，two@evil.example", id="full-width-comma"),
    pytest.param("mel＠example.org", id="full-width-at"),
    pytest.param("not an address", id="no-at"),
    pytest.param("mel@", id="no-domain"),
    pytest.param("@example.org", id="no-local-part"),
    pytest.param("mel@example", id="no-dot"),
    pytest.param("mel@localhost", id="localhost"),
    pytest.param("mel@[192.0.2.1]", id="domain-literal"),
    pytest.param("", id="empty"),
    pytest.param("   ", id="blank"),
]


@pytest.mark.parametrize("text", NOT_ONE_ADDRESS)
def test_anything_but_one_plain_address_is_refused_in_plain_words(text):
    with pytest.raises(NotAnEmailAddress) as refused:
        normalise_email(text)
    assert str(refused.value) == ONE_ADDRESS
    assert "Enter one email address, like name@example.org" in ONE_ADDRESS
    assert not is_email_address(text)


@pytest.mark.parametrize(
    ("text", "kept"),
    [
        ("mel@example.org", "mel@example.org"),
        ("  Mel.Alpha@Example.ORG \n", "mel.alpha@example.org"),
        ("o'brien+notes@sub.example.co.uk", "o'brien+notes@sub.example.co.uk"),
        # An international domain is kept in the form every mail server takes.
        ("ana@bücher.example", "ana@xn--bcher-kva.example"),
    ],
)
def test_one_address_is_kept_trimmed_and_in_lower_case(text, kept):
    assert normalise_email(text) == kept


@pytest.mark.parametrize("text", NOT_ONE_ADDRESS[:10])
def test_a_notes_file_speaker_email_must_be_one_address(text):
    quoted = text.replace("\\", "\\\\").replace('"', '\\"')
    notes = f'---\nspeakers:\n  - handle: robin\n    name: Robin\n    email: "{quoted}"\n---\n'
    with pytest.raises(NotesFormatError) as refused:
        parse(notes)
    assert refused.value.line == 5 and ONE_ADDRESS in refused.value.problem


def test_a_notes_file_speaker_email_that_is_one_address_reads_back():
    notes = (
        "---\nspeakers:\n  - handle: robin\n    name: Robin\n    email: Robin@example.org\n---\n"
    )
    assert parse(notes).speakers[0].email == "Robin@example.org"
