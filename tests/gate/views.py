"""Ways of reading a surface, so that a canary disguised in any of them is still seen.

These are the test's own normal forms, written apart from the engine's (`textmatch`), so that a
blind spot of the engine is not a blind spot of the test: a small table of look-alike letters
read off the Unicode character names, and invisible characters by their general category.
"""

from __future__ import annotations

import html
import re
import sys
import unicodedata
from functools import cache
from urllib.parse import unquote

from notes_app.domain import textmatch

# Letters from other scripts that look like Latin ones (lower case after casefold).
_SCRIPTS = {
    # Cyrillic
    "а": "a", "в": "b", "е": "e", "ё": "e", "к": "k", "м": "m", "н": "h", "о": "o", "р": "p",
    "с": "c", "т": "t", "у": "y", "х": "x", "ѕ": "s", "і": "i", "ї": "i", "ј": "j", "ԁ": "d",
    "ԛ": "q", "ԝ": "w", "һ": "h", "ɡ": "g", "ʏ": "y", "ь": "b", "п": "n", "г": "r",
    # Greek
    "α": "a", "β": "b", "ε": "e", "η": "n", "ι": "i", "κ": "k", "ν": "v", "ο": "o", "ρ": "p",
    "τ": "t", "υ": "u", "χ": "x", "γ": "y", "ϲ": "c", "ϳ": "j", "μ": "u", "ω": "w",
    # Armenian
    "օ": "o", "ս": "u", "ո": "n", "հ": "h", "ց": "g", "զ": "q", "ռ": "n", "ա": "w", "ե": "t",
    # Latin extras
    "ı": "i", "ȷ": "j", "ſ": "s", "ℓ": "l", "ɑ": "a", "ɩ": "i", "ɪ": "i",
}  # fmt: skip
_LATIN_NAME = re.compile(
    r"\b(?:LATIN |)(?:SMALL |CAPITAL |)(?:LETTER |)(?:SMALL CAPITAL )?([A-Z])$"
)
_ONE_LETTER = re.compile(r"(?:LETTER|SMALL|CAPITAL|SCRIPT|FRAKTUR|ITALIC|BOLD|MONOSPACE) ([A-Z])$")
# Letters people write for one another: capital I, one and bar for l.
_I_AND_L = str.maketrans({"i": "l", "1": "l", "|": "l", "!": "l"})
_HIDDEN_CATEGORIES = frozenset({"Cf", "Cc", "Zl", "Zp", "Co", "Cs", "Cn", "Me"})
_FILLERS = "\u115f\u1160\u3164\uffa0\u034f\u17b4\u17b5\u180b\u180c\u180d\u180e\u180f\u2800"


def _hidden(code: int) -> bool:
    char = chr(code)
    if char in "\n\t":
        return False
    if char in _FILLERS or 0xFE00 <= code <= 0xFE0F or 0xE0100 <= code <= 0xE01EF:
        return True
    return unicodedata.category(char) in _HIDDEN_CATEGORIES


def _latin_for(char: str) -> str | None:
    if char in _SCRIPTS:
        return _SCRIPTS[char]
    name = unicodedata.name(char, "")
    latin_family = any(word in name for word in ("LATIN", "MATHEMATICAL", "CIRCLED"))
    enclosed = "LETTER" in name and ("SQUARED" in name or "PARENTHESIZED" in name)
    if not (latin_family or enclosed):
        return None
    match = _ONE_LETTER.search(name) or _LATIN_NAME.search(name)
    if match is None or "WITH" in name:
        return None
    return match.group(1).lower()


@cache
def _tables() -> tuple[dict[int, None], dict[int, str], dict[int, None]]:
    hidden: dict[int, None] = {}
    latin: dict[int, str] = {}
    marks: dict[int, None] = {}
    for code in range(sys.maxunicode + 1):
        if 0xD800 <= code <= 0xDFFF:
            continue
        if unicodedata.combining(chr(code)):
            marks[code] = None
        if _hidden(code):
            hidden[code] = None
        elif code > 0x7F:
            letter = _latin_for(chr(code))
            if letter:
                latin[code] = letter
    return hidden, latin, marks


_TAG = re.compile(r"<[^>]*>")
_SPACE = re.compile(r"\s+")
_NOT_ALNUM = re.compile(r"[\W_]+")
# Markdown that shows nothing between two letters when another renderer shows it: an image or
# link with no text, a footnote reference (a small number at most).
_EMPTY_MARKUP = re.compile(r"!?\[\]\([^)\n]*\)|\[\^[^\]\s]+\](?!:)")
_SPACED = re.compile(r"(?<![^\W_])(?:[^\W_][ .\-_*/\u00b7\u2022]{1,3}){2,}[^\W_](?![^\W_])")


def unescape(text: str) -> str:
    """Decode entities until nothing changes (a double-encoded entity is still an entity)."""
    for _ in range(4):
        decoded = html.unescape(text)
        if decoded == text:
            break
        text = decoded
    return text


def _unquote(text: str) -> str:
    for _ in range(3):
        decoded = unquote(text)
        if decoded == text:
            break
        text = decoded
    return text


def _strip_marks(text: str) -> str:
    return unicodedata.normalize("NFKD", text).translate(_tables()[2])


def visible(text: str) -> str:
    return text.translate(_tables()[0])


def latin(text: str) -> str:
    """Accents off, look-alikes to Latin, lower case, and i/1/| read as l."""
    text = _strip_marks(visible(text)).translate(_tables()[1]).casefold()
    return unicodedata.normalize("NFKC", text).translate(_I_AND_L)


def _squash(text: str) -> str:
    return _NOT_ALNUM.sub("", latin(text))


def _unspace(text: str) -> str:
    return _SPACED.sub(lambda m: _NOT_ALNUM.sub("", m.group(0)), text)


def _spaces(text: str) -> str:
    return _SPACE.sub(" ", text)


# Each view: how a surface is read, and how a canary is written for it.
def surface_views(raw: str) -> dict[str, str]:
    text = unescape(_TAG.sub(" ", raw))
    decoded = _unquote(unescape(raw))
    both = text + "\n" + decoded
    folded = latin(_spaces(both))
    return {
        "raw": raw.casefold(),
        "text": _spaces(text).casefold(),
        "url-decoded": _spaces(decoded).casefold(),
        "nfkc-casefold": _spaces(unicodedata.normalize("NFKC", both).casefold()),
        "no-invisible": _spaces(unicodedata.normalize("NFKC", visible(both)).casefold()),
        "latin-letters": _spaces(folded),
        "letter-spacing": _spaces(_unspace(folded)),
        "engine-skeleton": _spaces(textmatch.skeleton(visible(both))),
        "alphanumerics-only": _squash(both),
        "empty-markup-removed": _squash(_EMPTY_MARKUP.sub("", both)),
    }


def canary_forms(canary: str) -> dict[str, str]:
    plain = _spaces(canary).strip()
    folded = latin(plain)
    return {
        "raw": plain.casefold(),
        "text": plain.casefold(),
        "url-decoded": plain.casefold(),
        "nfkc-casefold": unicodedata.normalize("NFKC", plain).casefold(),
        "no-invisible": unicodedata.normalize("NFKC", plain).casefold(),
        "latin-letters": folded,
        "letter-spacing": folded,
        "engine-skeleton": _spaces(textmatch.skeleton(plain)),
        "alphanumerics-only": _squash(plain),
        "empty-markup-removed": _squash(plain),
    }


# Shorter than this, a canary read with no spaces would be found across word boundaries.
SQUASHED_AT_LEAST = 6
_SQUASHED_VIEWS = ("alphanumerics-only", "engine-skeleton", "empty-markup-removed")
# Shorter than this, a canary is looked for as a whole word only.
SUBSTRING_AT_LEAST = 4


def found_in(views: dict[str, str], canary: str) -> list[str]:
    """Name every view in which `canary` can be read."""
    hits = []
    for view, form in canary_forms(canary).items():
        if not form:
            continue
        if view in _SQUASHED_VIEWS:
            if len(form) >= SQUASHED_AT_LEAST and form in views[view]:
                hits.append(view)
            continue
        if len(_NOT_ALNUM.sub("", form)) < SUBSTRING_AT_LEAST:
            pattern = rf"(?<![^\W_]){re.escape(form)}(?![^\W_])"
            if re.search(pattern, views[view]):
                hits.append(view)
        elif form in views[view]:
            hits.append(view)
    return hits


def excerpt(raw: str, canary: str, views: dict[str, str], view: str) -> str:
    """A little of the view around the first hit, for the failure message."""
    text = views[view]
    form = canary_forms(canary)[view]
    at = text.find(form)
    return repr(text[max(at - 60, 0) : at + len(form) + 60]) if at >= 0 else "?"
