"""The other ways one word of a name is written: in another case of the sentence (Slavic and
Finnish endings), romanised otherwise than anyascii does it (Polish, Czech, Greek), in Latin
letters from Arabic, and shortened (`Pris`). These are candidates: `identity` keeps those that
are distinctive (rule 6), never an ordinary English word.
"""

from __future__ import annotations

import re
import unicodedata
from functools import cache
from itertools import product

_CYRILLIC = re.compile("[\u0400-\u052f]")
_GREEK = re.compile("[\u0370-\u03ff\u1f00-\u1fff]")


def in_latin(word: str) -> bool:
    """Tell whether every letter of a word is a Latin one (`Ołeksandr`, not `Олександр`)."""
    return all("LATIN" in unicodedata.name(c, "") for c in word if c.isalpha())


# --- declined forms -------------------------------------------------------------------------

# By how a name ends in the nominative: the ending that the other cases replace, and theirs
# (Ukrainian and Russian; `Анна`: `Анну`, `Анною`). A name that ends in a consonant keeps it
# and adds the ending, which a name of four letters or more is found inside anyway.
_CYRILLIC_ENDINGS = (
    ("ський", ("ського", "ському", "ським", "ськім")),
    ("цький", ("цького", "цькому", "цьким", "цькім")),
    ("ский", ("ского", "скому", "ским")),
    ("а", ("и", "і", "ы", "е", "у", "ою", "ой", "ей", "о", "ої", "ій")),
    ("я", ("і", "и", "ї", "ю", "ею", "єю", "ей", "е")),
    ("о", ("а", "у", "ові", "ом", "і", "е")),
    ("ь", ("я", "ю", "ем", "еві", "і", "ею")),
    ("й", ("я", "ю", "єм", "ем", "еві", "ї")),
)
_CYRILLIC_ADDED = ("а", "у", "ом", "ові", "е", "ем", "і", "ым", "им")
# The same in Latin letters: Polish, Czech and Slovak endings, which also spell the endings of a
# Latin name written in Cyrillic (`Олександра` for `Oleksandr`, `Петренка` for `Petrenko`).
_LATIN_ENDINGS = (
    # Polish adjectival names: `Wróblewska`: `Wróblewskiej`, `Wróblewską`; `Kowalski`:
    # `Kowalskiego`.
    ("ska", ("skiej", "ską", "sko")),
    ("cka", ("ckiej", "cką", "cko")),
    ("ski", ("skiego", "skiemu", "skim", "scy")),
    ("cki", ("ckiego", "ckiemu", "ckim", "ccy")),
    ("a", ("y", "i", "e", "u", "o", "ie", "ou", "oyu")),
    ("o", ("a", "u", "i", "e", "om", "owi", "ovi", "em", "iem")),
)
_LATIN_ADDED = ("a", "u", "e", "om", "owi", "ovi", "em", "ie")
_FLEETING_E = ("a", "owi", "iem", "u", "em", "ovi")
# Finnish: a name in -nen takes its cases on -se- (`Virtanen`: `Virtasen`, `Virtaselle`, and
# the partitive `Virtasta`); the cases of a name that ends in a vowel.
_FINNISH_NEN = ("en", "elle", "ella", "elta", "essa", "esta", "eksi", "ena", "et", "een", "ta")
_FINNISH_CASES = ("n", "lle", "lla", "lta", "ssa", "sta", "ksi", "t")
# Consonant gradation: a doubled stop before the last vowel is single in most cases (`Mikko`:
# `Mikon`, `Mikolle`).
_GRADATION = re.compile(r"([kpt])\1([aeiouyäö])$")


def declensions(part: str) -> list[tuple[str, tuple[str, ...]]]:
    """The declined forms of one word of a name, each as a stem and the endings it takes in
    the same word (`Анна`: `Анн` with `у`, `ою`...; `Jan`: `Jan` with `a`, `owi`...; `Mikko`:
    `Mikk` with `a`, `u`... and `Miko` with `n`, `lle`...). Empty for a word of other letters
    than Latin or Cyrillic, or of fewer than three."""
    lower = part.lower()
    if len(lower) < 3 or not part.isalpha():
        return []
    if _CYRILLIC.search(part):
        return _by_ending(part, _CYRILLIC_ENDINGS, _CYRILLIC_ADDED if len(part) < 4 else ())
    if not in_latin(part):
        return []
    if lower.endswith("nen") and len(lower) >= 6:
        found = [(part[:-3] + ("S" if part[-3].isupper() else "s"), _FINNISH_NEN)]
    else:
        found = _by_ending(part, _LATIN_ENDINGS, _LATIN_ADDED)
    if lower.endswith("ek") and len(lower) >= 4:  # Polish and Czech lose the e: `Marek`: `Markiem`
        found.append((part[:-2] + part[-1], _FLEETING_E))
    graded = _GRADATION.search(lower)
    if graded:
        found.append((part[: graded.start() + 1] + part[graded.end() - 1 :], _FINNISH_CASES))
    return found


def _by_ending(
    part: str, table: tuple[tuple[str, tuple[str, ...]], ...], added: tuple[str, ...]
) -> list[tuple[str, tuple[str, ...]]]:
    lower = part.lower()
    for ending, endings in table:
        if lower.endswith(ending):
            stem = part[: len(part) - len(ending)]
            return [(stem, endings)] if len(stem) >= 3 else []
    if lower[-1] in "aeiouyаеєиіїоуюяыэ":
        return []
    return [(part, added)] if added else []


# --- other romanisations ------------------------------------------------------------------

# How other languages romanise Cyrillic where anyascii writes the English way (`Koval'chuk`):
# Polish (`Kowalczuk`), and Czech or Slovak (`Kovalčuk`); and Greek as it is usually romanised,
# where anyascii writes upsilon as `y` (`Papadopoylou`: `Papadopoulou`).
_CYRILLIC_ROMANISATIONS = (
    {"shch": "szcz", "kh": "ch", "ch": "cz", "sh": "sz", "zh": "ż", "ts": "c", "v": "w",
     "ya": "ja", "yu": "ju", "ye": "je", "yi": "ji", "'": ""},
    {"shch": "šč", "kh": "ch", "ch": "č", "sh": "š", "zh": "ž", "ts": "c",
     "ya": "ja", "yu": "ju", "ye": "je", "yi": "ji", "'": ""},
)  # fmt: skip
_GREEK_ROMANISATIONS = ({"oy": "ou", "ay": "av", "ey": "ev"},)


def romanisations(written: str, latin: str) -> list[str]:
    """Other usual Latin spellings of a Cyrillic or Greek name than anyascii's (`latin`):
    `Ковальчук` as `Kowalczuk` and `Kovalčuk`, `Παπαδοπούλου` as `Papadopoulou`."""
    tables = _CYRILLIC_ROMANISATIONS if _CYRILLIC.search(written) else ()
    tables += _GREEK_ROMANISATIONS if _GREEK.search(written) else ()
    found = []
    for table in tables:
        spelled = _table_pattern(tuple(table)).sub(
            lambda m, table=table: _cased(m[0], table), latin
        )
        if spelled != latin:
            found.append(spelled)
    return found


@cache
def _table_pattern(keys: tuple[str, ...]) -> re.Pattern[str]:
    return re.compile("|".join(sorted(map(re.escape, keys), key=len, reverse=True)), re.I)


def _cased(written: str, table: dict[str, str]) -> str:
    spelled = table[written.lower()]
    return spelled.capitalize() if written[:1].isupper() else spelled


# --- Arabic names in Latin letters ---------------------------------------------------------

# Each letter as Latin names spell it (`محمد`: `Mohammed`, `Muhammad`): consonants, long vowels
# and the glottal letters, which are mostly not written (`سعيد`: `Said`, `Saeed`).
_ARABIC_CONSONANTS = {
    "ب": ("b",), "ت": ("t",), "ث": ("th", "s"), "ج": ("j", "g"), "ح": ("h",), "خ": ("kh",),
    "د": ("d",), "ذ": ("dh", "z"), "ر": ("r",), "ز": ("z",), "س": ("s",), "ش": ("sh",),
    "ص": ("s",), "ض": ("d", "dh"), "ط": ("t",), "ظ": ("z", "dh"), "ع": ("",), "غ": ("gh",),
    "ف": ("f",), "ق": ("q", "k"), "ك": ("k",), "ل": ("l",), "م": ("m",), "ن": ("n",),
    "ه": ("h",), "ء": ("",), "ئ": ("",), "ؤ": ("",),
}  # fmt: skip
_ARABIC_VOWELS = {
    "ا": ("a",), "أ": ("a", "o"), "إ": ("i", "e"), "آ": ("a",), "ى": ("a",), "ة": ("a", "ah"),
    "و": ("u", "o", "ou"), "ي": ("i", "y", "ee"),
}  # fmt: skip
# The short vowels Arabic leaves unwritten between two consonants: as many as the bound allows.
_SHORT_VOWELS = (
    ("a", "o", "u", "e", "i", ""),
    ("a", "o", "u", "e", ""),
    ("a", "u", "e", ""),
    ("a", ""),
    ("a",),
)
_MOST_SPELLINGS = 300  # of one word of a name


def arabic_spellings(part: str) -> list[str]:
    """A word of an Arabic name in the Latin spellings it is usually given, at most
    `_MOST_SPELLINGS` (`محمد`: `Mohammed`, `Muhammad`, `Mohamed`...): each letter as it is
    spelt, a short vowel or none between two consonants, a consonant doubled inside the word
    (the unwritten shadda), and the article as `Al` or `El` (`العلي`: `Al Ali`, which is also
    found as `Alali` and `al-ali`)."""
    article = part.startswith("ال") and len(part) > 3
    letters = part[2:] if article else part
    if not letters or any(c not in _ARABIC_CONSONANTS and c not in _ARABIC_VOWELS for c in letters):
        return []
    for vowels in _SHORT_VOWELS:
        options = _letter_options(letters, vowels)
        count = 1
        for choice in options:
            count *= len(choice)
        if count * (2 if article else 1) <= _MOST_SPELLINGS:
            break
    else:
        options = [choice[:1] for choice in options]
    found = []
    for chosen in product(*options):
        word = "".join(chosen)
        if len(word) < 2 or not re.search("[aeiouy]", word) or re.search(r"(.)\1\1", word):
            continue
        if article:
            found += [f"Al {word.capitalize()}", f"El {word.capitalize()}"]
        else:
            found.append(word.capitalize())
    return list(dict.fromkeys(found))


def _letter_options(letters: str, vowels: tuple[str, ...]) -> list[tuple[str, ...]]:
    """The spellings of each letter in turn, with a short vowel between two consonants."""
    options: list[tuple[str, ...]] = []
    consonant_before = False
    for at, char in enumerate(letters):
        consonant = char in _ARABIC_CONSONANTS
        if char in "وي" and at == 0:
            spellings: tuple[str, ...] = ("w",) if char == "و" else ("y",)
            consonant = True
        else:
            spellings = _ARABIC_CONSONANTS.get(char) or _ARABIC_VOWELS[char]
        if consonant and consonant_before:
            options.append(vowels)
        inside = 0 < at < len(letters) - 1
        if consonant and inside and len(spellings[0]) == 1 and spellings[0] != "h":
            spellings = (*spellings, *(s + s for s in spellings if len(s) == 1))
        options.append(spellings)
        consonant_before = consonant
    return options


def with_preposition(part: str) -> list[str]:
    """An Arabic word with the article after the preposition `ل`, which drops the article's
    alif (`العلي`: `للعلي`); `و` and `ب` before a word leave it whole, and are found anyway."""
    return [f"لل{part[2:]}"] if part.startswith("ال") and len(part) > 3 else []


# --- short forms ---------------------------------------------------------------------------

# Yoruba given names that begin with a word of praise are called by what follows it
# (`Oluwaseun`: `Seun`, `Olusegun`: `Segun`).
_YORUBA_LEADS = ("oluwa", "olu")


def short_forms(given: str) -> list[str]:
    """The usual short forms of a given name in Latin letters: what follows `Olu` or `Oluwa`
    (`Oluwaseun`: `Seun`), or else its first four letters when it has six or more
    (`Priscilla`: `Pris`, `Oleksandr`: `Olek`)."""
    lower = given.lower()
    if not given.isalpha():
        return []
    lead = next((w for w in _YORUBA_LEADS if lower.startswith(w) and len(lower) - len(w) >= 3), "")
    if lead:
        return [given[len(lead) :].capitalize()]
    return [given[:4]] if len(given) >= 6 else []
