"""Read what was published: a meeting's publications and their reports."""

from __future__ import annotations

from sqlalchemy import select

from notes_app.extensions import db
from notes_app.models import Meeting, Publication, PublicationReport
from notes_app.services.errors import NotFound


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
