"""The notes of one meeting as plain data: speakers, items and the draft that holds them."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum
from functools import cached_property


class ItemKind(StrEnum):
    SECTION = "section"
    STATEMENT = "statement"
    NOTE = "note"


@dataclass(frozen=True)
class Speaker:
    """A person who speaks at one meeting, known in the notes by a short handle."""

    handle: str
    name: str
    organisation: str = ""
    role: str = ""
    email: str = ""
    aliases: tuple[str, ...] = ()
    descriptor: str = ""
    # Web pages of their organisation (an event post's link on it), whose domain names them.
    links: tuple[str, ...] = ()


@dataclass(frozen=True)
class Item:
    """One block of the notes.

    `body` is Markdown without the item's own markers: a section holds its heading text (its
    level in `level`), a statement the text after `@handle:`, a note the whole block. Inline
    `[confidential]...[/confidential]` spans stay in the body. `bullet` records that the item
    was written as a bullet of a list, so that it is written back the same way. `id` is empty
    until the item is stored; the parser does not invent ids.
    """

    kind: ItemKind
    body: str
    speaker: str | None = None
    confidential: bool = False
    level: int = 0
    bullet: bool = False
    id: str = ""


@dataclass(frozen=True)
class Draft:
    """The facilitator's working copy of a meeting's notes."""

    speakers: tuple[Speaker, ...] = ()
    terms: tuple[str, ...] = ()
    items: tuple[Item, ...] = field(default_factory=tuple)
    # The people the meeting's event post announced whom the notes do not declare: protected
    # in everything members see, like speakers who may not be named (never credited).
    announced: tuple[Speaker, ...] = ()

    def speaker(self, handle: str) -> Speaker | None:
        return self._by_handle.get(handle)

    @cached_property
    def _by_handle(self) -> dict[str, Speaker]:
        found: dict[str, Speaker] = {}
        for speaker in self.speakers:
            found.setdefault(speaker.handle, speaker)  # the first, as a search would find
        return found
