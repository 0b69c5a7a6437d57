"""The draft notes: item edits without lost updates, imports, revisions, export."""

from __future__ import annotations

import uuid
from dataclasses import dataclass, replace

from sqlalchemy import delete, select, update

from notes_app.domain import limits, markers, notes_format
from notes_app.domain.notes import Draft, ItemKind
from notes_app.domain.notes import Item as DraftItem
from notes_app.domain.revisions import DiffLine, diff_lines
from notes_app.extensions import db
from notes_app.models import DraftRevision, Item, Meeting
from notes_app.models.types import utcnow
from notes_app.services import audit, search, speakers, versioning
from notes_app.services.draft_reads import current_draft, item_as_domain, item_rows
from notes_app.services.errors import Conflict, NotFound, ServiceError, check_length


class EditConflict(Conflict):
    """Someone saved the same item (or the draft) first; the refused text is kept."""

    def __init__(self, message: str, *, theirs: str, yours: str, revision: int) -> None:
        super().__init__(message)
        self.theirs = theirs
        self.yours = yours
        self.revision = revision


@dataclass(frozen=True)
class ItemChange:
    """What an editor submits for one item."""

    kind: ItemKind
    body: str
    speaker: str | None = None
    confidential: bool = False
    level: int = 2


# Reading ------------------------------------------------------------------------------------


def under_confidential_headings(meeting: Meeting) -> set[str]:
    """The ids of items confidential only because they stand under a confidential heading."""
    items = current_draft(meeting).items
    flags = markers.confidential_flags(items)
    return {
        item.id for item, flag in zip(items, flags, strict=True) if flag and not item.confidential
    }


def export_draft(meeting: Meeting) -> str:
    return notes_format.serialise(current_draft(meeting))


def get_item(meeting: Meeting, item_id: str) -> Item:
    item = db.session.get(Item, item_id)
    if item is None or item.meeting_id != meeting.id:
        raise NotFound("That item is not in this draft.")
    return item


# Checking -----------------------------------------------------------------------------------


def check_writable(draft: Draft) -> None:
    """Refuse a draft that would not read back the same from the notes format."""
    try:
        reread = notes_format.parse(notes_format.serialise(draft))
    except notes_format.NotesFormatError as error:
        raise ServiceError(f"The notes would not be valid: {error.problem}") from error
    if len(reread.items) != len(draft.items):
        raise ServiceError("An item would read back as several: remove blank lines inside it.")
    for before, after in zip(draft.items, reread.items, strict=True):
        if replace(before, id="") != after:
            raise ServiceError(
                "An item would read back differently: check that a note does not start with "
                "@handle: or [confidential], and that headings are one line."
            )


def _new_item(change: ItemChange, item_id: str = "") -> DraftItem:
    body = change.body.strip().replace("\r\n", "\n")
    if not body:
        raise ServiceError("An item cannot be empty.")
    check_length(limits.ITEM_BODY, body)
    if change.kind is ItemKind.STATEMENT and not change.speaker:
        raise ServiceError("A statement needs a speaker.")
    return DraftItem(
        kind=change.kind,
        body=body,
        speaker=change.speaker if change.kind is ItemKind.STATEMENT else None,
        confidential=change.confidential,
        level=min(max(change.level, 1), 6) if change.kind is ItemKind.SECTION else 0,
        id=item_id,
    )


# Versions and revisions ---------------------------------------------------------------------


def _record_revision(
    meeting: Meeting, draft: Draft, summary: str, actor_id: int | None, kind: str = "saved"
) -> DraftRevision:
    number = versioning.bump(meeting, "revision_count")
    revision = DraftRevision(
        meeting_id=meeting.id,
        number=number,
        summary=summary[:300],
        kind=kind,
        source=notes_format.serialise(draft),
        items=[_item_json(item) for item in draft.items],
        created_by_id=actor_id,
    )
    db.session.add(revision)
    db.session.flush()
    return revision


def _item_json(item: DraftItem) -> dict:
    return {
        "id": item.id,
        "kind": item.kind.value,
        "body": item.body,
        "speaker": item.speaker,
        "confidential": item.confidential,
        "level": item.level,
        "bullet": item.bullet,
    }


def _changed(
    meeting: Meeting, summary: str, actor_id: int | None, *, claimed: bool = False
) -> DraftRevision:
    """After an applied change: bump the draft version (unless claimed) and snapshot the draft."""
    if not claimed:
        versioning.bump(meeting, "draft_version")
    db.session.flush()
    db.session.expire_all()
    revision = _record_revision(meeting, current_draft(meeting), summary, actor_id)
    audit.record(
        "draft_saved",
        actor_id=actor_id,
        network_id=meeting.network_id,
        subject=meeting.slug,
        revision=revision.number,
    )
    return revision


# Editing items ------------------------------------------------------------------------------


def save_item(
    meeting: Meeting, item_id: str, change: ItemChange, *, expected_version: int, actor_id: int
) -> Item:
    """Save one item if nobody saved it since `expected_version`; otherwise keep both texts."""
    meeting = versioning.lock(meeting)
    item = get_item(meeting, item_id)
    draft = current_draft(meeting)
    new = _new_item(change, item_id)
    proposed = replace(draft, items=tuple(new if i.id == item_id else i for i in draft.items))
    check_writable(proposed)
    speaker_id = speakers.speaker_id(meeting, new.speaker)
    result = db.session.execute(
        update(Item.__table__)
        .where(Item.id == item_id, Item.version == expected_version)
        .values(
            kind=new.kind.value,
            body=new.body,
            speaker_id=speaker_id,
            confidential=new.confidential,
            level=new.level,
            version=Item.version + 1,
            updated_at=utcnow(),
        )
    )
    if result.rowcount != 1:
        db.session.expire(item)
        refused = _record_revision(
            meeting, proposed, "Refused edit of an item (conflict)", actor_id, kind="refused"
        )
        raise EditConflict(
            "Someone else saved this item while you were editing it. Nothing was overwritten: "
            "both versions are below and in the revision history.",
            theirs=item.body,
            yours=new.body,
            revision=refused.number,
        )
    _changed(meeting, "Edited an item", actor_id)
    db.session.refresh(item)
    return item


def add_item(
    meeting: Meeting, change: ItemChange, *, after_id: str | None = None, actor_id: int
) -> Item:
    meeting = versioning.lock(meeting)
    draft = current_draft(meeting)
    new = _new_item(change, uuid.uuid4().hex)
    items = list(draft.items)
    index = next((n + 1 for n, i in enumerate(items) if i.id == after_id), len(items))
    items.insert(index, new)
    check_writable(replace(draft, items=tuple(items)))
    row = Item(
        id=new.id,
        meeting_id=meeting.id,
        position=0,
        kind=new.kind.value,
        level=new.level,
        body=new.body,
        speaker_id=speakers.speaker_id(meeting, new.speaker),
        confidential=new.confidential,
    )
    db.session.add(row)
    _renumber(meeting, [i.id for i in items])
    _changed(meeting, "Added an item", actor_id)
    return row


def delete_item(meeting: Meeting, item_id: str, *, expected_version: int, actor_id: int) -> None:
    meeting = versioning.lock(meeting)
    get_item(meeting, item_id)
    _claim_item(item_id, expected_version)
    db.session.execute(delete(Item.__table__).where(Item.id == item_id))
    db.session.expire_all()
    _renumber(meeting, [row.id for row in item_rows(meeting)])
    _changed(meeting, "Deleted an item", actor_id)


def _claim_item(item_id: str, expected_version: int) -> None:
    """Bump an item's version if it is still the one the actor saw; refuse otherwise."""
    result = db.session.execute(
        update(Item.__table__)
        .where(Item.id == item_id, Item.version == expected_version)
        .values(version=Item.version + 1)
    )
    if result.rowcount != 1:
        raise Conflict("Someone else changed this item since you opened the page; reload it.")


def move_item(
    meeting: Meeting, item_id: str, offset: int, *, expected_version: int, actor_id: int
) -> None:
    meeting = versioning.lock(meeting)
    get_item(meeting, item_id)
    _claim_item(item_id, expected_version)
    ids = [row.id for row in item_rows(meeting)]
    index = ids.index(item_id)
    target = min(max(index + offset, 0), len(ids) - 1)
    if target == index:
        return
    ids.insert(target, ids.pop(index))
    _renumber(meeting, ids)
    _changed(meeting, "Moved an item", actor_id)


def _renumber(meeting: Meeting, ids: list[str]) -> None:
    rows = {row.id: row for row in item_rows(meeting)}
    for position, item_id in enumerate(ids):
        rows[item_id].position = position
    db.session.flush()


# Replacing the whole draft ------------------------------------------------------------------


def import_notes(
    meeting: Meeting, text: str, *, actor_id: int | None, expected_version: int | None = None
) -> DraftRevision:
    """Replace the draft with a notes file, all or nothing, as a new revision."""
    check_length(limits.NOTES_FILE, text)
    try:
        draft = notes_format.parse(text)
    except notes_format.NotesFormatError as error:
        raise ServiceError(f"The notes cannot be imported: {error}") from error
    meeting = versioning.lock(meeting)
    versioning.claim(meeting, expected_version)
    with db.session.begin_nested():  # all or nothing, whatever fails inside
        _replace_draft(meeting, draft)
    return _changed(meeting, "Imported notes", actor_id, claimed=True)


def restore_revision(
    meeting: Meeting, number: int, *, actor_id: int, expected_version: int | None = None
) -> DraftRevision:
    """Make the draft what it was at a revision, as a new revision."""
    meeting = versioning.lock(meeting)
    revision = get_revision(meeting, number)
    versioning.claim(meeting, expected_version)
    draft = revision_draft(revision)
    with db.session.begin_nested():
        _replace_draft(meeting, draft)
    return _changed(meeting, f"Restored revision {number}", actor_id, claimed=True)


def _replace_draft(meeting: Meeting, draft: Draft) -> None:
    speakers.replace_speakers(meeting, draft.speakers)
    meeting.terms = list(draft.terms)
    old = {row.id: row for row in item_rows(meeting)}
    matched = _match_ids(list(draft.items), [item_as_domain(r, {}) for r in old.values()], old)
    for row in old.values():
        db.session.delete(row)
    db.session.flush()
    for position, (item, item_id) in enumerate(zip(draft.items, matched, strict=True)):
        db.session.add(
            Item(
                id=item_id,
                meeting_id=meeting.id,
                position=position,
                kind=item.kind.value,
                level=item.level,
                body=item.body,
                speaker_id=speakers.speaker_id(meeting, item.speaker),
                confidential=item.confidential,
                bullet=item.bullet,
                version=(old[item_id].version + 1) if item_id in old else 1,
            )
        )
    db.session.flush()
    search.refresh_meeting(meeting)


def _match_ids(new: list[DraftItem], old: list[DraftItem], rows: dict[str, Item]) -> list[str]:
    """Keep an item's id when the same item comes back, so consent and comments stay attached.

    An item keeps its id if it has one that the draft knows, or if an old item has the same
    kind and body; anything else is a new item with a new id.
    """
    free = {item.id: item for item in old}
    by_body: dict[tuple[str, str], list[str]] = {}
    for item in old:
        by_body.setdefault((item.kind.value, item.body.strip()), []).append(item.id)
    ids = []
    for item in new:
        if item.id and item.id in free:
            chosen = item.id
        else:
            candidates = [
                i for i in by_body.get((item.kind.value, item.body.strip()), []) if i in free
            ]
            chosen = candidates[0] if candidates else uuid.uuid4().hex
        free.pop(chosen, None)
        ids.append(chosen)
    return ids


# Revisions ----------------------------------------------------------------------------------


def revisions_of(meeting: Meeting) -> list[DraftRevision]:
    return list(
        db.session.scalars(
            select(DraftRevision)
            .where(DraftRevision.meeting_id == meeting.id)
            .order_by(DraftRevision.number.desc())
        )
    )


def latest_revision(meeting: Meeting) -> DraftRevision | None:
    """Return the latest applied revision: the draft as it stands (refused edits are kept apart)."""
    return db.session.scalar(
        select(DraftRevision)
        .where(DraftRevision.meeting_id == meeting.id, DraftRevision.kind == "saved")
        .order_by(DraftRevision.number.desc())
        .limit(1)
    )


def snapshot(meeting: Meeting, draft: Draft, actor_id: int | None) -> DraftRevision:
    """Return the latest revision if it holds exactly `draft`, else record one that does."""
    latest = latest_revision(meeting)
    if (
        latest is not None
        and latest.source == notes_format.serialise(draft)
        and [entry["id"] for entry in latest.items] == [item.id for item in draft.items]
    ):
        return latest
    return _record_revision(meeting, draft, "The draft as published", actor_id)


def revision_draft(revision: DraftRevision) -> Draft:
    """Return the draft a revision holds, its items carrying their stable ids."""
    draft = notes_format.parse(revision.source)
    ids = [entry["id"] for entry in revision.items]
    if len(ids) == len(draft.items):
        draft = replace(
            draft, items=tuple(replace(i, id=d) for i, d in zip(draft.items, ids, strict=True))
        )
    return draft


def get_revision(meeting: Meeting, number: int) -> DraftRevision:
    revision = db.session.scalar(
        select(DraftRevision).where(
            DraftRevision.meeting_id == meeting.id, DraftRevision.number == number
        )
    )
    if revision is None:
        raise NotFound(f"There is no revision {number}.")
    return revision


def diff_revisions(meeting: Meeting, old: int, new: int) -> list[DiffLine]:
    return diff_lines(get_revision(meeting, old).source, get_revision(meeting, new).source)
