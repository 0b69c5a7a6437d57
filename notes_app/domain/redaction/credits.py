"""Rule 2: credit a statement only by its speaker's consent to it as worded now."""

from __future__ import annotations

from collections.abc import Mapping

from notes_app.domain.consent import Attribution, Consent, Level, attribution
from notes_app.domain.notes import Draft, Item, ItemKind
from notes_app.domain.redaction.report import Change, Log


def credit_statements(draft: Draft, consents: Mapping[str, Consent]) -> dict[int, Attribution]:
    """Return the credit of each published statement, by its position in the draft."""
    credits = {}
    for position, item in enumerate(draft.items):
        if item.kind is not ItemKind.STATEMENT or item.confidential:
            continue
        speaker = draft.speaker(item.speaker or "")
        consent = consents.get(item.id)
        # A consent counts only for the speaker who gave it.
        if speaker is None or consent is None or consent.speaker != speaker.handle:
            continue
        credit = attribution(consent, item.body, speaker.descriptor)
        if credit is not None:
            credits[position] = credit
    return credits


def credited_speakers(draft: Draft, credits: Mapping[int, Attribution]) -> dict[str, Level]:
    """Return each credited speaker's highest level: name beats descriptor."""
    levels: dict[str, Level] = {}
    for position, credit in credits.items():
        handle = draft.items[position].speaker or ""
        if levels.get(handle) is not Level.NAME:
            levels[handle] = credit.level
    return levels


def log_credit(
    draft: Draft, item: Item, consent: Consent | None, credit: Attribution | None, log: Log
) -> None:
    """Record how a statement is credited, and why not when it is not."""
    if credit is not None:
        action = f"credited by {credit.level}"
        log.changes.append(Change("2 credit", item.id, action, credit.text))
        return
    speaker = draft.speaker(item.speaker or "")
    if speaker is None:
        log.warn("unknown-speaker", item.id, f"the statement's speaker @{item.speaker} is unknown")
        reason = "unknown speaker"
    elif consent is None or consent.speaker != speaker.handle:
        reason = "no decision"
    elif consent.decision != "granted":
        reason = str(consent.decision)
    else:
        reason = "wording changed since consent or nothing to show"
    log.changes.append(Change("2 credit", item.id, f"shown without a speaker ({reason})"))
