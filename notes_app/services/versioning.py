"""Counters on a meeting that make concurrent changes to its draft safe."""

from __future__ import annotations

from sqlalchemy import select, update
from sqlalchemy.orm.attributes import set_committed_value

from notes_app.extensions import db
from notes_app.models import Meeting
from notes_app.services.errors import Conflict

STALE = "Someone else changed the draft since you opened this page. Reload it and try again."


def lock(meeting: Meeting) -> Meeting:
    """Hold the meeting's row for this transaction, so draft changes to it run one at a time.

    PostgreSQL takes a row lock; SQLite already runs one writing transaction at a time.
    """
    return db.session.scalars(
        select(Meeting)
        .where(Meeting.id == meeting.id)
        .with_for_update()
        .execution_options(populate_existing=True)
    ).one()


def bump(meeting: Meeting, column: str, expected: int | None = None) -> int | None:
    """Add one to a meeting counter if it still equals `expected`; return the new value."""
    field = getattr(Meeting, column)
    statement = update(Meeting.__table__).where(Meeting.id == meeting.id)
    if expected is not None:
        statement = statement.where(field == expected)
    value = db.session.execute(statement.values({column: field + 1}).returning(field)).scalar()
    if value is not None:
        set_committed_value(meeting, column, value)
    return value


def claim(meeting: Meeting, expected: int | None) -> None:
    """Bump the draft version, refusing if it moved since the actor loaded it."""
    if bump(meeting, "draft_version", expected) is None:
        raise Conflict(STALE)
