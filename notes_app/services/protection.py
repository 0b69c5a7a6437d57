"""What protects a meeting, and what members may see of its own details.

The consents that stand, the terms protected in the notes, details and comments, and the
meeting's title, description and topics with those terms replaced. Publishing, search,
comments and consent build on it.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select

from notes_app.domain.canonical import canonical
from notes_app.domain.consent import Consent, Decision, Level, current_consents
from notes_app.domain.notes import Draft
from notes_app.domain.redaction import ProtectedTerm, find_terms, protected_terms, split_spans
from notes_app.extensions import db
from notes_app.models import ConsentRecord, Meeting, Network, Speaker
from notes_app.services.draft_reads import current_draft


def network_terms(meeting: Meeting) -> tuple[str, ...]:
    """The extra terms the meeting's network protects in everything its members see."""
    network = db.session.get(Network, meeting.network_id)
    return tuple(network.terms or ())


def consent_ledger(meeting: Meeting) -> list[Consent]:
    """Return the meeting's consent decisions as domain entries, oldest first."""
    rows = db.session.execute(
        select(ConsentRecord, Speaker.handle)
        .join(Speaker, Speaker.id == ConsentRecord.speaker_id)
        .where(ConsentRecord.meeting_id == meeting.id)
        .order_by(ConsentRecord.id)
    ).all()
    return [
        Consent(
            item_id=row.item_id,
            speaker=handle,
            decision=Decision(row.decision),
            wording_hash=row.wording_hash,
            level=Level(row.level) if row.level else None,
            label=row.label,
        )
        for row, handle in rows
    ]


def meeting_consents(meeting: Meeting, draft: Draft) -> dict[str, Consent]:
    """Return the current consent of each statement of `draft`, derived from the ledger."""
    speakers_of_items = {item.id: item.speaker for item in draft.items}
    return current_consents(consent_ledger(meeting), speakers_of_items)


def meeting_terms(meeting: Meeting) -> list[ProtectedTerm]:
    """Every term members must not see in this meeting's notes, details or comments now."""
    draft = current_draft(meeting)
    return protected_terms(draft, meeting_consents(meeting, draft), network_terms(meeting))


@dataclass(frozen=True)
class MeetingForMembers:
    """A meeting's own details with the meeting's protected terms replaced."""

    title: str
    description: str
    topics: tuple[str, ...]


def meeting_for_members(meeting: Meeting) -> MeetingForMembers:
    """Scrub the title, description and topics: event posts often name the speakers."""
    terms = meeting_terms(meeting)

    def scrub(text: str) -> str:
        text = canonical(text)[0]  # no hidden characters, as in the notes
        text = split_spans(text).public  # confidential spans vanish, as in the notes (rule 1)
        for match in sorted(find_terms(text, terms), key=lambda m: m.start, reverse=True):
            text = text[: match.start] + match.term.replacement + text[match.end :]
        return text

    return MeetingForMembers(
        scrub(meeting.title), scrub(meeting.description), tuple(scrub(t) for t in meeting.topics)
    )
