"""Redaction: turn a draft into the notes members see, and report every change and why.

`redact` is a pure function of the draft, the consents and the term lists (DESIGN.md, "Redaction:
what members see"). It works in this order, so that nothing is rendered before it is redacted:

1. decide each statement's credit from its consent (rule 2, `credits`) and which speakers may be
   named, and so which terms are protected (rule 3, `terms`);
2. drop confidential items and cut confidential spans out of the Markdown (rule 1, `spans`);
3. replace protected terms, email addresses and phone numbers in the Markdown (rule 3, 4,
   `scrub`), item by item (`assemble`);
4. render everything once with `rendering.render_markdown`;
5. check the final HTML again, failing closed (rule 5, `final_check`), and collect warnings
   (rule 6), among them published items that may repeat confidential text in other words,
   or a statement of a named speaker that is not credited, naming them (`paraphrase`).

The report (`report`) never quotes confidential text or protected terms: it says which rule,
which item, what was done and what was put in its place, so it can be stored and shown to
facilitators.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager

from notes_app.domain import markers
from notes_app.domain.consent import Consent
from notes_app.domain.notes import Draft
from notes_app.domain.redaction.assemble import (
    Published,
    PublishedItem,
    join_html,
    join_markdown,
    prepare_items,
)
from notes_app.domain.redaction.credits import credit_statements
from notes_app.domain.redaction.final_check import (
    NORMAL_FORMS,
    FinalCheck,
    public_references,
    public_vocabulary,
    repeats_confidential,
)
from notes_app.domain.redaction.paraphrase import declined_echoes, paraphrase_warnings
from notes_app.domain.redaction.report import Change, Leak, Log, Report, ReportWarning
from notes_app.domain.redaction.scrub import RedactionOptions, Scrubber, own_scrubber
from notes_app.domain.redaction.spans import SpanSplit, confidential_texts, split_spans
from notes_app.domain.redaction.terms import (
    A_PARTICIPANT,
    AN_ORGANISATION,
    EMAIL_REMOVED,
    PHONE_REMOVED,
    REDACTED,
    Match,
    ProtectedTerm,
    TermKind,
    canonical_inputs,
    collect_terms,
    find_terms,
    name_parts,
    named_shields,
    protected_terms,
)
from notes_app.domain.rendering import render_markdown_parts
from notes_app.domain.textmatch import PatternMemo

# The stages `redact` runs are looked up here when it runs, so that a test can put a broken one in
# its place and see the final check refuse (tests/domain/test_redaction.py).
_prepare_items = prepare_items
_MARKER = markers.MARKER

__all__ = [
    "A_PARTICIPANT",
    "AN_ORGANISATION",
    "EMAIL_REMOVED",
    "NORMAL_FORMS",
    "PHONE_REMOVED",
    "REDACTED",
    "Change",
    "Leak",
    "Match",
    "ProtectedTerm",
    "Published",
    "PublishedItem",
    "RedactionOptions",
    "Report",
    "ReportWarning",
    "SpanSplit",
    "TermKind",
    "credit_statements",
    "find_terms",
    "name_parts",
    "protected_terms",
    "redact",
    "repeats_confidential",
    "split_spans",
]


def redact(
    draft: Draft,
    consents: Mapping[str, Consent],
    terms: Sequence[str] = (),
    options: RedactionOptions = RedactionOptions(),  # noqa: B008 (immutable)
) -> tuple[Published, Report]:
    """Redact a draft for members; the report's `ok` is False when publication must be refused."""
    with _collector_paused():
        return _redact(draft, consents, terms, options)


@contextmanager
def _collector_paused() -> Iterator[None]:
    """Pause the cyclic garbage collector while a redaction runs.

    A redaction makes tens of thousands of short-lived objects (hits, patterns, tree nodes),
    freed by reference counting; meanwhile the collector would pass over the whole heap again
    and again, which measured 10 to 20% of the time (`make bench`). It makes no cycles of its
    own that need collecting sooner; the collector runs again as soon as it is done.
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def _redact(
    draft: Draft, consents: Mapping[str, Consent], terms: Sequence[str], options: RedactionOptions
) -> tuple[Published, Report]:
    log = Log()
    # Everything under a confidential heading is confidential from here on (rule 1).
    draft = markers.under_confidential_headings(draft)
    for item_id in markers.shared_definitions(draft):
        message = (
            "a footnote or link definition that confidential text refers to was excluded, "
            "but published text refers to it too: check the published reference"
        )
        log.warn("confidential-definition", item_id, message)
    credits = credit_statements(draft, consents)  # consent binds to the wording as written
    draft, credits, terms = canonical_inputs(draft, credits, terms, log)
    protected = collect_terms(draft, credits, terms, log)
    memo = PatternMemo()  # the words and shapes of each term, for the three matchers below
    scrubber = Scrubber(draft, credits, protected, options, memo=memo)
    splits = [split_spans(item.body) for item in draft.items]
    own = own_scrubber(draft, credits, options, memo)
    prepared = _prepare_items(draft, splits, consents, credits, scrubber, own, log)
    fragments = render_markdown_parts([entry.markdown for entry in prepared])
    items = tuple(entry.publish(html) for entry, html in zip(prepared, fragments, strict=True))
    whole_html, starts = join_html(items)
    published = Published(items, join_markdown(items), whole_html)
    confidential = confidential_texts(draft, splits, scrubber.pieces)
    references = public_references(draft, splits)
    vocabulary = public_vocabulary(references, credits, protected)
    paraphrase_warnings(draft, confidential, references, vocabulary, log)
    declined_echoes(draft, credits, references, log)
    shields = named_shields(draft, credits)
    checker = FinalCheck(protected, confidential, vocabulary, references, options, memo, shields)
    checker.run(published, starts, log)
    return published, log.report()
