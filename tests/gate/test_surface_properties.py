"""Properties of the gate over random drafts, published through the real path.

1. Canaries planted in every protected form and on every surface (body, heading, statement,
   link text and target, title, description, topics) reach no surface in any view.
2. Notes with nothing protected are published exactly as the plain rendering of their Markdown.
"""

from __future__ import annotations

import re

from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

from notes_app.domain.rendering import render_markdown
from notes_app.extensions import db
from notes_app.models import Publication
from tests.conftest import empty_tables
from tests.gate.model import FILLER, Case, Person
from tests.gate.publish import fresh_people, publish_case, search_words
from tests.gate.surfaces import collect
from tests.gate.test_corpus import leaks

SETTINGS = settings(
    max_examples=25,
    deadline=None,
    # Each example publishes a meeting: shrinking would take minutes; the example is printed.
    phases=(Phase.explicit, Phase.reuse, Phase.generate),
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)

# Made-up words that no page of the product contains, capitalised like names.
name = st.text(alphabet="bcdfghjkmnprstvwxz", min_size=3, max_size=4).map(
    lambda s: ("Qu" + "".join(c + v for c, v in zip(s, "aeiouae", strict=False))).capitalize()
)
ORDINARY = [
    "residents",
    "panels",
    "councils",
    "budgets",
    "evidence",
    "sessions",
    "trust",
    "data",
    "people",
    "early",
    "fairly",
    "paid",
    "asked",
    "report",
    "pilot",
    "questions",
]
ordinary = st.lists(st.sampled_from(ORDINARY), min_size=2, max_size=6).map(" ".join)


def _cyrillic(word: str) -> str:
    return word.translate(str.maketrans({"a": "\u0430", "e": "\u0435", "o": "\u043e"}))


# Each protected form a name can take in the notes (none of them a known gap of the engine).
DISGUISES = {
    "plain": lambda w: w,
    "upper-case": str.upper,
    "lower-case": str.lower,
    "zero-width-space": lambda w: w[:2] + "\u200b" + w[2:],
    "soft-hyphen": lambda w: w[:3] + "\u00ad" + w[3:],
    "bidi-isolate": lambda w: "\u2066" + w[:2] + "\u2069" + w[2:],
    "cyrillic": _cyrillic,
    "fullwidth": lambda w: "".join(chr(ord(c) + 0xFEE0) for c in w),
    "emphasis-split": lambda w: f"**{w[:3]}**{w[3:]}",
    "letter-spaced": lambda w: " ".join(w),
    "possessive": lambda w: w + "'s",
    "handle": lambda w: "@" + w.lower(),
    "entity": lambda w: w[:2] + "&#8203;" + w[2:],
}
disguise = st.sampled_from(sorted(DISGUISES))
SURFACES = (
    "note",
    "heading",
    "statement",
    "link-text",
    "link-target",
    "title",
    "description",
    "topic",
)
surface = st.sampled_from(SURFACES)


def _place(where: str, words: str, form: str, fields: dict, blocks: list[str]) -> None:
    text = f"{words} {form} {words}"
    if where == "title":
        fields["title"] = f"{fields.get('title', 'Meeting')} {form}"[:200]
    elif where == "description":
        fields["description"] = fields.get("description", "") + f"\n\n{text}"
    elif where == "topic":
        fields["topics"] = (*fields.get("topics", ()), form)
    elif where == "heading":
        blocks.append(f"## {text}")
    elif where == "statement":
        blocks.append(f"@second: {text}")
    elif where == "link-text":
        blocks.append(f"[{text}](https://example.net/page)")
    elif where == "link-target":
        blocks.append(f"[{words}](https://example.net/{form.replace(' ', '-')})")
    else:
        blocks.append(text)


@SETTINGS
@given(
    given_name=name,
    surname=name,
    other=name,
    secret_word=name,
    plantings=st.lists(
        st.tuples(st.sampled_from(("given", "surname", "other")), disguise, surface, ordinary),
        min_size=1,
        max_size=6,
    ),
    words=ordinary,
)
def test_no_planted_canary_reaches_any_surface(
    app, given_name, surname, other, secret_word, plantings, words
):
    first = Person("first", f"{given_name} {surname}", descriptor="a participant from a charity")
    second = Person("second", f"Nadia {other}", organisation=f"{other} Trust")
    forms = {"given": given_name, "surname": surname, "other": other}
    fields: dict = {"title": "Monthly meeting"}
    blocks = [f"@first: {words}.", f"@second: {words}."]
    for who, how, where, around in plantings:
        _place(where, around, DISGUISES[how](forms[who]), fields, blocks)
    blocks.append(f"[confidential] @first: the {secret_word} grant ends.")
    blocks.append(f"{words} [confidential]and {secret_word} pulls out[/confidential].")
    case = Case(
        "property",
        "property",
        "\n\n".join(blocks),
        speakers=(first, second),
        canaries=(secret_word,),
        **fields,
    )
    try:
        with app.app_context():
            gate = fresh_people()
            outcome = publish_case(case)
        surfaces, _ = collect(
            app, outcome.meeting_slug, search_words(case), reader=gate["reader"],
            outsider=gate["outsider"],
        )  # fmt: skip
        found = leaks(case, surfaces)
        assert not found, f"{outcome.state}:\n" + "\n".join(found[:10])
    finally:
        with app.app_context():
            db.session.rollback()
            db.session.remove()
            empty_tables()


block = st.one_of(
    ordinary.map(lambda w: w.capitalize() + "."),
    ordinary.map(lambda w: f"## {w.capitalize()}"),
    st.lists(ordinary, min_size=1, max_size=4).map(lambda ws: "\n".join(f"- {w}" for w in ws)),
    st.tuples(ordinary, ordinary).map(lambda p: f"{p[0].capitalize()} **{p[1]}**."),
    st.tuples(ordinary, ordinary).map(lambda p: f"{p[0].capitalize()} `{p[1]}`."),
    ordinary.map(lambda w: f"> {w.capitalize()}."),
    ordinary.map(lambda w: f"See [{w}](https://example.net/guide)."),
)
_TAG = re.compile(r"<[^>]*>")


def _text(html: str) -> str:
    """What a reader reads. (The markup may differ in one way: two lists written apart are
    joined into one tight list, where Markdown alone makes a loose one.)"""
    return " ".join(_TAG.sub(" ", html).split())


@SETTINGS
@given(blocks=st.lists(block, min_size=1, max_size=8))
def test_notes_with_nothing_protected_are_the_plain_rendering(app, blocks):
    body = "\n\n".join(blocks)
    case = Case("plain property", "property", body)
    try:
        with app.app_context():
            fresh_people()
            outcome = publish_case(case)
            assert outcome.state == "published", outcome.why
            publication = db.session.scalar(db.select(Publication))
            whole = f"# Discussion\n\n{FILLER}\n\n{body}\n"
            assert _text(publication.html) == _text(render_markdown(whole))
            assert _text(publication.markdown) == _text(whole)
    finally:
        with app.app_context():
            db.session.rollback()
            db.session.remove()
            empty_tables()
