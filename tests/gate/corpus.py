"""The adversarial corpus: named cases, each a meeting to publish through the real path.

Every case is refused, or published with nothing protected on any surface in any view. The
speakers' protected forms are canaries of every case (see `Case.all_canaries`); a case adds the
confidential sentences, terms and contacts it plants. Cases marked `expect="published"` must
publish, so that the corpus cannot pass by refusing everything.
"""

from __future__ import annotations

import re

from tests.gate.model import Case, Decision, Person

ROBIN = Person(
    "robin",
    "Robin Vashtebb",
    organisation="Quillmore University",
    role="Chief Lanternwright",
    email="robin.vashtebb@quillmore.ac.uk",
    aliases=("Robbo",),
    descriptor="a speaker from a university",
    forms=("Quillmore",),
)
NADIA = Person(
    "nadia",
    "Nadia Brightwater",
    organisation="Harbourside Council",
    role="Head of Tidal Services",
    email="nadia@harbourside.gov.uk",
    descriptor="a speaker from local government",
)
TOM = Person(
    "tom",
    "Tomasz Grzelak",
    organisation="Fenmoor Analytics",
    role="Data Steward",
    email="weathervane42@fenmoor-analytics.co.uk",
    descriptor="a speaker from industry",
    forms=("Fenmoor",),
)
NADIA_LABEL = "Nadia Brightwater, Harbourside Council"
NADIA_NAMED = Decision("nadia", label=NADIA_LABEL)

CASES: list[Case] = []


def add(name: str, category: str, body: str, **fields) -> None:
    fields.setdefault("speakers", (ROBIN,))
    CASES.append(Case(f"{category}/{name}", category, body, **fields))


def said(text: str, handle: str = "robin") -> str:
    return f"@{handle}: {text}"


# Confidential sentences, each with a word found nowhere else.
SECRET_WORDS = [
    "Greyfriars",
    "Oakhurst",
    "Pellington",
    "Marrowby",
    "Thistlecombe",
    "Wendlebury",
    "Carrowmore",
    "Dunsfold",
    "Halvergate",
    "Ickleton",
    "Jevington",
    "Kettleburgh",
    "Lullington",
    "Mickleover",
    "Nettlecombe",
    "Ousefleet",
    "Puddletown",
    "Quenington",
    "Rushbrooke",
    "Saxtead",
    "Tillingham",
    "Upavon",
    "Veryan",
    "Wickhambreaux",
    "Yarcombe",
    "Zennor",
    "Abbotsley",
    "Brancepeth",
    "Cockayne",
    "Dinnington",
    "Eastrington",
    "Fladbury",
    "Goathland",
    "Hambleden",
    "Ilmington",
    "Kelmscott",
    "Lambourn",
    "Mottisfont",
    "Norbury",
    "Otterden",
    "Pangbourne",
    "Ravensworth",
    "Sedlescombe",
    "Tolpuddle",
    "Ulcombe",
    "Walberswick",
    "Yattendon",
    "Alciston",
    "Bewcastle",
    "Chillingham",
    "Dorstone",
    "Edlingham",
    "Finchingfield",
    "Grantchester",
    "Hutton",
    "Ingleby",
    "Kirkwhelpington",
    "Lastingham",
    "Milburn",
    "Nunnington",
]
_secret_index = iter(range(10_000))


def secret() -> tuple[str, str]:
    """A confidential sentence and its distinctive word."""
    word = SECRET_WORDS[next(_secret_index) % len(SECRET_WORDS)]
    return f"the {word} grant ends in June", word


# --- hidden characters --------------------------------------------------------------------

HIDDEN = {
    "zero-width-space": "\u200b",
    "zero-width-non-joiner": "\u200c",
    "zero-width-joiner": "\u200d",
    "word-joiner": "\u2060",
    "byte-order-mark": "\ufeff",
    "soft-hyphen": "\u00ad",
    "left-to-right-mark": "\u200e",
    "right-to-left-mark": "\u200f",
    "arabic-letter-mark": "\u061c",
    "right-to-left-override": "\u202e",
    "left-to-right-override": "\u202d",
    "right-to-left-embedding": "\u202b",
    "pop-directional-formatting": "\u202c",
    "left-to-right-isolate": "\u2066",
    "right-to-left-isolate": "\u2067",
    "first-strong-isolate": "\u2068",
    "pop-directional-isolate": "\u2069",
    "hangul-filler": "\u3164",
    "hangul-choseong-filler": "\u115f",
    "hangul-jungseong-filler": "\u1160",
    "halfwidth-hangul-filler": "\uffa0",
    "next-line": "\u0085",
    "line-separator": "\u2028",
    "paragraph-separator": "\u2029",
    "variation-selector-16": "\ufe0f",
    "variation-selector-1": "\ufe00",
    "variation-selector-supplement": "\U000e0100",
    "tag-latin-small-a": "\U000e0061",
    "combining-grapheme-joiner": "\u034f",
    "mongolian-free-variation-selector": "\u180b",
    "invisible-times": "\u2062",
    "invisible-separator": "\u2063",
    "khmer-vowel-inherent": "\u17b4",
    "escape-control": "\x1b",
    "bell-control": "\x07",
}
for label, char in HIDDEN.items():
    add(f"{label}-inside-surname", "hidden", said(f"Vash{char}tebb thinks panels need paying."))
    text, word = secret()
    add(
        f"{label}-inside-confidential-marker",
        "hidden",
        f"[confi{char}dential] {said(text.capitalize() + '.')}",
        canaries=(text, word),
    )
for label, char in list(HIDDEN.items())[:10]:
    add(f"{label}-inside-email", "hidden", f"Write to robin.vash{char}tebb@quillmore.ac.uk.")
ENTITIES = {
    "decimal-zero-width-space": "&#8203;",
    "hex-zero-width-space": "&#x200B;",
    "named-soft-hyphen": "&shy;",
    "named-zero-width-joiner": "&zwj;",
    "named-zero-width-non-joiner": "&zwnj;",
    "hex-right-to-left-override": "&#x202E;",
    "double-encoded-zero-width-space": "&amp;#8203;",
}
for label, entity in ENTITIES.items():
    add(f"entity-{label}-inside-surname", "hidden", said(f"Vash{entity}tebb wants fair pay."))
add("entity-encoded-letter", "hidden", said("&#86;ashtebb and R&#x6f;bin agree."))
add("percent-encoded-in-link", "hidden", "[profile](https://social.example/Vash%E2%80%8Btebb)")
text, word = secret()
add(
    "entity-inside-confidential-marker",
    "hidden",
    f"[confi&#8203;dential] {text}.",
    canaries=(text, word),
)
add("zero-width-space-in-title", "hidden", FILLERS := "Plain words.", title="With Vash\u200btebb")
add("bidi-override-in-topics", "hidden", FILLERS, topics=("Vash\u202etebb",))

# --- look-alike letters --------------------------------------------------------------------

LOOKALIKES = {
    "cyrillic-a": "V\u0430shtebb",
    "cyrillic-e": "Vasht\u0435bb",
    "cyrillic-a-and-e": "V\u0430sht\u0435bb",
    "cyrillic-o-in-given-name": "R\u043ebin Vashtebb",
    "cyrillic-es-and-ha": "\u0421hief Lanternwright",
    "greek-omicron": "R\u03bfbin Vashtebb",
    "greek-alpha": "V\u03b1shtebb",
    "greek-capital-iota": "ROB\u0399N VASHTEBB",
    "armenian-o": "R\u0585bin Vashtebb",
    "small-capitals": "\u0280\u1d0f\u0299\u026a\u0274 Vashtebb",
    "fullwidth": "\uff36\uff41\uff53\uff48\uff54\uff45\uff42\uff42",
    "circled": "\u24cb\u24d0\u24e2\u24d7\u24e3\u24d4\u24d1\u24d1",
    "parenthesized": "\u24b1\u249c\u24ae\u24a3\u24af\u24a0\u249d\u249d",
    "mathematical-bold": "\U0001d415\U0001d41a\U0001d42c\U0001d421\U0001d42d\U0001d41e\U0001d41b\U0001d41b",
    "mathematical-italic": "\U0001d449\U0001d44e\U0001d460\u210e\U0001d461\U0001d452\U0001d44f\U0001d44f",
    "mathematical-script": "\U0001d4b1\U0001d4b6\U0001d4c8\U0001d4bd\U0001d4c9\u212f\U0001d4b7\U0001d4b7",
    "mathematical-fraktur": "\U0001d519\U0001d51e\U0001d530\U0001d525\U0001d531\U0001d522\U0001d51f\U0001d51f",
    "mathematical-double-struck": "\U0001d54d\U0001d552\U0001d564\U0001d559\U0001d565\U0001d556\U0001d553\U0001d553",
    "mathematical-monospace": "\U0001d685\U0001d68a\U0001d69c\U0001d691\U0001d69d\U0001d68e\U0001d68b\U0001d68b",
    "mathematical-sans-serif-bold": "\U0001d5e9\U0001d5ee\U0001d600\U0001d5f5\U0001d601\U0001d5f2\U0001d5ef\U0001d5ef",
    "capital-i-for-l": "QuiIImore University",
    "digit-one-for-l": "Qui11more University",
    "cyrillic-in-organisation": "Qu\u0456llmore University",
    "cyrillic-in-email": "r\u043ebin.vashtebb@quillmore.ac.uk",
    "cyrillic-in-alias": "R\u043ebbo",
    "mixed-scripts-and-zero-width": "V\u0430sh\u200bt\u0435bb",
    "fullwidth-given-name": "\uff32\uff4f\uff42\uff49\uff4e",
    "accented-decoy": "V\u00e1sht\u00e9bb",
    "combining-accents": "Va\u0301shte\u0301bb",
    "greek-in-role": "Chi\u03b5f Lant\u03b5rnwright",
}
for label, form in LOOKALIKES.items():
    add(label, "lookalike", said(f"{form} says councils should pay residents."))
add("cyrillic-in-title", "lookalike", "Plain words.", title="An hour with V\u0430shtebb")
add(
    "fullwidth-in-description",
    "lookalike",
    "Plain words.",
    description="Hosted by \uff36\uff41\uff53\uff48\uff54\uff45\uff42\uff42.",
)
add(
    "circled-in-topics",
    "lookalike",
    "Plain words.",
    topics=("\u24cb\u24d0\u24e2\u24d7\u24e3\u24d4\u24d1\u24d1",),
)

# --- letter-spacing -------------------------------------------------------------------------

SPACED = {
    "spaces": "V a s h t e b b",
    "dots": "V.a.s.h.t.e.b.b",
    "hyphens": "V-a-s-h-t-e-b-b",
    "middle-dots": "V\u00b7a\u00b7s\u00b7h\u00b7t\u00b7e\u00b7b\u00b7b",
    "underscores": "V_a_s_h_t_e_b_b",
    "asterisks": "V*a*s*h*t*e*b*b",
    "slashes": "V/a/s/h/t/e/b/b",
    "double-spaces": "V  a  s  h  t  e  b  b",
    "no-break-spaces": "V\u00a0a\u00a0s\u00a0h\u00a0t\u00a0e\u00a0b\u00a0b",
    "spaced-capitals-full-name": "R O B I N   V A S H T E B B",
    "spaced-organisation": "Q u i l l m o r e University",
    "bullets": "V\u2022a\u2022s\u2022h\u2022t\u2022e\u2022b\u2022b",
    "spaced-dots": "V . a . s . h . t . e . b . b",
}
for label, form in SPACED.items():
    add(label, "letter-spacing", said(f"{form} thinks we should pay people."))

# --- markup splitting ---------------------------------------------------------------------

MARKUP = {
    "strong-half": "**Vash**tebb made the point.",
    "emphasis-half": "*Vash*tebb made the point.",
    "underscore-emphasis-half": "_Vash_tebb made the point.",
    "strong-second-half": "Vash**tebb** made the point.",
    "strong-and-emphasis": "***Robin Vashtebb*** made the point.",
    "emphasis-per-letter": "*V*a*s*h*tebb made the point.",
    "code-span": "See `Vashtebb` on this.",
    "code-span-email": "Mail `robin.vashtebb@quillmore.ac.uk` for slides.",
    "fenced-code": "```\nowner: Robin Vashtebb\n```",
    "indented-code": "Config:\n\n    owner = Vashtebb",
    "link-text": "[Robin Vashtebb](https://example.net/talk)",
    "link-target": "[the profile](https://quillmore.ac.uk/people/robin-vashtebb)",
    "link-title": '[the talk](https://example.net/talk "Robin Vashtebb")',
    "autolink": "<https://quillmore.ac.uk/staff/vashtebb>",
    "bare-url": "Slides at https://example.net/vashtebb-slides today.",
    "reference-link": 'See [the slides][1].\n\n[1]: https://example.net/vashtebb "Vashtebb"',
    "image-alt": "![Robin Vashtebb speaking](https://example.net/pic.png)",
    "image-title": '![a photo](https://example.net/pic.png "Robin Vashtebb")',
    "image-source": "![a photo](https://example.net/vashtebb.png)",
    "raw-html-span-split": "<span>Vash</span>tebb made the point.",
    "raw-html-bold": "<b>Robin Vashtebb</b> made the point.",
    "raw-html-abbr-title": '<abbr title="Robin Vashtebb">RV</abbr> made the point.',
    "raw-html-mailto": '<a href="mailto:robin.vashtebb@quillmore.ac.uk">write</a>',
    "raw-html-img-alt": '<img alt="Vashtebb" src="x.png">',
    "raw-html-data-attribute": '<span data-who="Vashtebb">someone</span> spoke.',
    "html-comment": "Good point. <!-- from Robin Vashtebb -->",
    "html-comment-split": "Vash<!-- -->tebb made the point.",
    "html-comment-multiline": "Good.\n\n<!--\nRobin Vashtebb\n-->",
    "table-cell": "| who | said |\n| --- | --- |\n| Vashtebb | pay people |",
    "table-header": "| Vashtebb | said |\n| --- | --- |\n| someone | pay people |",
    "footnote-style": "A point.[^1]\n\n[^1]: Robin Vashtebb said it.",
    "heading": "## Vashtebb on fair pay",
    "setext-heading": "Vashtebb on fair pay\n--------------------",
    "blockquote": "> Robin Vashtebb said we should pay.",
    "nested-list": "- points\n  - from Vashtebb\n    - pay people",
    "numbered-list": "1. first\n2. Robin Vashtebb said pay people",
    "line-break-inside-name": "Robin\nVashtebb made the point.",
    "hyphenated-across-lines": "Vash-\ntebb made the point.",
    "backslash-escape": "Vash\\_tebb made the point.",
    "possessive": "Vashtebb's point was fair pay.",
    "curly-possessive": "Vashtebb\u2019s point was fair pay.",
    "hard-line-break": "Robin  \nVashtebb made the point.",
    "entity-in-link-target": "[x](https://example.net/&#86;ashtebb)",
    "mailto-link": "[write](mailto:robin.vashtebb@quillmore.ac.uk)",
    "link-in-heading": "## [Vashtebb](https://example.net)",
}
for label, body in MARKUP.items():
    add(label, "markup", body)
    if label in ("strong-half", "link-text", "link-target", "heading", "table-cell"):
        add(f"{label}-in-statement", "markup", said(body))

# --- partial identifiers -------------------------------------------------------------------

AOIFE = Person(
    "aoife",
    "Aoife O'Quarrie",
    organisation="The Lanternworks Trust",
    email="aoife@lanternworks.org",
    descriptor="a speaker from a charity",
    forms=("Lanternworks",),
)
PIETER = Person(
    "pieter",
    "Pieter van der Zwelk",
    organisation="Northmere Data Institute",
    email="p.zwelk@northmere.example",
    descriptor="a researcher",
    forms=("Northmere", "NDI"),
)
ZOE = Person(
    "zoe", "Zo\u00eb M\u00e4rkwald", organisation="Riverbend Trust", email="zoe@riverbend.example"
)
KATRIN = Person("katrin", "Katrin M\u00fcllerstrand", email="katrin@mullerstrand.example")
AMARA = Person("amara", "Amara Fenwick-Ossory", organisation="Coldharbour Labs")
PARTIAL = [
    ("surname-alone", ROBIN, "Vashtebb wants a standing panel."),
    ("given-name-alone", ROBIN, "Robin wants a standing panel."),
    ("honorific-and-surname", ROBIN, "Dr Vashtebb wants a standing panel."),
    ("honorific-with-dot", ROBIN, "Prof. Vashtebb wants a standing panel."),
    ("lower-case-name", ROBIN, "robin vashtebb wants a standing panel."),
    ("upper-case-name", ROBIN, "ROBIN VASHTEBB wants a standing panel."),
    ("surname-comma-given-name", ROBIN, "Vashtebb, Robin wants a standing panel."),
    ("initial-and-surname", ROBIN, "R. Vashtebb wants a standing panel."),
    ("alias", ROBIN, "Robbo wants a standing panel."),
    ("alias-possessive", ROBIN, "Robbo's idea was a standing panel."),
    ("organisation", ROBIN, "Quillmore University wants a standing panel."),
    ("organisation-distinctive-part", ROBIN, "Quillmore wants a standing panel."),
    ("organisation-lower-case", ROBIN, "the quillmore team wants a standing panel."),
    ("role", ROBIN, "Our Chief Lanternwright wants a standing panel."),
    ("web-domain", ROBIN, "See quillmore.ac.uk for the panel."),
    ("web-domain-with-www", ROBIN, "See www.quillmore.ac.uk/panel for the panel."),
    ("web-domain-link", ROBIN, "See [the panel](https://quillmore.ac.uk/panel)."),
    ("email-domain", ROBIN, "Anyone @quillmore.ac.uk can join."),
    ("email-local-part", ROBIN, "Ask robin.vashtebb about it."),
    ("email", ROBIN, "Write to robin.vashtebb@quillmore.ac.uk about it."),
    ("email-upper-case", ROBIN, "Write to ROBIN.VASHTEBB@QUILLMORE.AC.UK about it."),
    ("email-spelled-out", ROBIN, "Write to robin dot vashtebb at quillmore dot ac dot uk."),
    (
        "email-local-part-only-spelled",
        TOM,
        "Write to weathervane42 at fenmoor-analytics dot co dot uk.",
    ),
    ("email-local-part-unlike-name", TOM, "Ask weathervane42 about it."),
    ("email-bracketed-at", TOM, "Write to weathervane42 [at] fenmoor-analytics [dot] co [dot] uk."),
    ("email-parenthesised-at", TOM, "Write to weathervane42(at)fenmoor-analytics.co.uk."),
    ("email-in-mailto-link", TOM, "[write](mailto:weathervane42@fenmoor-analytics.co.uk)"),
    ("email-autolink", TOM, "<weathervane42@fenmoor-analytics.co.uk>"),
    ("org-hyphenated-domain", TOM, "See fenmoor-analytics.co.uk for data."),
    ("apostrophe-surname", AOIFE, "O'Quarrie wants a standing panel."),
    ("apostrophe-surname-part", AOIFE, "Quarrie wants a standing panel."),
    ("apostrophe-surname-curly", AOIFE, "O\u2019Quarrie wants a standing panel."),
    ("apostrophe-surname-dropped", AOIFE, "OQuarrie wants a standing panel."),
    ("organisation-with-article", AOIFE, "The Lanternworks Trust wants a standing panel."),
    ("organisation-without-article", AOIFE, "Lanternworks Trust wants a standing panel."),
    ("organisation-distinctive-word", AOIFE, "Lanternworks wants a standing panel."),
    ("particle-surname", PIETER, "Zwelk wants a standing panel."),
    ("particle-capitalised", PIETER, "Van der Zwelk wants a standing panel."),
    ("particle-lower-case", PIETER, "van der Zwelk wants a standing panel."),
    ("particle-with-honorific", PIETER, "Mr Zwelk wants a standing panel."),
    ("organisation-acronym", PIETER, "The NDI wants a standing panel."),
    ("organisation-acronym-dotted", PIETER, "The N.D.I. wants a standing panel."),
    ("organisation-distinctive-of-three", PIETER, "Northmere wants a standing panel."),
    ("transliteration-without-diaeresis", ZOE, "Zoe Markwald wants a standing panel."),
    ("transliteration-with-e", ZOE, "Zoe Maerkwald wants a standing panel."),
    ("diaeresis-kept", ZOE, "Zo\u00eb wants a standing panel."),
    ("decomposed-diaeresis", ZOE, "Zoe\u0308 Ma\u0308rkwald wants a standing panel."),
    ("umlaut-dropped", KATRIN, "Mullerstrand wants a standing panel."),
    ("umlaut-as-ue", KATRIN, "Muellerstrand wants a standing panel."),
    ("double-barrelled-first-half", AMARA, "Fenwick wants a standing panel."),
    ("double-barrelled-second-half", AMARA, "Ossory wants a standing panel."),
    ("double-barrelled-unhyphenated", AMARA, "Fenwick Ossory wants a standing panel."),
]
for label, person, body in PARTIAL:
    add(label, "partial", body, speakers=(person,))

OTHER_EMAIL = "quentin.bloggs@partnerorg.example"
EMAILS = {
    "plain": f"Contact {OTHER_EMAIL} for help.",
    "mailto": f"[Contact]( mailto:{OTHER_EMAIL} )",
    "autolink": f"<{OTHER_EMAIL}>",
    "upper-case": f"Contact {OTHER_EMAIL.upper()}.",
    "plus-tag": "Contact quentin.bloggs+panel@partnerorg.example.",
    "bracketed": "Contact quentin.bloggs [at] partnerorg [dot] example.",
    "spelled-out": "Contact quentin.bloggs at partnerorg dot example.",
    "parenthesised": "Contact quentin.bloggs (at) partnerorg (dot) example.",
    "entity-at": "Contact quentin.bloggs&#64;partnerorg.example.",
    "percent-at-in-link": "[Contact](mailto:quentin.bloggs%40partnerorg.example)",
}
for label, body in EMAILS.items():
    add(f"anyones-email-{label}", "contacts", body, canaries=("quentin.bloggs",))
PHONES = {
    "uk-spaces": "020 7946 0958",
    "uk-no-spaces": "02079460958",
    "uk-brackets": "(020) 7946 0958",
    "uk-hyphens": "020-7946-0958",
    "uk-dots": "020.7946.0958",
    "uk-slashes": "020/7946/0958",
    "no-leading-zero": "20 7946 0958",
    "plus-44": "+44 20 7946 0958",
    "plus-44-bracketed-zero": "+44 (0)20 7946 0958",
    "plus-44-compact": "+442079460958",
    "double-zero-44": "0044 20 7946 0958",
    "tel-link": "[call us](tel:+442079460958)",
    "tel-link-text": "[+44 20 7946 0958](tel:+442079460958)",
}
for label, phone in PHONES.items():
    add(f"phone-{label}", "contacts", f"Ring {phone} to join.", canaries=("79460958",))
add("phone-mobile", "contacts", "Ring 07700 900123 to join.", canaries=("07700900123", "700900123"))
add("phone-north-american", "contacts", "Ring +1 415 555 0134.", canaries=("4155550134",))

# --- handles and longer tokens -------------------------------------------------------------

HANDLES = {
    "at-handle": "Follow @robinvashtebb for more.",
    "at-handle-camel-case": "Follow @RobinVashtebb for more.",
    "snake-case": "Her account is robin_vashtebb.",
    "camel-case": "Search RobinVashtebb online.",
    "hyphen-in-url": "See https://social.example/robin-vashtebb for more.",
    "hashtag": "Use #VashtebbPanel when posting.",
    "file-name": "Slides: vashtebb_slides_v2.pdf",
    "surname-with-digits": "Her account is vashtebb2024.",
    "surname-and-word": "Follow @vashtebbteam for more.",
    "fediverse-handle": "Follow @vashtebb@mastodon.example for more.",
    "subreddit-style": "Post on u/vashtebb.",
    "dotted-handle": "Find robin.vashtebb.panel online.",
    "org-in-handle": "Follow @QuillmoreUni for more.",
}
for label, body in HANDLES.items():
    add(label, "handles", body)

# --- confidential markers (formal) --------------------------------------------------------


def confidential(label: str, template: str, **fields) -> None:
    text, word = secret()
    body = template.replace("SECRET", text)
    fields.setdefault("canaries", (text, word))
    add(label, "confidential", body, **fields)


AFTER = "Members agreed to meet again in spring."
for label, marker in {
    "lower-case": "[confidential]",
    "upper-case": "[CONFIDENTIAL]",
    "title-case": "[Confidential]",
    "spaces-inside": "[ Confidential ]",
    "space-before-bracket": "[confidential ]",
    "mixed-case": "[CoNfIdEnTiAl]",
    "tab-inside": "[\tconfidential\t]",
    "no-break-space-inside": "[\u00a0confidential\u00a0]",
    "zero-width-inside-word": "[confi\u200bdential]",
    "soft-hyphen-inside-word": "[confiden\u00adtial]",
    "fullwidth-brackets": "\uff3bconfidential\uff3d",
}.items():
    confidential(
        f"item-marker-{label}", f"{marker} {said('SECRET.')}\n\n{AFTER}", must_show=(AFTER,)
    )
    confidential(f"note-marker-{label}", f"{marker} SECRET.\n\n{AFTER}")
confidential("marker-after-handle", said("[confidential] SECRET."))
confidential("marker-after-handle-upper-case", said("[CONFIDENTIAL] SECRET."))
for label, (open_, close) in {
    "lower-case": ("[confidential]", "[/confidential]"),
    "upper-case": ("[CONFIDENTIAL]", "[/CONFIDENTIAL]"),
    "spaces": ("[ confidential ]", "[ /confidential ]"),
    "space-after-slash": ("[Confidential]", "[/ CONFIDENTIAL]"),
    "zero-width-in-closing": ("[confidential]", "[/confi\u200bdential]"),
}.items():
    confidential(
        f"span-{label}",
        said(f"Co-production took long {open_}because SECRET{close}, and it changed things."),
        must_show=("it changed things",),
    )
confidential("span-at-start", "[confidential]SECRET[/confidential] Pay people fairly.")
confidential("span-at-end", "Pay people fairly [confidential]because SECRET[/confidential]")
confidential("span-inside-emphasis", "Pay people **fairly [confidential]SECRET[/confidential]**.")
confidential(
    "span-inside-link-text",
    "See [the [confidential]SECRET[/confidential] report](https://example.net).",
)
confidential("span-inside-heading", "## Funding [confidential]SECRET[/confidential]")
confidential("span-across-lines", "Pay people [confidential]fairly\nSECRET[/confidential] always.")
confidential("span-in-list", "- one\n- two [confidential]SECRET[/confidential]\n- three")
confidential(
    "span-in-table", "| a | b |\n| --- | --- |\n| x | [confidential]SECRET[/confidential] |"
)
confidential(
    "two-spans",
    "A [confidential]SECRET[/confidential] B [confidential]second SECRET[/confidential] C",
)
confidential(
    "confidential-heading-excludes-its-section",
    f"## [confidential] Funding\n\nSECRET.\n\nMore on it.\n\n## Next steps\n\n{AFTER}",
    must_show=(AFTER, "Next steps"),
)
confidential(
    "confidential-heading-upper-case",
    f"## [CONFIDENTIAL] Funding\n\n{said('SECRET.')}\n\n## Next steps\n\n{AFTER}",
    must_show=(AFTER,),
)
confidential(
    "confidential-heading-with-deeper-heading",
    f"## [confidential] Funding\n\n### Detail\n\nSECRET.\n\n## Next steps\n\n{AFTER}",
    must_show=(AFTER,),
)
confidential(
    "confidential-heading-with-list",
    "## [confidential] Funding\n\n- one point\n- SECRET\n  - nested more",
)
confidential(
    "confidential-heading-with-table-and-quote",
    "## [confidential] Funding\n\n| a | b |\n| --- | --- |\n| SECRET | x |\n\n> quoted SECRET",
)
confidential(
    "confidential-top-heading-to-the-end", "# [confidential] Funding\n\nSECRET.\n\n### Sub\n\nMore."
)
confidential(
    "confidential-setext-heading",
    f"[confidential] Funding\n----------------------\n\nSECRET.\n\nNext steps\n----------\n\n{AFTER}",
)
confidential(
    "confidential-heading-mid-document",
    f"## Intro\n\nHello.\n\n## [ Confidential ] Money\n\nSECRET.\n\n## Close\n\n{AFTER}",
    must_show=(AFTER, "Hello."),
)
confidential("confidential-bullet", "- public point\n- [confidential] SECRET\n- another point")
confidential(
    "confidential-statement-bullet", f"- {said('public point')}\n- [confidential] {said('SECRET')}"
)
confidential("confidential-blockquote-item", "[confidential] > SECRET")
confidential(
    "unclosed-span-is-refused", "Pay [confidential]SECRET without a close.", expect="refused"
)
confidential(
    "confidential-statement-by-named-speaker",
    f"{said('Public view.', 'nadia')}\n\n[confidential] {said('SECRET.', 'nadia')}",
    speakers=(ROBIN, NADIA),
    consents=(NADIA_NAMED,),
)

# Found by a blind red team: each published the confidential text with no warning.
confidential(
    "red-team-rule-under-multiline-paragraph",
    "## [confidential] Funding\n\nThe grant is small.\nWe lose it: SECRET.\n---\n"
    f"More: SECRET.\n\n===\n\nAnd SECRET.\n\n## Next steps\n\n{AFTER}",
    must_show=(AFTER, "Next steps"),
)
confidential(
    "red-team-heading-without-space",
    f"[confidential] #Funding\n\nSECRET.\n\n# Next steps\n\n{AFTER}",
    must_show=(AFTER,),
)
confidential(
    "red-team-footnote-of-confidential-item",
    f"[confidential] The grant is small[^s].\n\n[^s]: SECRET.\n\n{AFTER}",
    must_show=(AFTER,),
)
confidential(
    "red-team-reference-of-confidential-span",
    "Pay [confidential]as [the plan][plan] says[/confidential] fairly.\n\n"
    '[plan]: https://example.net/plan "SECRET"',
    must_show=("fairly",),
)
confidential(
    "red-team-footnote-in-confidential-section",
    f"## [confidential] Money\n\nSee[^m].\n\n## Close\n\n{AFTER}\n\n[^M]: SECRET.",
    must_show=(AFTER,),
)
# Footnote definitions written in unusual ways still belong to the confidential text that
# refers to them (markers.py, `_DEFINITION`).
for label, definition in {
    "space-before-colon": "[^s] : SECRET.",
    "tab-indented": "\t[^s]: SECRET.",
    "in-block-quote": "> [^s]: SECRET.",
    "in-nested-block-quote": "> > [^s]: SECRET.",
    "in-bullet": "- [^s]: SECRET.",
    "in-numbered-bullet": "1. [^s]: SECRET.",
    "bracketed-label": "[^[s]]: SECRET.",
    "in-bullet-in-quote": "> * [^s] : SECRET.",
}.items():
    reference = "[^[s]]" if label == "bracketed-label" else "[^s]"
    confidential(
        f"red-team-footnote-definition-{label}",
        f"[confidential] The grant is small{reference}.\n\n{definition}\n\n{AFTER}",
        must_show=(AFTER,),
    )
    confidential(
        f"red-team-footnote-definition-{label}-of-span",
        f"Pay [confidential]as the plan{reference} says[/confidential] fairly.\n\n{definition}",
        must_show=("fairly",),
    )
# A marker inside the definition itself, and a protected term in each form.
confidential(
    "red-team-footnote-definition-holding-a-marker",
    f"A point[^s].\n\n> [^s] : [confidential]SECRET[/confidential] and more.\n\n{AFTER}",
    must_show=(AFTER,),
)
for label, definition in {
    "quoted": "> [^1]: Robin Vashtebb said it.",
    "bullet": "- [^1] : Vashtebb said it.",
    "indented": "\t[^1]: Vashtebb said it.",
}.items():
    add(f"red-team-footnote-definition-naming-{label}", "markup", f"A point.[^1]\n\n{definition}")
confidential(
    "red-team-bullet-continuation",
    f"- public point\n- [confidential] The grant.\n\n    SECRET.\n\n{AFTER}",
    must_show=(AFTER, "public point"),
)
confidential(
    "red-team-bullet-second-paragraph",
    f"- [confidential] The grant.\n\n  SECRET.\n\n{AFTER}",
    must_show=(AFTER,),
)
confidential(
    "red-team-statement-continuation",
    f"[confidential] {said('The grant.')}\n\n    SECRET.\n\n{AFTER}",
    must_show=(AFTER,),
)

# --- informal markers: warnings a facilitator must confirm ---------------------------------

for label, phrase in {
    "parenthesised": "(confidential)",
    "colon": "Confidential:",
    "strictly": "strictly confidential",
    "in-confidence": "in confidence",
    "off-the-record": "off the record",
    "off-the-record-hyphens": "off-the-record",
    "not-for-the-notes": "not for the notes",
    "not-for-circulation": "not for circulation",
    "between-us": "between us",
    "dont-minute": "don't minute this",
    "not-minuted": "not to be minuted",
    "upper-case": "OFF THE RECORD",
    "red-team-bold": "**CONFIDENTIAL**",
    "red-team-full-stop": "Confidential.",
    "red-team-not-for-publication": "(not for publication)",
    "red-team-do-not-publish": "[do not publish]",
    "red-team-private": "[private]",
    "red-team-please-dont-share": "Please don't share.",
    "red-team-embargoed": "EMBARGOED until June:",
    "red-team-do-not-repeat": "Do not repeat outside this room:",
}.items():
    text, word = secret()
    add(
        f"informal-{label}",
        "informal",
        said(f"{phrase} {text}."),
        canaries=(text, word),
        canaries_owner="robin",  # not formally confidential: the speaker's page shows it
        expect="refused",
        accept_warnings=False,
    )

for label, heading in {
    "confidential": "## Confidential",
    "confidential-items": "## CONFIDENTIAL ITEMS",
    "confidential-session": "## Confidential session",
    "not-for-publication": "## Not for publication",
    "private-session": "## Private session",
    "in-camera": "## In camera",
}.items():
    text, word = secret()
    add(
        f"red-team-heading-{label}",
        "informal",
        f"{heading}\n\n{said(text + '.')}",
        canaries=(text, word),
        canaries_owner="robin",
        expect="refused",
        accept_warnings=False,
    )

# --- consent integrity ----------------------------------------------------------------------

TWO = said("Pay panels fairly.") + "\n\n" + said("Robin Vashtebb thinks budgets are tight.")
add(
    "descriptor-on-one-declined-on-other",
    "consent",
    said("Pay panels fairly.") + "\n\n" + said("Budgets are tight at Quillmore University."),
    consents=(
        Decision("robin", level="descriptor", statement=0),
        Decision("robin", "declined", None, statement=1),
    ),
    item_checks=(("robin", 1, (ROBIN.descriptor, "Vashtebb", "Quillmore", "Lanternwright")),),
    expect="published",
    must_show=(ROBIN.descriptor,),
)
add(
    "descriptor-on-one-undecided-other",
    "consent",
    said("Pay panels fairly.") + "\n\n" + said("Our Chief Lanternwright says budgets are tight."),
    consents=(Decision("robin", level="descriptor", statement=0),),
    item_checks=(("robin", 1, (ROBIN.descriptor,)),),
    must_show=(ROBIN.descriptor,),
)
add(
    "descriptor-everywhere-still-hides-name",
    "consent",
    TWO,
    consents=(Decision("robin", level="descriptor"),),
    expect="published",
)
add(
    "name-on-one-declined-other-no-credit",
    "consent",
    said("Pay panels fairly.") + "\n\n" + said("Budgets are tight."),
    consents=(
        Decision("robin", label="Robin Vashtebb", statement=0),
        Decision("robin", "declined", None, statement=1),
    ),
    item_checks=(("robin", 1, ("Robin Vashtebb", "Quillmore", "Lanternwright")),),
    must_show=("Robin Vashtebb",),
    expect="published",
)
add(
    "declined-everywhere",
    "consent",
    TWO,
    consents=(Decision("robin", "declined", None),),
    expect="published",
)
add(
    "withdrawn-after-grant",
    "consent",
    TWO,
    consents=(Decision("robin", label="Robin Vashtebb"), Decision("robin", "withdrawn", None)),
)
add(
    "grant-all-then-decline-one",
    "consent",
    said("Pay panels fairly.") + "\n\n" + said("Budgets are tight."),
    consents=(
        Decision("robin", level="descriptor"),
        Decision("robin", "declined", None, statement=1),
    ),
    item_checks=(("robin", 1, (ROBIN.descriptor,)),),
)
add(
    "consent-stale-after-rewording",
    "consent",
    said("Pay panels fairly."),
    consents=(Decision("robin", label="Robin Vashtebb"),),
    body_after_consent=said("Pay panels fairly and quickly."),
    canaries=("Robin Vashtebb",),
    canaries_owner="robin",
)
add(
    "named-speaker-mentions-hidden-one",
    "consent",
    said("I agree with Robin Vashtebb of Quillmore University.", "nadia"),
    speakers=(ROBIN, NADIA),
    consents=(NADIA_NAMED,),
    must_show=(NADIA_LABEL,),
)
add(
    "hidden-speaker-mentions-named-one",
    "consent",
    said("Nadia Brightwater is right.", "robin") + "\n\n" + said("Thanks.", "nadia"),
    speakers=(ROBIN, NADIA),
    consents=(NADIA_NAMED,),
)
add(
    "two-hidden-speakers-mention-each-other",
    "consent",
    said("Tomasz Grzelak of Fenmoor Analytics is right.")
    + "\n\n"
    + said("Robin Vashtebb is right.", "tom"),
    speakers=(ROBIN, TOM),
)
add(
    "descriptor-of-one-speaker-not-on-another",
    "consent",
    said("Pay panels fairly.") + "\n\n" + said("Budgets are tight.", "tom"),
    speakers=(ROBIN, TOM),
    consents=(Decision("robin", level="descriptor"),),
    item_checks=(("tom", 0, (ROBIN.descriptor, TOM.descriptor)),),
)
add(
    "role-in-uncredited-statement",
    "consent",
    said("As Chief Lanternwright I see budgets shrink."),
)
add(
    "organisation-in-descriptor-credited-statement",
    "consent",
    said("At Quillmore University budgets shrink."),
    consents=(Decision("robin", level="descriptor"),),
)
add(
    "label-credited-other-speaker-unnamed",
    "consent",
    said("Pay panels fairly.", "nadia") + "\n\n" + said("Budgets are tight.", "robin"),
    speakers=(ROBIN, NADIA),
    consents=(NADIA_NAMED,),
    item_checks=(("robin", 0, (NADIA_LABEL, ROBIN.descriptor)),),
    must_show=(NADIA_LABEL,),
    expect="published",
)
add(
    "attendee-list-note",
    "consent",
    "Attending: Robin Vashtebb, Tomasz Grzelak, Nadia Brightwater.\n\n" + said("Hi.", "nadia"),
    speakers=(ROBIN, TOM, NADIA),
    consents=(NADIA_NAMED,),
)

# --- the meeting's own title, description and topics --------------------------------------

DETAILS = {
    "title-with-name": {"title": "An hour with Robin Vashtebb"},
    "title-with-surname": {"title": "Vashtebb on fair pay"},
    "title-with-organisation": {"title": "Quillmore University on fair pay"},
    "title-with-alias": {"title": "Robbo on fair pay"},
    "title-with-role": {"title": "Meet our Chief Lanternwright"},
    "title-with-email": {"title": "Questions to robin.vashtebb@quillmore.ac.uk"},
    "title-upper-case": {"title": "ROBIN VASHTEBB ON PAY"},
    "title-with-confidential-span": {
        "title": "Pay [confidential]and the Oakhurst Fund[/confidential]"
    },
    "description-with-name": {"description": "Robin Vashtebb of Quillmore University joins us."},
    "description-with-link": {"description": "See [her page](https://quillmore.ac.uk/vashtebb)."},
    "description-with-email": {"description": "RSVP to robin.vashtebb@quillmore.ac.uk."},
    "description-with-phone": {"description": "Ring 020 7946 0958 to RSVP."},
    "description-with-html-comment": {"description": "Join us. <!-- Robin Vashtebb confirmed -->"},
    "description-with-image-alt": {"description": "![Robin Vashtebb](https://example.net/p.png)"},
    "description-with-emphasis-split": {"description": "With **Vash**tebb."},
    "description-with-confidential-span": {
        "description": "Join [confidential]the Oakhurst Fund[/confidential] us."
    },
    "description-with-raw-html": {"description": '<span title="Vashtebb">Join</span> us.'},
    "topics-with-name": {"topics": ("fair pay", "Robin Vashtebb")},
    "topics-with-organisation": {"topics": ("Quillmore University",)},
    "topics-with-handle": {"topics": ("@robinvashtebb",)},
}
for label, fields in DETAILS.items():
    canaries = ("Oakhurst",) if "confidential" in label else ()
    add(label, "details", said("Pay panels fairly."), canaries=canaries, **fields)
add(
    "title-with-term",
    "details",
    "Plain words.",
    title="Project Falcon update",
    terms=("Project Falcon",),
)
add(
    "topics-with-network-term",
    "details",
    "Plain words.",
    topics=("Operation Heron",),
    network_terms=("Operation Heron",),
)

EVENT_POST = """---
title: "{title}"
date: 2025-02-11 14:00:00
topics: [{topics}]
author: Fay
---
{excerpt}

<!--more-->

{rest}
"""
for label, (title, topics, excerpt, rest) in {
    "event-post-names-the-speaker": (
        "Fair pay with Robin Vashtebb",
        "pay, Quillmore University",
        "Robin Vashtebb (Chief Lanternwright, Quillmore University) joins us at 2pm.",
        "Questions to [robin.vashtebb@quillmore.ac.uk](mailto:robin.vashtebb@quillmore.ac.uk).",
    ),
    "event-post-messy-link": (
        "Fair pay",
        "pay",
        "Hear from our[ Vashtebb](https://quillmore.ac.uk/vashtebb ) at 2pm.",
        "<!-- speaker: Robin Vashtebb --> See you there.",
    ),
    "event-post-hidden-characters": (
        "Fair pay with Vash\u200btebb",
        "V\u0430shtebb",
        "R\u043ebin joins us.",
        "Bring questions.",
    ),
    "event-post-confidential-span": (
        "Fair pay",
        "pay",
        "Join us [confidential]the Oakhurst Fund is leaving[/confidential] at 2pm.",
        "Bring questions.",
    ),
}.items():
    add(
        label,
        "details",
        said("Pay panels fairly."),
        event_post=EVENT_POST.format(title=title, topics=topics, excerpt=excerpt, rest=rest),
        canaries=("Oakhurst",),
    )

# Speakers an event post announces, whom the notes do not declare (they spoke off the record,
# or the notes were written without them): protected everywhere, as "[redacted]".
for label, (title, excerpt, rest) in {
    "event-post-announces-in-a-bullet-list": (
        "Fair pay with Henrietta Hollowmere",
        "Speakers will include:\n\n* **Henrietta Hollowmere**, Director, Hollowmere Trust\n"
        "* [Emrys Quellington](https://example.net/eq), Participation Lead",
        "Henrietta Hollowmere and Emrys Quellington will take questions at 2pm.",
    ),
    "event-post-announces-who-we-heard-from": (
        "Fair pay",
        "On 5 March we heard from:\n\n- Henrietta Hollowmere, Director of Housing\n"
        "- Emrys Quellington on panels",
        "Thanks to Hollowmere and Quellington.",
    ),
}.items():
    add(
        label,
        "details",
        said("Pay panels fairly."),
        event_post=EVENT_POST.format(title=title, topics="pay", excerpt=excerpt, rest=rest),
        canaries=("Henrietta Hollowmere", "Hollowmere", "Emrys Quellington", "Quellington"),
    )

# --- extra terms of the meeting and the network --------------------------------------------

for label, body in {
    "plain": "Project Falcon starts soon.",
    "lower-case": "project falcon starts soon.",
    "cyrillic": "Pr\u043eject F\u0430lcon starts soon.",
    "zero-width": "Project Fal\u200bcon starts soon.",
    "letter-spaced": "P r o j e c t  F a l c o n starts soon.",
    "in-link-target": "[plan](https://example.net/project-falcon)",
    "in-heading": "## Project Falcon",
    "emphasis-split": "**Project** Falcon starts soon.",
    "joined": "ProjectFalcon starts soon.",
    "across-lines": "Project\nFalcon starts soon.",
}.items():
    add(f"meeting-term-{label}", "terms", body, terms=("Project Falcon",))
for label, body in {
    "plain": "Operation Heron starts soon.",
    "in-statement": said("Operation Heron starts soon."),
    "fullwidth": "\uff2f\uff50\uff45\uff52\uff41\uff54\uff49\uff4f\uff4e Heron starts soon.",
    "in-table": "| x |\n| - |\n| Operation Heron |",
    "in-description": "Plain words.",
}.items():
    fields = {"description": "About Operation Heron."} if label == "in-description" else {}
    add(f"network-term-{label}", "terms", body, network_terms=("Operation Heron",), **fields)

# --- ordinary notes that must publish ------------------------------------------------------

PLAIN = {
    "one-paragraph": "Residents want to be asked early.",
    "two-paragraphs": "Residents want to be asked early.\n\nPanels should be paid.",
    "heading-and-text": "## Next steps\n\nWrite up the pilot.",
    "bullets": "- ask early\n- pay fairly\n- report back",
    "numbered": "1. ask early\n2. pay fairly",
    "nested-bullets": "- ask early\n  - in person\n  - online",
    "emphasis": "Residents want **clear** answers and *quick* ones.",
    "code-span": "Use the `consent` form.",
    "link": "See [the guide](https://example.net/guide).",
    "table": "| step | when |\n| --- | --- |\n| ask | early |",
    "blockquote": "> Ask early, pay fairly.",
    "fenced-code": "```\nstep one\n```",
    "ampersand-and-quotes": 'Councils & charities said "yes".',
    "unicode-punctuation": "Residents \u2014 not officials \u2014 decide.",
    "accented-words": "The caf\u00e9 r\u00e9sum\u00e9 approach works.",
    "numbers-not-phones": "In 2024, 35 of 120 councils ran 4 panels.",
    "date-not-phone": "We meet on 2025-03-05 at 14:00.",
    "ordinary-word-like-marker": "Confidentiality of data was the topic.",
    "the-word-record": "We keep a record of decisions.",
    "credited-statement": said("Pay panels fairly.", "nadia"),
    "credited-and-plain": said("Pay panels fairly.", "nadia") + "\n\nResidents agreed.",
    "statement-uncredited": said("Ask residents early."),
    "statement-uncredited-two": said("Ask residents early.") + "\n\n" + said("Report back."),
    "descriptor-credit": said("Ask residents early."),
    "heading-levels": "## One\n\n### Two\n\nText.\n\n## Three",
    "horizontal-rule": "Part one.\n\n---\n\nPart two.",
    "long-note": " ".join(["Residents want to be asked early and often."] * 20),
    "many-items": "\n\n".join(f"Point {n} about panels." for n in range(1, 16)),
    "slashes-and-dots": "Use and/or, e.g. panels.",
    "hyphenated-words": "Co-production and long-term panels.",
    "apostrophes": "The council's panel and residents' views.",
    "percent-and-currency": "Pay \u00a325 an hour, 100% of the time.",
    "question-and-exclamation": "Why not ask? Ask early!",
    "empty-speaker-statement-list": "- ask early\n- pay fairly\n\nThen report.",
    "url-without-names": "See https://example.net/guide for the guide.",
    "mailto-allowed-none": "Members discussed email etiquette.",
    "title-plain": "Residents want to be asked early.",
    "description-plain": "Residents want to be asked early.",
    "topics-plain": "Residents want to be asked early.",
    "event-post-plain": "Residents want to be asked early.",
}
for label, body in PLAIN.items():
    fields: dict = {"speakers": (ROBIN, NADIA)}
    if "@nadia" in body:
        fields["consents"] = (NADIA_NAMED,)
    # A few of its words must reach members (the Markdown around them is rendered).
    shown = [
        w
        for w in dict.fromkeys(
            re.findall(r"[A-Za-z]{5,}", re.sub(r"@\w+:|\(?https?://\S+", "", body))
        )
    ]
    if label.startswith("credited"):
        shown = [NADIA_LABEL, "Pay panels fairly."]
    if label == "descriptor-credit":
        fields["consents"] = (Decision("robin", level="descriptor"),)
        shown = [ROBIN.descriptor, "Ask residents early."]
    if label == "title-plain":
        fields["title"] = "Asking residents early"
    if label == "description-plain":
        fields["description"] = "We talk about **asking** residents."
    if label == "topics-plain":
        fields["topics"] = ("panels", "pay")
    if label == "event-post-plain":
        fields["event_post"] = EVENT_POST.format(
            title="Asking early",
            topics="panels",
            excerpt="Join us at 2pm.",
            rest="Bring questions.",
        )
    add(label, "plain", body, expect="published", must_show=tuple(shown[:3]), **fields)

# --- the blind red team's findings ---------------------------------------------------------

MARLOWE = Person(
    "mara",
    "Mara Quentley",
    organisation="Marlowe Civic Foundation",
    forms=("Marlowe",),
)
KELPIE = Person(
    "kel",
    "Kel Drummock",
    organisation="The Royal Society for Kelpie Welfare",
    forms=("Kelpie Welfare",),
)
GRUNWALD = Person(
    "gru",
    "Gru Hallendorf",
    organisation="Universität Grünwald-Ost",
    forms=("Grünwald", "Gruenwald", "Grunwald"),
)
TARNWICK = Person("tarn", "Tarn Ellsmoor", role="Head of Tarnwick Strategy", forms=("Tarnwick",))
for label, person, body in (
    ("organisation-word-team", MARLOWE, "We met the Marlowe team."),
    ("organisation-word-possessive", MARLOWE, "We read Marlowe's board minutes."),
    ("organisation-word-in-url", MARLOWE, "See https://www.marlowe.org/ for more."),
    ("organisation-words-after-generic", KELPIE, "We asked Kelpie Welfare and then Kelpie."),
    ("organisation-word-umlaut", GRUNWALD, "We asked Grünwald."),
    ("organisation-word-written-out", GRUNWALD, "We asked Gruenwald."),
    ("organisation-word-folded", GRUNWALD, "We asked Grunwald."),
    ("role-parts", TARNWICK, "We asked Tarnwick Strategy, and Tarnwick said no."),
):
    add(f"red-team-{label}", "red-team", body, speakers=(person,))
add(
    "red-team-extra-term-word",
    "red-team",
    "We start Kestrel in May.",
    terms=("Project Kestrel",),
    canaries=("Kestrel",),
)
for label, name, body, forms in (
    ("transliterated-umlaut", "Jürgen Habicht", "We asked Juergen.", ("Juergen",)),
    ("transliterated-nordic", "Hans Ørsted", "We asked Oersted.", ("Oersted",)),
    (
        "transliterated-icelandic",
        "Þóra Ðorsdóttir",
        "We asked Thora and Thorsdottir.",
        ("Thora", "Thorsdottir"),
    ),
    ("transliterated-cyrillic", "Иван Петров", "We asked Ivan Petrov.", ("Ivan Petrov", "Petrov")),
):
    person = Person("tr", name, forms=forms)
    add(f"red-team-{label}", "red-team", body, speakers=(person,))
RAFE_NAMED = Person("rb", "Rafe Qadir")
RAFE_HIDDEN = Person("ra", "Rafe Bexley", organisation="Bexmoor Trust", forms=("Bexmoor",))
add(
    "red-team-shared-first-name-credit",
    "red-team",
    said("I, Rafe Qadir, think panels need paying.", "rb")
    + "\n\n"
    + said("Budgets are tight.", "ra"),
    speakers=(RAFE_NAMED, RAFE_HIDDEN),
    consents=(Decision("rb", label="Dr Rafe Qadir"),),
    # The first name they share is shown in the credited speaker's name, and is no leak there.
    protect_speakers=False,
    canaries=("Bexley", "Bexmoor", "Rafe Bexley"),
    must_show=("Dr Rafe Qadir", "I, Rafe Qadir, think"),
    expect="published",
)

# --- the blind red team's findings: contact details and names joined by markup ------------

_DEVANAGARI = str.maketrans("0123456789", "".join(chr(0x0966 + d) for d in range(10)))
_ARABIC_INDIC = str.maketrans("0123456789", "".join(chr(0x0660 + d) for d in range(10)))
_EXTENDED_ARABIC = str.maketrans("0123456789", "".join(chr(0x06F0 + d) for d in range(10)))
RED_TEAM_PHONES = {
    "en-dash": ("07700\u2013900\u2013123", "07700900123"),
    "non-breaking-hyphen": ("+44 7700\u2011900123", "7700900123"),
    "figure-dash": ("07700\u2012900\u2012123", "07700900123"),
    "minus-sign": ("07700\u2212900\u2212123", "07700900123"),
    "em-dash": ("07700\u2014900\u2014123", "07700900123"),
    "no-break-space": ("07700\u00a0900\u00a0123", "07700900123"),
    "thin-space": ("07700\u2009900\u2009123", "07700900123"),
    "em-space": ("07700\u2003900\u2003123", "07700900123"),
    "ideographic-space": ("07700\u3000900\u3000123", "07700900123"),
    "arabic-indic-digits": ("07700900123".translate(_ARABIC_INDIC),) * 2,
    "extended-arabic-indic-digits": ("07700900123".translate(_EXTENDED_ARABIC),) * 2,
    "devanagari-digits": (
        "07700 900123".translate(_DEVANAGARI),
        "07700900123".translate(_DEVANAGARI),
    ),
    "international-without-plus": ("447700900123", "447700900123"),
    "international-double-zero": ("00447700900123", "447700900123"),
    "international-in-query-string": ("https://example.org/call?n=447700900123", "447700900123"),
}
for label, (phone, canary) in RED_TEAM_PHONES.items():
    add(
        f"red-team-phone-{label}",
        "contacts",
        f"Ring {phone} to join.",
        canaries=(canary,),
        expect="published",
        must_show=("to join",),
    )
for label, body in {
    "call": "Please call 79460123 to join.",
    "ring-me-on": "Ring me on 7946 0123 to join.",
    "tel": "Tel 79460123 for the desk.",
    "mobile-colon": "Mobile: 794 60123.",
    "whatsapp": "WhatsApp 79460123 to join.",
}.items():
    add(f"red-team-local-phone-{label}", "contacts", body, canaries=("79460123",))
add(
    "red-team-local-phone-ring-me-on-split",
    "contacts",
    "Ring me on 2079 4601 to join.",
    canaries=("20794601",),
)
# Round 5: international numbers without "+" (the first group the country code), and a
# national number with its area code in brackets, each as the red team wrote it.
ROUND5_PHONES = {
    "l2-uk-without-plus": "Call Anna on 44 20 7946 0958 to join.",
    "l2-ukraine-without-plus": "Call 380 44 123 4567 to join.",
    "l19-german-switchboard": "Reach them at 49 89 2361 0 to join.",
    "l19-french-in-pairs": "Reach them at 33 1 23 45 67 89 to join.",
    "l19-german-national-bracketed": "Or (089) 2361-0 to join.",
    "l27-india-mobile": "Call 91 98765 43210 to join.",
    "l27-poland-landline": "Call 48 12 616 1234 to join.",
    "l27-finland-landline": "Call 358 9 310 1691 to join.",
    "l11-uk-mobile-after-called": "I called 44 7700 900999 to join.",
    "l21-wales-after-contact": "Contact Rhiannon on 44 29 2087 4000 to join.",
}
for label, body in ROUND5_PHONES.items():
    canary = re.sub(r"[^0-9]", "", body)
    add(
        f"round5-phone-{label}",
        "contacts",
        body,
        canaries=(canary, canary[-7:]),
        expect="published",
        must_show=("to join",),
    )
add(
    "round5-phone-in-event-description",
    "details",
    said("Pay panels fairly."),
    description="Joining us: Dr Rhiannon Pryce. Contact Rhiannon on 44 29 2087 4000.",
    canaries=("442920874000", "20874000"),
)
add(
    "round5-phone-in-event-post",
    "details",
    said("Pay panels fairly."),
    event_post=EVENT_POST.format(
        title="Future meeting",
        topics="engagement",
        excerpt="Our next meeting, with guest speakers.",
        rest="Joining us from Cardiff. Contact the lab on 44 29 2087 4000.",
    ),
    canaries=("442920874000", "20874000"),
)
for label, body in {
    "years-in-pairs": "Budgets for 2024 2025 and 2025 2026 were set.",
    "amount-spaced-thousands": "The fund is 2 000 000 pounds and 39 000 000 euros.",
    "dates-with-dots": "We met on 20.10.2024 and 31.12.2024.",
    "reference-number": "Invoice 45 2612 3456 is paid.",
    "version-number": "Upgrade to 44.0.2403.157 first.",
    "isbn-13": "See ISBN 979-10-90636-07-1 for more.",
    "counts-in-a-row": "Turnout went 45 50 60 70 80 over five years.",
}.items():
    shown = re.findall(r"[0-9][0-9 .\-]*[0-9]", body)
    add(f"round5-{label}", "plain", body, expect="published", must_show=tuple(shown))
for label, body in {
    "long-number-isbn": "The guide (ISBN 9780306406157) helps.",
    "long-number-amount": "The fund holds 12,000,000,000 pounds.",
    "long-number-year-range": "From 2019 to 2024 we met 120 times.",
    "short-number-after-call": "We call 12 panels a year.",
    "number-after-text": "The text 2024 review is out.",
}.items():
    shown = re.findall(r"[0-9,]{4,}", body)
    add(f"red-team-{label}", "plain", body, expect="published", must_show=tuple(shown))

VARNS = Person("ell", "Ella Varnsworth")
for label, body in {
    "empty-image": "We asked Varns![](x.png)worth today.",
    "empty-link": "We asked Varns[](https://example.net/)worth today.",
    "emphasis": "We asked Varns**worth** today.",
    "footnote-reference": "We asked Varns[^1]worth today.\n\n[^1]: A note.",
    "line-break": "We asked Varns  \nworth today.",
    "backslash-line-break": "We asked Varns\\\nworth today.",
    "br-tag": "We asked Varns<br>worth today.",
    "table-cells": "| Varns | worth |\n| --- | --- |\n| a | b |",
    "letter-spacing": "We asked V a r n s w o r t h today.",
}.items():
    add(f"red-team-name-joined-by-{label}", "red-team", body, speakers=(VARNS,))
QUILLON_TRUST = Person("ell", "Ella Varnsworth", organisation="Quillon Trust")
for label, body, shown in (
    (
        "words-between-terms-kept",
        "Ella and the Quillon plan.",
        "A participant and an organisation plan.",
    ),
    (
        "said-the-kept",
        "Ella said the Quillon plan works.",
        "A participant said an organisation plan works.",
    ),
    ("emptied-code-span", "Use `[confidential]Oakhurst[/confidential]` here.", "Use here."),
    (
        "emptied-double-code-span",
        "Use `` [confidential]Oakhurst[/confidential] `` here.",
        "Use here.",
    ),
):
    add(
        f"red-team-over-redaction-{label}",
        "red-team",
        body,
        speakers=(QUILLON_TRUST,),
        canaries=("Oakhurst",) if "Oakhurst" in body else (),
        expect="published",
        must_show=(shown,),
    )
# --- the blind red team's second round: a speaker's forms ----------------------------------

for label, person, body in (
    (
        "latin-extended-lookalikes",
        Person("fq", "Ferrand Quistock"),
        "Quistɔck agreed, and Fɛrrand wrote.",
    ),
    (
        "rn-for-m",
        Person("th", "Tamsin Holmbury", forms=("Holrnbury", "Tarnsin")),
        "Holrnbury agreed; Tarnsin wrote.",
    ),
    (
        "m-for-rn",
        Person("ct", "Corvin Thornwick", forms=("Thomwick",)),
        "Thomwick agreed.",
    ),
    (
        "initials",
        Person("yk", "Ysolde Kettlemarsh", forms=("Y.K.", "YK", "Y. K.")),
        "Y.K. agreed, then YK wrote, and Y. K. spoke.",
    ),
    (
        "latin-name-in-cyrillic",
        Person("qm", "Quillan Marsvik", forms=("Квиллан Марсвик", "Марсвик")),
        "Квиллан Марсвик сказал, что Марсвик согласен.",
    ),
    (
        "chinese-name-in-pinyin",
        Person("gj", "郭静", forms=("Guo", "Jing Guo", "Guo Jing")),
        "Guo agreed. Jing Guo wrote, and later Guo Jing spoke.",
    ),
    (
        "email-local-part-short-name",
        Person("rq", "Rosalind Quenby", email="ros@fenhollow.org"),
        "Ros agreed, and ros wrote.",
    ),
    (
        "double-barrelled-part",
        Person("fb", "Ffion O'Brannagh-Van der Holt", forms=("Van der Holt",)),
        "Brannagh agreed. Then Van der Holt wrote.",
    ),
    (
        "lower-case-surname-after-title",
        Person("pm", "Piper Mason"),
        "Then mr mason came, and Dr. mason spoke.",
    ),
    (
        "role-acronym",
        Person("ce", "Corvin Thornwick", role="Chief Executive Officer", forms=("CEO", "C.E.O.")),
        "The CEO agreed, and the C.E.O. wrote.",
    ),
):
    add(f"red-team-{label}", "red-team", body, speakers=(person,))
add(
    "red-team-particle-goes-with-the-name",
    "red-team",
    "Then van der Oorschot agreed.",
    speakers=(Person("lo", "Liesbet Van Oorschot"),),
    expect="published",
    must_show=("Then a participant agreed.",),
)
