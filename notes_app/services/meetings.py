"""Meetings of a network: create, edit, list, and import from event posts."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime, time
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from sqlalchemy import exists, select

from notes_app.domain import limits
from notes_app.domain.event_post import (
    AnnouncedSpeaker,
    EventPostError,
    announced_speakers,
    merge_announced,
    parse_event_post,
)
from notes_app.extensions import db
from notes_app.models import Meeting, Network, Publication
from notes_app.models.types import utcnow
from notes_app.services import audit, search, versioning
from notes_app.services.errors import Conflict, NotFound, ServiceError, check_length

DEFAULT_TIMEZONE = "Europe/London"


@dataclass
class MeetingFields:
    """What a facilitator types about a meeting; `starts_at_local` is in `timezone`."""

    title: str
    starts_at_local: datetime
    timezone: str = DEFAULT_TIMEZONE
    series_number: int | None = None
    topics: tuple[str, ...] = ()
    description: str = ""
    chatham_house: bool = True
    author: str = ""


def zone(name: str) -> ZoneInfo:
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError) as error:
        raise ServiceError(f"{name!r} is not a time zone (try Europe/London).") from error


def _apply(meeting: Meeting, fields: MeetingFields) -> None:
    title = fields.title.strip()
    if not title:
        raise ServiceError("A meeting needs a title.")
    check_length(limits.MEETING_TITLE, title)
    check_length(limits.MEETING_DESCRIPTION, fields.description)
    if fields.series_number is not None and fields.series_number < 1:
        raise ServiceError("The number in the series starts at 1.")
    local = fields.starts_at_local.replace(tzinfo=zone(fields.timezone))
    meeting.title = title
    meeting.starts_at = local
    meeting.timezone = fields.timezone
    meeting.series_number = fields.series_number
    meeting.topics = [t.strip() for t in fields.topics if t.strip()]
    meeting.description = fields.description
    meeting.chatham_house = fields.chatham_house
    meeting.author = fields.author.strip()
    _announce(meeting, announced_speakers({}, meeting.description, meeting.title, meeting.topics))


def _announce(meeting: Meeting, people: Sequence[AnnouncedSpeaker]) -> None:
    """Protect whom the meeting's details announce, from the start (`protection.network_terms`),
    however they were written (an event post, the web form); a change adds whom they announce
    now and forgets nobody announced before."""
    before = (AnnouncedSpeaker.from_stored(v) for v in meeting.announced_speakers or ())
    meeting.announced_speakers = [person.stored() for person in merge_announced((*before, *people))]


def _unique_slug(network: Network, wanted: str, *, ignore_id: int | None = None) -> str:
    taken = set(
        db.session.scalars(
            select(Meeting.slug).where(
                Meeting.network_id == network.id, Meeting.slug.like(f"{wanted}%")
            )
        )
    )
    if ignore_id is not None:
        own = db.session.get(Meeting, ignore_id)
        taken.discard(own.slug if own else None)
    slug, number = wanted, 2
    while slug in taken:
        slug, number = f"{wanted}-{number}", number + 1
    return slug


def _slug_for(network: Network, meeting: Meeting) -> str:
    """Address a meeting by its date alone: titles often name speakers, and every link members
    follow carries the slug."""
    return _unique_slug(network, meeting.starts_at.date().isoformat())


def create_meeting(network: Network, fields: MeetingFields, *, actor_id: int | None) -> Meeting:
    meeting = Meeting(network_id=network.id, terms=[], topics=[])
    _apply(meeting, fields)
    meeting.slug = _slug_for(network, meeting)
    db.session.add(meeting)
    db.session.flush()
    audit.record("meeting_created", actor_id=actor_id, network_id=network.id, subject=meeting.slug)
    return meeting


class DetailsConflict(Conflict):
    """Someone saved the meeting's details first; what the actor typed is handed back."""

    def __init__(self, *, theirs: str, yours: str) -> None:
        super().__init__(
            "Someone else saved this meeting's details while you were editing them. Nothing "
            "was overwritten: both versions are below, and the form keeps what you typed."
        )
        self.theirs = theirs
        self.yours = yours


def update_meeting(
    meeting: Meeting,
    fields: MeetingFields,
    *,
    actor_id: int | None,
    expected_version: int | None = None,
) -> None:
    """Save a meeting's details if nobody saved them since `expected_version`."""
    meeting = versioning.lock(meeting)
    if versioning.bump(meeting, "details_version", expected_version) is None:
        raise DetailsConflict(theirs=describe(fields_of(meeting)), yours=describe(fields))
    _apply(meeting, fields)
    search.refresh_meeting(meeting)
    audit.record(
        "meeting_updated", actor_id=actor_id, network_id=meeting.network_id, subject=meeting.slug
    )


def local_start(meeting: Meeting) -> datetime:
    return meeting.starts_at.astimezone(zone(meeting.timezone))


def fields_of(meeting: Meeting) -> MeetingFields:
    return MeetingFields(
        title=meeting.title,
        starts_at_local=local_start(meeting).replace(tzinfo=None),
        timezone=meeting.timezone,
        series_number=meeting.series_number,
        topics=tuple(meeting.topics),
        description=meeting.description,
        chatham_house=meeting.chatham_house,
        author=meeting.author,
    )


def describe(fields: MeetingFields) -> str:
    """Write a meeting's details as plain text, for a person comparing two versions."""
    return "\n".join(
        [
            f"Title: {fields.title}",
            f"Date and time: {fields.starts_at_local:%Y-%m-%d %H:%M} ({fields.timezone})",
            f"Number in the series: {fields.series_number or ''}",
            f"Topics: {', '.join(t.strip() for t in fields.topics if t.strip())}",
            f"Chatham House Rule: {'yes' if fields.chatham_house else 'no'}",
            "Description:",
            fields.description,
        ]
    )


@dataclass(frozen=True)
class MeetingListing:
    meeting: Meeting
    published: bool


def meetings_of(network_id: int) -> tuple[list[MeetingListing], list[MeetingListing]]:
    """Return (upcoming soonest first, past latest first), each marked if notes are published."""
    published = exists().where(Publication.meeting_id == Meeting.id)
    rows = db.session.execute(
        select(Meeting, published.label("published"))
        .where(Meeting.network_id == network_id)
        .order_by(Meeting.starts_at)
    ).all()
    now = utcnow()
    listings = [MeetingListing(meeting, bool(flag)) for meeting, flag in rows]
    upcoming = [entry for entry in listings if entry.meeting.starts_at >= now]
    past = [entry for entry in listings if entry.meeting.starts_at < now]
    return upcoming, list(reversed(past))


def find_meeting(network: Network, slug: str) -> Meeting | None:
    return db.session.scalar(
        select(Meeting).where(Meeting.network_id == network.id, Meeting.slug == slug)
    )


def meeting_by_reference(reference: str) -> Meeting:
    """Find a meeting by `network/meeting` or by a meeting slug that only one network uses."""
    network_slug, _, meeting_slug = reference.rpartition("/")
    query = select(Meeting).where(Meeting.slug == meeting_slug)
    if network_slug:
        query = query.join(Meeting.network).where(Network.slug == network_slug)
    found = db.session.scalars(query.limit(2)).all()
    if not found:
        raise NotFound(f"There is no meeting {reference!r}.")
    if len(found) > 1:
        raise ServiceError(
            f"{reference!r} names meetings in several networks; use NETWORK/MEETING."
        )
    return found[0]


# Event posts --------------------------------------------------------------------------------


@dataclass(frozen=True)
class ImportResult:
    meeting: Meeting
    created: bool
    warnings: list[str]
    # The fields kept as a facilitator edited them, each said in words.
    kept: list[str] = field(default_factory=list)


# The fields an event post sets: the key they are stored under, their attribute on
# MeetingFields, and their name in words.
IMPORTED = {
    "title": ("title", "title"),
    "starts_at": ("starts_at_local", "date and time"),
    "topics": ("topics", "topics"),
    "description": ("description", "description"),
    "author": ("author", "author"),
}


def _imported_values(fields: MeetingFields) -> dict:
    return {
        "title": fields.title.strip()[:300],
        "starts_at": fields.starts_at_local.replace(tzinfo=None).isoformat(timespec="minutes"),
        "topics": [t.strip() for t in fields.topics if t.strip()],
        "description": fields.description,
        "author": fields.author.strip(),
    }


def import_event_post(
    network: Network, text: str, filename: str | None, *, actor_id: int | None
) -> ImportResult:
    """Create a meeting from an event post, or update the one imported from the same post.

    Updating keeps what a facilitator edited since the last import: a field is taken from the
    post only when it still holds what the last import set; the others are kept and named.
    """
    check_length(limits.EVENT_POST, text)
    try:
        post, warnings = parse_event_post(text, filename)
    except EventPostError as error:
        raise ServiceError(f"The event post cannot be imported: {error}") from error
    fields = MeetingFields(
        title=post.title,
        starts_at_local=datetime.combine(post.date, post.starts_at_time or time(0, 0)),
        topics=post.topics,
        description=post.description,
        author=post.author,
    )
    meeting = db.session.scalar(
        select(Meeting).where(Meeting.network_id == network.id, Meeting.source_key == post.slug)
    )
    created = meeting is None
    kept: list[str] = []
    if meeting is None:
        meeting = Meeting(network_id=network.id, terms=[], topics=[], source_key=post.slug)
        _apply(meeting, fields)
        meeting.slug = _slug_for(network, meeting)
        db.session.add(meeting)
    else:
        meeting = versioning.lock(meeting)
        kept = _reimport(meeting, fields)
    meeting.imported_fields = _imported_values(fields)
    _announce(meeting, post.speakers)
    db.session.flush()
    audit.record(
        "meeting_imported" if created else "meeting_reimported",
        actor_id=actor_id,
        network_id=network.id,
        subject=meeting.slug,
    )
    return ImportResult(meeting, created, warnings, kept)


def _reimport(meeting: Meeting, fields: MeetingFields) -> list[str]:
    """Take each field from the post unless it was edited since the last import."""
    current = fields_of(meeting)
    now, post = _imported_values(current), _imported_values(fields)
    # Imported before the last import was recorded: anything that differs may be an edit.
    last = meeting.imported_fields or {}
    kept = []
    merged = {}
    for name, (attribute, words) in IMPORTED.items():
        edited = name not in last or now[name] != last[name]
        if edited and now[name] != post[name]:
            kept.append(
                f"Kept the {words} as it was edited here since the last import; "
                f"the post's {words} was not applied."
            )
            merged[name] = getattr(current, attribute)
        else:
            merged[name] = getattr(fields, attribute)
    updated = MeetingFields(
        title=merged["title"],
        starts_at_local=merged["starts_at"],
        timezone=current.timezone,
        series_number=current.series_number,
        topics=tuple(merged["topics"]),
        description=merged["description"],
        chatham_house=current.chatham_house,
        author=merged["author"],
    )
    if _imported_values(updated) != now:
        _apply(meeting, updated)
        versioning.bump(meeting, "details_version")  # an open edit form is now stale
        search.refresh_meeting(meeting)
    return kept
