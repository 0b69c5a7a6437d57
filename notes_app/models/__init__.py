"""Typed tables, state only: one module per aggregate."""

from notes_app.models.audit import AuditEvent
from notes_app.models.comment import Comment
from notes_app.models.consent import ConsentLink, ConsentRecord, ConsentRequest
from notes_app.models.draft import DraftRevision, Item
from notes_app.models.mail import OutboxMessage
from notes_app.models.meeting import Meeting, Speaker
from notes_app.models.network import Membership, Network
from notes_app.models.publication import Publication, PublicationReport
from notes_app.models.user import Invitation, User, UserSession

__all__ = [
    "AuditEvent",
    "Comment",
    "ConsentLink",
    "ConsentRecord",
    "ConsentRequest",
    "DraftRevision",
    "Invitation",
    "Item",
    "Meeting",
    "Membership",
    "Network",
    "OutboxMessage",
    "Publication",
    "PublicationReport",
    "Speaker",
    "User",
    "UserSession",
]
