"""The blind red team's fifth round on the forms a name takes (findings L1, L3, L4, L16, L17,
L18, L22, L25, L26): declined (Cyrillic, Polish, Finnish), romanised another way (Polish,
Greek), an Arabic name in Latin letters or after a preposition, a Latin name written in
Devanagari, and the short forms of a given name (`Pris`, `olek`, `seun`).

The speakers are the red team's (docs/red-team/round-5.md, test files T1, T5, T6, T7, T10), none
of whom may be named. Each leak case is the red team's exact input: its canaries are proved
absent from the Markdown and the page. Each precision case says the exact sentence members read:
ordinary words, and other words that share a name's letters, stay.
"""

from __future__ import annotations

import html

import pytest

from notes_app.domain import name_spellings
from notes_app.domain.identity import declined_forms, name_forms, ordinary_word, short_forms
from notes_app.domain.notes import Draft, Item, ItemKind, Speaker
from notes_app.domain.redaction import find_terms, protected_terms, redact

OLEK = Speaker(
    "olek",
    "Ołeksandr Petrenko",
    organisation="Kyiv Digital Office",
    role="Chief Data Officer",
    email="o.petrenko@kdo.gov.ua",
    aliases=("Sasha",),
    descriptor="a speaker from a city government",
)
ANNA = Speaker(
    "anna",
    "Анна Ковальчук",
    organisation="Міністерство цифрової трансформації",
    role="Deputy Minister",
    email="anna@thedigital.gov.ua",
    descriptor="a speaker from central government",
)
T1 = (OLEK, ANNA)
T5 = (
    Speaker("g", "Gwen Talbot", organisation="Northshire Council", email="gwen@northshire.gov.uk"),
    Speaker("pz", "Priscilla Zhang", organisation="Zhang Consulting", role="Director"),
)
T6 = (
    Speaker(
        "m",
        "محمد العلي",
        organisation="جامعة الملك سعود",
        role="Professor",
        email="malali@ksu.edu.sa",
        descriptor="an academic",
    ),
    Speaker(
        "el",
        "Ελένη Παπαδοπούλου",
        organisation="Athens Data Lab",
        role="Researcher",
        email="eleni@adl.gr",
        descriptor="a researcher",
    ),
    Speaker(
        "hk",
        "Hans Müller",
        organisation="Stadtwerke München",
        role="Analyst",
        email="hans.mueller@swm.de",
        descriptor="a speaker from a utility",
    ),
)
T7 = (
    Speaker("oa", "Oluwaseun Adeyemi", organisation="Lagos Data Trust", role="Head of Insight"),
    Speaker("jd", "Joséphine Durand-Lefèvre", organisation="Mairie de Lyon"),
)
T10 = (
    Speaker(
        "jk", "Jan Kowalski", organisation="Urząd Miasta Krakowa", email="jan.kowalski@um.krakow.pl"
    ),
    Speaker(
        "mv", "Mikko Virtanen", organisation="Helsingin kaupunki", email="mikko.virtanen@hel.fi"
    ),
    Speaker(
        "rs",
        "Ravi Shankar",
        organisation="Chennai Smart City Ltd",
        email="ravi@chennaismartcity.in",
    ),
)
WILLIAM = Speaker("wh", "William Hope", organisation="Hope Analytics")


def _redact(body: str, speakers: tuple[Speaker, ...]):
    result, report = redact(Draft(speakers, (), (Item(ItemKind.NOTE, body, id="n1"),)), {})
    assert not report.leaks, report.leaks
    return result


def published(body: str, speakers: tuple[Speaker, ...]) -> str:
    return _redact(body, speakers).items[0].markdown


def shown(body: str, speakers: tuple[Speaker, ...]) -> str:
    result = _redact(body, speakers)
    return (result.markdown + "\n" + html.unescape(result.html)).casefold()


# (name, speakers, the red team's input, canaries that must not be shown)
LEAKS = [
    (
        "l1-cyrillic-declined-given-and-family-names",
        T1,
        "Members thanked Олександра Петренка and Анну Ковальчук for the talk. "
        "Анною Ковальчук спілкувались. Also Ковальчуком.",
        ("Олександр", "Петренк", "Анну", "Анною", "Ковальчук"),
    ),
    ("l3-short-form-olek-in-an-and-pair", T1, "- anna and olek both spoke", ("anna", "olek")),
    (
        "l4-polish-romanisation-of-a-cyrillic-family-name",
        T1,
        "Thanks to Petrenkowi and Kowalczuk.",
        ("petrenk", "kowalczuk"),
    ),
    ("l16-short-form-pris", T5, "- Pris and Gwennie were there", ("pris", "gwen")),
    (
        "l17-arabic-li-with-the-article-assimilated",
        T6,
        "- Thanks to ولمحمد and بالعلي and للعلي.",
        ("محمد", "علي"),
    ),
    (
        "l18-arabic-name-in-latin-letters",
        T6,
        "- mohammed al-ali too; Mohammed Alali",
        ("mohammed", "ali"),
    ),
    (
        "l18-greek-name-romanised-with-ou",
        T6,
        "- της Ελένης Παπαδοπούλου, Eleni Papadopoulou.",
        ("ελέν", "παπαδοπούλου", "eleni", "papadopoulou"),
    ),
    (
        "l22-short-form-seun",
        T7,
        "seun and josephine agreed. Durand spoke, then Lefevre. Adeyemis team at LDT and "
        "Lagos Data Trust. The Head of Insight spoke. Mairie de Lyon too.",
        ("seun", "josephine", "durand", "lefevre", "adeyemi"),
    ),
    (
        "l25-polish-declined-given-name",
        T10,
        "Dziękujemy Janowi Kowalskiemu i panu Kowalskiego; Jana Kowalskiego.",
        ("janowi", "jana", "kowalsk"),
    ),
    (
        "l25-finnish-nen-stem-and-gradation",
        T10,
        "Kiitos Mikko Virtaselle ja Virtasen tiimille; Mikolle.",
        ("mikko", "virtase", "mikolle"),
    ),
    (
        "l26-latin-name-written-in-devanagari",
        T10,
        "रवि शंकर and ravi and mikko and jan spoke; ...",
        ("रवि", "शंकर", "ravi", "mikko", "jan"),
    ),
]


@pytest.mark.parametrize(
    ("speakers", "body", "canaries"), [c[1:] for c in LEAKS], ids=[c[0] for c in LEAKS]
)
def test_round5_name_form_is_not_shown(speakers, body, canaries):
    text = shown(body, speakers)
    for canary in canaries:
        assert canary.casefold() not in text, (canary, text)


# (name, speakers, input, what members read; None: the input as it stands)
READABLE = [
    (
        "l1-declined-names-read-as-one-replacement-each",
        T1,
        "Members thanked Олександра Петренка and Анну Ковальчук for the talk. "
        "Анною Ковальчук спілкувались. Also Ковальчуком.",
        "Members thanked a participant and a participant for the talk. "
        "A participant спілкувались. Also a participant.",
    ),
    (
        "l25-declined-given-and-family-name-read-as-one",
        T10,
        "Kiitos Mikko Virtaselle ja Virtasen tiimille; Mikolle.",
        "Kiitos a participant ja a participant tiimille; a participant.",
    ),
    (
        "l18-arabic-spellings-read-as-one-replacement",
        T6,
        "- mohammed al-ali too; Mohammed Alali",
        "- A participant too; a participant",
    ),
    # The same letters as a short form, as an ordinary word in another language: kept.
    ("precision-pris-in-french-stays", T5, "Le temps pris en compte.", None),
    # A short form that is an English word is no term at all (`Will` of William).
    ("precision-will-of-william-stays", (WILLIAM,), "Will the council agree? We will see.", None),
    ("precision-seun-inside-a-word-stays", T7, "The Seunig report.", None),
    # Words that begin like a declined stem, and English words that are one of its forms.
    ("precision-jane-and-january-stay", T10, "Jane agreed with Janet in January.", None),
    ("precision-cyrillic-word-sharing-a-stem-stays", T1, "Аннотация к докладу.", None),
    ("precision-finnish-word-sharing-a-stem-stays", T10, "Mikolajki and Virtasalmi.", None),
    ("precision-ally-is-not-al-ali", T6, "An ally and an alley.", None),
    ("precision-hindi-word-without-the-name-stays", T10, "नमस्ते and welcome.", None),
]


@pytest.mark.parametrize(
    ("speakers", "body", "expected"), [c[1:] for c in READABLE], ids=[c[0] for c in READABLE]
)
def test_round5_name_form_reads(speakers, body, expected):
    assert published(body, speakers) == (body if expected is None else expected)


def test_round5_l22_short_form_of_an_announced_speaker():
    """As the red team had it: the event post announced Oluwaseun Adeyemi, the notes do not
    declare them."""
    body = next(case[2] for case in LEAKS if case[0] == "l22-short-form-seun")
    draft = Draft((), (), (Item(ItemKind.NOTE, body, id="n1"),), announced=T7)
    result, report = redact(draft, {})
    assert not report.leaks
    assert "seun" not in result.markdown.casefold()
    assert result.items[0].markdown.startswith("[redacted] and [redacted] agreed.")


def test_round5_short_forms_are_a_name_only_where_used_as_one():
    assert short_forms("Priscilla Zhang") == ("Pris",)
    assert short_forms("Ołeksandr Petrenko") == ("Ołek",)
    assert short_forms("Олександр Петренко") == ("Olek",)
    assert short_forms("Oluwaseun Adeyemi") == ("Seun",)
    assert short_forms("William Hope") == ()  # `Will` is an ordinary word
    assert short_forms("Gwen Talbot") == ()  # too short to shorten
    assert short_forms("Priscilla") == ()  # a single name is not shortened
    # In lower case, the short form alone is a name only where it is used as one.
    assert published("- pris agreed", T5) == "- A participant agreed"
    assert published("Le prix est pris.", T5) == "Le prix est pris."


def test_round5_declined_forms_are_one_pattern_a_word_and_never_english():
    declined = dict(declined_forms("Jan Kowalski"))
    assert "a" in declined["Jan"] and "owi" in declined["Jan"]
    assert "e" not in declined["Jan"]  # `Jane` is an English word
    assert dict(declined_forms("Mikko Virtanen")).keys() == {"Mikk", "Miko", "Virtas"}
    assert "у" in dict(declined_forms("Анна Ковальчук"))["Анн"]
    assert declined_forms("Will Hope") == ()  # ordinary words are not declined
    # One term a declined word, not one a form.
    terms = protected_terms(Draft(T10, (), ()), {})
    assert sum(1 for t in terms if t.endings) == len(
        [d for s in T10 for d in declined_forms(s.name)]
    )


def test_round5_arabic_spellings_are_bounded_and_never_english():
    spellings = name_spellings.arabic_spellings("محمد")
    assert {"Mohammed", "Muhammad", "Mohamed", "Mohammad"} <= set(spellings)
    assert len(spellings) <= 300
    long_name = name_spellings.arabic_spellings("عبدالرحمن")
    assert 1 <= len(long_name) <= 300
    forms = name_forms("محمد العلي")
    assert {"Al Ali", "El Ali", "للعلي"} <= set(forms)
    assert not [f for f in forms if ordinary_word(f.replace(" ", ""))]


def test_round5_romanisations_of_cyrillic_and_greek():
    assert {"Kowalczuk", "Kovalčuk"} <= set(name_forms("Анна Ковальчук"))
    assert "Papadopoulou" in name_forms("Ελένη Παπαδοπούλου")


def test_round5_a_declined_name_in_a_comment_is_found():
    terms = protected_terms(Draft(T1, (), ()), {})
    found = find_terms("Дякую, Анну було чудово чути", terms)
    assert [m.text for m in found] == ["Анну"]


NAMES = (
    "Jan Kowalski", "Mikko Virtanen", "Анна Ковальчук", "Ołeksandr Petrenko", "Priscilla Zhang",
    "Sam Rose", "Nina Park", "Marco Bianchi", "Maria Lopez", "Otto Berg", "Dan Brown",
    "Stephanie Clark", "Christopher Lee", "William Hope", "Robert Mason", "Charlotte Day",
    "Сара Бойко", "Вера Мельник", "Tom Cook", "Rosa Parks", "Oluwaseun Adeyemi",
)  # fmt: skip


@pytest.mark.parametrize("name", NAMES)
def test_round5_no_declined_or_short_form_is_an_english_word(name):
    for stem, endings in declined_forms(name):
        assert not [e for e in endings if ordinary_word(stem + e)], (stem, endings)
    assert not [s for s in short_forms(name) if ordinary_word(s)]
