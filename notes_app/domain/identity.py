"""What else identifies a speaker, derived in one place from their record (DESIGN.md, rule 3).

Beyond the name, aliases, full organisation and full email (see `redaction._speaker_terms`), a
speaker who may not be named is identified by: the organisation's distinctive part (without
generic words or leading articles), its distinctive acronym, the email's domain and registrable
part (unless a public mail provider), the email's distinctive local part and its words (`abi@`:
`Abi`), the email written out ("x at y dot org"), the role and its acronym (`C.E.O.`). The
name's forms (`name_forms`) include its parts, two of them in either order, its initials
(`Q.V.`), its pinyin where it is written in Chinese characters, and its look-alike respellings
(`m` as `rn`, from UTS #39), its other romanisations and an Arabic name's Latin spellings; its
words' declined forms (`declined_forms`) and a given name's short forms (`short_forms`) come
from `name_spellings`. Each form is kept only when it is distinctive (rule 6): a common English
word, a generic word or a public mail provider is never protected on its own.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from dataclasses import dataclass
from functools import cache, lru_cache

from anyascii import anyascii
from english_words import get_english_words_set

from notes_app.domain import name_spellings
from notes_app.domain.lookalikes import prototypes
from notes_app.domain.textmatch import (
    COMMON_WORDS,
    PUBLIC_MAIL_NAMES,
    TOKEN,
    devanagari_latin,
    fold,
    skeleton,
)


def _set(text: str) -> frozenset[str]:
    return frozenset(text.split())


_GENERIC_ORGANISATION_WORDS = _set("""
    university universities college council councils ltd limited plc llp llc inc incorporated
    corp corporation company co trust foundation institute institution centre center group
    agency department dept office authority society association network nhs school academy
    board committee commission partnership services service ministry
    health care housing social public community national regional local royal civic
    education research science data policy
    universität universitat universitaet université universite universidad università
    universitá hochschule stiftung gesellschaft verein institut instituto fondation
    fundación fundacion fondazione gmbh ag ev sa srl bv nv asbl
    """)
# The words of a role that say its rank or kind, not which role it is (rule 6).
_GENERIC_ROLE_WORDS = _set("""
    head chief lead leader manager officer director deputy assistant associate senior junior
    principal executive vice president chair chairman chairwoman chairperson member staff
    coordinator co-ordinator adviser advisor consultant specialist analyst secretary
    """)
# The words of an extra term that say what kind of thing it is (`Project Kestrel`).
_GENERIC_TERM_WORDS = _set("""
    project projects programme programmes program programs initiative initiatives plan plans
    scheme schemes operation operations fund funds strategy pilot review report study
    """)
_ORGANISATION_ARTICLES = _set("the a an")
_CONNECTIVES = _set("of for and the in at on to &")
_PUBLIC_MAIL_PROVIDERS = _set("""
    gmail.com googlemail.com outlook.com hotmail.com hotmail.co.uk live.com live.co.uk msn.com
    yahoo.com yahoo.co.uk ymail.com icloud.com me.com mac.com proton.me protonmail.com pm.me
    aol.com gmx.com gmx.net gmx.de gmx.co.uk btinternet.com sky.com virginmedia.com
    talktalk.net mail.com zoho.com fastmail.com hey.com yandex.com
    """)
# Reserved for documentation (RFC 2606): shared by everyone, they identify no organisation.
_RESERVED_DOMAINS = _set("example.com example.org example.net")
_PUBLIC_MAIL_NAMES = PUBLIC_MAIL_NAMES
# Second-level suffixes under which the registrable name is the label before them.
_SECOND_LEVEL = _set("ac co gov org ltd plc me net sch nhs police mod com edu")
_ROLE_MAILBOXES = _set("""
    info admin administrator hello contact contacts office enquiries enquiry inquiries mail
    email team support help sales press media news noreply reply webmaster postmaster
    secretary secretariat general reception events membership
    """)
_ROLE_DETERMINERS = ("the", "a", "an", "our", "their", "its")
HONORIFICS = _set("""
    dr mr mrs ms mx miss prof professor sir dame lord lady rev revd cllr councillor
    """)
# The particles of a family name: never a protected term on their own (rule 6).
PARTICLES = _set("""
    van von der den de del della dei degli di da das dos do du la le les lo ter ten te zu zur
    bin binti bint ibn al el ben bat ap ab y e
    """)
# German and Nordic letters and how they are written without them (Müller, Mueller).
# Icelandic thorn and eth are written "th" (Þóra: Thora; Ðorsdóttir: Thorsdottir).
_TRANSLITERATIONS = {
    "ä": "ae", "ö": "oe", "ü": "ue", "ß": "ss", "æ": "ae", "ø": "oe", "å": "aa",
    "þ": "th", "ð": "th",
}  # fmt: skip
_TRANSLITERATED = re.compile("|".join(_TRANSLITERATIONS), re.IGNORECASE)
_WRITTEN_OUT = re.compile(r"(?<=[^aeiou\W\d_])(ae|oe|ue)(?=[^aeiou\W\d_])", re.IGNORECASE)
_APOSTROPHE = re.compile(r"['\u2019\u02bc]")


@dataclass(frozen=True)
class Derived:
    """One extra form that identifies a speaker.

    `replacement` is None where the speaker's own replacement (descriptor or "a participant")
    is used; `kind` is a `redaction.TermKind` value.
    """

    text: str
    kind: str
    replacement: str | None
    ambiguous: bool = False


@cache
def _dictionary() -> tuple[str, ...]:
    """English words as a dictionary lists them: in lower case, not names (`will`, not `Alex`).

    A sorted tuple rather than a set: the garbage collector passes over a tuple of strings,
    but would visit each of 200,000 set entries on every full collection (tens of ms).
    """
    return tuple(sorted(w for w in get_english_words_set(["web2"], alpha=True) if w.islower()))


def _in_dictionary(word: str) -> bool:
    words = _dictionary()
    at = bisect_left(words, word)
    return at < len(words) and words[at] == word


@lru_cache(maxsize=8192)  # asked for every term and near miss of every redaction
def ordinary_word(text: str) -> bool:
    """Tell whether a one-word term is also an ordinary English word (`Will`, `Hope`, `Council`),
    so that it is a name only where it is used as one (rule 6)."""
    found = TOKEN.findall(text)
    if len(found) != 1:
        return False
    word = fold(found[0])
    if word in COMMON_WORDS:
        return True
    return any(_in_dictionary(spelling) for spelling in (word, *_american(word)))


@cache
def _smaller_dictionary() -> tuple[str, ...]:
    """The words of GCIDE, a smaller dictionary than Webster's Second, in lower case (sorted, as
    `_dictionary`)."""
    return tuple(sorted(get_english_words_set(["gcide"], alpha=True, lower=True)))


@lru_cache(maxsize=4096)
def ordinary_name_word(text: str) -> bool:
    """Tell whether a part of a person's name is also an ordinary English word (`Will`, `Rose`,
    `Lee`), so that it is a name only where it is used as one (rule 6). Webster's Second lists
    in lower case words only a specialist knows (`kim`), which GCIDE does not: a name spelt
    like one of them is a name wherever it stands, in lower case too."""
    if not ordinary_word(text):
        return False
    word = fold(TOKEN.findall(text)[0])
    if word in COMMON_WORDS:
        return True
    words = _smaller_dictionary()
    for spelling in (word, *_american(word)):
        at = bisect_left(words, spelling)
        if at < len(words) and words[at] == spelling:
            return True
    return False


# The dictionary spells the American way: "harbour" is there as "harbor".
_BRITISH = tuple(
    (re.compile(pattern), american)
    for pattern, american in (
        (r"our(s|ed|ing|ful|less|ite|ites|able)?$", r"or\1"),
        (r"is(e|es|ed|ing|ation|ations|er|ers)$", r"iz\1"),
        (r"ys(e|es|ed|ing)$", r"yz\1"),
        (r"tre(s)?$", r"ter\1"),
        (r"ogue(s)?$", r"og\1"),
        (r"ence(s)?$", r"ense\1"),
        (r"mme(s)?$", r"m\1"),
        (r"ll(ing|ed|er|ers)$", r"l\1"),
    )
)


def _american(word: str) -> list[str]:
    return [pattern.sub(american, word) for pattern, american in _BRITISH if pattern.search(word)]


def name_forms(name: str) -> list[str]:
    """Every form of a person's name that identifies them, besides the name as written (see
    `_name_forms`; memoised, as each speaker's name is read several times a publication)."""
    return list(_name_forms(name))


@lru_cache(maxsize=4096)
def _name_forms(name: str) -> tuple[str, ...]:
    """Every form of a person's name that identifies them, besides the name as written.

    The name without honorifics; each given and family name and each half of a double name,
    but never a particle alone (`van`, `de`); a family name with its particles (`van der
    Berg`); the part after an apostrophe (`O'Neill`: `Neill`); first and last name without
    the middle ones; the German and Nordic letters written out or folded (`Müller`,
    `Mueller`, `Muller`); other scripts in Latin letters, also as Polish, Czech or Greek
    spell them (`Kowalczuk`, `Papadopoulou`); an Arabic word in its Latin spellings (`Al Ali`)
    and after the preposition `ل` (`للعلي`). Forms of a single letter are left out.
    """
    pieces = [word.strip(".,()") for word in name.split()]
    pieces = [word for word in pieces if word]
    bare = pieces
    while bare and fold(bare[0]) in HONORIFICS:
        bare = bare[1:]
    forms = []
    if len(bare) < len(pieces) and len(bare) >= 1:
        forms.append(" ".join(bare))
    named = [word for word in bare if fold(word) not in PARTICLES]
    if len(bare) >= 2 or "-" in name:
        for position, word in enumerate(bare):
            if fold(word) in PARTICLES:
                if position + 1 < len(bare) and position > 0:
                    forms.append(" ".join(bare[position:]))  # van der Berg
                continue
            forms.append(word)
            if "-" in word:
                forms.extend(_double_name(word, bare[position + 1 :]))
    if len(named) >= 3:
        forms.append(f"{named[0]} {named[-1]}")
    for word in named:
        parts = _APOSTROPHE.split(word)
        if len(parts) == 2 and len(parts[1]) >= 3:
            forms.append(parts[1])  # O'Neill: Neill
    forms += [pair for pair in _name_pairs(named) if skeleton(pair) != skeleton(name)]
    forms += _pinyin(bare)
    for form in [" ".join(bare), *forms]:
        forms.extend(_transliterations(form))
    for form in [" ".join(bare), *forms]:
        forms.extend(_respellings(form))
    for word in named:  # an Arabic name in Latin letters, and after the preposition `ل`
        spellings = name_spellings.arabic_spellings(word)
        forms += [s for s in spellings if not ordinary_word(s.replace(" ", ""))]  # Al Ly: ally
        forms += name_spellings.with_preposition(word)
    forms += initials(bare)
    seen: set[str] = set()
    kept = []
    for form in forms:
        key = skeleton(form)
        if len(key) > 1 and key not in seen:
            seen.add(key)
            kept.append(form)
    return tuple(kept)


def _named_words(name: str) -> list[str]:
    """The words of a name without honorifics and particles."""
    pieces = [word.strip(".,()") for word in name.split()]
    return [w for w in pieces if w and fold(w) not in HONORIFICS | PARTICLES]


@lru_cache(maxsize=4096)
def declined_forms(name: str) -> tuple[tuple[str, frozenset[str]], ...]:
    """The declined forms of each word of a person's name, as a stem and the endings it takes
    (`Анна`: `Анн` with `у`, `ою`...; `Virtanen`: `Virtas` with `en`, `elle`...; see
    `name_spellings.declensions`), which `textmatch` finds as one pattern each. Never a form
    that is an ordinary English word (`Jane` of `Jan`), nor any of a word that is one (`Will`)."""
    found = []
    for word in _named_words(name):
        if ordinary_name_word(word):
            continue
        for stem, endings in name_spellings.declensions(word):
            kept = frozenset(e for e in endings if not ordinary_word(stem + e))
            if kept:
                found.append((stem, kept))
    return tuple(found)


@lru_cache(maxsize=4096)
def short_forms(name: str) -> tuple[str, ...]:
    """The usual short forms of a person's given name (`Priscilla`: `Pris`, `Oleksandr` or
    `Олександр`: `Olek`, `Oluwaseun`: `Seun`; see `name_spellings.short_forms`), which are a
    name only where used as one: never a common or ordinary word (`Will` of `William`), nor
    another word of the name. A single name is not shortened."""
    named = _named_words(name)
    if len(named) < 2:
        return ()
    given = named[0] if name_spellings.in_latin(named[0]) else anyascii(named[0])
    others = {skeleton(word) for word in named}
    found = [
        short
        for short in name_spellings.short_forms(given)
        if len(skeleton(short)) >= 3 and skeleton(short) not in others and not ordinary_word(short)
    ]
    return tuple(dict.fromkeys(found))


def _double_name(word: str, rest: list[str]) -> list[str]:
    """The parts of a double-barrelled name (`O'Dwyer-Van der Berg`): each half that is not a
    particle, the part of a half after an apostrophe (`Dwyer`), and a particle glued on by the
    hyphen with what follows it (`Van der Berg`); never a particle alone."""
    halves = [half for half in word.split("-") if half]
    found = []
    for position, half in enumerate(halves):
        if fold(half) in PARTICLES:
            if position > 0 and (position + 1 < len(halves) or rest):
                found.append(" ".join(["-".join(halves[position:]), *rest]))  # Van der Berg
            continue
        found.append(half)
        parts = _APOSTROPHE.split(half)
        if len(parts) == 2 and len(parts[1]) >= 3 and fold(parts[1]) not in PARTICLES:
            found.append(parts[1])  # O'Dwyer: Dwyer
    return found


def _name_pairs(named: list[str]) -> list[str]:
    """Two parts of a name side by side, in either order (`Mason Piper`, `Maria Quenby`): a
    name even where one part alone is an ordinary word written in lower case."""
    named = [word for word in named if len(skeleton(word)) >= 3]  # not initials (`J R`)
    if not 2 <= len(named) <= 4:
        return []
    # Two ordinary words side by side may be English (`our hope will`, for `Will Hope`).
    pairs = [(a, b) for a in named for b in named if a is not b]
    return [f"{a} {b}" for a, b in pairs if not (ordinary_word(a) and ordinary_word(b))]


# Chinese characters, which anyascii writes in pinyin one syllable per character (张伟: ZhangWei).
_HAN = re.compile("[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")


def _pinyin(bare: list[str]) -> list[str]:
    """A Chinese name in pinyin (`张伟`): family name first (the first character) and last, each
    alone, and a given name of several syllables written as one word or spaced (`Xiaoming`,
    `Xiao Ming`)."""
    chars = [c for c in "".join(bare) if _HAN.match(c)]
    syllables = [anyascii(c).strip().capitalize() for c in chars]
    syllables = [s for s in syllables if s.isalpha()]
    if len(syllables) < 2:
        return []
    family, given = syllables[0], syllables[1:]
    joined = given[0] + "".join(s.lower() for s in given[1:])
    forms = [f"{family} {joined}", f"{joined} {family}", family, joined]
    if len(given) > 1:
        spaced = " ".join(given)
        forms += [f"{family} {spaced}", f"{spaced} {family}", spaced]
    return forms


@cache
def _look_alike_spellings() -> tuple[tuple[str, str], ...]:
    """The letters that Unicode's confusables (UTS #39) say look like several others (`m` and
    `rn`), each way round."""
    pairs = [
        (char, looks)
        for char, looks in prototypes().items()
        if char.isascii() and char.isalpha() and len(looks) > 1 and looks.isalpha()
    ]
    return tuple(pairs + [(looks, char) for char, looks in pairs])


def _respellings(form: str) -> list[str]:
    """A distinctive name written with look-alike letters that are several (`Quillom` as
    `Quillorn`, `Wirnsworth` as `Wimsworth`): each one swapped, and all of them at once."""
    if len(skeleton(form)) < 4 or ordinary_word(form):
        return []
    found = []
    for written, looks in _look_alike_spellings():
        places = [m.start() for m in re.finditer(re.escape(written), form)]
        if not places:
            continue
        if len(places) > 1:
            found.append(form.replace(written, looks))
        for at in places[:3]:
            found.append(form[:at] + looks + form[at + len(written) :])
    return found


# Capital letters that are abbreviations everyone uses, never a person's initials on their own.
_COMMON_ABBREVIATIONS = _set("""
    am pm ad bc ce nb ps pps eg ie uk us usa eu un tv pr hr it ai id pc gp mp qc ok vs cv
    faq dj mc rip rsvp asap etc fyi aob tba tbc na ta hq ceo cfo coo cto cio vip nhs bbc
    """)


def name_letters(*names: str) -> frozenset[str]:
    """The first letters (folded) of every word of a person's names and aliases: the letters
    their initials may be written with (`Kim Lee`: k, l)."""
    return frozenset(fold(word[0]) for name in names for word in TOKEN.findall(name))


def initials(bare: list[str]) -> list[str]:
    """A person's initials (`Quillon Varnsworth`: `Q.V.`), unless they are a word or a common
    abbreviation. Written with dots, the form matches only capitals standing as initials
    (`Q.V.`, `QV`, `Q. V.`), never the letters in lower case (see `textmatch`)."""
    named = [word for word in bare if fold(word) not in PARTICLES]
    letters = [TOKEN.findall(word)[0][0] for word in named if TOKEN.findall(word)]
    if not 2 <= len(letters) <= 4 or not all(fold(c).isalpha() for c in letters):
        return []
    found = []
    for chosen in (letters, [letters[0], letters[-1]]):
        key = "".join(fold(c) for c in chosen)
        if key in _COMMON_ABBREVIATIONS or key in COMMON_WORDS or ordinary_word(key):
            continue
        found.append("".join(f"{c.upper()}." for c in chosen))
    return list(dict.fromkeys(found))


_DEVANAGARI = re.compile("[\u0900-\u097f]")


def _transliterations(form: str) -> list[str]:
    """Write `Müller` as `Mueller`, and `Mueller` as `Muller` (which also matches `Müller`);
    and any script in Latin letters (`Иван`: `Ivan`, `Þóra`: `Thora`), by anyascii."""
    found = []
    if _TRANSLITERATED.search(form):
        found.append(_TRANSLITERATED.sub(lambda m: _cased(m[0], _TRANSLITERATIONS), form))
    if not form.isascii():
        latin = " ".join(anyascii(form).split())
        if latin and latin != form:
            found.append(latin)
            found += name_spellings.romanisations(form, latin)  # Kowalczuk, Papadopoulou
        if _DEVANAGARI.search(form):  # शर्मा: Sharma
            found.append(" ".join(w.capitalize() for w in devanagari_latin(form).split()))
    if _WRITTEN_OUT.search(form):
        folded = _WRITTEN_OUT.sub(lambda m: m[0][0], form)
        if len(skeleton(folded)) >= 4:
            found.append(folded)
    return found


def _cased(letter: str, table: dict[str, str]) -> str:
    written = table[letter.lower()]
    return written.capitalize() if letter.isupper() else written


def _distinctive_word(word: str) -> bool:
    key = skeleton(word)
    return len(key) >= 4 and key not in COMMON_WORDS


def organisation_forms(organisation: str) -> list[str]:
    """The organisation's distinctive part and acronym (the full name is protected anyway)."""
    tokens = TOKEN.findall(organisation)
    if not tokens:
        return []
    forms = []
    kept = [t for t in tokens if fold(t) not in _GENERIC_ORGANISATION_WORDS]
    while kept and fold(kept[0]) in _ORGANISATION_ARTICLES | _CONNECTIVES:
        kept.pop(0)
    while kept and fold(kept[-1]) in _CONNECTIVES:
        kept.pop()
    if kept and len(kept) < len(tokens):
        if len(kept) == 1:
            if _distinctive_word(kept[0]):
                forms.append(kept[0])
        elif any(_distinctive_word(t) for t in kept if fold(t) not in _CONNECTIVES):
            forms.append(" ".join(kept))
    forms += distinctive_parts(tokens, _GENERIC_ORGANISATION_WORDS | _ORGANISATION_ARTICLES)
    acronym = _acronym(tokens)
    if acronym:
        forms.append(acronym)
    for form in list(forms):
        forms.extend(_transliterations(form))  # Grünwald: Gruenwald
    return list(dict.fromkeys(forms))


def distinctive_parts(tokens: list[str], generic: frozenset[str]) -> list[str]:
    """Each run of distinctive words between generic words and connectives, and each of its
    words of 4 letters or more (`The Royal Society for Kelpie Welfare`: `Kelpie Welfare`,
    `Kelpie`, `Welfare`, `Royal`). An ordinary word among them is a name only where it is
    used as one (`derived_forms` marks it ambiguous)."""
    runs: list[list[str]] = [[]]
    for token in tokens:
        if fold(token) in generic | _CONNECTIVES:
            runs.append([])
        else:
            runs[-1].append(token)
    found = []
    for run in runs:
        if len(run) >= 2 and len(run) < len(tokens):
            found.append(" ".join(run))
        found += [t for t in run if len(t) >= 4 and _distinctive_word(t)]
    return found


def term_forms(term: str) -> list[str]:
    """The distinctive parts of a multi-word extra term (`Project Kestrel`: `Kestrel`), the
    term with its generic word abbreviated or in another language (`Proj. Kestrel`, `Projekt
    Kestrel`), and its acronym of three letters or more (`HRS`)."""
    tokens = TOKEN.findall(term)
    if len(tokens) < 2:
        return []
    forms = distinctive_parts(tokens, _GENERIC_TERM_WORDS | _ORGANISATION_ARTICLES)
    for token in tokens:
        for variant in _GENERIC_VARIANTS.get(fold(token), ()):
            forms.append(term.replace(token, variant, 1))
    acronym = _acronym([t.capitalize() if t.islower() else t for t in tokens])
    if acronym:
        forms.append(acronym.upper())
    return [f for f in dict.fromkeys(forms) if skeleton(f) != skeleton(term)]


# How notes abbreviate a generic word of a term, or write it in another language.
_GENERIC_VARIANTS = {
    "project": ("Proj.", "Proj", "Projekt", "Projet", "Proyecto", "Progetto", "Projeto"),
    "programme": ("Prog.", "Programm", "Programa", "Programma", "Program"),
    "program": ("Prog.", "Programm", "Programa", "Programma", "Programme"),
    "operation": ("Op.", "Op", "Operation", "Operación", "Operazione"),
    "initiative": ("Init.", "Initiative", "Iniciativa", "Initiativ"),
}


def _acronym(tokens: list[str]) -> str:
    """The initials of the organisation's words (or a word written in capitals), 3+ letters."""
    written = [t for t in tokens if len(t) >= 3 and t.isupper() and t.isalpha()]
    skipped = _ORGANISATION_ARTICLES | _CONNECTIVES
    initials = "".join(t[0] for t in tokens if t[0].isupper() and fold(t) not in skipped)
    for candidate in (*written, initials):
        key = fold(candidate)
        if len(candidate) >= 3 and key not in COMMON_WORDS | _GENERIC_ORGANISATION_WORDS:
            return candidate
    return ""


def email_forms(email: str) -> list[tuple[str, str | None]]:
    """The email's domain, registrable name, distinctive local part and written-out forms."""
    local, at, domain = email.strip().rpartition("@")
    domain = domain.strip().strip(".").lower()
    if not at or not local or "." not in domain:
        return []
    forms: list[tuple[str, str | None]] = []
    public = (
        domain in _PUBLIC_MAIL_PROVIDERS | _RESERVED_DOMAINS
        or domain.split(".")[0] in _PUBLIC_MAIL_NAMES
    )
    labels = domain.split(".")
    if not public:
        forms += [(form, None) for form in _domain_forms(domain)]
    key = skeleton(local)
    if len(key) >= 4 and key not in COMMON_WORDS and fold(local) not in _ROLE_MAILBOXES:
        forms.append((local, None))
    # The address written out: "robin at example dot org", "robin at example.org".
    spelled = " dot ".join(labels)
    forms.append((f"{local} at {spelled}", "[email removed]"))
    forms.append((f"{local} at {domain}", "[email removed]"))
    forms += [(part, None) for part in local_words(local)]
    return forms


_LOCAL_SEPARATORS = re.compile(r"[._+\-]+")


def local_words(local: str) -> list[str]:
    """The distinctive words of an email's local part (`abi@`, `abi.q@`: `abi`), which are
    often a short form of the name: 3 letters or more, not a common or ordinary word and not a
    mailbox that names a role (`info`, `admin`)."""
    found = []
    for part in [local, *_LOCAL_SEPARATORS.split(local)]:
        key = skeleton(part)
        if len(key) < 3 or not key.isalpha() or key in COMMON_WORDS | _ROLE_MAILBOXES:
            continue
        if len(key) >= 4 and part == local:
            continue  # the whole local part is a form already
        if not ordinary_word(part):
            found.append(part)
    return list(dict.fromkeys(found))


def local_part(email: str) -> str:
    return email.strip().rpartition("@")[0]


def _domain_forms(domain: str) -> list[str]:
    """A domain that is an organisation's own, and its registrable name if distinctive."""
    labels = domain.split(".")
    forms = [domain]
    name = _registrable_name(labels)
    if name and name != domain and _distinctive_word(name):
        forms.append(name)
    return forms


# Sites where anyone has a page: their domain names nobody in particular.
_SHARED_SITES = _set("""
    linkedin.com twitter.com x.com facebook.com instagram.com youtube.com youtu.be github.com
    gitlab.com medium.com substack.com wikipedia.org bsky.app mastodon.social threads.net
    google.com sites.google.com docs.google.com eventbrite.com eventbrite.co.uk zoom.us
    tiktok.com wordpress.com blogspot.com orcid.org researchgate.net
    """)
_URL_HOST = re.compile(r"^[a-z][a-z0-9+.-]*://(?:[^/@?#]*@)?([^/:?#]+)", re.IGNORECASE)


def website_forms(url: str) -> list[str]:
    """The domain of a web page that is an organisation's own (an announced speaker's
    organisation link, `https://www.hopkinsvanmil.co.uk/`: `hopkinsvanmil.co.uk`,
    `hopkinsvanmil`), as its email domain would be; a site where anyone has a page, a public
    mail provider or a domain reserved for documentation names nobody."""
    match = _URL_HOST.match(url.strip())
    if not match:
        return []
    domain = match[1].lower().strip(".")
    domain = domain[4:] if domain.startswith("www.") else domain
    labels = domain.split(".")
    if len(labels) < 2 or not all(labels):
        return []
    shared = _SHARED_SITES | _PUBLIC_MAIL_PROVIDERS | _RESERVED_DOMAINS
    if any(".".join(labels[at:]) in shared for at in range(len(labels) - 1)):
        return []
    return _domain_forms(domain)


def organisation_word(word: str) -> bool:
    """Tell whether a word says what kind of body something is (`Council`, `Trust`)."""
    return fold(word) in _GENERIC_ORGANISATION_WORDS


def role_word(word: str) -> bool:
    """Tell whether a word says a rank or kind of post (`Head`, `Manager`, `Director`)."""
    return fold(word) in _GENERIC_ROLE_WORDS or fold(word) in _ROLE_WORDS_ELSEWHERE


# Words that start a role in other languages than English (`Chargée de mission`).
_ROLE_WORDS_ELSEWHERE = _set("""
    chargé chargée charge chargee responsable directeur directrice leiter leiterin referent
    referentin jefe jefa directora coordinador coordinadora
    """)


def reads_as_personal_name(text: str) -> bool:
    """Tell whether a capitalised run of words reads as a person's name: two to five words,
    each capitalised but a family name's particles (`van`, `de`), not all of them ordinary
    English words (`Open Data`), none a word that says an organisation or a post (`Council`,
    `Director`) or an honorific on its own."""
    words = text.split()
    named = [word for word in words if fold(word.strip(".,")) not in PARTICLES]
    if not 2 <= len(named) <= 5 or len(words) > 7:
        return False
    if not all(word[:1].isupper() for word in named):
        return False
    tokens = [token for word in named for token in TOKEN.findall(word)]
    if any(organisation_word(t) or role_word(t) or fold(t) in HONORIFICS for t in tokens):
        return False
    return not all(ordinary_word(t) or fold(t) in COMMON_WORDS for t in tokens)


def _registrable_name(labels: list[str]) -> str:
    if len(labels) >= 3 and labels[-2] in _SECOND_LEVEL and len(labels[-1]) == 2:
        return labels[-3]
    return labels[-2] if len(labels) >= 2 else ""


def role_forms(role: str) -> list[str]:
    """The role as a phrase, also with its article (so "the X said" reads "a participant said")."""
    role = " ".join(role.split())
    if not skeleton(role):
        return []
    generic = _GENERIC_ROLE_WORDS | _GENERIC_ORGANISATION_WORDS | _ORGANISATION_ARTICLES
    parts = distinctive_parts(TOKEN.findall(role), generic)
    parts = [p for p in parts if skeleton(p) != skeleton(role)]
    # Its acronym, by the rule an organisation's acronym follows, written with dots so that it
    # matches capitals as initials (`Chief Executive Officer`: `CEO`, `C.E.O.`, `C. E. O.`).
    acronym = _acronym(TOKEN.findall(role)) if len(TOKEN.findall(role)) >= 2 else ""
    dotted = "".join(f"{letter}." for letter in acronym)
    acronyms = [dotted] if acronym and skeleton(acronym) != skeleton(role) else []
    return [*(f"{d} {role}" for d in _ROLE_DETERMINERS), role, *parts, *acronyms]


def derived_forms(
    organisation: str, email: str, role: str, links: tuple[str, ...] = ()
) -> list[Derived]:
    """Every extra protected form of a speaker who may not be named (see `_derived_forms`;
    memoised, as each speaker is read at every publication and preview)."""
    return list(_derived_forms(organisation, email, role, links))


@lru_cache(maxsize=4096)
def _derived_forms(
    organisation: str, email: str, role: str, links: tuple[str, ...] = ()
) -> tuple[Derived, ...]:
    """Every extra protected form of a speaker who may not be named.

    Organisation, domain, local part, the domain of the organisation's web pages (`links`) and
    role are replaced like the speaker's name (by their descriptor or "a participant"), as the
    full organisation already is; the written-out email is removed like an email.
    """
    found = [
        Derived(f, "organisation", None, ambiguous=ordinary_word(f))
        for f in organisation_forms(organisation)
    ]
    for text, replacement in email_forms(email):
        local = replacement or text == local_part(email) or text in local_words(local_part(email))
        kind = "email" if local else "organisation"
        found.append(Derived(text, kind, replacement))
    # The organisation's own web pages (an announced speaker's organisation link).
    found += [Derived(text, "organisation", None) for url in links for text in website_forms(url)]
    whole = " ".join(role.split())
    for text in role_forms(role):
        # The role itself in one word is ambiguous; a part of a longer one where ordinary.
        one_word = len(TOKEN.findall(text)) == 1
        vague = one_word and (text == whole or ordinary_word(text))
        found.append(Derived(text, "role", None, ambiguous=vague))
    return tuple(found)
