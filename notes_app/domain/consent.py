"""Consent to be credited for one statement, bound to the statement's wording."""

from __future__ import annotations

import hashlib
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum


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
        return Attribution(Level.DESCRIPTOR, descriptor.strip())
    return None


def current_consents(ledger: Iterable[Consent]) -> dict[str, Consent]:
    """Derive each statement's current decision from the ledger, oldest entry first."""
    current: dict[str, Consent] = {}
    for entry in ledger:
        current[entry.item_id] = entry
    return current
