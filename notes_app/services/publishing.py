"""Preview, publish and circulate a meeting's notes; re-make stored copies after a withdrawal."""

from __future__ import annotations

import dataclasses
import hashlib
import json
from dataclasses import dataclass
from datetime import UTC

import yaml
from flask import render_template
from sqlalchemy import select

from notes_app.domain import dates
from notes_app.domain.consent import Consent, Level, current_consents
from notes_app.domain.notes import Draft
from notes_app.domain.notes import Speaker as DraftSpeaker
from notes_app.domain.redaction import Published, Report, redact
from notes_app.extensions import db
from notes_app.models import (
    DraftRevision,
    Meeting,
    Membership,
    Network,
    Publication,
    PublicationReport,
    User,
)
from notes_app.models.types import utcnow
from notes_app.services import accounts, audit, comments, drafts, mail, search, versioning
from notes_app.services.draft_reads import (
    domain_speakers,
)
from notes_app.services.errors import ServiceError
from notes_app.services.protection import (
    confidential_elsewhere,
    consent_ledger,
    meeting_consents,
    meeting_details,
    meeting_for_members,
    network_terms,
    protected_draft,
)

# get_publication and report_of are not used here: the tests read them through this module.
from notes_app.services.publications import (  # noqa: F401
    get_publication,
    latest_publication,
    publications_of,
    report_of,
)

STALE_PREVIEW = (
    "The draft changed after you opened the preview, or a consent or protected term did. "
    "Look at the new preview first."
)


class AlreadyPublished(ServiceError):
    """What the preview showed is the latest publication already; nothing was stored or sent."""

    def __init__(self, publication: Publication) -> None:
        super().__init__(f"These notes were already published as version {publication.version}.")
        self.publication = publication


class PublicationRefused(ServiceError):
    """The notes cannot be published as they are; nothing was stored or sent."""

    def __init__(self, message: str, report: Report) -> None:
        super().__init__(message)
        self.report = report


@dataclass(frozen=True)
class Seen:
    """What a preview showed, carried by its publish form: publishing is conditional on it."""

    draft_version: int
    fingerprint: str
    # The latest publication's version when the preview was made (0: none yet).
    published_version: int


@dataclass(frozen=True)
class Preview:
    published: Published
    report: Report
    draft_version: int
    draft: Draft
    fingerprint: str
    published_version: int

    @property
    def needs_confirmation(self) -> bool:
        return bool(self.report.warnings)


def fingerprint(
    draft: Draft,
    consents: dict[str, Consent],
    network_terms: tuple[str, ...],
    meeting: Meeting | None = None,
    warned: list[str] | None = None,
) -> str:
    """Hash everything a publication is made of: the draft (items with ids, speakers, terms),
    the current consents, the network's terms, and the meeting's own details circulated with
    the notes (title, date, description, topics). Equal inputs make equal notes."""
    inputs = {
        "draft": dataclasses.asdict(draft),
        "consents": {key: dataclasses.asdict(value) for key, value in sorted(consents.items())},
        "network_terms": list(network_terms),
    }
    if warned:
        inputs["warned"] = warned  # items warned of for other meetings' confidential names
    if meeting is not None:
        inputs["details"] = {
            "title": meeting.title or "",
            # One instant, one text: a row just saved holds its local time, a loaded one UTC.
            "starts_at": meeting.starts_at.astimezone(UTC).isoformat() if meeting.starts_at else "",
            "timezone": meeting.timezone or "",
            "description": meeting.description or "",
            "topics": list(meeting.topics or ()),
        }
    canonical = json.dumps(inputs, sort_keys=True, ensure_ascii=False, default=str)
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def preview(meeting: Meeting) -> Preview:
    """Redact the current draft exactly as publishing would."""
    draft = protected_draft(meeting)
    consents = meeting_consents(meeting, draft)
    terms = network_terms(meeting)
    published, report = redact(draft, consents, terms)
    # The title, description and topics are circulated with the notes: a leak in them refuses
    # publication like one in the notes, and their warnings are confirmed with the notes'.
    details = meeting_details(meeting, draft, consents)[1]
    # A name of another meeting's confidential text, used here: the facilitator decides.
    elsewhere = confidential_elsewhere(meeting, draft)
    report = Report(
        changes=report.changes + details.changes,
        warnings=report.warnings + details.warnings + elsewhere,
        checks=report.checks + details.checks,
        leaks=report.leaks + details.leaks,
    )
    latest = latest_publication(meeting)
    return Preview(
        published,
        report,
        meeting.draft_version,
        draft,
        fingerprint(draft, consents, terms, meeting, [w.item_id for w in elsewhere]),
        latest.version if latest else 0,
    )


def report_as_json(report: Report) -> dict:
    return dataclasses.asdict(report) | {"ok": report.ok}


def publish(
    meeting: Meeting,
    *,
    actor_id: int | None,
    accept_warnings: bool = False,
    seen: Seen | None = None,
    if_changed: bool = False,
) -> Publication:
    """Store an immutable publication and email it to every member; refuse on any leak.

    From a preview (`seen`), publishing is conditional on what the preview showed: a second
    submit of it, or a second tab, finds it published already. With `if_changed` (the command
    line), notes whose inputs have not changed since the latest publication are not published
    again. Either way AlreadyPublished is raised and nothing is stored or sent.
    """
    meeting = versioning.lock(meeting)  # publishes of one meeting run one at a time
    result = preview(meeting)
    _check_not_published(meeting, result, seen, if_changed=if_changed)
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
    # The exact draft published, so that a withdrawal can re-make this publication from it.
    revision = drafts.snapshot(meeting, result.draft, actor_id)
    publication = Publication(
        meeting_id=meeting.id,
        version=(previous.version + 1) if previous else 1,
        markdown=result.published.markdown,
        html=result.published.html,
        items=[_item_json(item) for item in result.published.items],
        draft_revision_id=revision.id,
        fingerprint=result.fingerprint,
        published_by_id=actor_id,
    )
    db.session.add(publication)
    db.session.flush()
    db.session.add(
        PublicationReport(publication_id=publication.id, report=report_as_json(result.report))
    )
    search.index_publication(meeting, publication)
    # Comments posted before an item became confidential, or a speaker or term was declared.
    comments.rescreen(meeting)
    _circulate(meeting, publication)
    audit.record(
        "notes_published",
        actor_id=actor_id,
        network_id=meeting.network_id,
        subject=meeting.slug,
        version=publication.version,
    )
    return publication


def _check_not_published(
    meeting: Meeting, result: Preview, seen: Seen | None, *, if_changed: bool
) -> None:
    """Refuse to publish twice what one preview showed, or a stale preview at all."""
    latest = latest_publication(meeting)
    if if_changed and latest is not None and latest.fingerprint == result.fingerprint:
        raise AlreadyPublished(latest)
    if seen is None:
        return
    if latest is not None and latest.version != seen.published_version:
        # Someone published since this preview was made: from this very preview, or another.
        if latest.fingerprint == seen.fingerprint:
            raise AlreadyPublished(latest)
        raise ServiceError(STALE_PREVIEW)
    if (seen.draft_version, seen.fingerprint) != (meeting.draft_version, result.fingerprint):
        raise ServiceError(STALE_PREVIEW)
    if latest is None and seen.published_version != 0:
        raise ServiceError(STALE_PREVIEW)


def _item_json(item) -> dict:
    return {
        "id": item.id,
        "kind": item.kind.value,
        "level": item.level,
        "attribution": item.attribution.text if item.attribution else None,
        "credit": item.attribution.level.value if item.attribution else None,
        "html": item.html,
    }


def _notes_mail(meeting: Meeting, publication: Publication) -> tuple[str, str, str]:
    """Return the subject, text and HTML of the email that carries a publication."""
    network = db.session.get(Network, meeting.network_id)
    updated = publication.version > 1
    title = meeting_for_members(meeting).title
    context = {
        "title": title,
        "meeting": meeting,
        "network": network,
        "publication": publication,
        "url": accounts.link(f"/n/{network.slug}/m/{meeting.slug}/notes"),
        "updated": updated,
    }
    subject = f"{'Updated notes' if updated else 'Notes'}: {title}"
    return (
        subject,
        render_template("mail/notes.txt", **context),
        render_template("mail/notes.html", **context),
    )


def _mail_ref(publication: Publication) -> str:
    return f"publication:{publication.id}"


def circulation_of(publication: Publication) -> mail.Circulation:
    """How the emails that carried a publication are doing (for its facilitators)."""
    return mail.circulation(_mail_ref(publication))


def _circulate(meeting: Meeting, publication: Publication) -> None:
    """Queue one message per current member of the network (the outbox sends them)."""
    members = db.session.scalars(
        select(User)
        .join(Membership, Membership.user_id == User.id)
        .where(Membership.network_id == meeting.network_id)
        .order_by(User.id)
    ).all()
    subject, text, html = _notes_mail(meeting, publication)
    for member in members:
        mail.queue(
            member.email,
            subject,
            text,
            html,
            kind="notes",
            ref=_mail_ref(publication),
            meeting_id=meeting.id,
        )


# Re-making after a withdrawal ----------------------------------------------------------------

RETRACTED_MARKDOWN = "These notes are being revised and will be published again soon.\n"
RETRACTED_HTML = "<p>These notes are being revised and will be published again soon.</p>"


def remake_publications(meeting: Meeting) -> list[Publication]:
    """Re-make every stored copy of the notes with the consents that stand now.

    Called when a speaker withdraws or narrows a credit. Each publication is redacted again
    from the draft it was made from; a credit it did not carry is never added (a new grant
    waits for the next publication). A copy that cannot be re-made safely is retracted. The
    stored copies of the emails that carried it are re-made too; members are not emailed again.
    Returns the publications that changed.
    """
    terms = network_terms(meeting)
    ledger = consent_ledger(meeting)
    current = {s.handle: s for s in domain_speakers(meeting)}
    changed = []
    for publication in publications_of(meeting):
        published, report = _redo(meeting, publication, ledger, current, terms)
        if published.html == publication.html:
            continue
        publication.markdown = published.markdown
        publication.html = published.html
        publication.items = [_item_json(item) for item in published.items]
        _replace_report(publication, report, retracted=published.html == RETRACTED_HTML)
        # Re-made from the publication, never from old mail (whose bodies may be purged).
        mail.remake_copies(_mail_ref(publication), *_notes_mail(meeting, publication))
        changed.append(publication)
    if changed:
        search.index_publication(meeting, latest_publication(meeting))
    comments.rescreen(meeting)
    return changed


def _redo(meeting, publication, ledger, current, terms) -> tuple[Published, Report | None]:
    revision = (
        db.session.get(DraftRevision, publication.draft_revision_id)
        if publication.draft_revision_id
        else None
    )
    if revision is None:
        return Published((), RETRACTED_MARKDOWN, RETRACTED_HTML), None
    draft = drafts.revision_draft(revision)
    draft = dataclasses.replace(
        draft,
        speakers=_merge_speakers(draft.speakers, current),
        terms=tuple(dict.fromkeys((*draft.terms, *meeting.terms))),
        announced=protected_draft(meeting).announced,
    )
    consents = current_consents(ledger, {item.id: item.speaker for item in draft.items})
    published, report = redact(draft, _standing_credits(publication, consents), terms)
    if not report.ok:
        return Published((), RETRACTED_MARKDOWN, RETRACTED_HTML), report
    return published, report


def _merge_speakers(
    then: tuple[DraftSpeaker, ...], now: dict[str, DraftSpeaker]
) -> tuple[DraftSpeaker, ...]:
    """Use each speaker's record as it is now, still protecting what it said then."""
    merged = []
    for speaker in then:
        latest = now.get(speaker.handle)
        if latest is None:
            merged.append(speaker)
            continue
        earlier = (speaker.name, speaker.organisation, *speaker.aliases)
        aliases = tuple(a for a in dict.fromkeys((*latest.aliases, *earlier)) if a.strip())
        # The descriptor stays the one published: new words wait for the next publication.
        merged.append(dataclasses.replace(latest, aliases=aliases, descriptor=speaker.descriptor))
    known = {s.handle for s in then}
    merged.extend(s for handle, s in now.items() if handle not in known)
    return tuple(merged)


def _standing_credits(publication: Publication, consents: dict[str, Consent]) -> dict:
    """Keep the consents of statements the publication credited, never raising their level
    and never changing the words of a credit (a new label waits for the next publication)."""
    credited = {e["id"]: e for e in publication.items if e.get("attribution")}
    standing = {}
    for item_id, consent in consents.items():
        if item_id not in credited:
            continue
        level = credited[item_id].get("credit")
        if level == Level.DESCRIPTOR.value and consent.level is Level.NAME:
            # Raised to a credit by name since: these notes keep the descriptor they had (the
            # words they showed, which a descriptor grant must name to credit anyone).
            consent = dataclasses.replace(
                consent, level=Level.DESCRIPTOR, label=credited[item_id]["attribution"]
            )
        elif level == Level.NAME.value and consent.level is Level.NAME:
            consent = dataclasses.replace(consent, label=credited[item_id]["attribution"])
        standing[item_id] = consent
    return standing


def _replace_report(publication: Publication, report: Report | None, *, retracted: bool) -> None:
    row = db.session.scalar(
        select(PublicationReport).where(PublicationReport.publication_id == publication.id)
    )
    remade = {"remade_at": utcnow().isoformat(timespec="seconds"), "retracted": retracted}
    content = (report_as_json(report) if report else {}) | remade
    if row is None:
        db.session.add(PublicationReport(publication_id=publication.id, report=content))
    else:
        row.report = content


def export_markdown(meeting: Meeting, publication: Publication) -> str:
    """Write the publication as Markdown with front matter, ready for a website write-up."""
    details = meeting_for_members(meeting)
    front = {
        "title": details.title,
        "date": dates.local_date(meeting.starts_at, meeting.timezone).isoformat(),
        "topics": list(details.topics),
        "version": publication.version,
        "published": publication.published_at.isoformat(timespec="seconds"),
    }
    header = yaml.safe_dump(front, sort_keys=False, allow_unicode=True)
    return f"---\n{header}---\n\n{publication.markdown}"
