"""Preview, publish and circulate a meeting's notes; read what was published."""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass

import yaml
from flask import render_template
from sqlalchemy import select

from notes_app.domain.consent import Consent, Decision, Level, current_consents
from notes_app.domain.redaction import Published, Report, find_terms, protected_terms, redact
from notes_app.extensions import db
from notes_app.models import (
    ConsentRecord,
    Meeting,
    Membership,
    Network,
    Publication,
    PublicationReport,
    Speaker,
    User,
)
from notes_app.services import accounts, audit, drafts, mail, versioning
from notes_app.services.errors import NotFound, ServiceError


class PublicationRefused(ServiceError):
    """The notes cannot be published as they are; nothing was stored or sent."""

    def __init__(self, message: str, report: Report) -> None:
        super().__init__(message)
        self.report = report


@dataclass(frozen=True)
class Preview:
    published: Published
    report: Report
    draft_version: int

    @property
    def needs_confirmation(self) -> bool:
        return bool(self.report.warnings)


def meeting_consents(meeting: Meeting) -> dict[str, Consent]:
    """Return the current consent of each statement, derived from the append-only ledger."""
    rows = db.session.execute(
        select(ConsentRecord, Speaker.handle)
        .join(Speaker, Speaker.id == ConsentRecord.speaker_id)
        .where(ConsentRecord.meeting_id == meeting.id)
        .order_by(ConsentRecord.id)
    ).all()
    return current_consents(
        Consent(
            item_id=row.item_id,
            speaker=handle,
            decision=Decision(row.decision),
            wording_hash=row.wording_hash,
            level=Level(row.level) if row.level else None,
            label=row.label,
        )
        for row, handle in rows
    )


def preview(meeting: Meeting) -> Preview:
    """Redact the current draft exactly as publishing would."""
    network = db.session.get(Network, meeting.network_id)
    published, report = redact(
        drafts.current_draft(meeting), meeting_consents(meeting), tuple(network.terms or ())
    )
    return Preview(published, report, meeting.draft_version)


@dataclass(frozen=True)
class MeetingForMembers:
    """A meeting's own details with the meeting's protected terms replaced."""

    title: str
    description: str
    topics: tuple[str, ...]


def meeting_for_members(meeting: Meeting) -> MeetingForMembers:
    """Scrub the title, description and topics: event posts often name the speakers."""
    network = db.session.get(Network, meeting.network_id)
    terms = protected_terms(
        drafts.current_draft(meeting), meeting_consents(meeting), tuple(network.terms or ())
    )

    def scrub(text: str) -> str:
        for match in sorted(find_terms(text, terms), key=lambda m: m.start, reverse=True):
            text = text[: match.start] + match.term.replacement + text[match.end :]
        return text

    return MeetingForMembers(
        scrub(meeting.title), scrub(meeting.description), tuple(scrub(t) for t in meeting.topics)
    )


def report_as_json(report: Report) -> dict:
    return dataclasses.asdict(report) | {"ok": report.ok}


def publish(
    meeting: Meeting,
    *,
    actor_id: int | None,
    accept_warnings: bool = False,
    expected_version: int | None = None,
) -> Publication:
    """Store an immutable publication and email it to every member; refuse on any leak."""
    meeting = versioning.lock(meeting)
    if expected_version is not None and expected_version != meeting.draft_version:
        raise ServiceError(
            "The draft changed after you opened the preview. Look at the new preview first."
        )
    result = preview(meeting)
    if not result.report.ok:
        raise PublicationRefused(
            "Publication refused: a protected term or confidential text would have been shown.",
            result.report,
        )
    if result.needs_confirmation and not accept_warnings:
        raise PublicationRefused(
            "The report has warnings: read them, then confirm to publish.", result.report
        )
    previous = latest_publication(meeting)
    revision = drafts.latest_revision(meeting)
    publication = Publication(
        meeting_id=meeting.id,
        version=(previous.version + 1) if previous else 1,
        markdown=result.published.markdown,
        html=result.published.html,
        items=[_item_json(item) for item in result.published.items],
        draft_revision_id=revision.id if revision else None,
        published_by_id=actor_id,
    )
    db.session.add(publication)
    db.session.flush()
    db.session.add(
        PublicationReport(publication_id=publication.id, report=report_as_json(result.report))
    )
    _circulate(meeting, publication, updated=previous is not None)
    audit.record(
        "notes_published",
        actor_id=actor_id,
        network_id=meeting.network_id,
        subject=meeting.slug,
        version=publication.version,
    )
    return publication


def _item_json(item) -> dict:
    return {
        "id": item.id,
        "kind": item.kind.value,
        "level": item.level,
        "attribution": item.attribution.text if item.attribution else None,
        "html": item.html,
    }


def _circulate(meeting: Meeting, publication: Publication, *, updated: bool) -> None:
    """Queue one message per current member of the network (the outbox sends them)."""
    network = db.session.get(Network, meeting.network_id)
    members = db.session.scalars(
        select(User)
        .join(Membership, Membership.user_id == User.id)
        .where(Membership.network_id == meeting.network_id)
        .order_by(User.id)
    ).all()
    url = accounts.link(f"/n/{network.slug}/m/{meeting.slug}/notes")
    subject = f"{'Updated notes' if updated else 'Notes'}: {meeting.title}"
    context = {
        "meeting": meeting,
        "network": network,
        "publication": publication,
        "url": url,
        "updated": updated,
    }
    text = render_template("mail/notes.txt", **context)
    html = render_template("mail/notes.html", **context)
    for member in members:
        mail.queue(member.email, subject, text, html, kind="notes")


def latest_publication(meeting: Meeting) -> Publication | None:
    return db.session.scalar(
        select(Publication)
        .where(Publication.meeting_id == meeting.id)
        .order_by(Publication.version.desc())
        .limit(1)
    )


def publications_of(meeting: Meeting) -> list[Publication]:
    return list(
        db.session.scalars(
            select(Publication)
            .where(Publication.meeting_id == meeting.id)
            .order_by(Publication.version.desc())
        )
    )


def get_publication(meeting: Meeting, version: int) -> Publication:
    publication = db.session.scalar(
        select(Publication).where(
            Publication.meeting_id == meeting.id, Publication.version == version
        )
    )
    if publication is None:
        raise NotFound(f"There is no version {version} of these notes.")
    return publication


def report_of(publication: Publication) -> dict:
    return (
        db.session.scalar(
            select(PublicationReport.report).where(
                PublicationReport.publication_id == publication.id
            )
        )
        or {}
    )


def export_markdown(meeting: Meeting, publication: Publication) -> str:
    """Write the publication as Markdown with front matter, ready for a website write-up."""
    front = {
        "title": meeting.title,
        "date": meeting.starts_at.date().isoformat(),
        "topics": list(meeting.topics),
        "version": publication.version,
        "published": publication.published_at.isoformat(timespec="seconds"),
    }
    header = yaml.safe_dump(front, sort_keys=False, allow_unicode=True)
    return f"---\n{header}---\n\n{publication.markdown}"
