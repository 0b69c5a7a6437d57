"""Speakers' consent to be credited: requests, links, decisions, and what a withdrawal re-makes.

The ledger is append-only: every decision adds a record, and the state of each statement is
derived from the records by the domain (`domain.consent.statement_consent`).
"""

from __future__ import annotations

import secrets
from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta

from flask import current_app, render_template
from sqlalchemy import func, select

from notes_app.domain.consent import (
    DONT_CREDIT,
    Channel,
    Consent,
    Decision,
    Level,
    State,
    StatementConsent,
    credit_text_problem,
    current_consents,
    decision_for,
    resolve_choices,
    statement_consent,
    wording_hash,
)
from notes_app.domain.notes import ItemKind
from notes_app.domain.redaction import (
    ProtectedTerm,
    PublishedItem,
    TermKind,
    find_terms,
    protected_terms,
    redact,
    repeats_confidential,
)
from notes_app.extensions import db
from notes_app.models import (
    ConsentLink,
    ConsentRecord,
    ConsentRequest,
    DraftRevision,
    Item,
    Meeting,
    Membership,
    Network,
    Speaker,
    User,
)
from notes_app.models.types import utcnow
from notes_app.services import (
    accounts,
    audit,
    comments,
    draft_reads,
    drafts,
    mail,
    protection,
    publications,
    publishing,
    search,
    versioning,
)
from notes_app.services.errors import Conflict, NotFound, ServiceError
from notes_app.services.invitations import hash_token

LINK_LIFETIME = timedelta(days=30)
NOT_SAFE_TO_SHOW = (
    "Your {what} cannot be used: it may identify someone else at the meeting, or repeat "
    "something said in confidence. Write it in other words."
)
STATEMENT_CHANGED = (
    "A statement changed after you opened this page, so nothing was saved. "
    "Read the statements again and decide."
)


class LinkUnusable(NotFound):
    """A consent link that is unknown, expired or revoked; `reason` says which, for the page."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


# Reading ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Preview:
    """A statement as members would read it, with the credit it would carry."""

    html: str
    credit: str | None


@dataclass(frozen=True)
class StatementView:
    """One of a speaker's statements, its consent now, and how each choice would publish it."""

    item_id: str
    position: int
    wording_hash: str
    consent: StatementConsent
    by_name: Preview | None
    by_descriptor: Preview | None
    uncredited: Preview | None


@dataclass(frozen=True)
class SpeakerPage:
    meeting: Meeting
    network: Network
    speaker: Speaker
    label: str
    statements: list[StatementView]
    # Credits standing for statements no longer theirs in the draft, which may be published.
    credits_elsewhere: int = 0


def default_label(speaker: Speaker) -> str:
    """What a credit by name says unless the speaker wrote their own label."""
    return speaker.label.strip() or speaker.name.strip()


def statement_rows(speaker: Speaker) -> list[Item]:
    """The speaker's statements in the current draft that could carry a credit."""
    return list(
        db.session.scalars(
            select(Item)
            .where(
                Item.speaker_id == speaker.id,
                Item.kind == ItemKind.STATEMENT.value,
                Item.confidential.is_(False),
            )
            .order_by(Item.position)
        )
    )


def speaker_page(speaker: Speaker) -> SpeakerPage:
    """Everything a speaker's page shows: only their own statements, never the draft around."""
    meeting = db.session.get(Meeting, speaker.meeting_id)
    ledger = protection.consent_ledger(meeting)
    rows = statement_rows(speaker)
    label = default_label(speaker)
    previews = _previews(meeting, speaker, ledger, [row.id for row in rows], label)
    statements = [
        StatementView(
            item_id=row.id,
            position=number,
            wording_hash=wording_hash(row.body),
            consent=statement_consent(ledger, row.id, speaker.handle, row.body, speaker.descriptor),
            by_name=previews[Level.NAME].get(row.id),
            by_descriptor=previews[Level.DESCRIPTOR].get(row.id),
            uncredited=previews[None].get(row.id),
        )
        for number, row in enumerate(rows, start=1)
    ]
    network = db.session.get(Network, meeting.network_id)
    elsewhere = grants_elsewhere(ledger, speaker, {row.id for row in rows})
    return SpeakerPage(meeting, network, speaker, label, statements, len(elsewhere))


def _previews(
    meeting: Meeting, speaker: Speaker, ledger: list[Consent], item_ids: list[str], label: str
) -> dict[Level | None, dict[str, Preview]]:
    """Redact the draft three times: the speaker's statements all credited by name, all by
    descriptor, and none; everyone else's consents as they stand.

    A statement whose redaction found anything unsafe is not previewed at all.
    """
    if not item_ids:
        return {Level.NAME: {}, Level.DESCRIPTOR: {}, None: {}}
    draft = protection.protected_draft(meeting)
    standing = current_consents(ledger, {item.id: item.speaker for item in draft.items})
    others = {item_id: c for item_id, c in standing.items() if item_id not in item_ids}
    network_terms = protection.network_terms(meeting)
    bodies = {item.id: item.body for item in draft.items}
    previews: dict[Level | None, dict[str, Preview]] = {}
    for level in (Level.NAME, Level.DESCRIPTOR, None):
        consents = dict(others)
        if level is not None:
            for item_id in item_ids:
                consents[item_id] = Consent(
                    item_id,
                    speaker.handle,
                    Decision.GRANTED,
                    wording_hash(bodies[item_id]),
                    level,
                    label if level is Level.NAME else speaker.descriptor.strip(),
                )
        else:
            for item_id in item_ids:
                consents.pop(item_id, None)
        published, report = redact(draft, consents, network_terms)
        unsafe = {leak.item_id for leak in report.leaks}
        previews[level] = {
            item.id: _preview(item)
            for item in published.items
            if item.id in item_ids and item.id not in unsafe and report.ok
        }
    return previews


def _preview(item: PublishedItem) -> Preview:
    return Preview(item.html, item.attribution.text if item.attribution else None)


def _speakers_of_member(user_id: int):
    """Speaker records linked to an account, in meetings of networks it is a member of now.

    A record stays linked when its user leaves the network, so that it comes back if they
    return; while they are out, those statements are not theirs to see or decide.
    """
    return (
        select(Speaker)
        .join(Meeting, Meeting.id == Speaker.meeting_id)
        .join(
            Membership,
            (Membership.network_id == Meeting.network_id) & (Membership.user_id == user_id),
        )
        .where(Speaker.user_id == user_id)
    )


def speakers_of_user(user: User) -> list[Speaker]:
    """The speaker records linked to an account, newest meeting first."""
    return list(
        db.session.scalars(
            _speakers_of_member(user.id).order_by(Meeting.starts_at.desc(), Speaker.id)
        )
    )


def speaker_for_user(user: User, speaker_id: int) -> Speaker:
    speaker = db.session.scalar(_speakers_of_member(user.id).where(Speaker.id == speaker_id))
    if speaker is None:
        raise NotFound("Those are not your statements.")
    return speaker


def member_account(speaker: Speaker, network_id: int) -> User | None:
    """The account a speaker decides in: theirs, while they are a member of the network."""
    if speaker.user_id is None:
        return None
    return db.session.scalar(
        select(User)
        .join(Membership, Membership.user_id == User.id)
        .where(User.id == speaker.user_id, Membership.network_id == network_id)
    )


# Deciding -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Choices:
    """What a speaker submits: a choice per statement (None: don't credit), the wording each
    choice was made about, and their label and descriptor."""

    per_statement: Mapping[str, Level | None]
    seen: Mapping[str, str]
    label: str
    descriptor: str
    withdraw_everything: bool = False


def decide(
    speaker: Speaker,
    choices: Choices,
    *,
    channel: Channel,
    actor_id: int | None,
    evidence: str = "",
) -> int:
    """Record a speaker's decisions; returns how many were recorded.

    Refuses everything if a statement's wording changed since the speaker saw it. Withdrawing
    or narrowing a credit re-makes what was published, in this same transaction.
    """
    meeting = versioning.lock(db.session.get(Meeting, speaker.meeting_id))
    if channel is Channel.ON_BEHALF and not evidence.strip():
        raise ServiceError(
            "Say how the speaker told you (an email, a signed form): evidence is required."
        )
    label = checked_credit_text(meeting, speaker, choices.label, default_label(speaker), "label")
    descriptor = checked_credit_text(
        meeting, speaker, choices.descriptor, speaker.descriptor, "descriptor"
    )
    if not label and any(c is Level.NAME for c in choices.per_statement.values()):
        raise ServiceError("A credit by name needs the words to show: fill in your label.")
    if not descriptor and any(c is Level.DESCRIPTOR for c in choices.per_statement.values()):
        raise ServiceError(
            "A credit by descriptor needs a descriptor, like “a speaker from a council”."
        )
    rows = {row.id: row for row in statement_rows(speaker)}
    unknown = set(choices.per_statement) - set(rows)
    if unknown:
        raise NotFound("That statement is not one of yours, or is no longer in the notes.")
    for item_id in choices.per_statement:
        if choices.seen.get(item_id) != wording_hash(rows[item_id].body):
            raise Conflict(STATEMENT_CHANGED)

    # New words for a credit wait for the next publication: only less credit re-makes the
    # notes already sent round (and a re-make keeps the words they were published with).
    narrowed = False
    previous_label = default_label(speaker)
    previous_descriptor = speaker.descriptor.strip()
    speaker.label = label
    speaker.descriptor = descriptor
    ledger = protection.consent_ledger(meeting)
    recorded = 0
    per_statement = dict(choices.per_statement)
    if label != previous_label:
        # New words for a credit by name apply to every statement credited by name (at the
        # next publication), not only to those chosen again on this page.
        for item_id, row in rows.items():
            now = statement_consent(ledger, item_id, speaker.handle, row.body, descriptor)
            if item_id not in per_statement and now.choice is Level.NAME:
                per_statement[item_id] = Level.NAME
    if descriptor != previous_descriptor:
        # Likewise the speaker's own new descriptor, for every statement credited by one (a
        # grant records the descriptor agreed to, so without this it would credit nobody).
        for item_id, row in rows.items():
            now = statement_consent(ledger, item_id, speaker.handle, row.body, descriptor)
            if item_id not in per_statement and now.choice is Level.DESCRIPTOR:
                per_statement[item_id] = Level.DESCRIPTOR
    for item_id, choice in per_statement.items():
        body = rows[item_id].body
        now = statement_consent(ledger, item_id, speaker.handle, body, descriptor)
        decision = decision_for(now, choice, label)
        if decision is None:
            continue
        narrowed = narrowed or _narrows(now, decision, choice)
        _append(
            meeting, speaker, item_id, body, decision, choice, label, channel, actor_id, evidence
        )
        recorded += 1
    if choices.withdraw_everything:
        elsewhere = grants_elsewhere(ledger, speaker, rows)
        recorded += _withdraw(meeting, speaker, elsewhere, channel, actor_id, evidence)
        narrowed = True
    if narrowed:
        _after_narrowing(meeting, actor_id)
    return recorded


def _narrows(now: StatementConsent, decision: Decision, choice: Level | None) -> bool:
    """Tell whether a decision gives less credit than stands: none, or a descriptor for a name."""
    if decision is not Decision.GRANTED:
        return True
    return now.state is State.GRANTED and now.choice is Level.NAME and choice is Level.DESCRIPTOR


def checked_credit_text(
    meeting: Meeting, speaker: Speaker, typed: str, standing: str, what: str
) -> str:
    """Return a label or descriptor as it will be stored, or refuse it with a ServiceError.

    Words already standing are kept as they are; new words must be short plain text (no link,
    no markup) and pass the gate: none of another speaker's protected terms, the meeting's
    extra terms or its confidential text. The refusal never says what matched.
    """
    if " ".join(typed.split()) == " ".join(standing.split()):
        return " ".join(typed.split())
    problem = credit_text_problem(typed.strip(), what)
    if problem:
        raise ServiceError(problem)
    text = " ".join(typed.split())
    if text and not credit_text_is_safe(meeting, speaker, text):
        raise ServiceError(NOT_SAFE_TO_SHOW.format(what=what))
    return text


def credit_text_is_safe(meeting: Meeting, speaker: Speaker, text: str) -> bool:
    """Tell whether a speaker's label or descriptor passes the gate for this meeting."""
    draft = protection.protected_draft(meeting)
    # Everyone else's terms as if nobody were credited: a label must not lean on another's.
    others = [
        term
        for term in protected_terms(draft, {}, protection.network_terms(meeting))
        if term.speaker != speaker.handle
    ]
    # Their own full name in it is theirs, even where another speaker shares a part of it.
    own = [ProtectedTerm(speaker.name.strip(), TermKind.NAME, "", speaker.handle)]
    found = [m for m in find_terms(text, [*others, *own]) if m.term.speaker != speaker.handle]
    return not found and not repeats_confidential(draft, text)


def grants_elsewhere(ledger: list[Consent], speaker: Speaker, rows) -> dict[str, Consent]:
    """The speaker's standing grants for statements that are no longer theirs in the draft
    (deleted, made confidential, given to someone else): older publications may carry them."""
    latest: dict[str, Consent] = {}
    for entry in ledger:
        if entry.speaker == speaker.handle:
            latest[entry.item_id] = entry
    return {
        item_id: entry
        for item_id, entry in latest.items()
        if item_id not in rows and entry.decision is Decision.GRANTED
    }


def _withdraw(meeting, speaker, grants: dict[str, Consent], channel, actor_id, evidence) -> int:
    """Withdraw standing grants (for statements no longer in the draft, maybe published)."""
    count = 0
    for item_id, entry in grants.items():
        record = ConsentRecord(
            meeting_id=meeting.id,
            speaker_id=speaker.id,
            item_id=item_id,
            decision=Decision.WITHDRAWN.value,
            wording_hash=entry.wording_hash,
            channel=channel.value,
            recorded_by_id=actor_id,
            evidence=evidence.strip(),
        )
        db.session.add(record)
        _audit(meeting, speaker, item_id, Decision.WITHDRAWN, None, channel, actor_id)
        count += 1
    return count


def _append(meeting, speaker, item_id, body, decision, choice, label, channel, actor_id, evidence):
    level = choice if decision is Decision.GRANTED else None
    db.session.add(
        ConsentRecord(
            meeting_id=meeting.id,
            speaker_id=speaker.id,
            item_id=item_id,
            decision=decision.value,
            level=level.value if level else None,
            # The words the speaker agreed to be credited by: their label, or their descriptor.
            label=label if level is Level.NAME else speaker.descriptor.strip() if level else "",
            wording_hash=wording_hash(body),
            channel=channel.value,
            recorded_by_id=actor_id,
            evidence=evidence.strip(),
        )
    )
    db.session.flush()
    _audit(meeting, speaker, item_id, decision, level, channel, actor_id)


def _audit(meeting, speaker, item_id, decision, level, channel, actor_id) -> None:
    """Keep the fact of a decision, never the wording or the label."""
    audit.record(
        f"consent_{decision.value}",
        actor_id=actor_id,
        network_id=meeting.network_id,
        subject=meeting.slug,
        speaker_id=speaker.id,
        item=item_id,
        level=level.value if level else None,
        how=channel.value,
    )


def _after_narrowing(meeting: Meeting, actor_id: int | None) -> None:
    """Take a withdrawn or narrowed credit out of everything already published, and hide
    comments that name a speaker who may no longer be named."""
    changed = publishing.remake_publications(meeting)
    comments.rescreen(meeting)
    search.refresh_meeting(meeting)
    if changed:
        _notify_facilitators(meeting, [p.version for p in changed])
        audit.record(
            "notes_remade",
            actor_id=actor_id,
            network_id=meeting.network_id,
            subject=meeting.slug,
            versions=[p.version for p in changed],
        )


def _notify_facilitators(meeting: Meeting, versions: list[int]) -> None:
    network = db.session.get(Network, meeting.network_id)
    facilitators = db.session.scalars(
        select(User.email)
        .join(Membership, Membership.user_id == User.id)
        .where(Membership.network_id == network.id, Membership.role == "facilitator")
        .order_by(User.email)
    ).all()
    text = render_template(
        "mail/consent_withdrawn.txt",
        meeting=meeting,
        versions=versions,
        url=accounts.link(f"/n/{network.slug}/m/{meeting.slug}/consent"),
    )
    for email in facilitators:
        mail.queue(
            email,
            f"Credit withdrawn: {meeting.title}",
            text,
            kind="consent_notice",
            meeting_id=meeting.id,
        )


# On behalf ----------------------------------------------------------------------------------


def record_on_behalf(
    meeting: Meeting,
    speaker: Speaker,
    decision: Decision,
    *,
    evidence: str,
    actor_id: int | None,
    item_id: str | None = None,
    level: Level | None = None,
    label: str | None = None,
) -> int:
    """Record a decision a facilitator received by email or on paper, for one statement or all
    of the speaker's current statements. Returns how many were recorded."""
    if not evidence.strip():
        raise ServiceError("Evidence is required: say how the speaker told you.")
    if decision is not Decision.GRANTED and (level or label):
        raise ServiceError("A level or label goes only with a grant.")
    meeting = versioning.lock(meeting)
    ledger = protection.consent_ledger(meeting)
    rows = statement_rows(speaker)
    elsewhere = grants_elsewhere(ledger, speaker, {row.id for row in rows})
    refusing = decision is not Decision.GRANTED
    if item_id is not None:
        rows = [row for row in rows if row.id == item_id]
        elsewhere = {k: v for k, v in elsewhere.items() if k == item_id}
        if not rows and not (refusing and elsewhere):
            raise NotFound(f"@{speaker.handle} has no statement {item_id} in the notes.")
    if not rows and not (refusing and elsewhere):
        raise ServiceError(f"@{speaker.handle} has no statements in the notes.")
    choice = (level or Level.NAME) if decision is Decision.GRANTED else None
    if choice is Level.DESCRIPTOR and not speaker.descriptor.strip():
        raise ServiceError(f"@{speaker.handle} has no descriptor to credit them by.")
    standing = default_label(speaker)
    label = checked_credit_text(
        meeting, speaker, label if label is not None else standing, standing, "label"
    )
    if choice is Level.NAME and not label:
        raise ServiceError("A credit by name needs a label to show.")
    standing_now = {
        row.id: statement_consent(ledger, row.id, speaker.handle, row.body, speaker.descriptor)
        for row in rows
    }
    if decision is Decision.GRANTED and item_id is None:
        # A credit for all statements leaves a "don't credit me" on one of them standing.
        chosen = resolve_choices(
            list(standing_now),
            {},
            choice,
            everything_chosen=True,
            declined=[key for key, now in standing_now.items() if now.state in DONT_CREDIT],
        )
        rows = [row for row in rows if row.id in chosen]
    recorded = 0
    narrowed = False
    for row in rows:
        now = standing_now[row.id]
        if decision is Decision.GRANTED and decision_for(now, choice, label) is None:
            continue
        narrowed = narrowed or _narrows(now, decision, choice)
        _append(
            meeting, speaker, row.id, row.body, decision, choice, label,
            Channel.ON_BEHALF, actor_id, evidence,
        )  # fmt: skip
        recorded += 1
    if refusing and elsewhere:
        recorded += _withdraw(meeting, speaker, elsewhere, Channel.ON_BEHALF, actor_id, evidence)
        narrowed = True
    if label and choice is Level.NAME:
        speaker.label = label
    if narrowed:
        _after_narrowing(meeting, actor_id)
    return recorded


# Requests and links -------------------------------------------------------------------------


@dataclass(frozen=True)
class RequestResult:
    sent: list[str]
    skipped: list[str]


def _asked_recently(meeting: Meeting, speakers: list[Speaker]) -> dict[int, datetime]:
    """When each of these speakers was last asked, for those asked within the interval.

    However often a facilitator presses the button, a speaker gets at most one request an
    interval (CONSENT_REQUEST_INTERVAL), so nobody's inbox can be flooded from here.
    """
    since = utcnow() - current_app.config["CONSENT_REQUEST_INTERVAL"]
    rows = db.session.execute(
        select(ConsentRequest.speaker_id, func.max(ConsentRequest.created_at))
        .where(ConsentRequest.meeting_id == meeting.id)
        .where(ConsentRequest.speaker_id.in_([s.id for s in speakers]))
        .where(ConsentRequest.created_at > since)
        .group_by(ConsentRequest.speaker_id)
    )
    return {speaker_id: when for speaker_id, when in rows}


def _ago(when: datetime) -> str:
    minutes = max(int((utcnow() - when).total_seconds() // 60), 0)
    if minutes < 1:
        return "just now"
    return f"{minutes} minute{'s' if minutes != 1 else ''} ago"


def request_consent(
    meeting: Meeting, speakers: list[Speaker], *, actor_id: int | None
) -> RequestResult:
    """Email each speaker: account holders to their "my statements" page, guests a new link.

    A guest's new link replaces their earlier ones. Speakers without an email or without
    statements are skipped and named in the result.
    """
    network = db.session.get(Network, meeting.network_id)
    sent, skipped = [], []
    asked = _asked_recently(meeting, speakers)
    for speaker in speakers:
        if speaker.id in asked:
            skipped.append(f"@{speaker.handle} (asked {_ago(asked[speaker.id])}; try again later)")
            continue
        if not statement_rows(speaker):
            skipped.append(f"@{speaker.handle} (no statements)")
            continue
        # One who left the network is asked like a guest, by a link to the speaker's address.
        account = member_account(speaker, meeting.network_id)
        email = account.email if account else speaker.email
        if not email:
            skipped.append(f"@{speaker.handle} (no email)")
            continue
        link = None
        if account:
            url = accounts.link("/account/statements")
        else:
            link, token = _new_link(speaker, actor_id)
            url = accounts.link(f"/consent/{token}")
        text = render_template(
            "mail/consent_request.txt",
            title=protection.meeting_for_members(meeting).title,
            speaker=speaker,
            meeting=meeting,
            network=network,
            url=url,
            guest=account is None,
            expires=link.expires_at if link else None,
        )
        mail.queue(
            email,
            "May we credit you in the notes?",
            text,
            kind="consent_request",
            ref=f"speaker:{speaker.id}",
            meeting_id=meeting.id,
        )
        db.session.add(
            ConsentRequest(
                meeting_id=meeting.id,
                speaker_id=speaker.id,
                channel=(Channel.ACCOUNT if account else Channel.LINK).value,
                link_id=link.id if link else None,
                sent_by_id=actor_id,
            )
        )
        audit.record(
            "consent_requested",
            actor_id=actor_id,
            network_id=meeting.network_id,
            subject=meeting.slug,
            speaker_id=speaker.id,
            how="account" if account else "link",
        )
        sent.append(f"@{speaker.handle}")
    return RequestResult(sent, skipped)


def _new_link(speaker: Speaker, actor_id: int | None) -> tuple[ConsentLink, str]:
    now = utcnow()
    for old in _active_links(speaker.id, now):
        old.revoked_at = now
    token = secrets.token_urlsafe(32)
    lifetime = current_app.config.get("CONSENT_LINK_LIFETIME", LINK_LIFETIME)
    link = ConsentLink(
        speaker_id=speaker.id,
        token_hash=hash_token(token),
        created_by_id=actor_id,
        created_at=now,
        expires_at=now + lifetime,
    )
    db.session.add(link)
    db.session.flush()
    return link, token


def _active_links(speaker_id: int, now: datetime) -> list[ConsentLink]:
    return list(
        db.session.scalars(
            select(ConsentLink).where(
                ConsentLink.speaker_id == speaker_id,
                ConsentLink.revoked_at.is_(None),
                ConsentLink.expires_at > now,
            )
        )
    )


def speaker_for_link(token: str) -> Speaker:
    """Return the one speaker a link opens, or raise LinkUnusable saying why not."""
    link = db.session.scalar(select(ConsentLink).where(ConsentLink.token_hash == hash_token(token)))
    if link is None:
        raise LinkUnusable("unknown")
    if link.revoked_at is not None:
        raise LinkUnusable("revoked")
    if link.expires_at <= utcnow():
        raise LinkUnusable("expired")
    return db.session.get(Speaker, link.speaker_id)


def revoke_link(meeting: Meeting, link_id: int, *, actor_id: int | None) -> None:
    link = db.session.get(ConsentLink, link_id)
    speaker = db.session.get(Speaker, link.speaker_id) if link else None
    if speaker is None or speaker.meeting_id != meeting.id:
        raise NotFound("There is no such link in this meeting.")
    if link.revoked_at is None:
        link.revoked_at = utcnow()
        audit.record(
            "consent_link_revoked",
            actor_id=actor_id,
            network_id=meeting.network_id,
            subject=meeting.slug,
            speaker_id=speaker.id,
        )


# The facilitators' overview -----------------------------------------------------------------


@dataclass(frozen=True)
class OverviewRow:
    speaker: Speaker
    statements: list[tuple[int, str, StatementConsent]]
    requests: int
    last_request: datetime | None
    links: list[ConsentLink]

    def count(self, state: State) -> int:
        return sum(1 for _, _, consent in self.statements if consent.state is state)


def overview(meeting: Meeting) -> list[OverviewRow]:
    """Per speaker: each statement's consent, the requests sent and the links still open."""
    ledger = protection.consent_ledger(meeting)
    items = draft_reads.item_rows(meeting)
    positions = {row.id: n for n, row in enumerate(items, start=1)}
    statements: dict[int, list[Item]] = defaultdict(list)
    for row in items:
        if row.speaker_id and row.kind == ItemKind.STATEMENT.value and not row.confidential:
            statements[row.speaker_id].append(row)
    requests: dict[int, list[ConsentRequest]] = defaultdict(list)
    for request in db.session.scalars(
        select(ConsentRequest).where(ConsentRequest.meeting_id == meeting.id)
    ):
        requests[request.speaker_id].append(request)
    now = utcnow()
    links: dict[int, list[ConsentLink]] = defaultdict(list)
    for link in db.session.scalars(
        select(ConsentLink)
        .join(Speaker, Speaker.id == ConsentLink.speaker_id)
        .where(
            Speaker.meeting_id == meeting.id,
            ConsentLink.revoked_at.is_(None),
            ConsentLink.expires_at > now,
        )
        .order_by(ConsentLink.id)
    ):
        links[link.speaker_id].append(link)
    return [
        OverviewRow(
            speaker=speaker,
            statements=[
                (
                    positions[row.id],
                    row.id,
                    statement_consent(ledger, row.id, speaker.handle, row.body, speaker.descriptor),
                )
                for row in statements[speaker.id]
            ],
            requests=len(requests[speaker.id]),
            last_request=max((r.created_at for r in requests[speaker.id]), default=None),
            links=links[speaker.id],
        )
        for speaker in draft_reads.speakers_of(meeting)
    ]


def republication_due(meeting: Meeting) -> list[Speaker]:
    """The speakers whose credit reads differently now than in the latest publication (a new
    label or descriptor): it applies when the facilitators publish again."""
    publication = publications.latest_publication(meeting)
    if publication is None or publication.draft_revision_id is None:
        return []
    revision = db.session.get(DraftRevision, publication.draft_revision_id)
    if revision is None:
        return []
    then = drafts.revision_draft(revision)
    speaker_of = {item.id: item.speaker for item in then.items}
    described_as = {s.handle: s.descriptor.strip() for s in then.speakers}
    ledger = protection.consent_ledger(meeting)
    standing = current_consents(ledger, speaker_of)
    records = {s.handle: s for s in draft_reads.speakers_of(meeting)}
    due: dict[str, Speaker] = {}
    for entry in publication.items:
        handle = speaker_of.get(entry["id"])
        consent = standing.get(entry["id"])
        speaker = records.get(handle or "")
        if not entry.get("attribution") or speaker is None or consent is None:
            continue
        if consent.decision is not Decision.GRANTED:
            continue  # less credit: the stored notes were re-made already
        if entry.get("credit") == Level.NAME.value and consent.level is Level.NAME:
            changed = consent.label.strip() != entry["attribution"]
        else:
            changed = speaker.descriptor.strip() != described_as.get(speaker.handle, "")
        if changed:
            due[speaker.handle] = speaker
    return list(due.values())


def history(meeting: Meeting) -> list[ConsentRecord]:
    """Every decision of a meeting, newest first, for facilitators."""
    return list(
        db.session.scalars(
            select(ConsentRecord)
            .where(ConsentRecord.meeting_id == meeting.id)
            .order_by(ConsentRecord.id.desc())
        )
    )
