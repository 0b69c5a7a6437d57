"""The draft notes: the current items and every saved revision."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, Boolean, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from notes_app.extensions import db
from notes_app.models.types import UTCDateTime, utcnow


class Item(db.Model):
    """One block of the current draft; its id is stable across edits and moves."""

    __tablename__ = "items"

    id: Mapped[str] = mapped_column(String(32), primary_key=True)
    meeting_id: Mapped[int] = mapped_column(
        ForeignKey("meetings.id", ondelete="CASCADE"), index=True
    )
    position: Mapped[int] = mapped_column(Integer)
    kind: Mapped[str] = mapped_column(String(20))
    level: Mapped[int] = mapped_column(Integer, default=0)
    body: Mapped[str] = mapped_column(Text, default="")
    speaker_id: Mapped[int | None] = mapped_column(
        ForeignKey("speakers.id", ondelete="SET NULL"), index=True
    )
    confidential: Mapped[bool] = mapped_column(Boolean, default=False)
    bullet: Mapped[bool] = mapped_column(Boolean, default=False)
    # Bumped by every edit of this item: an edit names the version it started from.
    version: Mapped[int] = mapped_column(Integer, default=1)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class DraftRevision(db.Model):
    """A snapshot of the whole draft, made by every save; restoring one makes a new one."""

    __tablename__ = "draft_revisions"
    __table_args__ = (UniqueConstraint("meeting_id", "number"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    meeting_id: Mapped[int] = mapped_column(
        ForeignKey("meetings.id", ondelete="CASCADE"), index=True
    )
    number: Mapped[int] = mapped_column(Integer)
    summary: Mapped[str] = mapped_column(String(300), default="")
    # "saved" for an applied change; "refused" for an edit refused by a conflict, kept so that
    # nothing anyone typed is lost.
    kind: Mapped[str] = mapped_column(String(20), default="saved", server_default="saved")
    # The draft in the notes file format, and the items with their ids.
    source: Mapped[str] = mapped_column(Text)
    items: Mapped[list[dict]] = mapped_column(JSON, default=list)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
