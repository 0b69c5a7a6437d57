"""Publish a corpus case through the real path: import, consent requests, consents, publish."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime

from notes_app.domain.consent import Decision, Level
from notes_app.extensions import db
from notes_app.models import Network, User
from notes_app.services import consent, drafts, meetings, publishing, speakers
from notes_app.services.errors import ServiceError
from tests.conftest import PASSWORD
from tests.gate.model import Case
from tests.gate.surfaces import NETWORK


@dataclass
class Outcome:
    state: str  # published | published-with-warnings | refused | refused-at-import
    why: str = ""
    meeting_slug: str = ""

    @property
    def published(self) -> bool:
        return self.state.startswith("published")


def fresh_people() -> dict:
    """The same network, made with the services (for property tests, which empty the tables
    between examples); call in an app context."""
    from notes_app.services import accounts, networks

    network = networks.create_network(NETWORK, "Gate network", actor_id=None)
    host = accounts.create_user("host@gatekeep.org", "Hana Host", PASSWORD)
    reader = accounts.create_user("reader@gatekeep.org", "Rhea Reader", PASSWORD)
    accounts.create_user("stranger@elsewhere.org", "Stan Stranger", PASSWORD)
    networks.add_member(network, host, "facilitator", actor_id=None)
    networks.add_member(network, reader, "member", actor_id=None)
    db.session.commit()
    return {"reader": "reader@gatekeep.org", "outsider": "stranger@elsewhere.org"}


def people(create_user, create_network, add_member) -> dict:
    """The network of every case: a facilitator, a member, and someone outside it."""
    network = create_network(NETWORK, "Gate network")
    host = create_user("host@gatekeep.org", "Hana Host")
    reader = create_user("reader@gatekeep.org", "Rhea Reader")
    create_user("stranger@elsewhere.org", "Stan Stranger")
    add_member(network, host, "facilitator")
    add_member(network, reader, "member")
    return {"reader": "reader@gatekeep.org", "outsider": "stranger@elsewhere.org"}


def _describe(report) -> str:
    lines = [
        f"leak {leak.kind} {leak.what!r} ({leak.view}, {leak.normal_form})" for leak in report.leaks
    ]
    lines += [f"warning {w.kind}: {w.message}" for w in report.warnings]
    return "; ".join(lines)


def publish_case(case: Case) -> Outcome:
    """Run the case as a facilitator would, committing each step; call in an app context."""
    network = db.session.scalar(db.select(Network).where(Network.slug == NETWORK))
    host = db.session.scalar(db.select(User).where(User.email == "host@gatekeep.org"))
    network.terms = list(case.network_terms)
    if case.event_post is not None:
        meeting = meetings.import_event_post(
            network, case.event_post, None, actor_id=host.id
        ).meeting
    else:
        fields = meetings.MeetingFields(
            title=case.title,
            starts_at_local=datetime(2025, 3, 5, 14, 0),
            topics=case.topics,
            description=case.description,
        )
        meeting = meetings.create_meeting(network, fields, actor_id=host.id)
    db.session.commit()
    slug = meeting.slug
    try:
        drafts.import_notes(meeting, case.notes_file(), actor_id=host.id)
    except ServiceError as error:
        db.session.rollback()
        return Outcome("refused-at-import", str(error), slug)
    db.session.commit()
    consent.request_consent(meeting, speakers.speakers_of(meeting), actor_id=host.id)
    for decision in case.consents:
        _record(meeting, decision, host.id)
    if case.body_after_consent is not None:
        drafts.import_notes(meeting, case.notes_file(case.body_after_consent), actor_id=host.id)
    db.session.commit()
    try:
        publishing.publish(meeting, actor_id=host.id)
        db.session.commit()
        return Outcome("published", "", slug)
    except publishing.PublicationRefused as refused:
        db.session.rollback()
        report = refused.report
    if not report.ok or not case.accept_warnings:
        return Outcome("refused", _describe(report), slug)
    publishing.publish(meeting, actor_id=host.id, accept_warnings=True)
    db.session.commit()
    return Outcome("published-with-warnings", _describe(report), slug)


def _record(meeting, wanted, actor_id: int) -> None:
    speaker = speakers.find_speaker(meeting, wanted.handle)
    item_id = None
    if wanted.statement is not None:
        item_id = consent.statement_rows(speaker)[wanted.statement].id
    decision = Decision(wanted.decision)
    granted = decision is Decision.GRANTED
    consent.record_on_behalf(
        meeting,
        speaker,
        decision,
        evidence="They told us by email.",
        actor_id=actor_id,
        item_id=item_id,
        level=Level(wanted.level) if granted and wanted.level else None,
        label=wanted.label if granted else None,
    )


def statement_ids(meeting_slug: str, handle: str) -> list[str]:
    meeting = db.session.scalar(
        db.select(meetings.Meeting).where(meetings.Meeting.slug == meeting_slug)
    )
    return [row.id for row in consent.statement_rows(speakers.find_speaker(meeting, handle))]


_WORD = re.compile(r"[^\W_]{3,}")
_STOP = frozenset("the and from for with are was").union({"speaker", "university"})


SEARCHES = 2


def search_words(case: Case) -> list[str]:
    """What a member searches for: the words the case plants first, then the speakers' names,
    and one word of the notes that every case publishes (its snippet is shown)."""
    words = []
    for canary in (*case.canaries, *case.terms, *case.network_terms):
        words += [w.casefold() for w in _WORD.findall(canary) if w.casefold() not in _STOP]
    for person in case.speakers:
        if person.handle not in case.named():
            words += [w.casefold() for w in person.name_parts()]
    return [*list(dict.fromkeys(words))[:SEARCHES], "sessions"]
