"""Rule 3: the protected terms of a meeting, what replaces each, and finding them in a text."""

from __future__ import annotations

import itertools
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from functools import lru_cache

from notes_app.domain import markers
from notes_app.domain.canonical import canonical, canonical_draft
from notes_app.domain.consent import Attribution, Consent, Level
from notes_app.domain.event_post import announced_speakers, announcing, attendance_people
from notes_app.domain.identity import (
    declined_forms,
    derived_forms,
    name_forms,
    name_letters,
    ordinary_name_word,
    ordinary_word,
    short_forms,
    term_forms,
)
from notes_app.domain.notes import Draft, Speaker
from notes_app.domain.redaction.credits import credit_statements, credited_speakers
from notes_app.domain.redaction.report import Change, Log
from notes_app.domain.textmatch import (
    TOKEN,
    Decoded,
    Hit,
    Matcher,
    Pattern,
    Status,
    best_matches,
    contact_key,
    find_contacts,
    skeleton,
    words,
)

A_PARTICIPANT = "a participant"
AN_ORGANISATION = "an organisation"
REDACTED = "[redacted]"
EMAIL_REMOVED = "[email removed]"
PHONE_REMOVED = "[phone removed]"


class TermKind(StrEnum):
    NAME = "name"
    ALIAS = "alias"
    EMAIL = "email"
    PHONE = "phone"
    ORGANISATION = "organisation"
    ROLE = "role"
    TERM = "term"
    SHORT = "short form"  # of a given name (`Pris`): a name only where used as one


@dataclass(frozen=True)
class ProtectedTerm:
    """Text members must not see, and what replaces it."""

    text: str
    kind: TermKind
    replacement: str
    speaker: str | None = None  # the handle, for a speaker's terms
    # A short or common word (a name part such as "Example"): only replaced when capitalised.
    ambiguous: bool = False
    # For a person's name or alias: the letters their initials may be written with (`A. Lee`
    # but not the `A.` of `plan A. Will said`), see `textmatch.initial_before`.
    initials: frozenset[str] | None = field(default=None, compare=False)
    # For a declined stem (`Анн` of `Анна`): the endings it stands with (`textmatch.Pattern`).
    endings: frozenset[str] = frozenset()

    def describe(self) -> str:
        """Say what the term is without quoting it."""
        return f"{self.kind} of @{self.speaker}" if self.speaker else f"extra {self.kind}"


@dataclass(frozen=True)
class Match:
    """Where a protected term occurs in a text."""

    term: ProtectedTerm
    start: int
    end: int
    text: str


def protected_terms(
    draft: Draft, consents: Mapping[str, Consent], network_terms: Sequence[str] = ()
) -> list[ProtectedTerm]:
    """List every term that members must not see in this meeting's notes or comments."""
    draft = markers.under_confidential_headings(draft)
    log = Log()
    inputs = canonical_inputs(draft, credit_statements(draft, consents), network_terms, log)
    return collect_terms(*inputs, log)


def canonical_inputs(
    draft: Draft, credits: Mapping[int, Attribution], terms: Sequence[str], log: Log
) -> tuple[Draft, dict[int, Attribution], list[str]]:
    """Remove hidden characters from every text before redaction, and report it (rule 4)."""
    draft, changes = canonical_draft(draft)
    log.changes += [Change("4 canonical text", where, what) for where, what in changes]
    credits = {at: Attribution(c.level, canonical(c.text)[0]) for at, c in credits.items()}
    return draft, credits, [canonical(term)[0] for term in terms]


def find_terms(
    text: str, terms: Sequence[ProtectedTerm], *, contacts: Iterable[str] | None = None
) -> list[Match]:
    """Find protected terms in a text (for example a comment), however they are disguised.

    With `contacts` (the allow-list, often empty), every email address and phone number not
    on it counts too, as the term of nobody it is (kind `email` or `phone`).
    """
    decoded = Decoded(text)
    found = [] if contacts is None else _contact_matches(decoded, set(map(contact_key, contacts)))
    # Nobody confirms a warning on a comment: a capitalised ordinary word counts (fail closed).
    hits = [
        Hit(h.pattern, h.start, h.end, Status.MATCH) if h.status is Status.CAPITALISED else h
        for h in _term_matcher(tuple(terms)).scan(decoded.text)
    ]
    for hit in best_matches(hits):
        start, end = decoded.to_source(hit.start, hit.end)
        found.append(Match(hit.pattern.key, start, end, text[start:end]))
    return found


def _contact_matches(decoded: Decoded, allowed: set[str]) -> list[Match]:
    """The email addresses and phone numbers of a text that are not allow-listed."""
    found = []
    for start, end, kind in find_contacts(decoded.text):
        if contact_key(decoded.text[start:end]) in allowed:
            continue
        start, end = decoded.to_source(start, end)
        shown = decoded.source[start:end]
        term = ProtectedTerm(
            shown, TermKind(kind), EMAIL_REMOVED if kind == "email" else PHONE_REMOVED
        )
        found.append(Match(term, start, end, shown))
    return found


@lru_cache(maxsize=32)
def _term_matcher(terms: tuple[ProtectedTerm, ...]) -> Matcher:
    """Build (once per term list) a matcher for protected terms."""
    return Matcher([term_pattern(t) for t in terms])


def term_pattern(term: ProtectedTerm, *, near: bool = False) -> Pattern:
    """The pattern that finds a protected term (`near`: also inside longer words, which a
    declined stem never is)."""
    return Pattern(
        term.text,
        term,
        term.ambiguous,
        near=near and not term.endings,
        person=term.kind in PERSON_KINDS,
        initials=term.initials,
        endings=term.endings,
        cased=term.kind in (TermKind.SHORT, TermKind.ALIAS),  # a name the notes gave, capitalised
    )


def collect_terms(
    draft: Draft, credits: Mapping[int, Attribution], extra: Sequence[str], log: Log
) -> list[ProtectedTerm]:
    """Collect speakers' terms (unless they may be named) and the extra terms."""
    levels = credited_speakers(draft, credits)
    found: list[ProtectedTerm] = []
    for speaker in draft.speakers:
        if levels.get(speaker.handle) is Level.NAME:
            continue
        described = levels.get(speaker.handle) is Level.DESCRIPTOR
        found.extend(_speaker_terms(speaker, described, log))
    # Whom the event post announced, and whom the notes list as there (rule 9): every form of
    # them, as of a speaker who may not be named.
    for person in (*draft.announced, *listed_present(draft)):
        found.extend(_speaker_terms(person, False, log, REDACTED))
    for text in (*draft.terms, *extra):
        if skeleton(text):
            found.append(ProtectedTerm(text.strip(), TermKind.TERM, REDACTED))
            # Its distinctive words alone too (`Kestrel` of `Project Kestrel`).
            found += [
                ProtectedTerm(part, TermKind.TERM, REDACTED, ambiguous=is_vague(part))
                for part in term_forms(text)
            ]
    # A word spelt like someone's name is replaced as a name (`Berg` of `Van der Berg Housing`).
    names = {skeleton(t.text) for t in found if t.kind is TermKind.NAME}
    found = [
        t for t in found if t.kind is not TermKind.ORGANISATION or skeleton(t.text) not in names
    ]
    return list(dict.fromkeys(found))


LISTED_HANDLE = "listed:{}"  # a handle no speaker can have


def listed_present(draft: Draft) -> tuple[Speaker, ...]:
    """The people the notes list as there ("Present:", "Apologies:", "Attendees:" and a list)
    who are not speakers of the meeting: no list of participants is shown (DESIGN.md rule 9)
    but the speakers credited by consent."""
    items = [item for item in draft.items if not item.confidential]
    people = attendance_people("\n\n".join(item.body for item in items))
    # Speakers the notes announce as an event post would ("Our speakers were A (Org) and B",
    # "Chaired by A of Org", "Speakers:" and a list), read only where a word of it stands.
    if announcing("\n\n".join(item.body for item in items)):
        cued: list[str] = []
        for n, item in enumerate(items):
            if announcing(item.body):
                cued.append(item.body)
                following = items[n + 1 : n + 21]
                cued += [b.body for b in itertools.takewhile(lambda i: i.bullet, following)]
        people += announced_speakers({}, "\n\n".join(cued))
    if not people:
        return ()
    declared = {skeleton(t) for s in draft.speakers for t in (s.name, *s.aliases)}
    return tuple(
        Speaker(LISTED_HANDLE.format(n), p.name, organisation=p.organisation, role=p.role)
        for n, p in enumerate(people, start=1)
        if skeleton(p.name) not in declared
    )


def _speaker_terms(
    speaker: Speaker, described: bool, log: Log, uncredited: str = A_PARTICIPANT
) -> list[ProtectedTerm]:
    """List one speaker's protected terms, replaced by their descriptor if they consented, or
    else by `uncredited` (an organisation by "an organisation")."""
    replacement = speaker.descriptor.strip() if described else ""
    replacement = replacement or uncredited
    candidates = [(speaker.name, TermKind.NAME)]
    candidates += [(part, TermKind.NAME) for part in name_parts(speaker.name)]
    candidates += [(alias, TermKind.ALIAS) for alias in speaker.aliases]
    candidates += [(short, TermKind.SHORT) for short in short_forms(speaker.name)]
    # The handle is a name too, often the speaker's initials (`@tbk`, `@qv`); not one the
    # product made.
    handle = skeleton(speaker.handle)
    # (Initials match only in capitals, so a handle made of them is kept as itself.)
    known = {skeleton(text) for text, _ in candidates if "." not in text}
    if len(handle) >= 2 and ":" not in speaker.handle and handle not in known:
        candidates.append((speaker.handle, TermKind.ALIAS))
    candidates += [(speaker.organisation, TermKind.ORGANISATION)]
    candidates = [(text, kind) for text, kind in candidates if skeleton(text)]
    # The other forms that identify them, derived in one place (`identity`).
    seen = {skeleton(text) for text, _ in candidates}
    derived = []
    for form in derived_forms(speaker.organisation, speaker.email, speaker.role, speaker.links):
        if skeleton(form.text) and skeleton(form.text) not in seen:
            seen.add(skeleton(form.text))
            derived.append(form)
    candidates += [(form.text, TermKind(form.kind)) for form in derived]
    replacements = [replacement] * (len(candidates) - len(derived))
    replacements += [form.replacement or replacement for form in derived]
    # An organisation reads as one ("at an organisation"), whoever the speaker is.
    replacements = [
        AN_ORGANISATION if kind is TermKind.ORGANISATION and text == replacement else text
        for text, (_, kind) in zip(replacements, candidates, strict=True)
    ]
    forced = [False] * (len(candidates) - len(derived)) + [form.ambiguous for form in derived]
    # The speaker agreed to show their descriptor, so what it says is not protected.
    shown = _shown_in(replacement, [text for text, _ in candidates]) if described else set()
    letters = name_letters(speaker.name, *speaker.aliases)
    terms = []
    for index, (text, kind) in enumerate(candidates):
        if index in shown:
            log.warn("descriptor", "", f"the descriptor of @{speaker.handle} names their {kind}")
        else:
            person = kind in PERSON_KINDS
            vague = forced[index] or kind is TermKind.SHORT or is_vague(text, person=person)
            initials = letters if kind in PERSON_KINDS else None
            terms.append(
                ProtectedTerm(
                    text.strip(), kind, replacements[index], speaker.handle, vague, initials
                )
            )
    # Each word of the name in the other cases of a sentence (`Анну`, `Virtaselle`).
    terms += [
        ProtectedTerm(stem, TermKind.NAME, replacement, speaker.handle, False, letters, endings)
        for stem, endings in declined_forms(speaker.name)
    ]
    if speaker.email.strip():
        terms.append(
            ProtectedTerm(speaker.email.strip(), TermKind.EMAIL, EMAIL_REMOVED, speaker.handle)
        )
    return terms


def own_terms(draft: Draft, credits: Mapping[int, Attribution]) -> dict[str, list[ProtectedTerm]]:
    """For each credited speaker, everything that identifies them, as if they were credited
    nowhere: a credit on one statement must not tie them to one they did not agree to (rule 2),
    so in their own uncredited statements they are "a participant", never their descriptor, and
    their name, organisation and role do not stay because they are named elsewhere."""
    found = {}
    for handle in credited_speakers(draft, credits):
        speaker = draft.speaker(handle)
        if speaker is None:
            continue
        terms = _speaker_terms(speaker, False, Log())
        if skeleton(speaker.role):
            role = speaker.role.strip()
            terms.append(ProtectedTerm(role, TermKind.ROLE, A_PARTICIPANT, handle, is_vague(role)))
        found[handle] = terms
    return found


def named_shields(draft: Draft, credits: Mapping[int, Attribution]) -> list[str]:
    """The full names and aliases of speakers credited by name, that may be shown whole even
    where another speaker shares a part of them (as the scrubber's shield keeps them)."""
    levels = credited_speakers(draft, credits)
    found = []
    for speaker in draft.speakers:
        if levels.get(speaker.handle) is Level.NAME:
            for text in (speaker.name, *speaker.aliases):
                if skeleton(text) and not is_vague(text) and text not in name_parts(speaker.name):
                    found.append(text.strip())
    return found


def name_parts(name: str) -> list[str]:
    """The forms of a name that identify, besides the whole name (`identity.name_forms`)."""
    return name_forms(name)


# The kinds of term that are a person's name, and read as one (`textmatch.name_use`).
PERSON_KINDS = frozenset({TermKind.NAME, TermKind.ALIAS, TermKind.SHORT})


def is_vague(text: str, *, person: bool = False) -> bool:
    """Tell whether a one-word term is too short to be sure of or is also an ordinary word, so
    that it counts only where it is used as a name (rule 6); for a part of a person's name
    (`person`), an ordinary word of the smaller dictionary (`kim` is a name anywhere)."""
    one_word = len(TOKEN.findall(text)) == 1
    ordinary = ordinary_name_word if person else ordinary_word
    return one_word and (len(skeleton(text)) <= 2 or ordinary(text))


def _shown_in(text: str, terms: Sequence[str]) -> set[int]:
    """Return the indexes of the terms that occur (as whole words) in a text."""
    vocabulary = set(words(text))
    # Only a term whose every word is in the text can occur in it; look closer at those.
    maybe = [(i, term) for i, term in enumerate(terms) if set(words(term)) <= vocabulary]
    if not maybe:
        return set()
    hits = Matcher([Pattern(term, index) for index, term in maybe]).scan(text)
    return {hit.pattern.key for hit in hits if hit.status is Status.MATCH}
