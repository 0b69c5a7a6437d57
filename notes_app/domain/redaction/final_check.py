"""Rule 5: check the final output again for protected and confidential text, failing closed."""

from __future__ import annotations

import re
import unicodedata
from bisect import bisect_right
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from html import unescape
from itertools import accumulate
from operator import add
from typing import NamedTuple
from urllib.parse import unquote_plus

from notes_app.domain import markers
from notes_app.domain.canonical import strip_hidden
from notes_app.domain.consent import Attribution
from notes_app.domain.notes import Draft
from notes_app.domain.raw_html import MARKUP
from notes_app.domain.redaction.assemble import Published
from notes_app.domain.redaction.report import Leak, Log
from notes_app.domain.redaction.scrub import CONTACT_NAMES, RedactionOptions, Scrubber
from notes_app.domain.redaction.spans import SpanSplit, confidential_texts, split_spans
from notes_app.domain.redaction.terms import (
    A_PARTICIPANT,
    EMAIL_REMOVED,
    PHONE_REMOVED,
    REDACTED,
    ProtectedTerm,
    collect_terms,
    term_pattern,
)
from notes_app.domain.textmatch import (
    COMMON_WORDS,
    Decoded,
    Hit,
    Matcher,
    Pattern,
    PatternMemo,
    Status,
    contact_key,
    find_contacts,
    fold,
    skeleton,
    words,
)

# The one grammar of confidential markers (`markers`), under the names this module reads them by.
_A_MARKER = "a confidential marker"


_BLOCK_TAG = re.compile(r"</?(?:p|h[1-6]|blockquote|pre|ul|ol|table|thead|tbody|tr|hr)\b[^>\0]*>")
_CELL_TAG = re.compile(r"</?(?:li|td|th)\b[^>\0]*>")
_ANY_TAG = re.compile(r"<[^>\0]*>")
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


class _Secret(NamedTuple):  # a tuple: there are thousands of runs in long confidential text
    """A fingerprint of confidential text: a run of words, a whole short span, or a rare word."""

    item_id: str
    origin: str  # "item" or "span"
    kind: str  # "run", "phrase" or "word"

    def describe(self) -> str:
        return f"text of confidential {self.origin} {self.item_id}".replace("  ", " ")


@dataclass(frozen=True)
class _Shield:
    """A named speaker's own full name: the parts of others' names inside it are theirs."""


_SHIELD = _Shield()


@dataclass(frozen=True)
class _View:
    name: str
    text: str
    starts: list[int]  # where each item's part of the view begins


class FinalCheck:
    """Look for protected and confidential text in the final HTML, in several views and forms.

    Views (each item's part is known, so a finding names its item):

    - raw-html: the published HTML's markup exactly as stored (tags and their attributes);
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
        memo: PatternMemo | None = None,
        shields: Sequence[str] = (),
    ) -> None:
        # Inside a longer word an ordinary word is just part of it (`goodwill`): no warning.
        terms = [term_pattern(t, near=not t.ambiguous) for t in protected]
        terms += [Pattern(text, _SHIELD) for text in shields]
        memo = PatternMemo() if memo is None else memo
        secrets = secret_patterns(confidential, vocabulary, options, memo)
        self.matcher = Matcher(terms + secrets, memo)
        self.allowed = {contact_key(contact) for contact in options.allowed_contacts}
        self.references = references
        self._reference_words: dict[str, str] = {}
        self._runs_warned: set[tuple[str, _Secret, int]] = set()

    def run(self, published: Published, starts: list[int], log: Log) -> None:
        """Check every view of the published notes, adding leaks and warnings to the log."""
        self.items = published.items
        fragments = [item.html for item in published.items]
        markdowns = [item.markdown for item in published.items]
        texts = _text_views(fragments)
        # An item whose text reads the same in a later view as in an earlier one is checked once:
        # the same text gives the same hits.
        decoded_first = _unseen(
            # Without entities the HTML reads as the text view: nothing new to check.
            [_decoded_text_view(f) if "&" in f else "" for f in fragments],
            texts,
        )
        # The Markdown of items written with none of `_MARKDOWN_BEYOND_TEXT` holds the page's
        # words, in their order, with only emphasis, list and heading marks between: the text
        # view has read what it says. The others are read as written and as a renderer shows them.
        beyond = [
            markdown if _MARKDOWN_BEYOND_TEXT.search(markdown) else "" for markdown in markdowns
        ]
        markdown_texts = [_markdown_text_view(markdown) if markdown else "" for markdown in beyond]
        # Most notes split no word with markup: asked once of the whole, not of every item.
        joining = _splits_words(published.html, published.markdown)
        joined = map(_joined_text, fragments, markdowns) if joining else ["" for _ in fragments]
        joined = _unseen(list(joined), texts, markdown_texts)
        views = [
            # The markup as stored: tags and attributes, undecoded. (The text between tags is
            # read, decoded, in the text views.)
            _joined_view("raw-html", (" ".join(_ANY_TAG.findall(f)) for f in fragments)),
            _joined_view("text", texts),
            # Entities decoded before tags are stripped: `&lt;b&gt;Ro&lt;/b&gt;bin` too.
            _joined_view("text-decoded-first", decoded_first),
            _joined_view("attributes", _attribute_views(published.html, starts)),
            # The Markdown is circulated too (export, plain-text email): as it is, and as any
            # renderer would show it, with markup and comments gone and escapes decoded.
            _joined_view("markdown", _unseen(beyond, texts)),
            _joined_view("markdown-text", _unseen(markdown_texts, texts, markdowns)),
            # What markup splits inside a word, joined again (see `_joined_text`).
            _joined_view("joined", joined),
        ]
        forms = ", ".join(name for name, _ in NORMAL_FORMS)
        for view in views:
            # The HTML views report everything; the Markdown views add only the leaks that
            # the HTML does not show (warnings come from the HTML, as members read it there).
            scratch = log if not view.name.startswith(_LEAKS_ONLY) else Log()
            for hit in _unshielded(self.matcher.scan(view.text, view.starts)):
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
        for view in views[1:4]:
            self._check_contacts_and_markers(view, log)
        log.checks += [
            "rule 5: text and attributes views checked for email addresses and phone numbers",
            "rule 5: text and attributes views checked for confidential markers",
            "rule 5: near misses and ambiguous words reported",
            "rule 6: runs of words from confidential text reported",
        ]

    def _judge(self, hit: Hit, view: _View, log: Log) -> None:
        """Turn one hit into a leak, a warning, or nothing."""
        position = bisect_right(view.starts, hit.start) - 1
        item_id = self.items[position].id
        key, found = hit.pattern.key, view.text[hit.start : hit.end]
        if isinstance(key, ProtectedTerm):
            self._judge_term(hit, key, found, item_id, view, log)
        elif key.kind == "word" and view.name == "raw-html":
            return  # single words are read in the text views; the markup has its own words
        elif key.kind != "word" and self._is_known(hit.pattern.text, position):
            if key.kind == "run" and (item_id, key, id(log)) not in self._runs_warned:
                self._runs_warned.add((item_id, key, id(log)))  # one warning, however many runs
                message = f"a run of words from confidential {key.origin} {key.item_id} appears"
                log.warn("confidential-run", item_id, message)
        else:
            form = _normal_form(hit.pattern.text, found)
            log.leaks[Leak("confidential", key.describe(), item_id, view.name, form)] = None

    def _judge_term(
        self, hit: Hit, term: ProtectedTerm, found: str, item_id: str, view: _View, log: Log
    ) -> None:
        """A protected term in the output is a leak; a near or ambiguous one is a warning."""
        if view.name == "raw-html" and (
            hit.status is not Status.MATCH or skeleton(term.text) in _HTML_WORDS
        ):
            return
        if view.name.startswith(_LEAKS_ONLY) and hit.status is not Status.MATCH:
            return  # near misses and ambiguous words are reported from the HTML views
        if hit.status is Status.MATCH:
            form = _normal_form(term.text, found)
            log.leaks[Leak(str(term.kind), term.describe(), item_id, view.name, form)] = None
        elif hit.status is Status.LOWERCASE:
            return  # an ordinary word, written as one
        elif hit.status is Status.CAPITALISED:
            message = f"'{found}' is an ordinary word but also the {term.describe()}"
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

    def _check_contacts_and_markers(self, view: _View, log: Log) -> None:
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
            (start, CONTACT_NAMES[kind])
            for start, end, kind in find_contacts(text)
            if contact_key(text[start:end]) not in self.allowed
        ]
        return found + [(marker.start(), _A_MARKER) for marker in markers.markers_in(text)]

    def _item_at(self, view: _View, position: int) -> str:
        return self.items[bisect_right(view.starts, position) - 1].id


def _unshielded(hits: list[Hit]) -> list[Hit]:
    """Leave out the shields, and the protected terms found inside a named speaker's full name
    (`Rana` of another speaker in `Rana Qadir`), unless the term is that whole name."""
    shields = [h for h in hits if h.pattern.key is _SHIELD and h.status is Status.MATCH]
    if not shields:
        return [h for h in hits if h.pattern.key is not _SHIELD]
    return [
        hit
        for hit in hits
        if hit.pattern.key is not _SHIELD
        and not (
            isinstance(hit.pattern.key, ProtectedTerm)
            and any(
                s.start <= hit.start
                and hit.end <= s.end
                and skeleton(hit.pattern.text) != skeleton(s.pattern.text)
                for s in shields
            )
        )
    ]


def secret_patterns(
    confidential: Sequence[tuple[str, str, str, bool]],
    vocabulary: set[str],
    options: RedactionOptions,
    memo: PatternMemo | None = None,
) -> list[Pattern]:
    """Fingerprint confidential texts: runs of words, whole short spans, and rare words.

    Each pattern is made of words already: `memo` (for `Matcher`) is given them, so that they
    are not found again."""
    patterns: dict[tuple[str, _Secret], None] = {}
    memo = PatternMemo() if memo is None else memo
    size = options.run_words
    for item_id, origin, text, whole in confidential:
        found = words(text)
        if len(found) >= size:
            key = _Secret(item_id, origin, "run")
            for i in range(len(found) - size + 1):
                run = " ".join(found[i : i + size])
                memo.words.setdefault(run, found[i : i + size])
                patterns[run, key] = None
        elif len(found) >= 3 and whole:
            memo.words.setdefault(" ".join(found), found)
            patterns[" ".join(found), _Secret(item_id, origin, "phrase")] = None
        for word in found:
            if len(word) >= options.distinctive_length and word not in vocabulary:
                patterns[word, _Secret(item_id, origin, "word")] = None
    return [Pattern(text, key) for text, key in patterns]


def public_references(draft: Draft, splits: Sequence[SpanSplit]) -> dict[str, str]:
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
        if split.spans or markers.markers_in(text):
            by_split = set(words(_with_escapes_decoded(split.public)))
            text = " ".join(w for w in words(markers.without_spans(text)) if w in by_split)
        references.setdefault(item.id, []).append(text)
    return {item_id: "\n\n".join(texts) for item_id, texts in references.items()}


def _with_escapes_decoded(text: str) -> str:
    """Add the text with entities and percent-escapes decoded, as the attribute view has it."""
    decoded = Decoded(text).text
    return text if decoded == text else f"{text}\n\n{decoded}"


def public_vocabulary(
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
    pieces = list(parts)
    # Each start is the lengths before it plus a blank line each (mapped in C: many items).
    lengths = accumulate(map(len, pieces), initial=0)
    starts = list(map(add, lengths, range(0, 2 * len(pieces), 2)))
    return _View(name, "\n\n".join(pieces), starts)


def _text_views(fragments: Sequence[str]) -> list[str]:
    """The text view of each fragment, all made in one pass (no tag or entity spans a NUL, which
    HTML from the renderer never holds)."""
    views = _text_view("\0".join(fragments)).split("\0")
    if len(views) != len(fragments) or any("\0" in fragment for fragment in fragments):
        return [_text_view(fragment) for fragment in fragments]
    return views


def _text_view(fragment: str) -> str:
    """Return what a reader sees: tags stripped (blocks apart, inline joined), entities decoded."""
    text = _BLOCK_TAG.sub("\n\n", fragment)
    text = _CELL_TAG.sub("\n", text)
    return unescape(_ANY_TAG.sub("", text))


def _decoded_text_view(fragment: str) -> str:
    """Return the text with entities decoded first, then tags stripped (blocks apart)."""
    if "&" not in fragment:
        return _text_view(fragment)
    text = unescape(fragment)
    text = _CELL_TAG.sub("\n", _BLOCK_TAG.sub("\n\n", text))
    return _ANY_TAG.sub("", text)


def _unseen(parts: Sequence[str], *earlier: Sequence[str]) -> list[str]:
    """Blank each item's part that reads as it does in an earlier view (its hits are known)."""
    return [
        part if part and all(part.strip() != view[k].strip() for view in earlier) else ""
        for k, part in enumerate(parts)
    ]


# What Markdown can hide from the page or move into attributes: tags, comments and autolinks,
# entities, escapes, links, images and reference definitions, percent-escapes, code.
_MARKDOWN_BEYOND_TEXT = re.compile(r"[<&\\\[%`]")


# Views that add only leaks: warnings come from the HTML views, as members read them there.
_LEAKS_ONLY = ("markdown", "joined")
# What splits a word on the page or in the export and shows nothing between its halves, or
# where another renderer shows nothing: a line break (`<br>`, or two spaces or a backslash
# before a newline), a table cell boundary, an image or link with no text, a footnote
# reference.
_JOINING_HTML = re.compile(r"<br\s*/?>\s*|</t[dh]>\s*<t[dh]\b[^>]*>")
_JOINING_TAGS = ("<br", "<td", "<th")
_JOINING_MARKS = ("[](", "[^", "  \n", "\\\n")  # what `_JOINING_MARKDOWN` needs, found quickly
_JOINING_MARKDOWN = re.compile(r"!?\[\]\([^)\n]*\)|\[\^[^\]\s]+\](?!:)|(?:  +|\\)\n")


def _splits_words(html: str, markdown: str) -> bool:
    """Tell whether HTML or Markdown has any of what `_joined_text` takes away."""
    return any(tag in html for tag in _JOINING_TAGS) or any(m in markdown for m in _JOINING_MARKS)


def _joined_text(fragment: str, markdown: str) -> str:
    """Return an item's text with what splits a word inside it removed, so that
    `Varns![](x.png)worth`, `Varns[^1]worth`, `Varns<br>worth` and `| Varns | worth |` read
    as the name a reader puts together; empty when the item has none of these."""
    parts = []
    if any(tag in fragment for tag in _JOINING_TAGS):
        parts.append(_text_view(_JOINING_HTML.sub("", fragment)))
    if any(mark in markdown for mark in _JOINING_MARKS):
        parts.append(_markdown_text_view(_JOINING_MARKDOWN.sub("", markdown)))
    return "\n\n".join(parts)


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
    protected = collect_terms(draft, {}, (), Log())
    scrubber = Scrubber(draft, {}, protected, options)
    confidential = confidential_texts(draft, splits, scrubber.pieces)
    vocabulary = public_vocabulary(public_references(draft, splits), {}, protected)
    patterns = [
        pattern
        for pattern in secret_patterns(confidential, vocabulary, options)
        if single_words or pattern.key.kind != "word"
    ]
    if not patterns or not text.strip():
        return False
    hits = Matcher(patterns).scan(Decoded(text).text)
    return any(hit.status is Status.MATCH for hit in hits)
