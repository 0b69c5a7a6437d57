"""The longest text the product accepts: forms, commands and services all read these numbers.

The lengths keep every page fast: Markdown up to these sizes renders in well under a second
whatever it holds (see `rendering_bounds`), and a search stays cheap.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass

# Line breaks and other control characters: none may stand in a one-line text (a title becomes
# an email subject, where a line break would start a new header).
_NOT_ON_ONE_LINE = frozenset(("Cc", "Zl", "Zp"))


@dataclass(frozen=True)
class Limit:
    """At most `characters` characters of one kind of text, named `what` in messages."""

    what: str
    characters: int
    one_line: bool = False

    @property
    def message(self) -> str:
        return f"{self.what} must be {self.characters:,} characters or fewer."

    def problem(self, text: str | None) -> str | None:
        """Say what is wrong when `text` is too long (or not on one line); None when it fits."""
        if text is None:
            return None
        if len(text) > self.characters:
            return self.message
        if self.one_line and any(unicodedata.category(c) in _NOT_ON_ONE_LINE for c in text):
            return f"{self.what} must be on one line, without line breaks or control characters."
        return None


COMMENT = Limit("Comments", 10_000)
MEETING_DESCRIPTION = Limit("Meeting descriptions", 10_000)
MEETING_TITLE = Limit("Meeting titles", 300, one_line=True)
ITEM_BODY = Limit("Items of the notes", 10_000)
NOTES_FILE = Limit("Notes files", 100_000)
EVENT_POST = Limit("Event posts", 20_000)
SPEAKER_LABEL = Limit("Credits by name", 120, one_line=True)
SPEAKER_DESCRIPTOR = Limit("Descriptors", 120, one_line=True)
NETWORK_NAME = Limit("Network names", 200, one_line=True)
PERSON_NAME = Limit("Names", 200, one_line=True)
SEARCH_QUERY = Limit("Searches", 200)

ALL = (
    COMMENT,
    MEETING_DESCRIPTION,
    MEETING_TITLE,
    ITEM_BODY,
    NOTES_FILE,
    EVENT_POST,
    SPEAKER_LABEL,
    SPEAKER_DESCRIPTOR,
    NETWORK_NAME,
    PERSON_NAME,
    SEARCH_QUERY,
)
