"""Consent to be credited for one statement, bound to the statement's wording."""

from __future__ import annotations

import hashlib
import re
import unicodedata
from collections.abc import Collection, Iterable, Mapping
from dataclasses import dataclass
from enum import StrEnum

from notes_app.domain import limits
from notes_app.domain.textmatch import find_contacts


class Decision(StrEnum):
    GRANTED = "granted"
    DECLINED = "declined"
    WITHDRAWN = "withdrawn"


class Level(StrEnum):
    NAME = "name"
    DESCRIPTOR = "descriptor"


class Channel(StrEnum):
    ACCOUNT = "account"
    LINK = "link"
    ON_BEHALF = "on_behalf"


def wording_hash(body: str) -> str:
    """Hash a statement's wording; whitespace differences do not count as a change."""
    canonical = " ".join(unicodedata.normalize("NFC", body).split())
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


@dataclass(frozen=True)
class Consent:
    """The latest decision a speaker made about one statement."""

    item_id: str
    speaker: str
    decision: Decision
    wording_hash: str
    level: Level | None = None
    label: str = ""


@dataclass(frozen=True)
class Attribution:
    """How a statement is credited in what members see."""

    level: Level
    text: str


def attribution(consent: Consent | None, body: str, descriptor: str) -> Attribution | None:
    """Return the credit a statement may carry now, or None when it carries no speaker."""
    if consent is None or consent.decision is not Decision.GRANTED:
        return None
    if consent.wording_hash != wording_hash(body):
        return None
    if consent.level is Level.NAME and consent.label.strip():
        return Attribution(Level.NAME, consent.label.strip())
    if consent.level is Level.DESCRIPTOR and descriptor.strip():
        # A grant records the descriptor agreed to: edited since, it needs a new decision. A
        # grant that records none (made before descriptors were kept) agreed to no words, so
        # it credits nobody: the descriptor may have been written or changed since.
        if consent.label.strip() != descriptor.strip():
            return None
        return Attribution(Level.DESCRIPTOR, descriptor.strip())
    return None


def current_consents(
    ledger: Iterable[Consent], speakers: Mapping[str, str | None] | None = None
) -> dict[str, Consent]:
    """Derive each statement's current decision from the ledger, oldest entry first.

    With `speakers` (each statement's speaker in the draft at hand), only the decisions of a
    statement's own speaker count: one speaker's withdrawal never cancels another's grant.
    """
    current: dict[str, Consent] = {}
    for entry in ledger:
        if speakers is None or speakers.get(entry.item_id) == entry.speaker:
            current[entry.item_id] = entry
    return current


class State(StrEnum):
    """Where a statement stands, as a speaker or facilitator reads it."""

    UNDECIDED = "undecided"
    GRANTED = "granted"
    DECLINED = "declined"
    WITHDRAWN = "withdrawn"
    # Granted for a wording that has since changed: no credit until the speaker decides again.
    STALE = "stale"


@dataclass(frozen=True)
class StatementConsent:
    """A statement's current consent: its state, the entry it comes from, and its credit."""

    state: State
    latest: Consent | None = None
    credit: Attribution | None = None

    @property
    def choice(self) -> Level | None:
        """The credit the speaker chose and that still stands, or None for no credit."""
        return self.latest.level if self.state is State.GRANTED and self.latest else None


def statement_consent(
    ledger: Iterable[Consent], item_id: str, speaker: str, body: str, descriptor: str = ""
) -> StatementConsent:
    """Derive one statement's consent from the ledger (oldest first) and its wording now.

    Only the statement's own speaker's decisions count; the latest one wins. A grant for an
    earlier wording is stale.
    """
    latest = None
    for entry in ledger:
        if entry.item_id == item_id and entry.speaker == speaker:
            latest = entry
    if latest is None:
        return StatementConsent(State.UNDECIDED)
    if latest.decision is not Decision.GRANTED:
        return StatementConsent(State(latest.decision.value), latest)
    if latest.wording_hash != wording_hash(body):
        return StatementConsent(State.STALE, latest)
    return StatementConsent(State.GRANTED, latest, attribution(latest, body, descriptor))


def decision_for(now: StatementConsent, choice: Level | None, label: str = "") -> Decision | None:
    """Turn a speaker's choice into the decision to record, or None when nothing changes.

    Choosing no credit after a standing grant withdraws it; otherwise it declines. Choosing a
    credit grants it again whenever the standing grant differs (stale, other level or label).
    """
    if choice is None:
        if now.state is State.GRANTED:
            return Decision.WITHDRAWN
        if now.state in (State.DECLINED, State.WITHDRAWN):
            return None
        return Decision.DECLINED
    standing = now.latest if now.state is State.GRANTED else None
    if standing and standing.level is choice:
        # A descriptor grant stands while it still credits (the descriptor agreed is shown).
        unchanged = (
            now.credit is not None if choice is Level.DESCRIPTOR else standing.label == label
        )
        return None if unchanged else Decision.GRANTED
    return Decision.GRANTED


# Where a speaker chose "don't credit me" on a statement: a credit for all statements leaves it.
DONT_CREDIT = frozenset({State.DECLINED, State.WITHDRAWN})


def resolve_choices(
    item_ids: Iterable[str],
    per_statement: Mapping[str, Level | None],
    everything: Level | None,
    *,
    everything_chosen: bool,
    declined: Collection[str] = (),
) -> dict[str, Level | None]:
    """Combine one submission's choices: a choice made on a statement always wins over the
    choice for all statements, which applies to every statement left without one.

    `per_statement` holds only the statements the speaker chose something for (None: don't
    credit); a statement with neither keeps its decision and is left out of the result.
    A "don't credit me" standing on a statement (`declined`: the statements declined or
    withdrawn) was a choice on that statement too, made before: a credit for all statements
    does not override it, only a choice on that statement does. No credit for all statements
    applies to every statement.
    """
    resolved: dict[str, Level | None] = {}
    for item_id in item_ids:
        if item_id in per_statement:
            resolved[item_id] = per_statement[item_id]
        elif everything_chosen and (everything is None or item_id not in declined):
            resolved[item_id] = everything
    return resolved


# Labels and descriptors are short plain text: they are printed beside statements in the
# notes and their emails, so they can carry no link, no markup and no second line.
# A label or descriptor a speaker types: the lengths are the product's limits.
CREDIT_LIMITS = {"label": limits.SPEAKER_LABEL, "descriptor": limits.SPEAKER_DESCRIPTOR}
CREDIT_TEXT_MAX = min(limit.characters for limit in CREDIT_LIMITS.values())
_LINK = re.compile(
    r"[a-z][a-z0-9+.-]*:/{0,2}\S"  # a scheme: https://, mailto:, javascript:
    r"|\bwww\."
    r"|@"
    r"|\b[a-z0-9-]+(?:\.[a-z0-9-]+)*\.[a-z]{2,}\b",  # a bare domain: example.org
    re.IGNORECASE,
)
_MARKUP = frozenset("<>[]*_`")


def credit_text_problem(text: str, what: str) -> str | None:
    """Say what is wrong with a label or descriptor a speaker typed, or None when it may be used.

    `what` names the field in the message ("label", "descriptor").
    """
    too_long = CREDIT_LIMITS[what].problem(text)
    if too_long is not None:
        return too_long
    if any(c in "\r\n\u2028\u2029" for c in text):
        return f"Write your {what} on one line."
    if any(unicodedata.category(c) in ("Cc", "Cf") for c in text):
        return f"Your {what} contains hidden characters: type it again as plain text."
    if any(c in _MARKUP for c in text):
        return f"Your {what} is plain text: leave out < > [ ] * _ and backticks."
    if _LINK.search(text):
        return f"Your {what} cannot contain a link, a web address or an email address."
    if find_contacts(text):  # a phone number, or an address spelt out ("robin at ... dot org")
        return f"Your {what} cannot contain a phone number or an email address."
    return None
