"""The outbox: every message is stored before anything tries to send it."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from notes_app.extensions import db
from notes_app.models.types import UTCDateTime, utcnow


class OutboxMessage(db.Model):
    __tablename__ = "outbox_messages"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    recipient: Mapped[str] = mapped_column(String(320), index=True)
    subject: Mapped[str] = mapped_column(String(300))
    text: Mapped[str] = mapped_column(Text)
    html: Mapped[str] = mapped_column(Text, default="")
    kind: Mapped[str] = mapped_column(String(40), default="")
    # What the message carries, e.g. "publication:12", so that a re-made publication can
    # re-make the stored copies of its emails too.
    ref: Mapped[str] = mapped_column(String(80), default="", server_default="", index=True)
    # The meeting a message is about, so admins and facilitators can count its mail without
    # reading it; kept when the meeting goes (the message still went out).
    meeting_id: Mapped[int | None] = mapped_column(
        ForeignKey("meetings.id", ondelete="SET NULL"), index=True
    )
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime, index=True)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    next_attempt_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    last_error: Mapped[str] = mapped_column(Text, default="")
    # When the subject and bodies of a sent message were deleted (after the retention period,
    # or at once when a withdrawal made them wrong); the metadata stays.
    purged_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # When the check made as it was about to be sent stopped it (its recipient left the network,
    # a newer version replaced the notes it carried); it is never sent, and its bodies are gone.
    withheld_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    withheld_reason: Mapped[str] = mapped_column(String(200), default="", server_default="")
