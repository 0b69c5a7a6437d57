"""Append to the audit log."""

from __future__ import annotations

from notes_app.extensions import db
from notes_app.models import AuditEvent


def record(
    action: str,
    *,
    actor_id: int | None,
    network_id: int | None = None,
    subject: str = "",
    **details: object,
) -> None:
    """Append one event; it is committed with the change it describes."""
    db.session.add(
        AuditEvent(
            action=action,
            actor_id=actor_id,
            network_id=network_id,
            subject=subject,
            details=details,
        )
    )
