"""What is checked again as a message is about to be sent.

A message waits in the outbox between the change that queued it and the worker sending it:
seconds with a healthy worker, hours while the mail server is down, for ever while mail is not
configured. By then its recipient may have left the network, a newer version may have replaced
the notes it carries (with an item since made confidential), or the author of a reply may no
longer be named. `check` is what the worker asks of every message before it sends it.
"""

from __future__ import annotations

from collections.abc import Callable

from sqlalchemy import select

from notes_app.extensions import db
from notes_app.models import (
    Comment,
    Meeting,
    Membership,
    OutboxMessage,
    Publication,
    Speaker,
    User,
)
from notes_app.services import comments, consent, mail
from notes_app.services.publications import latest_publication

NOT_A_MEMBER = "the recipient is no longer a member of the network"
NOT_A_FACILITATOR = "the recipient is no longer a facilitator of the network"


def check(message: OutboxMessage) -> mail.Verdict:
    """Send the message as queued, send it re-made, or withhold it (and say why)."""
    rule = _RULES.get(message.kind)
    return rule(message) if rule else mail.SEND_AS_QUEUED


def _notes(message: OutboxMessage) -> mail.Verdict:
    """The notes go only to a member, and only while they are the meeting's latest version."""
    publication = db.session.get(Publication, _referenced_id(message.ref, "publication"))
    meeting = db.session.get(Meeting, publication.meeting_id) if publication else None
    if publication is None or meeting is None:
        return _withhold("the notes it carried are gone")
    if _role(message.recipient, meeting.network_id) is None:
        return _withhold(NOT_A_MEMBER)
    latest = latest_publication(meeting)
    if latest is not None and latest.id != publication.id:
        return _withhold(f"version {latest.version} replaced version {publication.version}")
    return mail.SEND_AS_QUEUED


def _reply(message: OutboxMessage) -> mail.Verdict:
    """A reply's notification goes only while the reply stands and its recipient still wants
    it, and it names the reply's author as members may see them now."""
    reply = db.session.get(Comment, _referenced_id(message.ref, "comment"))
    if reply is None or reply.parent_id is None:
        return _withhold("the reply is gone")
    if reply.deleted_at is not None or reply.hidden_at is not None:
        return _withhold("the reply was deleted or hidden")
    meeting = db.session.get(Meeting, reply.meeting_id)
    parent = db.session.get(Comment, reply.parent_id)
    recipient = comments.reply_recipient(meeting, parent, reply) if parent else None
    if recipient is None or recipient.email != message.recipient:
        return _withhold("the recipient no longer gets replies to that comment")
    subject, text = comments.reply_mail(meeting, reply)
    return mail.Verdict(subject=subject, text=text)


def _consent_notice(message: OutboxMessage) -> mail.Verdict:
    """A notice of a withdrawal is for the meeting's facilitators only."""
    meeting = db.session.get(Meeting, message.meeting_id) if message.meeting_id else None
    if meeting is None:
        return _withhold("the meeting is gone")
    if _role(message.recipient, meeting.network_id) != "facilitator":
        return _withhold(NOT_A_FACILITATOR)
    return mail.SEND_AS_QUEUED


def _consent_request(message: OutboxMessage) -> mail.Verdict:
    """A request goes to the speaker as they stand now: not to an address since corrected, nor
    for a speaker taken out of the notes (it names the meeting they spoke at)."""
    if not message.ref:
        return mail.SEND_AS_QUEUED  # queued before requests carried their speaker
    speaker = db.session.get(Speaker, _referenced_id(message.ref, "speaker"))
    meeting = db.session.get(Meeting, speaker.meeting_id) if speaker else None
    if speaker is None or meeting is None:
        return _withhold("the speaker is no longer in the notes")
    account = consent.member_account(speaker, meeting.network_id)
    if message.recipient != (account.email if account else speaker.email):
        return _withhold("the speaker's address has changed since it was queued")
    return mail.SEND_AS_QUEUED


_RULES: dict[str, Callable[[OutboxMessage], mail.Verdict]] = {
    "notes": _notes,
    "reply": _reply,
    "consent_notice": _consent_notice,
    "consent_request": _consent_request,
}


def _withhold(reason: str) -> mail.Verdict:
    return mail.Verdict(withhold=reason)


def _referenced_id(ref: str, kind: str) -> int:
    """The id in a ref such as "publication:12"; 0 (no row) when it names something else."""
    prefix, _, number = ref.partition(":")
    return int(number) if prefix == kind and number.isdigit() else 0


def _role(email: str, network_id: int) -> str | None:
    """The role in the network of the account at this address, or None for a non-member."""
    return db.session.scalar(
        select(Membership.role)
        .join(User, User.id == Membership.user_id)
        .where(User.email == email, Membership.network_id == network_id)
    )
