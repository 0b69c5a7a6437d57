"""The speakers of a meeting: facilitators' records, never shown to members."""

from __future__ import annotations

from sqlalchemy import func, select, update

from notes_app.domain import email_address, handles, limits
from notes_app.domain.event_post import AnnouncedSpeaker, merge_announced
from notes_app.domain.notes import Speaker as DraftSpeaker
from notes_app.extensions import db
from notes_app.models import ConsentLink, ConsentRecord, Item, Meeting, Membership, Speaker, User
from notes_app.models.types import utcnow
from notes_app.services import audit, search, versioning
from notes_app.services.draft_reads import speaker_as_domain, speakers_of
from notes_app.services.errors import NotFound, ServiceError, check_length

# What a facilitator types about a speaker is the domain's speaker record itself.
SpeakerFields = DraftSpeaker
# A speaker's row as the fields a facilitator edits (read with the draft, in `draft_reads`).
as_domain = speaker_as_domain


def speaker_id(meeting: Meeting, handle: str | None) -> int | None:
    if handle is None:
        return None
    found = db.session.scalar(
        select(Speaker.id).where(Speaker.meeting_id == meeting.id, Speaker.handle == handle)
    )
    if found is None:
        raise ServiceError(f"There is no speaker @{handle} in this meeting.")
    return found


def find_speaker(meeting: Meeting, handle: str) -> Speaker:
    speaker = db.session.scalar(
        select(Speaker).where(Speaker.meeting_id == meeting.id, Speaker.handle == handle)
    )
    if speaker is None:
        raise NotFound(f"There is no speaker @{handle} in {meeting.slug}.")
    return speaker


def get_speaker(meeting: Meeting, speaker_id: int) -> Speaker:
    speaker = db.session.get(Speaker, speaker_id)
    if speaker is None or speaker.meeting_id != meeting.id:
        raise NotFound("That speaker is not in this meeting.")
    return speaker


def _check(fields: SpeakerFields) -> SpeakerFields:
    handle = fields.handle.strip().lstrip("@")
    if not handles.is_handle(handle):
        raise ServiceError(f"A handle {handles.RULE}, like robin or r.ex.")
    if not fields.name.strip():
        raise ServiceError("A speaker needs a name.")
    check_length(limits.PERSON_NAME, fields.name.strip())
    email = speaker_email(fields.email)
    aliases = tuple(a.strip() for a in fields.aliases if a.strip())
    check_length(limits.SPEAKER_DESCRIPTOR, fields.descriptor.strip())
    return SpeakerFields(
        handle,
        fields.name.strip(),
        fields.organisation.strip(),
        fields.role.strip(),
        email,
        aliases,
        fields.descriptor.strip(),
    )


def speaker_email(text: str) -> str:
    """Return a speaker's one email address as kept, or "" for none."""
    if not text.strip():
        return ""
    try:
        return email_address.normalise_email(text)
    except email_address.NotAnEmailAddress as error:
        raise ServiceError(f"The speaker's email: {error}") from error


def _fill(speaker: Speaker, fields: SpeakerFields, network_id: int) -> None:
    before = (speaker.email, speaker.user_id)
    speaker.handle = fields.handle
    speaker.name = fields.name
    speaker.organisation = fields.organisation
    speaker.role = fields.role
    speaker.email = fields.email
    speaker.aliases = list(fields.aliases)
    speaker.descriptor = fields.descriptor
    # A speaker who is a member of the network decides about consent in their account rather
    # than through a link; accounts outside the network are not looked up (no probing).
    speaker.user_id = (
        db.session.scalar(
            select(User.id)
            .join(Membership, Membership.user_id == User.id)
            .where(User.email == fields.email, Membership.network_id == network_id)
        )
        if fields.email
        else None
    )
    if speaker.id is not None and before != (speaker.email, speaker.user_id):
        # A link sent to the old address must not let its reader decide for the speaker.
        db.session.execute(
            update(ConsentLink)
            .where(ConsentLink.speaker_id == speaker.id, ConsentLink.revoked_at.is_(None))
            .values(revoked_at=utcnow())
        )


def _handle_taken(meeting: Meeting, handle: str, ignore: int | None = None) -> bool:
    query = select(Speaker.id).where(Speaker.meeting_id == meeting.id, Speaker.handle == handle)
    found = db.session.scalar(query)
    return found is not None and found != ignore


def add_speaker(meeting: Meeting, fields: SpeakerFields, *, actor_id: int) -> Speaker:
    fields = _check(fields)
    meeting = versioning.lock(meeting)
    if _handle_taken(meeting, fields.handle):
        raise ServiceError(f"The handle @{fields.handle} is used by another speaker.")
    speaker = Speaker(meeting_id=meeting.id)
    _fill(speaker, fields, meeting.network_id)
    db.session.add(speaker)
    db.session.flush()
    versioning.bump(meeting, "draft_version")
    search.refresh_meeting(meeting)
    audit.record(
        "speaker_added", actor_id=actor_id, network_id=meeting.network_id, subject=meeting.slug
    )
    return speaker


def update_speaker(
    meeting: Meeting,
    speaker: Speaker,
    fields: SpeakerFields,
    *,
    actor_id: int,
    expected_version: int | None = None,
) -> None:
    """Save a speaker, refusing if the draft (speakers included) changed since the form was sent.

    Speakers' names, aliases and organisations are what redaction protects: an old form must
    never silently drop a colleague's new alias.
    """
    fields = _check(fields)
    meeting = versioning.lock(meeting)
    versioning.claim(meeting, expected_version)
    if _handle_taken(meeting, fields.handle, ignore=speaker.id):
        raise ServiceError(f"The handle @{fields.handle} is used by another speaker.")
    _fill(speaker, fields, meeting.network_id)
    search.refresh_meeting(meeting)
    audit.record(
        "speaker_updated", actor_id=actor_id, network_id=meeting.network_id, subject=meeting.slug
    )


def statement_count(speaker: Speaker) -> int:
    return db.session.scalar(select(func.count(Item.id)).where(Item.speaker_id == speaker.id)) or 0


def remove_speaker(meeting: Meeting, speaker: Speaker, *, actor_id: int) -> None:
    meeting = versioning.lock(meeting)
    count = statement_count(speaker)
    if count:
        raise ServiceError(
            f"@{speaker.handle} has {count} statement(s) in the draft; give them to another "
            "speaker or make them notes first."
        )
    if has_consent_records(speaker):
        raise ServiceError(f"@{speaker.handle} has consent decisions on record, which are kept.")
    _keep_protected(meeting, [speaker])
    db.session.delete(speaker)
    versioning.bump(meeting, "draft_version")
    search.refresh_meeting(meeting)
    audit.record(
        "speaker_removed", actor_id=actor_id, network_id=meeting.network_id, subject=meeting.slug
    )


def has_consent_records(speaker: Speaker) -> bool:
    query = select(ConsentRecord.id).where(ConsentRecord.speaker_id == speaker.id).limit(1)
    return db.session.scalar(query) is not None


def replace_speakers(meeting: Meeting, wanted: tuple[DraftSpeaker, ...]) -> None:
    """Make the meeting's speakers those of a notes file, keeping anyone with consent records."""
    existing = {s.handle: s for s in speakers_of(meeting)}
    for speaker in wanted:
        row = existing.pop(speaker.handle, None) or Speaker(meeting_id=meeting.id)
        _fill(
            row,
            SpeakerFields(
                speaker.handle,
                speaker.name,
                speaker.organisation,
                speaker.role,
                speaker_email(speaker.email),
                speaker.aliases,
                speaker.descriptor,
            ),
            meeting.network_id,
        )
        db.session.add(row)
    removed = [leftover for leftover in existing.values() if not has_consent_records(leftover)]
    _keep_protected(meeting, removed)
    for leftover in removed:
        db.session.delete(leftover)
    db.session.flush()


def _keep_protected(meeting: Meeting, removed: list[Speaker]) -> None:
    """A speaker taken out of the notes is still someone who was there and did not consent
    (often the one who asked to be left out): they stay protected, as people an event post
    announces are (`draft_reads.announced_people`), until the notes declare them again."""
    people = [AnnouncedSpeaker(s.name, s.organisation, s.role) for s in removed if s.name.strip()]
    if not people:
        return
    before = (AnnouncedSpeaker.from_stored(v) for v in meeting.announced_speakers or ())
    meeting.announced_speakers = [p.stored() for p in merge_announced((*before, *people))]
