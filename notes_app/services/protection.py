"""What protects a meeting, and what members may see of its own details.

The consents that stand, the terms protected in the notes, details and comments, and the
meeting's title, description and topics with those terms replaced. Publishing, search,
comments and consent build on it.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache

from sqlalchemy import select

from notes_app.domain import dates, markers, notes_format
from notes_app.domain.confidential_names import confidential_names, is_public, public_words
from notes_app.domain.consent import Consent, Decision, Level, current_consents
from notes_app.domain.notes import Draft, Item, ItemKind
from notes_app.domain.notes import Speaker as DraftSpeaker
from notes_app.domain.redaction import (
    Leak,
    ProtectedTerm,
    Report,
    ReportWarning,
    find_terms,
    protected_terms,
    redact,
    repeats_confidential,
)
from notes_app.domain.redaction.assemble import join_markdown
from notes_app.domain.textmatch import skeleton
from notes_app.extensions import db
from notes_app.models import ConsentRecord, Meeting, Network, Speaker
from notes_app.services.draft_reads import current_draft


def protected_draft(meeting: Meeting) -> Draft:
    """The meeting's draft as the gate reads it: with everyone it must protect who is not one
    of its speakers. Those are the people its event post announced (`Draft.announced`), and
    the speakers of the network's other meetings who are not credited by name there: a
    speaker not credited at one meeting is not named in the notes or details of another
    (as in a comment on it). Once this meeting's notes declare them, their consent here
    decides."""
    draft = current_draft(meeting)
    elsewhere = spoken_elsewhere(meeting, draft)
    if not elsewhere:
        return draft
    return dataclasses.replace(draft, announced=(*draft.announced, *elsewhere))


ELSEWHERE_HANDLE = "elsewhere:{}"  # a handle no speaker can have


def spoken_elsewhere(meeting: Meeting, draft: Draft) -> tuple[DraftSpeaker, ...]:
    """The speakers of the network's other meetings, not credited by name there, whom this
    meeting's draft does not declare (one query)."""
    rows = db.session.execute(
        select(Speaker, ConsentRecord.item_id, ConsentRecord.decision, ConsentRecord.level)
        .join(Meeting, Meeting.id == Speaker.meeting_id)
        .outerjoin(ConsentRecord, ConsentRecord.speaker_id == Speaker.id)
        .where(Meeting.network_id == meeting.network_id, Meeting.id != meeting.id)
        .order_by(Speaker.id, ConsentRecord.id)
    ).all()
    # Each statement's latest decision (rows come oldest first): a credit by name standing on
    # any of a speaker's statements lets them be named elsewhere.
    latest: dict[int, dict[str, bool]] = {}
    speakers: dict[int, Speaker] = {}
    for speaker, item_id, decision, level in rows:
        speakers[speaker.id] = speaker
        if item_id is not None:
            named = decision == Decision.GRANTED and level == Level.NAME
            latest.setdefault(speaker.id, {})[item_id] = named
    # One the event post announced too is still protected with all they are known by here.
    known = {skeleton(text) for person in draft.speakers for text in (person.name, *person.aliases)}
    people: dict[str, DraftSpeaker] = {}
    for speaker in speakers.values():
        key = skeleton(speaker.name)
        if not key or key in known or key in people or any(latest.get(speaker.id, {}).values()):
            continue
        people[key] = DraftSpeaker(
            handle=ELSEWHERE_HANDLE.format(speaker.id),
            name=speaker.name,
            organisation=speaker.organisation,
            role=speaker.role,
            email=speaker.email,
            aliases=tuple(speaker.aliases or ()),
        )
    return tuple(people.values())


def network_terms(meeting: Meeting) -> tuple[str, ...]:
    """The extra terms protected in everything members see of the meeting: the network's.
    (The people its event post announced are in the draft: `draft_reads.announced_people`.)"""
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
    return meeting_protection(meeting)[1]


def meeting_protection(meeting: Meeting) -> tuple[Draft, list[ProtectedTerm]]:
    """The meeting's draft as it stands, and every term members must not see now."""
    draft = protected_draft(meeting)
    terms = protected_terms(draft, meeting_consents(meeting, draft), network_terms(meeting))
    return draft, terms


@dataclass(frozen=True)
class CommentScreen:
    """What a comment on one meeting is checked against (DESIGN.md, "Comments").

    `terms`: what members must not see in this meeting, and in every other meeting of its
    network (a speaker not credited at one meeting is not named in a comment on another),
    except what this meeting shows by consent. `confidential_terms`: the names used in the
    confidential text of every meeting of the network (`confidential_names`), so that a
    reworded confidential sentence is refused too. `drafts`: the drafts whose confidential
    text a comment must not repeat, this meeting's first.
    """

    terms: tuple[ProtectedTerm, ...]
    confidential_terms: tuple[ProtectedTerm, ...]
    drafts: tuple[Draft, ...]


@dataclass(frozen=True)
class _Protected:
    draft: Draft
    terms: tuple[ProtectedTerm, ...]
    named: frozenset[str]  # what this meeting shows by consent (names, labels' words)
    confidential: tuple[ProtectedTerm, ...]


def comment_screen(meeting: Meeting) -> CommentScreen:
    """What a comment on this meeting is checked against: see `CommentScreen`."""
    return comment_screens(meeting.network_id, only=meeting.id)[meeting.id]


def comment_screens(network_id: int, only: int | None = None) -> dict[int, CommentScreen]:
    """The comment screen of every meeting of a network (or of the meeting `only`), reading
    each meeting's protection once."""
    rows = db.session.scalars(
        select(Meeting).where(Meeting.network_id == network_id).order_by(Meeting.id)
    ).all()
    protected = {row.id: _protection_of(row, named=only in (None, row.id)) for row in rows}
    screens = {}
    for row in rows:
        if only is not None and row.id != only:
            continue
        own = protected[row.id]
        others = [p for at, p in protected.items() if at != row.id]

        def shown(term: ProtectedTerm, own: _Protected = own) -> bool:
            return term.text.casefold() in own.named

        # Another meeting's confidential name that this meeting's own notes use openly is
        # public here (a comment may repeat the notes it is on).
        here = public_words(own.draft)
        terms = [*own.terms, *(t for p in others for t in p.terms if not shown(t))]
        confidential = [t for t in own.confidential if not shown(t)]
        confidential += [
            t
            for p in others
            for t in p.confidential
            if not shown(t) and not is_public(t.text, here)
        ]
        screens[row.id] = CommentScreen(
            tuple(dict.fromkeys(terms)),
            tuple(dict.fromkeys(confidential)),
            (own.draft, *(p.draft for p in others)),
        )
    return screens


def _protection_of(meeting: Meeting, *, named: bool) -> _Protected:
    draft = current_draft(meeting)
    extra = network_terms(meeting)
    terms = protected_terms(draft, meeting_consents(meeting, draft), extra)
    shown: frozenset[str] = frozenset()
    if named:
        # What would be protected if nobody were credited, and is not now: shown by consent.
        now = {t.text.casefold() for t in terms}
        shown = frozenset(t.text.casefold() for t in protected_terms(draft, {}, extra)) - now
    return _Protected(draft, tuple(terms), shown, confidential_name_terms(draft))


def confidential_name_terms(draft: Draft) -> tuple[ProtectedTerm, ...]:
    """The names of the draft's confidential text as terms (each with its distinctive words)."""
    names = confidential_names(draft)
    if not names:
        return ()
    return tuple(protected_terms(Draft(terms=names), {}))


ELSEWHERE_WARNING = (
    "this item uses a name found in the confidential notes of another meeting of the network: "
    "check that it does not repeat what was said in confidence there"
)


def confidential_elsewhere(meeting: Meeting, draft: Draft) -> tuple[ReportWarning, ...]:
    """Warn on each published item of the draft that uses a name of another meeting's
    confidential text: the facilitator decides (it may be public here), so it never refuses."""
    others = db.session.scalars(
        select(Meeting).where(Meeting.network_id == meeting.network_id, Meeting.id != meeting.id)
    ).all()
    terms = tuple(
        dict.fromkeys(t for other in others for t in confidential_name_terms(current_draft(other)))
    )
    if not terms:
        return ()
    flagged = markers.under_confidential_headings(draft)
    return tuple(
        ReportWarning("confidential-elsewhere", item.id, ELSEWHERE_WARNING)
        for item in flagged.items
        if not item.confidential and find_terms(item.body, terms)
    )


# What replaces a byline that would name a protected term or repeat confidential text.
NEUTRAL_BYLINE = "a member"


def byline_for_members(name: str, terms: Sequence[ProtectedTerm], draft: Draft) -> str:
    """A comment's byline as members see it: the name, unless it fails the meeting's gate."""
    if not name.strip():
        return name
    if find_terms(name, terms) or repeats_confidential(draft, name, single_words=False):
        return NEUTRAL_BYLINE
    return name


def meeting_byline(meeting: Meeting, name: str) -> str:
    """One byline as members of this meeting may see it (see `byline_for_members`)."""
    draft, terms = meeting_protection(meeting)
    return byline_for_members(name, terms, draft)


@dataclass(frozen=True)
class MeetingForMembers:
    """A meeting's own details as members see them: redacted like the notes."""

    title: str
    description: str
    topics: tuple[str, ...]


# The meeting's details are redacted as items of the notes (DESIGN.md rule 5: "the meeting
# description is redacted like the notes"), under ids no stored item can have.
TITLE_ID = "meeting:title"
DESCRIPTION_ID = "meeting:description"
TOPIC_ID = "meeting:topic:{}"
DETAILS_CHECK = "rule 5: meeting title, description and topics redacted and checked like the notes"


def meeting_for_members(meeting: Meeting) -> MeetingForMembers:
    """Redact the title, description and topics: event posts often name the speakers."""
    draft = protected_draft(meeting)
    return meeting_details(meeting, draft, meeting_consents(meeting, draft))[0]


def meeting_details(
    meeting: Meeting, draft: Draft, consents: dict[str, Consent]
) -> tuple[MeetingForMembers, Report]:
    """The meeting's details as members see them, and what redacting them did and found.

    A detail that still carries protected or confidential text after redaction (the final
    check found it) is withheld: the title becomes the date, a description or topic is left out.
    """
    return _details(
        draft,
        tuple(sorted(consents.items())),
        network_terms(meeting),
        meeting.title or "",
        meeting.description or "",
        tuple(meeting.topics or ()),
        f"Meeting of {dates.long_date(meeting.starts_at, meeting.timezone)}"
        if meeting.starts_at
        else "A meeting",
    )


@lru_cache(maxsize=256)
def _details(
    draft: Draft,
    consents: tuple[tuple[str, Consent], ...],
    terms: tuple[str, ...],
    title: str,
    description: str,
    topics: tuple[str, ...],
    untitled: str,
) -> tuple[MeetingForMembers, Report]:
    fields = [(TITLE_ID, title)]
    fields += [(TOPIC_ID.format(n), topic) for n, topic in enumerate(topics)]
    # First, so that no confidential heading of the notes reaches over them; the description
    # block by block, so that a confidential one takes only itself (and a confidential heading
    # its section) away.
    items = tuple(Item(ItemKind.NOTE, text, id=at) for at, text in fields if text.strip())
    blocks = _description_blocks(description)
    published, report = redact(
        dataclasses.replace(draft, items=(*items, *blocks, *draft.items)), dict(consents), terms
    )
    # A description block goes live with the meeting, so nobody confirms its warning first:
    # one with an informal confidential marker is left out.
    unconfirmed = {w.item_id for w in report.warnings if w.kind == "informal-marker"}
    report = _as_one_description(report)
    ours = {at for at, _ in fields} | {DESCRIPTION_ID}
    # Then the terms again, as in a comment: nobody confirms a warning (an ordinary word used
    # as a name) before the meeting's page shows its details, so such a word counts.
    protected = protected_terms(draft, dict(consents), terms)
    bodies = {
        item.id: _replace_terms(item.body, protected) for item in published.items if item.id in ours
    }
    shown_blocks = [
        dataclasses.replace(item, markdown=_replace_terms(item.markdown, protected))
        for item in published.items
        if item.id.startswith(DESCRIPTION_BLOCK_PREFIX) and item.id not in unconfirmed
    ]
    if shown_blocks:
        bodies[DESCRIPTION_ID] = join_markdown(shown_blocks)
    # The details are not notes a facilitator confirms item by item: a run of confidential
    # words in them is a leak, as it is in a comment or a label (rule 5, "fail closed").
    repeats = tuple(
        Leak("confidential", "text of the confidential notes", at, "meeting details", "text")
        for at, body in bodies.items()
        if repeats_confidential(draft, body, single_words=False)
    )
    report = dataclasses.replace(report, leaks=report.leaks + repeats)
    leaked = {leak.item_id for leak in report.leaks if leak.item_id in ours}
    shown = {at: body.strip() for at, body in bodies.items() if at not in leaked}
    details = MeetingForMembers(
        shown.get(TITLE_ID) or untitled,
        shown.get(DESCRIPTION_ID, ""),
        tuple(shown[TOPIC_ID.format(n)] for n in range(len(topics)) if TOPIC_ID.format(n) in shown),
    )
    own = Report(
        changes=tuple(c for c in report.changes if c.item_id in ours),
        warnings=tuple(w for w in report.warnings if w.item_id in ours),
        checks=(DETAILS_CHECK,),
        leaks=tuple(leak for leak in report.leaks if leak.item_id in ours),
    )
    return details, own


DESCRIPTION_BLOCK_PREFIX = f"{DESCRIPTION_ID}:"


def _description_blocks(description: str) -> tuple[Item, ...]:
    """The description as items of the notes format (paragraphs, lists, headings, with their
    confidential markers), or as one item when it does not read as notes."""
    if not description.strip():
        return ()
    try:
        items = notes_format.parse(description).items
    except notes_format.NotesFormatError:
        items = (Item(ItemKind.NOTE, description),)
    return tuple(
        dataclasses.replace(item, id=f"{DESCRIPTION_BLOCK_PREFIX}{n}", speaker=None)
        for n, item in enumerate(items)
    )


def _as_one_description(report: Report) -> Report:
    """The report with the description's blocks named as the description."""

    def one(entry):
        if entry.item_id.startswith(DESCRIPTION_BLOCK_PREFIX):
            return dataclasses.replace(entry, item_id=DESCRIPTION_ID)
        return entry

    return Report(
        changes=tuple(map(one, report.changes)),
        warnings=tuple(dict.fromkeys(map(one, report.warnings))),
        checks=report.checks,
        leaks=tuple(map(one, report.leaks)),
    )


def _replace_terms(text: str, terms: Sequence[ProtectedTerm]) -> str:
    for match in sorted(find_terms(text, terms), key=lambda m: m.start, reverse=True):
        text = text[: match.start] + match.term.replacement + text[match.end :]
    return text
