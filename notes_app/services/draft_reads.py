"""Read a meeting's draft as it stands: its item rows, its speaker rows, and the domain draft.

Nothing here writes, so every use case (drafts, speakers, protection, search, publishing) can
build on it.
"""

from __future__ import annotations

from sqlalchemy import select

from notes_app.domain.notes import Draft, ItemKind
from notes_app.domain.notes import Item as DraftItem
from notes_app.domain.notes import Speaker as DraftSpeaker
from notes_app.extensions import db
from notes_app.models import Item, Meeting, Speaker


def item_rows(meeting: Meeting) -> list[Item]:
    return list(
        db.session.scalars(
            select(Item).where(Item.meeting_id == meeting.id).order_by(Item.position)
        )
    )


def current_draft(meeting: Meeting) -> Draft:
    """Return the draft as domain data, items carrying their stable ids."""
    speaker_rows = speakers_of(meeting)
    handles = {s.id: s.handle for s in speaker_rows}
    return Draft(
        speakers=tuple(speaker_as_domain(s) for s in speaker_rows),
        terms=tuple(meeting.terms),
        items=tuple(item_as_domain(row, handles) for row in item_rows(meeting)),
    )


def item_as_domain(row: Item, handles: dict[int, str]) -> DraftItem:
    return DraftItem(
        kind=ItemKind(row.kind),
        body=row.body,
        speaker=handles.get(row.speaker_id) if row.speaker_id else None,
        confidential=row.confidential,
        level=row.level,
        bullet=row.bullet,
        id=row.id,
    )


def speakers_of(meeting: Meeting) -> list[Speaker]:
    return list(
        db.session.scalars(
            select(Speaker).where(Speaker.meeting_id == meeting.id).order_by(Speaker.handle)
        )
    )


def speaker_as_domain(row: Speaker) -> DraftSpeaker:
    return DraftSpeaker(
        handle=row.handle,
        name=row.name,
        organisation=row.organisation,
        role=row.role,
        email=row.email,
        aliases=tuple(row.aliases),
        descriptor=row.descriptor,
    )
