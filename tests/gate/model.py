"""What a corpus case says: who spoke, what was written, and what must never be shown."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

import yaml

PARTICLES = frozenset(
    [
        "van",
        "der",
        "den",
        "de",
        "la",
        "le",
        "du",
        "da",
        "di",
        "von",
        "ter",
        "ten",
        "dos",
        "del",
        "bin",
        "al",
    ]
)
HONORIFICS = frozenset(["dr", "mr", "mrs", "ms", "mx", "prof", "professor", "sir", "dame"])
FILLER = "Members talked about how to run open sessions with residents."


@dataclass(frozen=True)
class Person:
    handle: str
    name: str
    organisation: str = ""
    role: str = ""
    email: str = ""
    aliases: tuple[str, ...] = ()
    descriptor: str = ""
    # Further forms that identify them (an organisation's distinctive part, its acronym...).
    forms: tuple[str, ...] = ()

    def name_parts(self) -> list[str]:
        parts = []
        for word in re.split(r"[\s\-]+", self.name):
            if word.casefold().strip(".") in PARTICLES | HONORIFICS or len(word) < 3:
                continue
            parts.append(word)
            for apostrophe in ("'", "\u2019"):
                if apostrophe in word:
                    parts.append(word.split(apostrophe, 1)[1])
        return parts

    def protected(self, *, descriptor: bool) -> list[str]:
        """Every form DESIGN.md rule 3 protects for a speaker who may not be named."""
        found = [self.name, *self.name_parts(), *self.aliases, *self.forms]
        if self.email:
            local, _, domain = self.email.partition("@")
            found += [self.email, local, domain]
        found += [self.organisation, self.role]
        if descriptor:
            found.append(self.descriptor)
        return [f for f in dict.fromkeys(found) if f.strip()]

    def front_matter(self) -> dict:
        data = {"handle": self.handle, "name": self.name}
        for key in ("organisation", "role", "email", "descriptor"):
            if getattr(self, key):
                data[key] = getattr(self, key)
        if self.aliases:
            data["aliases"] = list(self.aliases)
        return data


@dataclass(frozen=True)
class Decision:
    """A consent a facilitator records on a speaker's behalf."""

    handle: str
    decision: str = "granted"  # granted | declined | withdrawn
    level: str | None = "name"  # name | descriptor (grants only)
    statement: int | None = None  # which of their statements (0 first); None: all of them
    label: str | None = None


@dataclass(frozen=True)
class Case:
    name: str
    category: str
    body: str
    speakers: tuple[Person, ...] = ()
    canaries: tuple[str, ...] = ()
    # The speaker who said the canaries: their own consent page may show them their words.
    canaries_owner: str | None = None
    terms: tuple[str, ...] = ()
    network_terms: tuple[str, ...] = ()
    title: str = "Monthly meeting"
    description: str = ""
    topics: tuple[str, ...] = ()
    event_post: str | None = None  # the meeting comes from this event post instead
    consents: tuple[Decision, ...] = ()
    # Re-imported after the consents were recorded (a statement edited after consent).
    body_after_consent: str | None = None
    expect: str | None = None  # "published" | "refused" | None: either, as long as nothing leaks
    accept_warnings: bool = True  # a facilitator may confirm the warnings and publish
    must_show: tuple[str, ...] = ()
    # (handle, statement number, texts that statement must not carry in its published item)
    item_checks: tuple[tuple[str, int, tuple[str, ...]], ...] = ()
    known_gap: str | None = None
    protect_speakers: bool = True  # add every protected form of speakers who may not be named
    extra: dict = field(default_factory=dict)

    def notes_file(self, body: str | None = None) -> str:
        front: dict = {}
        if self.speakers:
            front["speakers"] = [s.front_matter() for s in self.speakers]
        if self.terms:
            front["terms"] = list(self.terms)
        header = yaml.safe_dump(front, allow_unicode=True, sort_keys=False) if front else ""
        text = f"# Discussion\n\n{FILLER}\n\n{body if body is not None else self.body}\n"
        return f"---\n{header}---\n\n{text}" if header else text

    def named(self) -> set[str]:
        return {d.handle for d in self.consents if d.decision == "granted" and d.level == "name"}

    def described(self) -> set[str]:
        return {
            d.handle for d in self.consents if d.decision == "granted" and d.level == "descriptor"
        }

    def all_canaries(self) -> list[tuple[str, str | None]]:
        """Each canary with the speaker it belongs to (None: nobody may see it)."""
        found = [(c, self.canaries_owner) for c in self.canaries]
        found += [(t, None) for t in (*self.terms, *self.network_terms)]
        if self.protect_speakers:
            for person in self.speakers:
                if person.handle in self.named():
                    continue
                forms = person.protected(descriptor=person.handle not in self.described())
                found += [(form, person.handle) for form in forms]
        return list(dict.fromkeys(found))
