"""Rule 3: replace protected terms and contact details in Markdown, keeping the Markdown valid."""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Hashable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache
from itertools import accumulate
from operator import add

from notes_app.domain.consent import Attribution, Level
from notes_app.domain.identity import name_letters, ordinary_word
from notes_app.domain.notes import Draft
from notes_app.domain.redaction.credits import credited_speakers
from notes_app.domain.redaction.report import Change, Log
from notes_app.domain.redaction.terms import (
    EMAIL_REMOVED,
    PERSON_KINDS,
    PHONE_REMOVED,
    ProtectedTerm,
    TermKind,
    is_vague,
    name_parts,
    own_terms,
    term_pattern,
)
from notes_app.domain.redaction.wording import Edit, fit
from notes_app.domain.textmatch import (
    Decoded,
    Hit,
    Matcher,
    Pattern,
    PatternMemo,
    Status,
    best_matches,
    contact_key,
    find_contacts,
    skeleton,
)


@dataclass(frozen=True)
class RedactionOptions:
    """Settings for one redaction."""

    # Email addresses and phone numbers that may stay (for example the network's own address).
    allowed_contacts: frozenset[str] = frozenset()
    # This many consecutive words from a confidential text count as a copy of it.
    run_words: int = 6
    # A word this long that occurs only in confidential text identifies it on its own.
    distinctive_length: int = 5


_APOSTROPHES = ("'", "\u2019")
_SENTENCE_END = re.compile(r"(?:^|[.!?:]|\n\n)[\s*_#>\-+\[(\"'\u201c]*$")
# Where a sentence surely starts, even before a name written in lower case ("It was late. kim
# said so"): not after a colon, nor after an abbreviation ("e.g.", "etc.").
_SURE_START = re.compile(
    r"(?:\A|\n\n|[!?]|(?<![\w.])(?!(?:etc|vs|cf|al|approx|incl|ca)\.)[^\W\d_]{2,}\.)"
    r"[\s*_#>\-+\[(\"'\u201c]*\Z",
    re.IGNORECASE,
)
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


CONTACT_NAMES = {"email": "an email address", "phone": "a phone number"}


@dataclass(frozen=True)
class _Contact:
    kind: str  # "email" or "phone"


class Scrubber:
    """Replace protected terms and contact details in Markdown, keeping the Markdown valid."""

    def __init__(
        self,
        draft: Draft,
        credits: Mapping[int, Attribution],
        protected: Sequence[ProtectedTerm],
        options: RedactionOptions,
        *,
        watch: bool = True,
        memo: PatternMemo | None = None,
    ) -> None:
        self.allowed = {contact_key(contact) for contact in options.allowed_contacts}
        # The letters each person's initials may be written with (`K. Lee`).
        self.initials = {
            person.handle: name_letters(person.name, *person.aliases)
            for person in (*draft.speakers, *draft.announced)
        }
        patterns = [term_pattern(term, near=term.kind in _IN_TOKENS) for term in protected]
        if watch:
            patterns += _watch_patterns(draft, credits)
        self.matcher = Matcher(patterns, memo)
        # The speakers whose terms this scrubber replaces.
        self.speakers = frozenset(term.speaker for term in protected if term.speaker)

    def scrub(
        self,
        texts: Sequence[tuple[str, str]],
        log: Log | None,
        cut: str = "",
        speakers: Sequence[str] | None = None,
    ) -> list[tuple[str, list[Hit]]]:
        """Scrub many (item id, text) pairs in one pass.

        Returns each text with its replacements made, and the watched terms found in it before
        any replacement. With `cut`, every replacement is `cut` instead of the usual words.
        With `speakers` (one handle a text), each text loses only its own speaker's terms.
        """
        decoded = [Decoded(text) for _, text in texts]
        joined, starts = _join_segments([d.text for d in decoded])
        by_segment: list[list[Hit]] = [[] for _ in texts]
        hits = self.matcher.scan(joined, starts)
        for hit in hits if speakers is not None else hits + self._contacts(joined):
            segment = bisect_right(starts, hit.start) - 1
            if speakers is None or hit.pattern.key.speaker == speakers[segment]:
                by_segment[segment].append(hit)
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
        self, source: Decoded, hits: list[Hit], item_id: str, log: Log | None, cut: str
    ) -> list[tuple[int, int, str]]:
        """Choose the replacements in one text, longest first, and log them."""
        replaceable = [_as_name(source, h) for h in hits if not isinstance(h.pattern.key, _Watch)]
        shields = [h for h in hits if isinstance(h.pattern.key, _Watch) and h.pattern.key.shield]
        edits = []
        for hit in best_matches(best_matches(replaceable) + shields):
            key = hit.pattern.key
            if isinstance(key, _Watch):
                continue  # a whole name that may be shown keeps its parts
            start, end = source.to_source(hit.start, hit.end)
            in_url = _in_url(source.source, start)
            text, end = (cut, end) if cut else _replacement(hit, source.source, start, end, in_url)
            speaker = key.speaker or "" if isinstance(key, ProtectedTerm) else ""
            person = isinstance(key, ProtectedTerm) and key.kind in PERSON_KINDS
            fixed = bool(cut) or in_url
            edits.append(Edit(start, end, text, speaker, person, fixed))
            if log is not None:
                rule, action = _describe_edit(key)
                log.changes.append(Change(rule, item_id, action, text))
        text = source.source
        return [
            _around_markup(text, e)
            if not (e.fixed or cut) and _MARKUP.search(text, e.start, e.end)
            else (e.start, e.end, e.text)
            for e in fit(text, edits, self.initials)
        ]

    def pieces(self, texts: Sequence[tuple[str, str]]) -> list[list[str]]:
        """Split confidential texts at their protected terms, which are checked as terms anyway.

        Replacement words are left out so that they cannot join a run of confidential words.
        """
        return [text.split("\x00") for text, _ in self.scrub(texts, None, cut="\x00")]


_IN_TOKENS = frozenset({TermKind.NAME, TermKind.ALIAS, TermKind.ORGANISATION, TermKind.TERM})
_TOKEN_AROUND = re.compile(r"[\w\u00ad\u200b-\u200d\u2060]*")


def _as_name(source: Decoded, hit: Hit) -> Hit:
    """Decide whether a hit that is not a plain match is replaced after all (rules 5 and 6).

    A protected name inside a longer token (`@robinexample2024`, `Quillonite`) is replaced
    with the whole token, unless the token is itself an ordinary word (`Lind` in `blind`). An
    ordinary word that is also a name (`will`) is replaced in a link target or a handle.
    """
    if not isinstance(hit.pattern.key, ProtectedTerm):
        return hit
    text = source.text
    in_token = "_" in (text[hit.start - 1 : hit.start], text[hit.end : hit.end + 1])
    handle = hit.status is Status.MATCH and (in_token or text[hit.start - 1 : hit.start] == "@")
    if hit.status in (Status.LOWERCASE, Status.CAPITALISED) and hit.pattern.key.kind in (
        PERSON_KINDS
    ):
        # A name that is also an ordinary word is a name inside a file name or a snake_case
        # token (`talbot_slides_final.pdf`, `slides-talbot.pptx`), as in a handle.
        handle = in_token
        if not in_token and _in_file_name(text, hit.start, hit.end):
            start, end = _stem(text, hit.start), _stem_end(text, hit.end)
            return Hit(hit.pattern, start, end, Status.MATCH)
    if hit.status is Status.NEAR or handle and hit.pattern.key.kind in _IN_TOKENS:
        start = hit.start
        while start > 0 and _TOKEN_AROUND.fullmatch(text[start - 1]):
            start -= 1
        end = _TOKEN_AROUND.match(text, hit.end).end()
        if not handle and ordinary_word(text[start:end]):
            return hit
        return Hit(hit.pattern, _handle_start(text, start), end, Status.MATCH)
    if hit.status in (Status.LOWERCASE, Status.CAPITALISED):
        at, end = source.to_source(hit.start, hit.end)
        if text[hit.start - 1 : hit.start] == "@" or _path_segment(source.source, at, end):
            start = _handle_start(text, hit.start)
            return Hit(hit.pattern, start, hit.end, Status.MATCH, hit.possessive)
    return hit


# What a file name ends with: the extensions of the documents notes link or mention.
_FILE_NAME = re.compile(
    r"[\w.-]*\.(?:pdf|docx?|pptx?|xlsx?|odt|odp|ods|key|csv|txt|md|rtf|png|jpe?g|gif|svg|"
    r"zip|mp4|mov|mp3|wav)\Z",
    re.IGNORECASE,
)


def _in_file_name(text: str, start: int, end: int) -> bool:
    """Tell whether a word is a part of a file name, joined to the rest by `-`, `.` or `_`."""
    if "-" not in (text[start - 1 : start], text[end : end + 1]) and text[end : end + 1] != ".":
        return False
    token_end = end
    while token_end < len(text) and (text[token_end].isalnum() or text[token_end] in "._-"):
        token_end += 1
    return _FILE_NAME.fullmatch(text[end:token_end].rstrip(".")) is not None


def _stem(text: str, start: int) -> int:
    """Where the words of a file name joined by `-` begin (`slides-talbot.pdf`)."""
    while start > 0 and (text[start - 1].isalnum() or text[start - 1] in "_-"):
        start -= 1
    return start


def _stem_end(text: str, end: int) -> int:
    while end < len(text) and (text[end].isalnum() or text[end] in "_-"):
        end += 1
    return end


def _path_segment(source: str, start: int, end: int) -> bool:
    """Tell whether a word is a whole segment of a link's path or query (`/will/`, `?u=will`),
    where it can only be a name; a word in a domain (`example.org`) or among other words in a
    path (`/will-be-done`) is ordinary."""
    if not _in_url(source, start):
        return False
    return source[start - 1 : start] in ("/", "=") and source[end : end + 1] in (
        "/",
        "?",
        "#",
        "&",
        ")",
        ">",
        "",
    )


def _handle_start(text: str, start: int) -> int:
    """Take the @ of a handle along: "follow a participant", not "follow @a participant"."""
    at_handle = text[start - 1 : start] == "@" and not text[start - 2 : start - 1].isalnum()
    return start - 1 if at_handle else start


def _join_segments(texts: Sequence[str]) -> tuple[str, list[int]]:
    """Join texts with blank lines, which no match crosses, and return where each starts."""
    lengths = accumulate(map(len, texts), initial=0)  # mapped in C: there are many texts
    starts = list(map(add, lengths, range(0, 2 * len(texts), 2)))
    return "\n\n".join(texts), starts


def _shift(hit: Hit, by: int) -> Hit:
    return Hit(hit.pattern, hit.start + by, hit.end + by, hit.status, hit.possessive)


def _counts(hit: Hit) -> bool:
    return hit.status is Status.MATCH


def _watch_patterns(draft: Draft, credits: Mapping[int, Attribution]) -> list[Pattern]:
    """Watch every speaker's role and organisation, and the names of speakers credited by name."""
    levels = credited_speakers(draft, credits)
    patterns = []
    for speaker in draft.speakers:
        for kind, text in (("role", speaker.role), ("organisation", speaker.organisation)):
            if skeleton(text):
                patterns.append(Pattern(text, _Watch(kind, speaker.handle), is_vague(text)))
        if levels.get(speaker.handle) is Level.NAME:
            parts = name_parts(speaker.name)
            for text in filter(skeleton, [speaker.name, *speaker.aliases, *parts]):
                shield = not is_vague(text) and text not in parts
                patterns.append(
                    Pattern(text, _Watch("named", speaker.handle, shield), is_vague(text))
                )
    return patterns


def _describe_edit(key: Hashable) -> tuple[str, str]:
    """Return the rule and action for a replacement."""
    if isinstance(key, _Contact):
        return "3 contact details", f"removed {CONTACT_NAMES[key.kind]}"
    assert isinstance(key, ProtectedTerm)
    rule = "3 extra terms" if key.kind is TermKind.TERM else "3 speakers who may not be named"
    return rule, f"replaced the {key.describe()}"


def _replacement(hit: Hit, source: str, start: int, end: int, in_url: bool) -> tuple[str, int]:
    """Choose the words that replace a hit, fitted to where they stand (`in_url`: in a link
    target); and where it ends."""
    key = hit.pattern.key
    if isinstance(key, _Contact):
        text = EMAIL_REMOVED if key.kind == "email" else PHONE_REMOVED
    else:
        text = key.replacement
    if in_url:
        return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-"), end
    if hit.possessive:
        text += hit.possessive + "s"
    elif source[end - 1 : end] in "sS" and _lone_apostrophe(source, end):
        text, end = text + source[end] + "s", end + 1  # "Vardakis' idea"
    capital = source[start : start + 1].isupper() and _starts_sentence(source, start)
    if capital or _SURE_START.search(source, max(0, start - 40), start) is not None:
        text = text[:1].upper() + text[1:]
    return text, end


def _starts_sentence(source: str, position: int) -> bool:
    """Tell whether a sentence starts here, looking back only a little however long the text."""
    return _SENTENCE_END.search(source, max(0, position - 40), position) is not None


def _lone_apostrophe(source: str, position: int) -> bool:
    """Tell whether an apostrophe stands here with no letter after it."""
    after = source[position + 1 : position + 2]
    return source[position : position + 1] in _APOSTROPHES and not (after.isalnum() or after == "_")


# Markup a replacement may swallow: runs of emphasis or code marks, and a link's brackets and
# target (`[Gwen](#) Talbot`).
_MARKS = "*_~`"
_MARKUP = re.compile(r"[*_~`\[\]]")
_MARK_RUN = re.compile(r"[*_~`]+")
_LINK_TARGET = re.compile(r"\]\([^()\s]*(?:\([^()\s]*\)[^()\s]*)*(?:[ \t]+\"[^\"\n]*\")?\)")


def _around_markup(source: str, edit: Edit) -> tuple[int, int, str]:
    """Widen a replacement over the markup it cuts through, so that none is left stray.

    A name written across emphasis (`Anna *Koval*chuk`, `**Acme** *Analytics*`) is replaced
    with the marks that pair up inside it or round it; a link whose text the replacement
    swallows with its target (`[Gwen](#) Talbot`) goes with it. Marks that pair with text
    outside stay (`**Quil**lon` is `**an organisation**`).
    """
    start, end, text = edit.start, edit.end, edit.text
    start, end = _around_link(source, start, end)
    if _paired(source[start:end]):
        return start, end, text
    low, high = start, end
    while low > 0 and source[low - 1] in _MARKS:
        low -= 1
    while high < len(source) and source[high] in _MARKS:
        high += 1
    if _paired(source[low:high]):
        return low, high, text
    marks = _emphasis_inside(source, start, end)
    if marks and source.startswith(marks, end):
        return start, end + len(marks), text  # `Varns**worth**`: they would pair round nothing
    return start, end, text + marks


def _around_link(source: str, start: int, end: int) -> tuple[int, int]:
    """Widen a replacement over a link it cuts through: its `[` before it and its target
    inside it (`[Gwen](#) Talbot`), or its target after it (`Gwen [Talbot](#)`)."""
    inside = source[start:end]
    target = _LINK_TARGET.search(inside)
    if target and "[" not in inside[: target.start()]:
        opening = source.rfind("[", max(0, start - 4), start)
        if opening >= 0 and not source[opening + 1 : start].strip(_MARKS):
            start = opening
    elif inside.count("[") > inside.count("]"):
        after = _LINK_TARGET.match(source, end)
        if after:
            end = after.end()
    return start, end


def _paired(text: str) -> bool:
    """Tell whether the emphasis and code marks in a text pair up among themselves, and its
    link brackets too."""
    if text.count("[") != text.count("]"):
        return False
    runs: list[str] = []
    for run in _MARK_RUN.finditer(text):
        mark = run.group()
        if mark[0] == "_" and _inside_word(text, run.start(), run.end()):
            continue  # snake_case: no emphasis
        if runs and runs[-1] == mark:
            runs.pop()
        else:
            runs.append(mark)
    return not runs


def _inside_word(text: str, start: int, end: int) -> bool:
    return text[start - 1 : start].isalnum() and text[end : end + 1].isalnum()


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


def own_scrubber(
    draft: Draft,
    credits: Mapping[int, Attribution],
    options: RedactionOptions,
    memo: PatternMemo | None = None,
) -> Scrubber | None:
    """One scrubber, for the credited speakers, of everything that identifies each of them as if
    they were credited nowhere (`terms.own_terms`); it scrubs a text of its own speaker's terms
    (`Scrubber.scrub` with `speakers`). None when nobody is credited."""
    terms = [term for found in own_terms(draft, credits).values() for term in found]
    return Scrubber(draft, {}, terms, options, watch=False, memo=memo) if terms else None
