"""The longest text the product accepts: forms, commands and services all read these numbers.

The lengths keep every page fast: Markdown up to these sizes renders in well under a second
whatever it holds (see `rendering_bounds`), and a search stays cheap.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Limit:
    """At most `characters` characters of one kind of text, named `what` in messages."""

    what: str
    characters: int

    @property
    def message(self) -> str:
        return f"{self.what} must be {self.characters:,} characters or fewer."

    def problem(self, text: str | None) -> str | None:
        """Say what is wrong when `text` is too long; None when it fits."""
        return self.message if text is not None and len(text) > self.characters else None


COMMENT = Limit("Comments", 10_000)
MEETING_DESCRIPTION = Limit("Meeting descriptions", 10_000)
MEETING_TITLE = Limit("Meeting titles", 300)
ITEM_BODY = Limit("Items of the notes", 10_000)
NOTES_FILE = Limit("Notes files", 100_000)
EVENT_POST = Limit("Event posts", 20_000)
SPEAKER_LABEL = Limit("Credits by name", 300)
SPEAKER_DESCRIPTOR = Limit("Descriptors", 300)
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
    SEARCH_QUERY,
)
