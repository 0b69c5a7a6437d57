"""Put the items together: drop, credit and scrub each one, write it as Markdown, join them."""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import NamedTuple

from notes_app.domain import markers
from notes_app.domain.consent import Attribution, Consent
from notes_app.domain.notes import Draft, Item, ItemKind
from notes_app.domain.notes_format import is_list
from notes_app.domain.raw_html import strip_raw_html
from notes_app.domain.redaction.credits import log_credit
from notes_app.domain.redaction.report import Change, Log
from notes_app.domain.redaction.scrub import Scrubber
from notes_app.domain.redaction.spans import SpanSplit
from notes_app.domain.redaction.terms import EMAIL_REMOVED, PHONE_REMOVED, REDACTED
from notes_app.domain.redaction.wording import doubled_replacements
from notes_app.domain.textmatch import Hit


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


class _Prepared(NamedTuple):  # a tuple: one is made for every item
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


def prepare_items(
    draft: Draft,
    splits: Sequence[SpanSplit],
    consents: Mapping[str, Consent],
    credits: Mapping[int, Attribution],
    scrubber: Scrubber,
    own: Scrubber | None,
    log: Log,
) -> list[_Prepared]:
    """Drop confidential items and spans, credit statements and scrub every remaining item."""
    markers_found = markers.informal_markers_of([split.public for split in splits], spans_cut=True)
    kept: list[tuple[int, Item, str, Attribution | None]] = []
    uncredited: list[int] = []  # statements, in `kept`, of speakers credited elsewhere
    for position, (item, split) in enumerate(zip(draft.items, splits, strict=True)):
        if item.confidential:
            log.changes.append(Change("1 confidential", item.id, "excluded the item"))
            continue
        if split.spans or split.unbalanced:
            _log_spans(item, split, log)
        _warn_informal_markers(item, markers_found[position], log)
        # Raw HTML goes before terms are scrubbed, so that `Qzx<b>ample</b>` is seen as a name
        # and no comment reaches the Markdown export or the plain-text email (rule 5).
        public = strip_raw_html(split.public)
        if public != split.public:
            log.changes.append(Change("4 raw html", item.id, "removed raw HTML"))
        if public.strip():
            credit = credits.get(position)
            own_speaker = own is not None and item.speaker in own.speakers
            if credit is None and item.kind is ItemKind.STATEMENT and own_speaker:
                uncredited.append(len(kept))
            kept.append((position, item, public, credit))
        else:
            log.changes.append(Change("1 confidential", item.id, "excluded the emptied item"))
    unscrubbed = [public for _, _, public, _ in kept]
    if own is not None and uncredited:
        _scrub_own_speakers(kept, uncredited, own, log)
    texts = [(item.id, public) for _, item, public, _ in kept]
    texts += [(item.id, credit.text) for _, item, _, credit in kept if credit is not None]
    scrubbed = iter(scrubber.scrub(texts, log))
    bodies = [next(scrubbed) for _ in kept]
    prepared = []
    for (_, item, _, credit), (body, watched), before in zip(kept, bodies, unscrubbed, strict=True):
        if credit is not None:
            credit = Attribution(credit.level, next(scrubbed)[0])
        # Only a text that replacements changed can have been left with two side by side.
        for doubled in doubled_replacements(body) if body != before else ():
            message = f"replacing protected terms leaves '{doubled}': reword the sentence"
            log.warn("unreadable", item.id, message)
        if item.kind is ItemKind.STATEMENT:
            log_credit(draft, item, consents.get(item.id), credit, log)
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


def _scrub_own_speakers(
    kept: list[tuple[int, Item, str, Attribution | None]],
    uncredited: Sequence[int],
    own: Scrubber,
    log: Log,
) -> None:
    """Scrub each uncredited statement of a speaker credited elsewhere of its own speaker's
    terms, all in one pass (rule 2)."""
    texts = [(kept[k][1].id, kept[k][2]) for k in uncredited]
    speakers = [kept[k][1].speaker or "" for k in uncredited]
    for k, (scrubbed, _) in zip(uncredited, own.scrub(texts, log, speakers=speakers), strict=True):
        position, item, public, credit = kept[k]
        if scrubbed != public:
            message = "an uncredited statement names its own speaker, who is credited elsewhere"
            log.warn("implicit-identification", item.id, message)
        kept[k] = (position, item, scrubbed, credit)


def _log_spans(item: Item, split: SpanSplit, log: Log) -> None:
    for _ in split.spans:
        log.changes.append(Change("1 confidential", item.id, "removed a span"))
    for around in split.hanging:
        message = f"removing a confidential span leaves a sentence that may not read: '{around}'"
        log.warn("unreadable", item.id, message)
    if split.unbalanced:
        log.warn(
            "confidential-markers",
            item.id,
            "confidential markers do not pair up; the text they may cover was removed",
        )


def _warn_informal_markers(item: Item, found: Sequence[str], log: Log) -> None:
    """Warn about words that say "confidential" without the marker, such as "off the record"."""
    for name in found:
        message = f"'{name}' may mean that text here is confidential: mark it or confirm"
        log.warn("informal-marker", item.id, message)


def _warn_identification(item: Item, watched: Sequence[Hit], log: Log) -> None:
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


_MARKDOWN_SPECIAL = re.compile(r"([\\`*_\[\]<>#|])")
# The replacements a label may carry once scrubbed: they read the same unescaped, and escaped
# they would show their backslashes in the Markdown export and the plain-text email.
_PLACEHOLDERS = {
    _MARKDOWN_SPECIAL.sub(r"\\\1", p): p for p in (REDACTED, EMAIL_REMOVED, PHONE_REMOVED)
}


def _escape_markdown(text: str) -> str:
    """Make a label plain text in Markdown (its replacements as they are: `[redacted]`)."""
    escaped = _MARKDOWN_SPECIAL.sub(r"\\\1", " ".join(text.split()))
    for written, placeholder in _PLACEHOLDERS.items():
        escaped = escaped.replace(written, placeholder)
    return escaped


def join_html(items: Sequence[PublishedItem]) -> tuple[str, list[int]]:
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


def join_markdown(items: Sequence[PublishedItem]) -> str:
    """Join item Markdown into one document, keeping neighbouring bullets in one list."""
    pieces = []
    for i, item in enumerate(items):
        if i:
            pieces.append("\n" if item.bullet and items[i - 1].bullet else "\n\n")
        pieces.append(item.markdown)
    return "".join(pieces) + "\n" if pieces else ""
