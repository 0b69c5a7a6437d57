"""Rule 1: cut confidential spans out of an item's body, and gather the confidential texts."""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from typing import NamedTuple

from notes_app.domain import markers
from notes_app.domain.notes import Draft
from notes_app.domain.redaction.wording import hanging_join

# The one grammar of confidential markers (`markers`), under the names this module reads them by.
_MARKER = markers.MARKER
_CLOSING_PUNCTUATION = tuple(",.;:!?)")
_EMPHASIS = tuple("*_~")
_OPENING_EMPHASIS = re.compile(r"(?:^|(?<=\s))[*_~]+\Z")
_CLOSING_EMPHASIS = re.compile(r"[*_~]+(?![^\W_])")
_BARE_LIST_MARKER = re.compile(r"[ \t]*(?:[-*+]|\d+[.)])[ \t]*")
_TICKS = re.compile(r"(?<!`)`+(?!`)")
_OPENING_TICKS = re.compile(r"(?<!`)(`+)[ \t]*\Z")
_CLOSING_TICKS = re.compile(r"[ \t]*(`+)(?!`)")


class SpanSplit(NamedTuple):  # a tuple: one is made for every item
    """An item's body cut into what is published and the confidential spans."""

    public: str
    spans: tuple[str, ...]
    unbalanced: bool = False
    # Where removing a span left words that no longer read: the text around each such gap.
    hanging: tuple[str, ...] = ()


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
    hanging = []
    for piece in kept[1:]:
        if hanging_join(public, piece):
            hanging.append(_around_gap(public, piece))
        public = _close_gap(*_without_empty_emphasis(*_without_empty_code(public, piece)))
    spans = [
        _MARKER.sub(" ", "".join(body[start:end] for start, end in span)) for span in found.spans
    ]
    return SpanSplit(public.strip(), tuple(spans), found.unbalanced, tuple(hanging))


def _around_gap(left: str, right: str) -> str:
    """The few words either side of a removed span, as the preview quotes them."""
    before = " ".join(left.split()[-4:])
    after = " ".join(right.split()[:3])
    return f"{before} \u2026 {after}".strip()


def _without_empty_code(left: str, right: str) -> tuple[str, str]:
    """Take away the backticks of a code span that a removed span emptied (`` `...` `` with
    only the span inside), which would otherwise show as backticks."""
    opening = _OPENING_TICKS.search(left)
    closing = _CLOSING_TICKS.match(right) if opening else None
    if closing is None or opening[1] != closing[1]:
        return left, right
    # The backticks before the gap open a code span only if those before them pair up.
    paragraph = left[left.rfind("\n\n") + 1 : opening.start()]
    if sum(ticks == opening[1] for ticks in _TICKS.findall(paragraph)) % 2:
        return left, right
    return left[: opening.start()], right[closing.end() :]


def _without_empty_emphasis(left: str, right: str) -> tuple[str, str]:
    """Take away emphasis that a removed span emptied (`*[confidential]...[/confidential]*`),
    which would otherwise show as stray marks."""
    while left[-1:] in _EMPHASIS and left[-1:] == right[:1]:
        left, right = left[:-1], right[1:]
    # Emphasis that opened just before the span, or closes just after it, keeps to its words:
    # "see *[confidential]...[/confidential] now*" is "see *now*", not "see * now*".
    if _OPENING_EMPHASIS.search(left):
        right = right.lstrip(" \t")
    elif _CLOSING_EMPHASIS.match(right):
        left = left.rstrip(" \t")
    return left, right


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


def confidential_texts(
    draft: Draft,
    splits: Sequence[SpanSplit],
    cut_at_terms: Callable[[Sequence[tuple[str, str]]], list[list[str]]],
) -> list[tuple[str, str, str, bool]]:
    """Return (item id, origin, text, whole) for each piece of confidential text between terms.

    Spans are taken both from `split_spans` and, independently, by a plain regular
    expression, so that the final check still knows the text if one of them goes wrong.
    `whole` is True when the piece is a whole span or item, not cut by a protected term;
    `cut_at_terms` cuts texts at their protected terms (`scrub.Scrubber.pieces`).
    """
    texts: dict[tuple[str, str, str], None] = {}
    for item, split in zip(draft.items, splits, strict=True):
        if item.confidential:
            texts[item.id, "item", _MARKER.sub(" ", item.body)] = None
        elif markers.may_hold_marker(item.body):
            for span in [*split.spans, *(text for _, _, text in markers.span_texts(item.body))]:
                texts[item.id, "span", _MARKER.sub(" ", span)] = None
    entries = list(texts)
    found = []
    for (item_id, origin, _), pieces in zip(
        entries, cut_at_terms([(entry[0], entry[2]) for entry in entries]), strict=True
    ):
        found += [(item_id, origin, piece, len(pieces) == 1) for piece in pieces if piece.strip()]
    return found
