"""Event posts, as a static site keeps them, read as meetings."""

from __future__ import annotations

import datetime

import pytest

from notes_app.domain.event_post import EventPost, EventPostError, parse_event_post, slugify
from tests.paths import FIXTURES

POSTS = FIXTURES / "event_posts"
TITLE = "Data and AI public engagement: Community of Practice"


def read(front: str, body: str = "Body.", filename: str | None = None):
    return parse_event_post(f"---\n{front}\n---\n{body}", filename)


def post_of(front: str, body: str = "Body.", filename: str | None = None) -> EventPost:
    post, _ = read(front, body, filename)
    return post


# The suite's own messy posts (the real ones are in tests/test_shared_fixtures.py).


@pytest.mark.parametrize(
    ("name", "date", "time", "topics", "warnings"),
    [
        (
            "event-2026-03-04-community-of-practice.md",
            datetime.date(2026, 3, 4),
            None,
            ("Local government",),
            [],
        ),
        (
            "event-2026-06-10-community-of-practice.md",
            datetime.date(2026, 6, 10),
            datetime.time(14, 0),
            ("People and Participation",),
            ["line 16: 'topics' is given twice (first on line 8); the later value is used"],
        ),
    ],
)
def test_messy_posts(name, date, time, topics, warnings):
    post, found = parse_event_post((POSTS / name).read_text(encoding="utf-8"), name)
    assert post.title == "Open data and AI: Community of Practice"
    assert post.date == date
    assert post.starts_at_time == time
    assert post.topics == topics
    assert post.author == "Priya Facilitator"
    assert post.slug == f"{date.isoformat()}-community-of-practice"
    assert found == warnings
    assert "<!--" not in post.description
    assert "more-->" not in post.description
    assert post.description.startswith(f"On {date:%A} {date.day} {date:%B %Y}")
    assert "\n\n\n" not in post.description
    assert post.extra["layout"] == "event"
    assert post.extra["category"] == "organising"
    assert "link" not in post.extra
    assert "title" not in post.extra


def test_messy_post_links_lists_and_unknown_keys():
    first, _ = parse_event_post((POSTS / "event-2026-03-04-community-of-practice.md").read_text())
    assert first.extra["banana"] == "an unknown key that must survive"
    assert "(https://example.org/projects/listening)" in first.description
    assert "It\u2019s designed" in first.description
    assert "our [first](https://example.org/events/2025-11-05" in first.description
    assert "and [second](https://example.org/events/2026-01-14" in first.description
    assert "[ " not in first.description
    name = "event-2026-06-10-community-of-practice.md"
    post, _ = parse_event_post((POSTS / name).read_text(encoding="utf-8"))
    assert "our [first,](https://example.org/" in post.description
    assert "[ " not in post.description
    assert "(https://example.org/register?id=123)" in post.description
    assert "Speakers will include:\n\n* **Rowan Invented**" in post.description
    assert post.extra["project"][1] == "Open data and AI"
    assert type(post.extra["project"]) is list


# Fields.


def test_duplicate_keys_keep_the_later_value_and_warn():
    post, warnings = read("title: First\ndate: 2024-01-02\ntitle: Second\nauthor: A\nauthor: B")
    assert post.title == "Second"
    assert post.author == "B"
    assert warnings == [
        "line 4: 'title' is given twice (first on line 2); the later value is used",
        "line 6: 'author' is given twice (first on line 5); the later value is used",
    ]


def test_unknown_and_empty_keys():
    post = post_of(
        "title: T\ndate: 2024-01-02\nlink:\nimage: ''\nseries: {number: 4}\n2024: x\nhidden: false"
    )
    assert post.extra == {"series": {"number": 4}, "2024": "x", "hidden": False}
    assert type(post.extra["series"]) is dict


@pytest.mark.parametrize(
    ("title", "expected"),
    [
        ("\u201cSmart\u201d", "Smart"),
        ("\u2018Single\u2019", "Single"),
        ("'\"Straight\"'", "Straight"),
        ("\u201cOnly opening", "\u201cOnly opening"),
        ("It\u2019s here", "It\u2019s here"),
        ("2024", "2024"),
    ],
)
def test_title(title, expected):
    assert post_of(f"title: {title}\ndate: 2024-01-02").title == expected


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("[Public sector, People]", ("Public sector", "People")),
        ("Public sector", ("Public sector",)),
        ("2024", ("2024",)),
        ("[A, '', A, 3, null]", ("A", "3")),
        ("", ()),
    ],
)
def test_topics(value, expected):
    assert post_of(f"title: T\ndate: 2024-01-02\ntopics: {value}").topics == expected


def test_topics_that_are_not_a_list_warn():
    post, warnings = read("title: T\ndate: 2024-01-02\ntopics: {a: b}")
    assert post.topics == ()
    assert warnings == ["line 4: topics should be a list; ignored"]


@pytest.mark.parametrize(
    ("value", "expected"),
    [("[A, B]", "A, B"), ("{name: Ann, email: a@x.org}", "Ann"), ("", ""), ("' Ann '", "Ann")],
)
def test_author(value, expected):
    assert post_of(f"title: T\ndate: 2024-01-02\nauthor: {value}").author == expected


# Date and time.


@pytest.mark.parametrize(
    ("front", "date", "time"),
    [
        ("date: 2024-07-18", datetime.date(2024, 7, 18), None),
        ("date: '2024-07-18'", datetime.date(2024, 7, 18), None),
        ("date: 2025-01-15 14:00:00", datetime.date(2025, 1, 15), datetime.time(14, 0)),
        ("date: 2025-01-15 14:00:00 +01:00", datetime.date(2025, 1, 15), datetime.time(14, 0)),
        ("date: 2025-01-15 00:00:00", datetime.date(2025, 1, 15), None),
        ("date: 2025-01-15 14:30", datetime.date(2025, 1, 15), datetime.time(14, 30)),
        ("date: 2025-1-5T09:05:00Z", datetime.date(2025, 1, 5), datetime.time(9, 5)),
        ("date: 2025-01-15\ntime: 14:00", datetime.date(2025, 1, 15), datetime.time(14, 0)),
        ("date: 2025-01-15\ntime: 2.30 pm", datetime.date(2025, 1, 15), datetime.time(14, 30)),
        ("date: 2025-01-15\nstart_time: 12am", datetime.date(2025, 1, 15), datetime.time(0, 0)),
        (
            "date: 2025-01-15\ntime:\nstart_time: 12pm",
            datetime.date(2025, 1, 15),
            datetime.time(12),
        ),
        ("date: 2025-01-15 10:00:00\ntime: 14:00", datetime.date(2025, 1, 15), datetime.time(10)),
    ],
)
def test_date_and_time(front, date, time):
    post, warnings = read(f"title: T\n{front}")
    assert (post.date, post.starts_at_time, warnings) == (date, time, [])


@pytest.mark.parametrize("value", ["soon", "25:00", "13pm", "14:75", "1400"])
def test_unreadable_time_warns(value):
    post, warnings = read(f"title: T\ndate: 2025-01-15\ntime: '{value}'", "No time here.")
    assert post.starts_at_time is None
    assert warnings == [f"line 4: cannot read the time '{value}'; ignored"]


@pytest.mark.parametrize(
    ("body", "time"),
    [
        ("On Wednesday at 2pm we meet.\n\n<!--more-->\n\nLater at 5pm.", datetime.time(14)),
        ("We meet at 10:30.\n\nAt 3pm, tea.", datetime.time(10, 30)),
        ("First paragraph.\n\nWe meet at 2pm.", None),
        ("Intro.\n\nAt 11.15 a.m. we start.\n<!-- more -->\nRest.", datetime.time(11, 15)),
        ("We meet at 3 locations at 4 P.M.", datetime.time(16)),
        ("Doors at 13pm.", None),
    ],
)
def test_time_from_the_excerpt(body, time):
    assert post_of("title: T\ndate: 2025-01-15", body).starts_at_time == time


# The description.


@pytest.mark.parametrize(
    ("body", "description"),
    [
        ("A\n\n<!--more-->\n\nB", "A\n\nB"),
        ("A <!-- a note\nover lines --> B", "A  B"),
        ("A\n\n\n\nB   \n", "A\n\nB"),
        (
            "our[ first](https://x.org/1) and[ second ](https://x.org/2)",
            "our [first](https://x.org/1) and [second](https://x.org/2)",
        ),
        ("[ start](u) and [end ](v).", "[start](u) and [end](v)."),
        ("x[ a ](u)y", "x [a](u) y"),
        ("([ a](u))", "([a](u))"),
        ("![ alt ](i.png)", "![alt](i.png)"),
        ("[a]( https://x.org )", "[a](https://x.org)"),
        ("- [ ] task", "- [ ] task"),
        ("Speakers:\n* A\n* B\n\n> Quote", "Speakers:\n\n* A\n* B\n\n> Quote"),
        ("", ""),
    ],
)
def test_description(body, description):
    assert post_of("title: T\ndate: 2024-01-02", body).description == description


# The slug.


@pytest.mark.parametrize(
    ("filename", "slug"),
    [
        ("event-2024-07-18-community-of-practice.md", "2024-07-18-community-of-practice"),
        ("_posts/events-2024-07-18-X.markdown", "2024-07-18-x"),
        ("C:\\posts\\Event_2024-07-18_Meet Up.html", "2024-07-18-meet-up"),
        ("2024-07-18-meet.md", "2024-07-18-meet"),
        ("meet-up.md", "2024-07-18-meet-up"),
        ("event.md", "2024-07-18-event"),
        (".md", "2024-07-18-a-title"),
        (None, "2024-07-18-a-title"),
        ("", "2024-07-18-a-title"),
    ],
)
def test_slug(filename, slug):
    assert post_of("title: A Title\ndate: 2024-07-18", filename=filename).slug == slug


def test_slug_of_a_title_without_latin_letters():
    assert post_of("title: 会议\ndate: 2024-07-18").slug == "2024-07-18-event"


def test_file_name_with_another_date_warns():
    post, warnings = read("title: T\ndate: 2024-07-18", filename="event-2024-07-17-x.md")
    assert post.slug == "2024-07-17-x"
    assert warnings == ["the file name has the date 2024-07-17 but the post says 2024-07-18"]


@pytest.mark.parametrize(
    ("text", "slug"),
    [
        ("Zoë’s Café: AI & Data!", "zoes-cafe-ai-data"),
        ("  --  ", ""),
        ("word " * 30, ("word-" * 16)[:-1]),
        ("x" * 100, "x" * 80),
        ("a" * 80 + " b", "a" * 80),
    ],
)
def test_slugify(text, slug):
    assert slugify(text) == slug


# Errors.


@pytest.mark.parametrize(
    ("text", "line", "problem"),
    [
        ("Just a body", 1, "no front matter"),
        ("---\ntitle: T\n", 1, "never closed"),
        ("---\ntitle: T\ndate: [2024\n---\n", 3, "bad YAML"),
        ("---\ntitle: T\nauthor: A\n- y\n---\n", 4, "bad YAML"),
        ("---\n- title\n---\n", 2, "must be a list of 'key: value' lines"),
        ("---\ndate: 2024-01-02\n---\n", 1, "has no title"),
        ("---\ntitle:\ndate: 2024-01-02\n---\n", 2, "has no title"),
        ("---\ntitle: \u201c\u201d\ndate: 2024-01-02\n---\n", 2, "has no title"),
        ("---\ntitle: T\n---\n", 1, "has no date"),
        ("---\ntitle: T\ndate: ''\n---\n", 3, "has no date"),
        ("---\ntitle: T\ndate: 18 July 2024\n---\n", 3, "should look like 2024-07-18"),
        ("---\ntitle: T\ndate: [2024]\n---\n", 3, "should look like 2024-07-18"),
        ("---\ntitle: T\ndate: '2024-02-30'\n---\n", 3, "not a real date"),
        ("---\ntitle: T\ndate: '2024-02-03 25:00'\n---\n", 3, "not a real date"),
        ("---\ntitle: T\ndate: 2024-02-30\n---\n", 3, "not a real date"),
    ],
)
def test_errors_name_the_line(text, line, problem):
    with pytest.raises(EventPostError) as caught:
        parse_event_post(text)
    assert caught.value.line == line
    assert problem in caught.value.problem
    assert isinstance(caught.value, ValueError)
    assert str(caught.value).startswith(f"line {line}: ")


def test_windows_line_ends():
    post, _ = parse_event_post("\ufeff---\r\ntitle: T\r\ndate: 2024-01-02\r\n---\r\nA\r\n\r\nB")
    assert (post.title, post.description) == ("T", "A\n\nB")
