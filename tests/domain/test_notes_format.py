"""The notes file format: every rule, every error with its line, and the round trip."""

from __future__ import annotations

import re
import string
from dataclasses import replace

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from notes_app.domain.notes import Draft, Item, ItemKind, Speaker
from notes_app.domain.notes_format import NotesFormatError, parse, serialise
from tests.paths import DESIGN

SECTION, STATEMENT, NOTE = ItemKind.SECTION, ItemKind.STATEMENT, ItemKind.NOTE

# Front matter of four lines, so the body starts on line 5.
FRONT = (
    "---\nspeakers: [{handle: robin, name: Robin Example}, {handle: sam, name: Sam Doe}]\n---\n\n"
)


def same_but_whitespace(first: str, second: str) -> bool:
    return "".join(first.split()) == "".join(second.split())


def body_items(text: str) -> tuple[Item, ...]:
    return parse(FRONT + text).items


def design_example() -> str:
    found = re.search(r"```markdown\n(.*?)\n```", DESIGN.read_text(encoding="utf-8"), re.DOTALL)
    assert found, "DESIGN.md no longer has the notes format example"
    return found[1]


# The example in DESIGN.md.


def test_design_example_reads_as_described():
    draft = parse(design_example())
    assert draft.speakers == (
        Speaker(
            handle="robin",
            name="Robin Example",
            organisation="Example University",
            role="Ethics Lead",
            email="robin@example.org",
            aliases=("Rob", "Dr Example"),
            descriptor="a speaker from a university",
        ),
    )
    assert draft.terms == ("Project Falcon",)
    assert [(item.kind, item.speaker, item.confidential) for item in draft.items] == [
        (SECTION, None, False),
        (STATEMENT, "robin", False),
        (NOTE, None, False),
        (STATEMENT, "robin", True),
        (STATEMENT, "robin", False),
    ]
    assert draft.items[0].body == "Involving patients early"
    assert draft.items[3].body == "Our funder is about to cut the programme."
    assert "[confidential]because the council pulled out[/confidential]" in draft.items[4].body


def test_design_example_round_trips():
    text = design_example()
    assert same_but_whitespace(serialise(parse(text)), text)
    assert parse(serialise(parse(text))) == parse(text)


# Reading: one small case per rule.


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        pytest.param("# Title", [Item(SECTION, "Title", level=1)], id="heading"),
        pytest.param("### Deep  ", [Item(SECTION, "Deep", level=3)], id="heading-level-3"),
        pytest.param("# Title #", [Item(SECTION, "Title #", level=1)], id="closing-hashes-kept"),
        pytest.param("#", [Item(SECTION, "", level=1)], id="empty-heading"),
        pytest.param("#hashtag here", [Item(NOTE, "#hashtag here")], id="hashtag-is-a-note"),
        pytest.param("####### seven", [Item(NOTE, "####### seven")], id="seven-hashes-is-a-note"),
        pytest.param("@robin: Hello", [Item(STATEMENT, "Hello", "robin")], id="statement"),
        pytest.param("@robin:Hello", [Item(STATEMENT, "Hello", "robin")], id="statement-no-space"),
        pytest.param("@robin:", [Item(STATEMENT, "", "robin")], id="statement-empty"),
        pytest.param(
            "@robin: one\ntwo", [Item(STATEMENT, "one\ntwo", "robin")], id="multi-line-statement"
        ),
        pytest.param(
            "[confidential]\n@robin:\n  two",
            [Item(STATEMENT, "  two", "robin", confidential=True)],
            id="body-on-the-next-line",
        ),
        pytest.param("Just a note.", [Item(NOTE, "Just a note.")], id="note"),
        pytest.param("Mail @robin: later", [Item(NOTE, "Mail @robin: later")], id="handle-inside"),
        pytest.param("@robin.: x", [Item(NOTE, "@robin.: x")], id="not-a-handle"),
        pytest.param(
            "[confidential] @robin: Cut.",
            [Item(STATEMENT, "Cut.", "robin", confidential=True)],
            id="confidential-before-handle",
        ),
        pytest.param(
            "@robin: [confidential] Cut.",
            [Item(STATEMENT, "Cut.", "robin", confidential=True)],
            id="confidential-after-handle",
        ),
        pytest.param(
            "[confidential] Secret.", [Item(NOTE, "Secret.", confidential=True)], id="conf-note"
        ),
        pytest.param(
            "[CONFIDENTIAL]Secret.", [Item(NOTE, "Secret.", confidential=True)], id="any-case"
        ),
        pytest.param(
            "[ Confidential ] Secret.", [Item(NOTE, "Secret.", confidential=True)], id="spaces"
        ),
        pytest.param("[confidential]", [Item(NOTE, "", confidential=True)], id="marker-alone"),
        pytest.param(
            "[confidential] # Plans",
            [Item(SECTION, "Plans", level=1, confidential=True)],
            id="confidential-heading",
        ),
        pytest.param(
            "## [confidential] Plans",
            [Item(SECTION, "Plans", level=2, confidential=True)],
            id="confidential-after-hashes",
        ),
        pytest.param(
            "A [confidential]b[/confidential] c.",
            [Item(NOTE, "A [confidential]b[/confidential] c.")],
            id="span-stays-in-body",
        ),
        pytest.param(
            "[confidential]b[/confidential] c.",
            [Item(NOTE, "[confidential]b[/confidential] c.")],
            id="leading-span-is-not-a-marker",
        ),
        pytest.param(
            "@robin: [confidential]b[/confidential] c.",
            [Item(STATEMENT, "[confidential]b[/confidential] c.", "robin")],
            id="leading-span-after-handle",
        ),
        pytest.param(
            "[confidential] @robin: a [confidential]b[/confidential]",
            [Item(STATEMENT, "a [confidential]b[/confidential]", "robin", confidential=True)],
            id="span-in-confidential-item",
        ),
        pytest.param(
            "A [confidential]b\nc[/confidential] d.",
            [Item(NOTE, "A [confidential]b\nc[/confidential] d.")],
            id="span-across-lines",
        ),
        pytest.param("- a\n- b", [Item(NOTE, "- a\n- b", bullet=True)], id="ordinary-bullets"),
        pytest.param("* a\n  more", [Item(NOTE, "* a\n  more", bullet=True)], id="star-bullets"),
        pytest.param(
            "- a\n- @robin: b\n- c",
            [
                Item(NOTE, "- a", bullet=True),
                Item(STATEMENT, "b", "robin", bullet=True),
                Item(NOTE, "- c", bullet=True),
            ],
            id="statement-bullet",
        ),
        pytest.param(
            "- [confidential] a\n- [confidential] @robin: b\n- @sam: [confidential] c",
            [
                Item(NOTE, "a", confidential=True, bullet=True),
                Item(STATEMENT, "b", "robin", confidential=True, bullet=True),
                Item(STATEMENT, "c", "sam", confidential=True, bullet=True),
            ],
            id="confidential-bullets",
        ),
        pytest.param(
            "- @robin: one\n  two\n    three\nlazy",
            [Item(STATEMENT, "one\ntwo\n  three\nlazy", "robin", bullet=True)],
            id="bullet-continuation",
        ),
        pytest.param(
            "-\n- [confidential]b[/confidential]",
            [Item(NOTE, "-\n- [confidential]b[/confidential]", bullet=True)],
            id="bullet-with-span-is-ordinary",
        ),
        pytest.param(
            "- a\n\n- b",
            [Item(NOTE, "- a", bullet=True), Item(NOTE, "- b", bullet=True)],
            id="loose-list",
        ),
        pytest.param("* * *", [Item(NOTE, "* * *")], id="thematic-break"),
        pytest.param(
            "Speakers:\n- @robin: hi", [Item(NOTE, "Speakers:\n- @robin: hi")], id="list-in-para"
        ),
        pytest.param(
            "# Title\nText\n## Sub",
            [Item(SECTION, "Title", level=1), Item(NOTE, "Text"), Item(SECTION, "Sub", level=2)],
            id="heading-inside-block",
        ),
        pytest.param(
            "[confidential] Secret\n# Next\nMore\n- a",
            [
                Item(NOTE, "Secret", confidential=True),
                Item(SECTION, "Next", level=1, confidential=True),
                Item(NOTE, "More\n- a", confidential=True),
            ],
            id="confidential-block-past-heading",
        ),
        pytest.param(
            "- [confidential] a\n# Next",
            [Item(NOTE, "a", confidential=True, bullet=True), Item(SECTION, "Next", level=1)],
            id="confidential-bullet-ends-at-heading",
        ),
        pytest.param(
            "```\ncode\n\n# comment\n- x\n```",
            [Item(NOTE, "```\ncode\n\n# comment\n- x\n```")],
            id="fence-keeps-blank-lines",
        ),
        pytest.param(
            "~~~~\n~~~\n\n~~~~ x\n~~~~",
            [Item(NOTE, "~~~~\n~~~\n\n~~~~ x\n~~~~")],
            id="fence-closes-on-its-own-kind",
        ),
        pytest.param(
            "@robin: see\n```\na\n\nb\n```",
            [Item(STATEMENT, "see\n```\na\n\nb\n```", "robin")],
            id="fence-in-statement",
        ),
        pytest.param(
            "```x``` inline\n\nnext",
            [Item(NOTE, "```x``` inline"), Item(NOTE, "next")],
            id="inline-backticks-are-not-a-fence",
        ),
        pytest.param("", [], id="empty"),
        pytest.param("\n\n  \n", [], id="only-blank-lines"),
    ],
)
def test_reading(text, expected):
    assert list(body_items(text)) == expected


def test_windows_line_ends_and_byte_order_mark():
    draft = parse("\ufeff---\r\nterms: [X]\r\n---\r\nHello @robin\r\nb\r\rnote")
    assert draft.terms == ("X",)
    assert draft.items == (Item(NOTE, "Hello @robin\nb"), Item(NOTE, "note"))


@pytest.mark.parametrize(
    ("front", "speakers", "terms"),
    [
        ("---\n---\n", (), ()),
        ("---\nterms: Falcon\n...\n", (), ("Falcon",)),
        ("---\nterms:\nspeakers:\n---\n", (), ()),
        (
            "---\nspeakers:\n  - handle: ro-bin_2.x\n    name: R\n    aliases: Rob\n    email:\n---",
            (Speaker("ro-bin_2.x", "R", aliases=("Rob",)),),
            (),
        ),
        ("---\ntime: 14:00\nterms: [14:00]\n---\n", None, ("14:00",)),
    ],
)
def test_front_matter(front, speakers, terms):
    if speakers is None:
        with pytest.raises(NotesFormatError, match="unknown front matter key 'time'"):
            parse(front)
        front = front.replace("time: 14:00\n", "")
        speakers = ()
    draft = parse(front)
    assert (draft.speakers, draft.terms, draft.items) == (speakers, terms, ())


# Errors: each names its line.


@pytest.mark.parametrize(
    ("text", "line", "problem"),
    [
        (
            FRONT + "@sam: ok\n\n@sammy: who?",
            7,
            "unknown speaker handle @sammy (did you mean @sam?)",
        ),
        (FRONT + "@zed: who?", 5, "unknown speaker handle @zed"),
        ("Hello\n\n@robin: hi", 3, "unknown speaker handle @robin"),
        (FRONT + "[confidential]\n@zed: who?", 6, "unknown speaker handle @zed"),
        (FRONT + "- a\n- b\n- @zed: who?", 7, "unknown speaker handle @zed"),
        (FRONT + "One\ntwo [confidential]three\nfour", 6, "never closed"),
        (FRONT + "- a\n- b [confidential]c", 6, "never closed"),
        (FRONT + "# H [confidential]", 5, "never closed"),
        (
            FRONT + "A [confidential]b\n[confidential]c[/confidential]",
            6,
            "inside a span opened on line 5",
        ),
        (FRONT + "A\nb[/confidential]", 6, "[/confidential] without an opening"),
        (FRONT + "[confidential] x [/confidential] y [/confidential]", 5, "without an opening"),
        (FRONT + "@robin: a [confidential] b [confidential] c", 5, "inside a span"),
        (FRONT + "[confidential] @robin: [confidential] b", 5, "never closed"),
        (FRONT + "text\n\n```python\ncode\n\nmore", 7, "the code fence ``` is never closed"),
        ("---\nterms: [a\nspeakers: []\n---\n", 3, "bad YAML in the front matter"),
        ("---\nterms: a\n  b: c\n---\n", 3, "bad YAML in the front matter"),
        ("---\nterms: [x]\nterms: [y]\n---\n", 3, "'terms' is given twice (first on line 2)"),
        ("---\nday: 2024-02-30\n---\n", 2, "not a real date"),
        ("---\n[a]: x\n---\n", 2, "bad YAML"),
        ("---\nterms: [\x07]\n---\n", 2, "bad YAML"),
        ("---\nterms: [a]\n", 1, "never closed with '---'"),
        ("---\n- a\n- b\n---\n", 2, "must be a list of 'key: value' lines"),
        ("---\nterms: [a]\nterm: [b]\n---\n", 3, "unknown front matter key 'term'"),
        ("---\nspeakers: robin\n---\n", 2, "speakers must be a list"),
        ("---\nspeakers:\n  - robin\n---\n", 2, "each speaker must be a mapping"),
        ("---\nspeakers:\n  - name: Robin\n---\n", 3, "a speaker needs a handle"),
        ("---\nspeakers:\n  - handle: robin\n---\n", 3, "speaker @robin needs a name"),
        ("---\nspeakers:\n  - handle: robin\n    name: ' '\n---\n", 3, "needs a name"),
        ("---\nspeakers:\n  - {handle: r, name: R}\n  - {handle: r, name: S}\n---", 4, "twice"),
        ("---\nspeakers:\n  - handle: r\n    name: R\n    job: x\n---", 5, "unknown speaker field"),
        ("---\nspeakers:\n  - handle: r\n    name: R\n    handle: s\n---", 5, "given twice"),
        ("---\nspeakers:\n  - handle: robin smith\n    name: R\n---", 3, "may hold only letters"),
        ("---\nspeakers:\n  - handle: 42\n    name: R\n---", 3, "must be text; put it in quotes"),
        (
            "---\nspeakers:\n  - handle: r\n    name: R\n    role: 2024\n---",
            5,
            "'role' must be text",
        ),
        ("---\nspeakers:\n  - handle: r\n    name: R\n    aliases: ['']\n---", 5, "empty text"),
        ("---\nterms: [yes]\n---\n", 2, "terms must be a list of text"),
        ("---\nterms: {a: b}\n---\n", 2, "terms must be a list of text"),
    ],
)
def test_errors_name_the_line(text, line, problem):
    with pytest.raises(NotesFormatError) as caught:
        parse(text)
    assert caught.value.line == line
    assert problem in caught.value.problem
    assert str(caught.value) == f"line {line}: {caught.value.problem}"


def test_error_is_a_value_error():
    error = NotesFormatError(12, "unknown speaker handle @sam")
    assert isinstance(error, ValueError)
    assert str(error) == "line 12: unknown speaker handle @sam"


# Writing.


ROBIN = Speaker("robin", "Robin Example")


@pytest.mark.parametrize(
    ("draft", "expected"),
    [
        pytest.param(Draft(), "", id="empty"),
        pytest.param(Draft(items=(Item(NOTE, "Hi"),)), "Hi\n", id="no-front-matter"),
        pytest.param(
            Draft(speakers=(Speaker("r", "R", email="r@x.org", aliases=("Ro",)),)),
            "---\nspeakers:\n  - handle: r\n    name: R\n    email: r@x.org\n"
            "    aliases: [Ro]\n---\n",
            id="empty-fields-omitted",
        ),
        pytest.param(
            Draft(terms=("yes", "Project: Falcon")),
            "---\nterms: ['yes', 'Project: Falcon']\n---\n",
            id="terms-quoted-when-needed",
        ),
        pytest.param(
            Draft(
                speakers=(ROBIN,),
                items=(
                    Item(SECTION, "Plans", level=2, confidential=True),
                    Item(STATEMENT, "Cut.", "robin", confidential=True),
                    Item(NOTE, "Secret.", confidential=True),
                ),
            ),
            "---\nspeakers:\n  - handle: robin\n    name: Robin Example\n---\n\n"
            "[confidential] ## Plans\n\n[confidential] @robin: Cut.\n\n[confidential] Secret.\n",
            id="confidential-markers",
        ),
        pytest.param(
            Draft(
                items=(
                    Item(NOTE, "* a\n* b", bullet=True),
                    Item(STATEMENT, "c\nd", "robin", bullet=True),
                    Item(NOTE, "e", confidential=True, bullet=True),
                    Item(NOTE, "- f", bullet=True),
                    Item(NOTE, "- g", bullet=True),
                    Item(NOTE, "after"),
                )
            ),
            "* a\n* b\n* @robin: c\n  d\n* [confidential] e\n- f\n\n- g\n\nafter\n",
            id="one-list-split-only-between-ordinary-notes",
        ),
        pytest.param(
            Draft(items=(Item(NOTE, "a\n```\nx\n\ny\n```", bullet=True, confidential=True),)),
            "- [confidential] a\n  ```\n  x\n\n  y\n  ```\n",
            id="bullet-continuation-indented",
        ),
        pytest.param(
            Draft(items=(Item(STATEMENT, "```\nx\n\n# y\n```", "robin"),)),
            "@robin:\n```\nx\n\n# y\n```\n",
            id="body-starting-with-a-fence-starts-a-line",
        ),
        pytest.param(
            Draft(items=(Item(STATEMENT, "  indented", "robin"),)),
            "@robin:\n  indented\n",
            id="body-starting-with-space-starts-a-line",
        ),
        pytest.param(
            Draft(items=(Item(NOTE, "```", confidential=True),)),
            "[confidential] ```\n",
            id="inline-backticks-stay-on-the-marker-line",
        ),
        pytest.param(
            Draft(items=(Item(NOTE, "plain", bullet=True), Item(SECTION, "S", level=9))),
            "- plain\n\n###### S\n",
            id="hand-made-items-made-writable",
        ),
    ],
)
def test_writing(draft, expected):
    assert serialise(draft) == expected


@pytest.mark.parametrize(
    "text",
    [
        "# A\n\n@robin: b\n\n- c\n- @robin: d\n  e\n- [confidential] f\n\n- g\n\n[confidential] h",
        "* one\n* @sam: two\n* three",
        "Intro\n\n```\nx\n\n# y\n```\n\n## [confidential]b[/confidential] c",
        "[confidential] @robin: a [confidential]b[/confidential]\n\n[confidential]c[/confidential]",
        "- a\n\n\n- b\n- c\n  more\n    and more",
    ],
)
def test_serialise_gives_back_the_text_up_to_whitespace(text):
    draft = parse(FRONT + text)
    written = serialise(draft)
    # The front matter is written in YAML's block style, so compare what follows it.
    assert same_but_whitespace(written.split("---\n", 2)[2], text)
    assert serialise(parse(written)) == written


@pytest.mark.parametrize(
    "text",
    [
        "+\n@robin: x",
        "+\n[confidential] ```\n  # h",
        "[confidential] ```",
        "[confidential]\n```\na\n\nb\n```",
        "[confidential] # h\n  cont",
        "[confidential] # h\n```\n```",
        "[confidential] # h\n````\n# h\n```\n````",
        "[confidential] # h\n+\n    indented",
        "[confidential] # a\n  @robin: not a statement",
        "@robin:\n    indented code",
    ],
)
def test_awkward_texts_are_written_in_a_form_that_reads_back_the_same(text):
    draft = parse(FRONT + text)
    written = serialise(draft)
    assert parse(written) == draft
    assert serialise(parse(written)) == written


# Property-based round trips.

LETTERS = string.ascii_letters + "éøßΩж"
WORD = st.text(alphabet=LETTERS + string.digits + ".,;:!?'\"()*_`#@-+[]<>/&%’“”", max_size=6)
MAILBOX = st.text(alphabet=string.ascii_letters + string.digits + "_+-", min_size=1, max_size=6)
LINE_TEXT = st.builds(
    lambda first, words: " ".join([first + words[0], *words[1:]]) if words else first,
    st.sampled_from(LETTERS),
    st.lists(WORD.filter(bool), max_size=4),
)
SPAN = LINE_TEXT.map(lambda text: f"[confidential]{text}[/confidential]")
LINE = st.lists(st.one_of(LINE_TEXT, SPAN), min_size=1, max_size=2).map(" ".join)
FENCE = st.lists(
    st.sampled_from(["", "# not a heading", "- not a bullet", "@robin: not a statement", "x"]),
    max_size=4,
).map(lambda lines: "\n".join(["```", *lines, "```"]))
BODY = st.builds(
    lambda first, rest: "\n".join([first, *rest]),
    st.one_of(LINE, FENCE),
    st.lists(st.one_of(LINE, FENCE), max_size=2),
)
ORDINARY_BULLETS = st.lists(
    st.builds("{} {}".format, st.sampled_from("-*+"), LINE), min_size=1, max_size=3
).map("\n".join)
TEXT = st.text(
    alphabet=st.characters(blacklist_categories=("Cs", "Cc", "Zl", "Zp")), min_size=1, max_size=8
).filter(str.strip)
SPEAKERS = st.lists(
    st.builds(
        Speaker,
        handle=st.text(alphabet="abcdefghijklmnopqrstuvwxyz0123456789_", min_size=1, max_size=6),
        name=TEXT,
        organisation=st.one_of(st.just(""), TEXT),
        role=st.one_of(st.just(""), TEXT),
        # A speaker's email is one plain address (domain/email_address.py), never a list.
        email=st.one_of(st.just(""), st.builds("{}@example.org".format, MAILBOX)),
        aliases=st.lists(TEXT, max_size=2).map(tuple),
        descriptor=st.one_of(st.just(""), TEXT),
    ),
    max_size=3,
    unique_by=lambda speaker: speaker.handle,
).map(tuple)


# A statement's speaker is drawn as a number and given the handle of that speaker in drafts().
ITEMS = st.lists(
    st.one_of(
        st.builds(
            Item, st.just(SECTION), LINE, level=st.integers(1, 6), confidential=st.booleans()
        ),
        st.builds(Item, st.just(NOTE), BODY),
        st.builds(Item, st.just(NOTE), ORDINARY_BULLETS, bullet=st.just(True)),
        st.builds(
            Item,
            st.just(NOTE),
            st.one_of(st.just(""), BODY),
            confidential=st.just(True),
            bullet=st.booleans(),
        ),
        st.builds(
            Item,
            st.just(STATEMENT),
            st.one_of(st.just(""), BODY),
            speaker=st.sampled_from("012"),
            confidential=st.booleans(),
            bullet=st.booleans(),
        ),
    ),
    max_size=6,
)


@st.composite
def drafts(draw):
    """Draw a draft such as the parser could have read: its items are in their written form."""
    speakers = draw(SPEAKERS)
    items = [
        replace(item, speaker=speakers[int(item.speaker) % len(speakers)].handle)
        if item.speaker
        else item
        for item in draw(ITEMS)
        if speakers or not item.speaker
    ]
    terms = draw(st.lists(TEXT, max_size=3))
    return Draft(speakers=speakers, terms=tuple(terms), items=tuple(items))


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(drafts())
def test_drafts_round_trip(draft):
    text = serialise(draft)
    assert parse(text) == draft
    assert serialise(parse(text)) == text


FRAGMENTS = [
    "# h",
    "## h",
    "[confidential] # h",
    "# [confidential] h",
    "@robin: x",
    "@robin: [confidential] y",
    "[confidential] @robin: z",
    "[confidential] n",
    "[CONFIDENTIAL]",
    "plain",
    "- a",
    "* b",
    "+",
    "- @robin: c",
    "- [confidential] d",
    "- [confidential]s[/confidential] e",
    "  cont",
    "    - nested",
    "",
    "",
    "   ",
    "```",
    "~~~",
    "````",
    "a [confidential]s[/confidential] b",
    "[confidential]s[/confidential] t",
    "[/confidential]",
    "x[confidential]y",
    "@sam: x",
    "* * *",
    "---",
    "[confidential] ```",
    "@robin: ```",
    "  ```",
    "\t- tab",
    "- @robin:",
    "#",
    "[confidential] - a",
    "    indented",
    "  # h",
    "   @robin: x",
    "\t[confidential] t",
    "@robin:",
    "[confidential] @robin:",
]


@settings(max_examples=200, deadline=None)
@given(st.lists(st.sampled_from(FRAGMENTS), max_size=12).map("\n".join))
# Found by this test: a marked item whose body is a marked bullet was written on one line.
@example("[CONFIDENTIAL]\n- [confidential] d")
def test_whatever_parses_is_written_in_a_form_that_reads_back_the_same(text):
    try:
        draft = parse(FRONT + text)
    except NotesFormatError as error:
        assert error.line >= 5
        return
    written = serialise(draft)
    assert parse(written) == draft
    assert serialise(parse(written)) == written
