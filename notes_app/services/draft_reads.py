"""Read a meeting's draft as it stands: its item rows, its speaker rows, and the domain draft.

Nothing here writes, so every use case (drafts, speakers, protection, search, publishing) can
build on it.
"""

from __future__ import annotations

import dataclasses

from sqlalchemy import select

from notes_app.domain.event_post import AnnouncedSpeaker
from notes_app.domain.notes import Draft, ItemKind
from notes_app.domain.notes import Item as DraftItem
from notes_app.domain.notes import Speaker as DraftSpeaker
from notes_app.domain.textmatch import skeleton
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
        speakers=domain_speakers(meeting, speaker_rows),
        terms=tuple(meeting.terms),
        items=tuple(item_as_domain(row, handles) for row in item_rows(meeting)),
        announced=announced_people(meeting, speaker_rows),
    )


# Announced people are never speakers of a statement: a handle no speaker can have.
ANNOUNCED_HANDLE = "announced:{}"


def domain_speakers(
    meeting: Meeting, speaker_rows: list[Speaker] | None = None
) -> tuple[DraftSpeaker, ...]:
    """The draft's speakers as domain data. One the event post announced keeps what it was
    announced with (organisation, role, the organisation's link) where the notes leave it out:
    declaring a speaker with fewer fields must not make public what the post announced."""
    people = {
        skeleton(person.name): person
        for person in map(AnnouncedSpeaker.from_stored, meeting.announced_speakers or ())
        if skeleton(person.name)
    }
    rows = speakers_of(meeting) if speaker_rows is None else speaker_rows
    return tuple(_with_announced(speaker_as_domain(row), people) for row in rows)


def _with_announced(speaker: DraftSpeaker, people: dict[str, AnnouncedSpeaker]) -> DraftSpeaker:
    keys = (skeleton(text) for text in (speaker.name, *speaker.aliases))
    person = next((people[key] for key in keys if key in people), None)
    if person is None:
        return speaker
    return dataclasses.replace(
        speaker,
        organisation=speaker.organisation or person.organisation,
        role=speaker.role or person.role,
        links=tuple(dict.fromkeys((*speaker.links, *person.links))),
    )


def announced_people(
    meeting: Meeting, speaker_rows: list[Speaker] | None = None
) -> tuple[DraftSpeaker, ...]:
    """The people the meeting's event post announced, with the organisation, role and links it
    announced them with, until the notes declare them: from then on their consent decides, as
    for any speaker. (An event post names its speakers in the title and description long
    before any notes exist.)"""
    stored = meeting.announced_speakers or ()
    if not stored:
        return ()
    declared = set()
    for row in speakers_of(meeting) if speaker_rows is None else speaker_rows:
        declared |= {skeleton(text) for text in (row.name, *(row.aliases or ()))}
    people = (AnnouncedSpeaker.from_stored(value) for value in stored)
    return tuple(
        DraftSpeaker(
            handle=ANNOUNCED_HANDLE.format(number),
            name=person.name,
            organisation=person.organisation,
            role=person.role,
            links=person.links,
        )
        for number, person in enumerate(people, 1)
        if skeleton(person.name) and skeleton(person.name) not in declared
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
