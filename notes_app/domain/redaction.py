"""Redaction: turn a draft into the notes members see, and report every change and why.

`redact` is a pure function of the draft, the consents and the term lists (DESIGN.md, "Redaction:
what members see"). It works in this order, so that nothing is rendered before it is redacted:

1. decide each statement's credit from its consent (rule 2) and which speakers may be named;
2. drop confidential items and cut confidential spans out of the Markdown (rule 1);
3. replace protected terms, email addresses and phone numbers in the Markdown (rule 3, 4);
4. render everything once with `rendering.render_markdown`;
5. check the final HTML again, failing closed (rule 5), and collect warnings (rule 6).

The report never quotes confidential text or protected terms: it says which rule, which item,
what was done and what was put in its place, so it can be stored and shown to facilitators.
"""

from __future__ import annotations

import re
import unicodedata
from bisect import bisect_right
from collections.abc import Callable, Hashable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from functools import lru_cache
from html import unescape
from itertools import accumulate
from urllib.parse import unquote_plus

from notes_app.domain import markers
from notes_app.domain.canonical import canonical, canonical_draft, strip_hidden
from notes_app.domain.consent import Attribution, Consent, Level, attribution
from notes_app.domain.identity import derived_forms
from notes_app.domain.notes import Draft, Item, ItemKind, Speaker
from notes_app.domain.notes_format import is_list
from notes_app.domain.raw_html import MARKUP, strip_raw_html
from notes_app.domain.rendering import render_markdown_parts
from notes_app.domain.textmatch import (
    COMMON_WORDS,
    TOKEN,
    Decoded,
    Hit,
    Matcher,
    Pattern,
    Status,
    best_matches,
    contact_key,
    find_contacts,
    fold,
    skeleton,
    words,
)

A_PARTICIPANT = "a participant"
REDACTED = "[redacted]"
EMAIL_REMOVED = "[email removed]"
PHONE_REMOVED = "[phone removed]"
_HONORIFIC_WORDS = "dr mr mrs ms mx miss prof professor sir dame lord lady rev revd cllr"
_HONORIFICS = frozenset(_HONORIFIC_WORDS.split())


class TermKind(StrEnum):
    NAME = "name"
    ALIAS = "alias"
    EMAIL = "email"
    ORGANISATION = "organisation"
    ROLE = "role"
    TERM = "term"


@dataclass(frozen=True)
class ProtectedTerm:
    """Text members must not see, and what replaces it."""

    text: str
    kind: TermKind
    replacement: str
    speaker: str | None = None  # the handle, for a speaker's terms
    # A short or common word (a name part such as "Example"): only replaced when capitalised.
    ambiguous: bool = False

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


@dataclass(frozen=True)
class RedactionOptions:
    """Settings for one redaction."""

    # Email addresses and phone numbers that may stay (for example the network's own address).
    allowed_contacts: frozenset[str] = frozenset()
    # This many consecutive words from a confidential text count as a copy of it.
    run_words: int = 6
    # A word this long that occurs only in confidential text identifies it on its own.
    distinctive_length: int = 5


@dataclass(frozen=True)
class PublishedItem:
    """One item as members see it; `markdown` and `html` include the heading or credit."""

    id: str
    kind: ItemKind
    level: int
    bullet: bool
    body: str
    attribution: Attribution | None
    markdown: str
    html: str


@dataclass(frozen=True)
class Published:
    """The redacted notes: the items, and the whole as Markdown and as sanitised HTML."""

    items: tuple[PublishedItem, ...]
    markdown: str
    html: str


@dataclass(frozen=True)
class Change:
    """One change redaction made: under which rule, where, what, and what replaced it."""

    rule: str
    item_id: str
    action: str
    replacement: str = ""


@dataclass(frozen=True)
class ReportWarning:
    """Something a facilitator must look at and confirm before publishing."""

    kind: str
    item_id: str
    message: str


@dataclass(frozen=True)
class Leak:
    """Protected or confidential text found in the final HTML: publication is refused."""

    kind: str
    what: str
    item_id: str
    view: str
    normal_form: str


@dataclass(frozen=True)
class Report:
    """What redaction did and found; for facilitators only."""

    changes: tuple[Change, ...] = ()
    warnings: tuple[ReportWarning, ...] = ()
    checks: tuple[str, ...] = ()
    leaks: tuple[Leak, ...] = ()

    @property
    def ok(self) -> bool:
        return not self.leaks


@dataclass
class _Log:
    """Collects the report while redaction runs, without duplicates."""

    changes: list[Change] = field(default_factory=list)
    warnings: dict[ReportWarning, None] = field(default_factory=dict)
    checks: list[str] = field(default_factory=list)
    leaks: dict[Leak, None] = field(default_factory=dict)

    def warn(self, kind: str, item_id: str, message: str) -> None:
        self.warnings[ReportWarning(kind, item_id, message)] = None

    def report(self) -> Report:
        return Report(
            tuple(self.changes), tuple(self.warnings), tuple(self.checks), tuple(self.leaks)
        )


# --- the whole ------------------------------------------------------------------------------


def redact(
    draft: Draft,
    consents: Mapping[str, Consent],
    terms: Sequence[str] = (),
    options: RedactionOptions = RedactionOptions(),  # noqa: B008 (immutable)
) -> tuple[Published, Report]:
    """Redact a draft for members; the report's `ok` is False when publication must be refused."""
    log = _Log()
    # Everything under a confidential heading is confidential from here on (rule 1).
    draft = markers.under_confidential_headings(draft)
    credits = credit_statements(draft, consents)  # consent binds to the wording as written
    draft, credits, terms = _canonical_inputs(draft, credits, terms, log)
    protected = _protected_terms(draft, credits, terms, log)
    scrubber = _Scrubber(draft, credits, protected, options)
    splits = [split_spans(item.body) for item in draft.items]
    own = _own_scrubbers(draft, credits, options)
    prepared = _prepare_items(draft, splits, consents, credits, scrubber, own, log)
    fragments = render_markdown_parts([entry.markdown for entry in prepared])
    items = tuple(entry.publish(html) for entry, html in zip(prepared, fragments, strict=True))
    whole_html, starts = _join_html(items)
    published = Published(items, _join_markdown(items), whole_html)
    confidential = _confidential_texts(draft, splits, scrubber)
    references = _public_references(draft, splits)
    vocabulary = _vocabulary(references, credits, protected)
    checker = _FinalCheck(protected, confidential, vocabulary, references, options)
    checker.run(published, starts, log)
    return published, log.report()


def protected_terms(
    draft: Draft, consents: Mapping[str, Consent], network_terms: Sequence[str] = ()
) -> list[ProtectedTerm]:
    """List every term that members must not see in this meeting's notes or comments."""
    draft = markers.under_confidential_headings(draft)
    log = _Log()
    inputs = _canonical_inputs(draft, credit_statements(draft, consents), network_terms, log)
    return _protected_terms(*inputs, log)


def _canonical_inputs(
    draft: Draft, credits: Mapping[int, Attribution], terms: Sequence[str], log: _Log
) -> tuple[Draft, dict[int, Attribution], list[str]]:
    """Remove hidden characters from every text before redaction, and report it (rule 4)."""
    draft, changes = canonical_draft(draft)
    log.changes += [Change("4 canonical text", where, what) for where, what in changes]
    credits = {at: Attribution(c.level, canonical(c.text)[0]) for at, c in credits.items()}
    return draft, credits, [canonical(term)[0] for term in terms]


def find_terms(text: str, terms: Sequence[ProtectedTerm]) -> list[Match]:
    """Find protected terms in a text (for example a comment), however they are disguised."""
    decoded = Decoded(text)
    found = []
    for hit in best_matches(_term_matcher(tuple(terms)).scan(decoded.text)):
        start, end = decoded.to_source(hit.start, hit.end)
        found.append(Match(hit.pattern.key, start, end, text[start:end]))
    return found


@lru_cache(maxsize=32)
def _term_matcher(terms: tuple[ProtectedTerm, ...]) -> Matcher:
    """Build (once per term list) a matcher for protected terms."""
    return Matcher([Pattern(t.text, t, t.ambiguous) for t in terms])


# --- rule 2: credit -------------------------------------------------------------------------


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


def _credited_speakers(draft: Draft, credits: Mapping[int, Attribution]) -> dict[str, Level]:
    """Return each credited speaker's highest level: name beats descriptor."""
    levels: dict[str, Level] = {}
    for position, credit in credits.items():
        handle = draft.items[position].speaker or ""
        if levels.get(handle) is not Level.NAME:
            levels[handle] = credit.level
    return levels


# --- rule 3: protected terms ----------------------------------------------------------------


def _protected_terms(
    draft: Draft, credits: Mapping[int, Attribution], extra: Sequence[str], log: _Log
) -> list[ProtectedTerm]:
    """Collect speakers' terms (unless they may be named) and the extra terms."""
    levels = _credited_speakers(draft, credits)
    found: list[ProtectedTerm] = []
    for speaker in draft.speakers:
        if levels.get(speaker.handle) is Level.NAME:
            continue
        described = levels.get(speaker.handle) is Level.DESCRIPTOR
        found.extend(_speaker_terms(speaker, described, log))
    for text in (*draft.terms, *extra):
        if skeleton(text):
            found.append(ProtectedTerm(text.strip(), TermKind.TERM, REDACTED))
    return list(dict.fromkeys(found))


def _speaker_terms(speaker: Speaker, described: bool, log: _Log) -> list[ProtectedTerm]:
    """List one speaker's protected terms, replaced by their descriptor if they consented."""
    replacement = speaker.descriptor.strip() if described else ""
    replacement = replacement or A_PARTICIPANT
    candidates = [(speaker.name, TermKind.NAME)]
    candidates += [(part, TermKind.NAME) for part in name_parts(speaker.name)]
    candidates += [(alias, TermKind.ALIAS) for alias in speaker.aliases]
    candidates += [(speaker.organisation, TermKind.ORGANISATION)]
    candidates = [(text, kind) for text, kind in candidates if skeleton(text)]
    # The other forms that identify them, derived in one place (`identity`).
    seen = {skeleton(text) for text, _ in candidates}
    derived = []
    for form in derived_forms(speaker.organisation, speaker.email, speaker.role):
        if skeleton(form.text) and skeleton(form.text) not in seen:
            seen.add(skeleton(form.text))
            derived.append(form)
    candidates += [(form.text, TermKind(form.kind)) for form in derived]
    replacements = [replacement] * (len(candidates) - len(derived))
    replacements += [form.replacement or replacement for form in derived]
    forced = [False] * (len(candidates) - len(derived)) + [form.ambiguous for form in derived]
    # The speaker agreed to show their descriptor, so what it says is not protected.
    shown = _shown_in(replacement, [text for text, _ in candidates]) if described else set()
    terms = []
    for index, (text, kind) in enumerate(candidates):
        if index in shown:
            log.warn("descriptor", "", f"the descriptor of @{speaker.handle} names their {kind}")
        else:
            vague = forced[index] or _vague(text)
            terms.append(
                ProtectedTerm(text.strip(), kind, replacements[index], speaker.handle, vague)
            )
    if speaker.email.strip():
        terms.append(
            ProtectedTerm(speaker.email.strip(), TermKind.EMAIL, EMAIL_REMOVED, speaker.handle)
        )
    return terms


def _own_scrubbers(
    draft: Draft, credits: Mapping[int, Attribution], options: RedactionOptions
) -> dict[str, _Scrubber]:
    """For each credited speaker, a scrubber of everything that identifies them, as if they were
    credited nowhere: a credit on one statement must not tie them to one they did not agree to
    (rule 2), so in their own uncredited statements they are "a participant", never their
    descriptor, and their name, organisation and role do not stay because they are named
    elsewhere."""
    scrubbers = {}
    for handle in _credited_speakers(draft, credits):
        speaker = draft.speaker(handle)
        if speaker is None:
            continue
        terms = _speaker_terms(speaker, False, _Log())
        if skeleton(speaker.role):
            role = speaker.role.strip()
            terms.append(ProtectedTerm(role, TermKind.ROLE, A_PARTICIPANT, handle, _vague(role)))
        scrubbers[handle] = _Scrubber(draft, {}, terms, options)
    return scrubbers


def name_parts(name: str) -> list[str]:
    """Split a name into the parts that identify: given, family, each half of a double name."""
    pieces = [word.strip(".,()") for word in name.split()]
    pieces = [word for word in pieces if fold(word) not in _HONORIFICS]
    if len(pieces) < 2 and "-" not in name:
        return []
    parts = []
    for word in pieces:
        parts.append(word)
        if "-" in word:
            parts.extend(half for half in word.split("-") if half)
    return [part for part in parts if len(skeleton(part)) > 1]


def _vague(text: str) -> bool:
    """Tell whether a one-word term is also a common word or too short to be sure of."""
    key = skeleton(text)
    one_word = len(TOKEN.findall(text)) == 1
    return one_word and (len(key) <= 2 or key in COMMON_WORDS)


def _shown_in(text: str, terms: Sequence[str]) -> set[int]:
    """Return the indexes of the terms that occur (as whole words) in a text."""
    vocabulary = set(words(text))
    # Only a term whose every word is in the text can occur in it; look closer at those.
    maybe = [(i, term) for i, term in enumerate(terms) if set(words(term)) <= vocabulary]
    if not maybe:
        return set()
    hits = Matcher([Pattern(term, index) for index, term in maybe]).scan(text)
    return {hit.pattern.key for hit in hits if hit.status is Status.MATCH}


# --- rule 1: confidential text --------------------------------------------------------------

# The one grammar of confidential markers (`markers`), under the names this module reads them by.
_MARKER = markers.MARKER
_SPAN_TEXT = markers.SPAN_TEXT
_CLOSING_PUNCTUATION = tuple(",.;:!?)")
_BARE_LIST_MARKER = re.compile(r"[ \t]*(?:[-*+]|\d+[.)])[ \t]*")


@dataclass(frozen=True)
class SpanSplit:
    """An item's body cut into what is published and the confidential spans."""

    public: str
    spans: tuple[str, ...]
    unbalanced: bool = False


def split_spans(body: str) -> SpanSplit:
    """Cut `[confidential]...[/confidential]` spans out of a body.

    Fails closed on broken markers (see `markers.find_spans`): an unclosed span runs to the end
    of the body, and a stray closing marker makes everything before it confidential.
    """
    found = markers.find_spans(body)
    if not found.spans:
        return SpanSplit(body, ())
    kept = [body[start:end] for start, end in found.public]
    public = kept[0]
    for piece in kept[1:]:
        public = _close_gap(public, piece)
    spans = [
        _MARKER.sub(" ", "".join(body[start:end] for start, end in span)) for span in found.spans
    ]
    return SpanSplit(public.strip(), tuple(spans), found.unbalanced)


def _close_gap(left: str, right: str) -> str:
    """Join the text around a removed span so that no trace of the gap is left."""
    tail = left[left.rfind("\n") + 1 :]
    if _BARE_LIST_MARKER.fullmatch(tail) and (not right.strip(" \t") or right.startswith("\n")):
        left = left[: len(left) - len(tail)]  # the span was the whole bullet
    if right[:1] in _CLOSING_PUNCTUATION or not right.strip():
        left = left.rstrip(" \t")
    elif left[-1:] in (" ", "\t"):
        right = right.lstrip(" \t")
    if left.endswith("\n") or right.startswith("\n"):
        # As many line breaks as the larger side had: a span on its own line inside a
        # paragraph leaves one, a span that was a paragraph leaves one blank line.
        breaks = max(len(left) - len(left.rstrip("\n")), len(right) - len(right.lstrip("\n")))
        left, right = left.rstrip("\n") + "\n" * min(breaks, 2), right.lstrip("\n")
    return left + right


def _confidential_texts(
    draft: Draft, splits: Sequence[SpanSplit], scrubber: _Scrubber
) -> list[tuple[str, str, str, bool]]:
    """Return (item id, origin, text, whole) for each piece of confidential text between terms.

    Spans are taken both from `split_spans` and, independently, by a plain regular
    expression, so that the final check still knows the text if one of them goes wrong.
    `whole` is True when the piece is a whole span or item, not cut by a protected term.
    """
    texts: dict[tuple[str, str, str], None] = {}
    for item, split in zip(draft.items, splits, strict=True):
        if item.confidential:
            texts[item.id, "item", _MARKER.sub(" ", item.body)] = None
        else:
            for span in [*split.spans, *_SPAN_TEXT.findall(item.body)]:
                texts[item.id, "span", _MARKER.sub(" ", span)] = None
    entries = list(texts)
    found = []
    for (item_id, origin, _), pieces in zip(
        entries, scrubber.pieces([(entry[0], entry[2]) for entry in entries]), strict=True
    ):
        found += [(item_id, origin, piece, len(pieces) == 1) for piece in pieces if piece.strip()]
    return found


# --- rule 3: scrubbing the Markdown ---------------------------------------------------------

_APOSTROPHES = ("'", "\u2019")
_SENTENCE_END = re.compile(r"(?:^|[.!?:]|\n\n)[\s*_#>\-+\[(\"'\u201c]*$")
_URL = re.compile(
    r"\]\([ \t]*<?([^\s)>]+)"  # inline link or image target
    r"|^[ \t]{0,3}\[[^\]\n]+\]:[ \t]*<?(\S+?)>?(?=\s|$)"  # reference definition
    r"|<((?:[a-zA-Z][a-zA-Z0-9+.-]*):[^\s<>]+)>"  # autolink
    r"|((?:https?://|www\.)[^\s<>()\[\]]+)",  # bare URL
    re.MULTILINE,
)


@dataclass(frozen=True)
class _Watch:
    """A term that is not replaced but may call for a warning (rule 6)."""

    kind: str  # "role", "organisation" or "named" (a speaker credited by name)
    speaker: str
    shield: bool = False  # a named speaker's whole name: its parts are not replaced inside it


_CONTACT_NAMES = {"email": "an email address", "phone": "a phone number"}
_A_MARKER = "a confidential marker"


@dataclass(frozen=True)
class _Contact:
    kind: str  # "email" or "phone"


class _Scrubber:
    """Replace protected terms and contact details in Markdown, keeping the Markdown valid."""

    def __init__(
        self,
        draft: Draft,
        credits: Mapping[int, Attribution],
        protected: Sequence[ProtectedTerm],
        options: RedactionOptions,
    ) -> None:
        self.allowed = {contact_key(contact) for contact in options.allowed_contacts}
        patterns = [Pattern(term.text, term, term.ambiguous) for term in protected]
        self.matcher = Matcher(patterns + _watch_patterns(draft, credits))

    def scrub(
        self, texts: Sequence[tuple[str, str]], log: _Log | None, cut: str = ""
    ) -> list[tuple[str, list[Hit]]]:
        """Scrub many (item id, text) pairs in one pass.

        Returns each text with its replacements made, and the watched terms found in it before
        any replacement. With `cut`, every replacement is `cut` instead of the usual words.
        """
        decoded = [Decoded(text) for _, text in texts]
        joined, starts = _join_segments([d.text for d in decoded])
        by_segment: list[list[Hit]] = [[] for _ in texts]
        for hit in self.matcher.scan(joined, starts) + self._contacts(joined):
            by_segment[bisect_right(starts, hit.start) - 1].append(hit)
        results = []
        for (item_id, text), source, hits, start in zip(
            texts, decoded, by_segment, starts, strict=True
        ):
            if not hits:
                results.append((text, []))
                continue
            local = [_shift(hit, -start) for hit in hits]
            edits = self._edits(source, local, item_id, log, cut)
            watched = [h for h in local if isinstance(h.pattern.key, _Watch) and _counts(h)]
            results.append((_apply(text, edits), watched))
        return results

    def _contacts(self, text: str) -> list[Hit]:
        """Find email addresses and phone numbers that are not allow-listed."""
        return [
            Hit(Pattern(text[start:end], _Contact(kind)), start, end, Status.MATCH)
            for start, end, kind in find_contacts(text)
            if contact_key(text[start:end]) not in self.allowed
        ]

    def _edits(
        self, source: Decoded, hits: list[Hit], item_id: str, log: _Log | None, cut: str
    ) -> list[tuple[int, int, str]]:
        """Choose the replacements in one text, longest first, and log them."""
        replaceable = [h for h in hits if not isinstance(h.pattern.key, _Watch)]
        shields = [h for h in hits if isinstance(h.pattern.key, _Watch) and h.pattern.key.shield]
        edits = []
        for hit in best_matches(best_matches(replaceable) + shields):
            if isinstance(hit.pattern.key, _Watch):
                continue  # a whole name that may be shown keeps its parts
            start, end = source.to_source(hit.start, hit.end)
            text, end = (cut, end) if cut else _replacement(hit, source.source, start, end)
            edits.append((start, end, text))
            if log is not None:
                rule, action = _describe_edit(hit.pattern.key)
                log.changes.append(Change(rule, item_id, action, edits[-1][2]))
        return edits

    def pieces(self, texts: Sequence[tuple[str, str]]) -> list[list[str]]:
        """Split confidential texts at their protected terms, which are checked as terms anyway.

        Replacement words are left out so that they cannot join a run of confidential words.
        """
        return [text.split("\x00") for text, _ in self.scrub(texts, None, cut="\x00")]


def _join_segments(texts: Sequence[str]) -> tuple[str, list[int]]:
    """Join texts with blank lines, which no match crosses, and return where each starts."""
    starts = [0, *accumulate(len(text) + 2 for text in texts[:-1])] if texts else []
    return "\n\n".join(texts), starts


def _shift(hit: Hit, by: int) -> Hit:
    return Hit(hit.pattern, hit.start + by, hit.end + by, hit.status, hit.possessive)


def _counts(hit: Hit) -> bool:
    return hit.status is Status.MATCH


def _watch_patterns(draft: Draft, credits: Mapping[int, Attribution]) -> list[Pattern]:
    """Watch every speaker's role and organisation, and the names of speakers credited by name."""
    levels = _credited_speakers(draft, credits)
    patterns = []
    for speaker in draft.speakers:
        for kind, text in (("role", speaker.role), ("organisation", speaker.organisation)):
            if skeleton(text):
                patterns.append(Pattern(text, _Watch(kind, speaker.handle), _vague(text)))
        if levels.get(speaker.handle) is Level.NAME:
            names = [speaker.name, *speaker.aliases, *name_parts(speaker.name)]
            for text in filter(skeleton, names):
                shield = not _vague(text) and text not in name_parts(speaker.name)
                patterns.append(
                    Pattern(text, _Watch("named", speaker.handle, shield), _vague(text))
                )
    return patterns


def _describe_edit(key: Hashable) -> tuple[str, str]:
    """Return the rule and action for a replacement."""
    if isinstance(key, _Contact):
        return "3 contact details", f"removed {_CONTACT_NAMES[key.kind]}"
    assert isinstance(key, ProtectedTerm)
    rule = "3 extra terms" if key.kind is TermKind.TERM else "3 speakers who may not be named"
    return rule, f"replaced the {key.describe()}"


def _replacement(hit: Hit, source: str, start: int, end: int) -> tuple[str, int]:
    """Choose the words that replace a hit, fitted to where they stand; and where it ends."""
    key = hit.pattern.key
    if isinstance(key, _Contact):
        text = EMAIL_REMOVED if key.kind == "email" else PHONE_REMOVED
    else:
        text = key.replacement
    if _in_url(source, start):
        return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-"), end
    if hit.possessive:
        text += hit.possessive + "s"
    elif source[end - 1 : end] in "sS" and _lone_apostrophe(source, end):
        text, end = text + source[end] + "s", end + 1  # "Vardakis' idea"
    if source[start : start + 1].isupper() and _starts_sentence(source, start):
        text = text[:1].upper() + text[1:]
    return text + _emphasis_inside(source, start, end), end


def _starts_sentence(source: str, position: int) -> bool:
    """Tell whether a sentence starts here, looking back only a little however long the text."""
    return _SENTENCE_END.search(source, max(0, position - 40), position) is not None


def _lone_apostrophe(source: str, position: int) -> bool:
    """Tell whether an apostrophe stands here with no letter after it."""
    after = source[position + 1 : position + 2]
    return source[position : position + 1] in _APOSTROPHES and not (after.isalnum() or after == "_")


def _emphasis_inside(source: str, start: int, end: int) -> str:
    """Return the emphasis marks inside a replaced span (`**Quil**lon`), to keep them paired."""
    inside = source[start:end]
    marks = "".join(c for c in inside if c in "*~`")
    if source[start - 1 : start] == "_":  # an underscore inside a name is emphasis only here
        marks += "_" * inside.count("_")
    return marks


def _in_url(source: str, position: int) -> bool:
    """Tell whether a position is inside a link target, so the replacement must be URL-safe."""
    return any(start <= position < end for start, end in _url_spans(source))


@lru_cache(maxsize=64)
def _url_spans(source: str) -> tuple[tuple[int, int], ...]:
    """Find the link targets in Markdown (cached: a text with several terms asks repeatedly)."""
    spans = []
    for match in _URL.finditer(source):
        group = next(g for g in range(1, 5) if match.group(g) is not None)
        spans.append(match.span(group))
    return tuple(spans)


def _apply(text: str, edits: Iterable[tuple[int, int, str]]) -> str:
    """Make non-overlapping replacements in a text."""
    pieces, position = [], 0
    for start, end, replacement in sorted(edits):
        if start < position:
            continue
        pieces += [text[position:start], replacement]
        position = end
    pieces.append(text[position:])
    return "".join(pieces)


# --- putting items together -----------------------------------------------------------------


@dataclass(frozen=True)
class _Prepared:
    """An item redacted and written as Markdown, waiting for its HTML."""

    item: Item
    body: str
    credit: Attribution | None
    markdown: str

    def publish(self, html: str) -> PublishedItem:
        item = self.item
        level = _level(item) if item.kind is ItemKind.SECTION else 0
        bullet = item.bullet and item.kind is not ItemKind.SECTION
        return PublishedItem(
            item.id, item.kind, level, bullet, self.body, self.credit, self.markdown, html
        )


def _prepare_items(
    draft: Draft,
    splits: Sequence[SpanSplit],
    consents: Mapping[str, Consent],
    credits: Mapping[int, Attribution],
    scrubber: _Scrubber,
    own: Mapping[str, _Scrubber],
    log: _Log,
) -> list[_Prepared]:
    """Drop confidential items and spans, credit statements and scrub every remaining item."""
    kept = []
    for position, (item, split) in enumerate(zip(draft.items, splits, strict=True)):
        if item.confidential:
            log.changes.append(Change("1 confidential", item.id, "excluded the item"))
            continue
        _log_spans(item, split, log)
        _warn_informal_markers(item, split.public, log)
        # Raw HTML goes before terms are scrubbed, so that `Qzx<b>ample</b>` is seen as a name
        # and no comment reaches the Markdown export or the plain-text email (rule 5).
        public = strip_raw_html(split.public)
        if public != split.public:
            log.changes.append(Change("4 raw html", item.id, "removed raw HTML"))
        if public.strip():
            credit = credits.get(position)
            if credit is None and item.kind is ItemKind.STATEMENT and item.speaker in own:
                scrubbed = own[item.speaker].scrub([(item.id, public)], log)[0][0]
                if scrubbed != public:
                    message = (
                        "an uncredited statement names its own speaker, who is credited elsewhere"
                    )
                    log.warn("implicit-identification", item.id, message)
                public = scrubbed
            kept.append((position, item, public, credit))
        else:
            log.changes.append(Change("1 confidential", item.id, "excluded the emptied item"))
    texts = [(item.id, public) for _, item, public, _ in kept]
    texts += [(item.id, credit.text) for _, item, _, credit in kept if credit is not None]
    scrubbed = iter(scrubber.scrub(texts, log))
    bodies = [next(scrubbed) for _ in kept]
    prepared = []
    for (_, item, _, credit), (body, watched) in zip(kept, bodies, strict=True):
        if credit is not None:
            credit = Attribution(credit.level, next(scrubbed)[0])
        if item.kind is ItemKind.STATEMENT:
            _log_credit(draft, item, consents.get(item.id), credit, log)
            if credit is None:
                _warn_identification(item, watched, log)
        prepared.append(_Prepared(item, body, credit, _item_markdown(item, body, credit)))
    log.checks += [
        "rule 1: confidential items excluded",
        "rule 1: items under confidential headings excluded",
        "rule 1: confidential spans removed",
        "rule 1: informal confidential markers reported",
        "rule 4: raw HTML (comments, tags) removed before scrubbing",
        "rule 2: statements credited only by current consent",
        "rule 3: protected terms replaced in text, headings, links and image text",
        "rule 3: email addresses and phone numbers removed",
        "rule 6: implicit identification in uncredited statements",
        "rule 6: speakers credited by name mentioned in uncredited statements",
    ]
    return prepared


def _log_spans(item: Item, split: SpanSplit, log: _Log) -> None:
    for _ in split.spans:
        log.changes.append(Change("1 confidential", item.id, "removed a span"))
    if split.unbalanced:
        log.warn(
            "confidential-markers",
            item.id,
            "confidential markers do not pair up; the text they may cover was removed",
        )


def _warn_informal_markers(item: Item, public: str, log: _Log) -> None:
    """Warn about words that say "confidential" without the marker, such as "off the record"."""
    for name in markers.informal_markers(public):
        message = f"'{name}' may mean that text here is confidential: mark it or confirm"
        log.warn("informal-marker", item.id, message)


def _log_credit(
    draft: Draft, item: Item, consent: Consent | None, credit: Attribution | None, log: _Log
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


def _warn_identification(item: Item, watched: Sequence[Hit], log: _Log) -> None:
    """Warn about an uncredited statement that may still identify a speaker (rule 6)."""
    for hit in watched:
        watch = hit.pattern.key
        own = watch.speaker == item.speaker
        if watch.kind in ("role", "organisation") and own:
            message = f"an uncredited statement names its speaker's {watch.kind}"
            log.warn("implicit-identification", item.id, message)
        elif watch.kind == "named" and own:
            message = "an uncredited statement names its own speaker"
            log.warn("implicit-identification", item.id, message)
        elif watch.kind == "named":
            message = f"an uncredited statement mentions @{watch.speaker}, credited by name"
            log.warn("named-speaker-mentioned", item.id, message)


def _level(item: Item) -> int:
    return min(max(item.level, 1), 6)


def _item_markdown(item: Item, body: str, credit: Attribution | None) -> str:
    """Write one item as Markdown: a heading, a credited statement, or plain text."""
    if item.kind is ItemKind.SECTION:
        return "#" * _level(item) + " " + " ".join(body.split())
    text = f"**{_escape_markdown(credit.text)}:** {body}" if credit else body
    if not item.bullet or (item.kind is ItemKind.NOTE and is_list(body)):
        return text  # a run of ordinary bullets is a list already
    return "- " + text.replace("\n", "\n    ")


def _escape_markdown(text: str) -> str:
    """Make a label plain text in Markdown."""
    return re.sub(r"([\\`*_\[\]<>#|])", r"\\\1", " ".join(text.split()))


def _join_html(items: Sequence[PublishedItem]) -> tuple[str, list[int]]:
    """Join item HTML into one document, merging neighbouring bullets into one list."""
    pieces = [item.html for item in items]
    for i in range(1, len(items)):
        previous, current = pieces[i - 1], pieces[i]
        both_bullets = items[i - 1].bullet and items[i].bullet
        if both_bullets and previous.endswith("</ul>") and current.startswith("<ul>"):
            pieces[i - 1] = previous[: -len("</ul>")].rstrip("\n")
            pieces[i] = current[len("<ul>") :].lstrip("\n")
    starts, position = [], 0
    for piece in pieces:
        starts.append(position)
        position += len(piece) + 1
    return "\n".join(pieces), starts


def _join_markdown(items: Sequence[PublishedItem]) -> str:
    """Join item Markdown into one document, keeping neighbouring bullets in one list."""
    pieces = []
    for i, item in enumerate(items):
        if i:
            pieces.append("\n" if item.bullet and items[i - 1].bullet else "\n\n")
        pieces.append(item.markdown)
    return "".join(pieces) + "\n" if pieces else ""


# --- rule 5: the final check ----------------------------------------------------------------

_BLOCK_TAG = re.compile(r"</?(?:p|h[1-6]|blockquote|pre|ul|ol|table|thead|tbody|tr|hr)\b[^>]*>")
_CELL_TAG = re.compile(r"</?(?:li|td|th)\b[^>]*>")
_ANY_TAG = re.compile(r"<[^>]*>")
# bleach writes every attribute as name="value"; searching for =" first is fast.
_ATTRIBUTE = re.compile(r"=\"([^\"]*)\"")
_FIXED_ATTRIBUTES = (" rel", " align")  # set by the renderer, never from the notes
# Words that the HTML itself is made of; a term spelt like one is checked in the text views.
_HTML_WORD_LIST = (
    "a p em strong code pre ul ol li blockquote table thead tbody tr th td hr br h1 h2 h3 h4 "
    "h5 h6 href title rel align left right center nofollow noopener noreferrer http https "
    "mailto www amp lt gt quot nbsp"
)
_HTML_WORDS = frozenset(_HTML_WORD_LIST.split())

NORMAL_FORMS: tuple[tuple[str, Callable[[str], str]], ...] = (
    ("nfkc-casefold", lambda s: unicodedata.normalize("NFKC", s).casefold()),
    ("invisible-removed", lambda s: _strip_invisible(unicodedata.normalize("NFKC", s).casefold())),
    ("accents-removed", lambda s: _strip_accents(_strip_invisible(s.casefold()))),
    ("look-alikes-mapped", lambda s: _strip_invisible(fold(s))),
    ("separators-removed", skeleton),
)


@dataclass(frozen=True)
class _Secret:
    """A fingerprint of confidential text: a run of words, a whole short span, or a rare word."""

    item_id: str
    origin: str  # "item" or "span"
    kind: str  # "run", "phrase" or "word"

    def describe(self) -> str:
        return f"text of confidential {self.origin} {self.item_id}".replace("  ", " ")


@dataclass(frozen=True)
class _View:
    name: str
    text: str
    starts: list[int]  # where each item's part of the view begins


class _FinalCheck:
    """Look for protected and confidential text in the final HTML, in several views and forms.

    Views (each item's part is known, so a finding names its item):

    - raw-html: the published HTML exactly as stored;
    - text: what a reader sees: tags removed (block tags become blank lines, so nothing
      matches across items or paragraphs; inline tags vanish, so `<b>Ro</b>bin` reads Robin),
      entities decoded;
    - attributes: every link target and title, entities and percent-escapes decoded twice.

    Normal forms: every view is matched on its skeleton (`textmatch`), which folds
    compatibility forms and case, drops invisible characters and accents, maps look-alike
    letters and ignores separators, with word-boundary rules so that "Rob in" is not "Robin".
    Each leak names the weakest of `NORMAL_FORMS` in which it shows.

    What is looked for:

    - every protected term: a hit is a leak; inside a longer word or a lower-case common
      word it is a warning;
    - confidential text (every confidential item and span, with protected terms cut out):
      every run of `run_words` (6) consecutive words; a whole span of 3 to 5 words; and every
      *distinctive* word, one of `distinctive_length` (5) letters or more that is not a common
      word and occurs nowhere in the public text of the draft. Single words are not looked
      for in the raw view, whose markup has words of its own. A run that also stands in the
      public draft text of the item where it is found was put there by the facilitator: a
      warning (rule 6). Anything else is a leak. "Public draft text" is read from the draft
      itself, where two independent readings of the confidential markers agree, so that a
      mistake in cutting spans or dropping items shows up as a leak;
    - email addresses and phone numbers (not allow-listed) and confidential markers, in the
      text and attributes views in compatibility form.
    """

    def __init__(
        self,
        protected: Sequence[ProtectedTerm],
        confidential: Sequence[tuple[str, str, str, bool]],
        vocabulary: set[str],
        references: Mapping[str, str],
        options: RedactionOptions,
    ) -> None:
        terms = [Pattern(t.text, t, t.ambiguous, near=True) for t in protected]
        self.matcher = Matcher(terms + _secret_patterns(confidential, vocabulary, options))
        self.allowed = {contact_key(contact) for contact in options.allowed_contacts}
        self.references = references
        self._reference_words: dict[str, str] = {}

    def run(self, published: Published, starts: list[int], log: _Log) -> None:
        """Check every view of the published notes, adding leaks and warnings to the log."""
        self.items = published.items
        fragments = [item.html for item in published.items]
        markdowns = [item.markdown for item in published.items]
        views = [
            _View("raw-html", published.html, starts),
            _joined_view("text", map(_text_view, fragments)),
            _joined_view("attributes", _attribute_views(published.html, starts)),
            # The Markdown is circulated too (export, plain-text email): as it is, and as any
            # renderer would show it, with markup and comments gone and escapes decoded.
            _joined_view("markdown", markdowns),
            _joined_view("markdown-text", map(_markdown_text_view, markdowns)),
        ]
        forms = ", ".join(name for name, _ in NORMAL_FORMS)
        for view in views:
            # The HTML views report everything; the Markdown views add only the leaks that
            # the HTML does not show (warnings come from the HTML, as members read it there).
            scratch = log if not view.name.startswith("markdown") else _Log()
            for hit in self.matcher.scan(view.text, view.starts):
                self._judge(hit, view, scratch)
            if scratch is not log:
                shown = {(leak.kind, leak.what, leak.item_id) for leak in log.leaks}
                for leak in scratch.leaks:
                    if (leak.kind, leak.what, leak.item_id) not in shown:
                        log.leaks[leak] = None
            log.checks.append(
                f"rule 5: {view.name} view checked for protected terms and confidential text"
                f" ({forms})"
            )
        for view in views[1:3]:
            self._check_contacts_and_markers(view, log)
        log.checks += [
            "rule 5: text and attributes views checked for email addresses and phone numbers",
            "rule 5: text and attributes views checked for confidential markers",
            "rule 5: near misses and ambiguous words reported",
            "rule 6: runs of words from confidential text reported",
        ]

    def _judge(self, hit: Hit, view: _View, log: _Log) -> None:
        """Turn one hit into a leak, a warning, or nothing."""
        position = bisect_right(view.starts, hit.start) - 1
        item_id = self.items[position].id
        key, found = hit.pattern.key, view.text[hit.start : hit.end]
        if isinstance(key, ProtectedTerm):
            self._judge_term(hit, key, found, item_id, view, log)
        elif key.kind == "word" and view.name == "raw-html":
            return  # single words are read in the text views; the markup has its own words
        elif key.kind != "word" and self._is_known(hit.pattern.text, position):
            if key.kind == "run":
                message = f"a run of words from confidential {key.origin} {key.item_id} appears"
                log.warn("confidential-run", item_id, message)
        else:
            form = _normal_form(hit.pattern.text, found)
            log.leaks[Leak("confidential", key.describe(), item_id, view.name, form)] = None

    def _judge_term(
        self, hit: Hit, term: ProtectedTerm, found: str, item_id: str, view: _View, log: _Log
    ) -> None:
        """A protected term in the output is a leak; a near or ambiguous one is a warning."""
        if view.name == "raw-html" and (
            hit.status is not Status.MATCH or skeleton(term.text) in _HTML_WORDS
        ):
            return
        if view.name.startswith("markdown") and hit.status is not Status.MATCH:
            return  # near misses and ambiguous words are reported from the HTML views
        if hit.status is Status.MATCH:
            form = _normal_form(term.text, found)
            log.leaks[Leak(str(term.kind), term.describe(), item_id, view.name, form)] = None
        elif hit.status is Status.LOWERCASE:
            message = f"'{found}' is a common word but also the {term.describe()}"
            log.warn("ambiguous-word", item_id, message)
        else:
            word = _whole_word(view.text, hit.start, hit.end)
            log.warn("near-miss", item_id, f"'{word}' contains the {term.describe()}")

    def _is_known(self, text: str, position: int) -> bool:
        """Tell whether a run of confidential words also stands in the item's public draft text."""
        item_id = self.items[position].id
        if item_id not in self._reference_words:
            reference = words(self.references.get(item_id, ""))
            self._reference_words[item_id] = f" {' '.join(reference)} "
        return f" {text} " in self._reference_words[item_id]

    def _check_contacts_and_markers(self, view: _View, log: _Log) -> None:
        """Look for contact details and confidential markers in compatibility form."""
        text = unicodedata.normalize("NFKC", view.text)
        if len(text) == len(view.text):
            found = [(self._item_at(view, start), what) for start, what in self._contacts(text)]
        else:  # positions moved: look item by item instead
            ends = [*view.starts[1:], len(view.text) + 2]
            found = [
                (item.id, what)
                for item, start, end in zip(self.items, view.starts, ends, strict=True)
                for _, what in self._contacts(
                    unicodedata.normalize("NFKC", view.text[start : end - 2])
                )
            ]
        for item_id, what in found:
            kind = "confidential" if what == _A_MARKER else "contact"
            log.leaks[Leak(kind, what, item_id, view.name, "nfkc")] = None

    def _contacts(self, text: str) -> list[tuple[int, str]]:
        """Return where and what each contact detail or confidential marker in a text is."""
        found = [
            (start, _CONTACT_NAMES[kind])
            for start, end, kind in find_contacts(text)
            if contact_key(text[start:end]) not in self.allowed
        ]
        return found + [(marker.start(), _A_MARKER) for marker in _MARKER.finditer(text)]

    def _item_at(self, view: _View, position: int) -> str:
        return self.items[bisect_right(view.starts, position) - 1].id


def _secret_patterns(
    confidential: Sequence[tuple[str, str, str, bool]],
    vocabulary: set[str],
    options: RedactionOptions,
) -> list[Pattern]:
    """Fingerprint confidential texts: runs of words, whole short spans, and rare words."""
    patterns: dict[tuple[str, _Secret], None] = {}
    size = options.run_words
    for item_id, origin, text, whole in confidential:
        found = words(text)
        if len(found) >= size:
            for i in range(len(found) - size + 1):
                patterns[" ".join(found[i : i + size]), _Secret(item_id, origin, "run")] = None
        elif len(found) >= 3 and whole:
            patterns[" ".join(found), _Secret(item_id, origin, "phrase")] = None
        for word in found:
            if len(word) >= options.distinctive_length and word not in vocabulary:
                patterns[word, _Secret(item_id, origin, "word")] = None
    return [Pattern(text, key) for text, key in patterns]


def _public_references(draft: Draft, splits: Sequence[SpanSplit]) -> dict[str, str]:
    """Return, per item id, the draft text that may be published.

    This is what the final check judges confidential-looking text against. Where an item has
    confidential markers, a word counts as public only where two independent readings of the
    markers agree: `split_spans` and a plain regular expression. A mistake in either shows up
    as a leak rather than as legitimate text.
    """
    references: dict[str, list[str]] = {}
    for item, split in zip(draft.items, splits, strict=True):
        if item.confidential:
            continue
        text = _with_escapes_decoded(item.body)
        if split.spans or _MARKER.search(text):
            by_split = set(words(_with_escapes_decoded(split.public)))
            text = " ".join(w for w in words(_SPAN_TEXT.sub(" ", text)) if w in by_split)
        references.setdefault(item.id, []).append(text)
    return {item_id: "\n\n".join(texts) for item_id, texts in references.items()}


def _with_escapes_decoded(text: str) -> str:
    """Add the text with entities and percent-escapes decoded, as the attribute view has it."""
    decoded = Decoded(text).text
    return text if decoded == text else f"{text}\n\n{decoded}"


def _vocabulary(
    references: Mapping[str, str],
    credits: Mapping[int, Attribution],
    protected: Sequence[ProtectedTerm],
) -> set[str]:
    """Collect every word members may legitimately see, from the draft rather than the output."""
    texts = [*references.values(), *(credit.text for credit in credits.values())]
    texts += [term.replacement for term in protected]
    texts += [A_PARTICIPANT, REDACTED, EMAIL_REMOVED, PHONE_REMOVED, " ".join(_HTML_WORDS)]
    return set(COMMON_WORDS) | set(words("\n".join(texts)))


def _joined_view(name: str, parts: Iterable[str]) -> _View:
    """Join per-item views with blank lines (so no match spans two items) and note offsets."""
    pieces, starts, position = [], [], 0
    for part in parts:
        starts.append(position)
        pieces.append(part)
        position += len(part) + 2
    return _View(name, "\n\n".join(pieces), starts)


def _text_view(fragment: str) -> str:
    """Return what a reader sees: tags stripped (blocks apart, inline joined), entities decoded."""
    text = _BLOCK_TAG.sub("\n\n", fragment)
    text = _CELL_TAG.sub("\n", text)
    return unescape(_ANY_TAG.sub("", text))


def _markdown_text_view(markdown: str) -> str:
    """Return Markdown as a renderer could show it: comments and markup gone, escapes decoded.

    Independent of `strip_raw_html` (which keeps code): everything shaped like markup goes,
    and comments go (an unclosed one to the end), so a mistake there shows up here; the
    "markdown" view still reads everything as written.
    """
    text = re.sub(r"<!--.*?(?:-->|\Z)", "", markdown, flags=re.S)
    return _decode_attribute(MARKUP.sub("", text))


def _attribute_views(html: str, starts: Sequence[int]) -> list[str]:
    """Return each item's attribute values, entities and percent-escapes decoded (twice)."""
    values: list[list[str]] = [[] for _ in starts]
    for match in _ATTRIBUTE.finditer(html):
        if not html.endswith(_FIXED_ATTRIBUTES, 0, match.start()):
            values[bisect_right(starts, match.start()) - 1].append(_decode_attribute(match[1]))
    return ["\n\n".join(item_values) for item_values in values]


def _decode_attribute(value: str) -> str:
    if "&" in value:
        value = unescape(value)
    if "%" in value or "+" in value:
        value = unquote_plus(unquote_plus(value))
    return value


def _normal_form(term: str, found: str) -> str:
    """Name the weakest normal form in which the found text contains the term."""
    for name, normalise in NORMAL_FORMS[:-1]:
        if normalise(term) in normalise(found):
            return name
    return NORMAL_FORMS[-1][0]


def _strip_invisible(text: str) -> str:
    return strip_hidden(text)


def _strip_accents(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def _whole_word(text: str, start: int, end: int) -> str:
    """Widen a span to the whole word around it."""
    while start > 0 and text[start - 1].isalnum():
        start -= 1
    while end < len(text) and text[end].isalnum():
        end += 1
    return text[start:end]


def repeats_confidential(draft: Draft, text: str, *, single_words: bool = True) -> bool:
    """Tell whether a text (a label, a comment) repeats confidential text of the draft, read as
    the final check reads published notes: runs of words, whole short spans, rare words.

    Without `single_words`, a rare word alone does not count (for text whose refusal a reader
    could use to test guesses one word at a time).
    """
    options = RedactionOptions()
    splits = [split_spans(item.body) for item in draft.items]
    protected = _protected_terms(draft, {}, (), _Log())
    confidential = _confidential_texts(draft, splits, _Scrubber(draft, {}, protected, options))
    vocabulary = _vocabulary(_public_references(draft, splits), {}, protected)
    patterns = [
        pattern
        for pattern in _secret_patterns(confidential, vocabulary, options)
        if single_words or pattern.key.kind != "word"
    ]
    if not patterns or not text.strip():
        return False
    hits = Matcher(patterns).scan(Decoded(text).text)
    return any(hit.status is Status.MATCH for hit in hits)
