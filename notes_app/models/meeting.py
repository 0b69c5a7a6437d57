"""Meetings and the speakers who speak at them."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, Boolean, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from notes_app.extensions import db
from notes_app.models.types import UTCDateTime, utcnow


class Meeting(db.Model):
    __tablename__ = "meetings"
    __table_args__ = (UniqueConstraint("network_id", "slug"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    network_id: Mapped[int] = mapped_column(
        ForeignKey("networks.id", ondelete="CASCADE"), index=True
    )
    slug: Mapped[str] = mapped_column(String(120))
    title: Mapped[str] = mapped_column(String(300))
    starts_at: Mapped[datetime] = mapped_column(UTCDateTime)
    timezone: Mapped[str] = mapped_column(String(64), default="Europe/London")
    series_number: Mapped[int | None] = mapped_column(Integer)
    topics: Mapped[list[str]] = mapped_column(JSON, default=list)
    description: Mapped[str] = mapped_column(Text, default="")
    author: Mapped[str] = mapped_column(String(200), default="")
    chatham_house: Mapped[bool] = mapped_column(Boolean, default=True)
    # Extra protected terms of this meeting (the notes file's `terms`).
    terms: Mapped[list[str]] = mapped_column(JSON, default=list)
    # Bumped by every save of the draft: a save names the version it started from.
    draft_version: Mapped[int] = mapped_column(Integer, default=0)
    # Bumped by every save of the meeting's details: a save names the version it started from.
    details_version: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    # What the last import of the event post set, per field, to tell a facilitator's edits apart.
    imported_fields: Mapped[dict | None] = mapped_column(JSON)
    # Numbers the revisions, the refused ones included.
    revision_count: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    # The speakers an imported event post announces: protected in what members see of the
    # meeting until the notes declare them (services/protection.py, `network_terms`).
    announced_speakers: Mapped[list[str] | None] = mapped_column(JSON, default=list)
    # Where an imported event post came from, so that importing it again updates this meeting.
    source_key: Mapped[str | None] = mapped_column(String(200))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)

    network: Mapped[Network] = relationship()  # noqa: F821
    speakers: Mapped[list[Speaker]] = relationship(
        back_populates="meeting", cascade="all, delete-orphan", order_by="Speaker.handle"
    )


class Speaker(db.Model):
    __tablename__ = "speakers"
    __table_args__ = (UniqueConstraint("meeting_id", "handle"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    meeting_id: Mapped[int] = mapped_column(
        ForeignKey("meetings.id", ondelete="CASCADE"), index=True
    )
    handle: Mapped[str] = mapped_column(String(64))
    name: Mapped[str] = mapped_column(String(200))
    organisation: Mapped[str] = mapped_column(String(300), default="")
    role: Mapped[str] = mapped_column(String(300), default="")
    email: Mapped[str] = mapped_column(String(320), default="")
    aliases: Mapped[list[str]] = mapped_column(JSON, default=list)
    descriptor: Mapped[str] = mapped_column(String(300), default="")
    # The credit the speaker approved for name-level consent ("Robin Example, Ethics Lead").
    label: Mapped[str] = mapped_column(String(300), default="", server_default="")
    user_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), index=True
    )

    meeting: Mapped[Meeting] = relationship(back_populates="speakers")
