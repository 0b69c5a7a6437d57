"""Publications: immutable, redacted snapshots of a meeting's notes."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from notes_app.extensions import db
from notes_app.models.types import UTCDateTime, utcnow


class Publication(db.Model):
    __tablename__ = "publications"
    __table_args__ = (UniqueConstraint("meeting_id", "version"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    meeting_id: Mapped[int] = mapped_column(
        ForeignKey("meetings.id", ondelete="CASCADE"), index=True
    )
    version: Mapped[int] = mapped_column(Integer)
    markdown: Mapped[str] = mapped_column(Text)
    html: Mapped[str] = mapped_column(Text)
    # The published items (id, kind, attribution, html) for anchors and comments.
    items: Mapped[list[dict]] = mapped_column(JSON, default=list)
    draft_revision_id: Mapped[int | None] = mapped_column(
        ForeignKey("draft_revisions.id", ondelete="SET NULL")
    )
    # What it was made from (draft, consents, terms), hashed: the same inputs never publish twice
    # from one preview. Empty for publications made before fingerprints were kept.
    fingerprint: Mapped[str | None] = mapped_column(String(64))
    published_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    published_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class PublicationReport(db.Model):
    """The redaction report of a publication, for facilitators only, kept apart from it."""

    __tablename__ = "publication_reports"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    publication_id: Mapped[int] = mapped_column(
        ForeignKey("publications.id", ondelete="CASCADE"), unique=True
    )
    report: Mapped[dict] = mapped_column(JSON, default=dict)
