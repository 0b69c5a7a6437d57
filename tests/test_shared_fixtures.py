"""The real event posts kept beside the clone in ../shared/fixtures: read and imported.

This is the one test that reads outside the repository. It skips where the folder is absent and
fails in CI (`CI=true`), which must have it.
"""

from __future__ import annotations

import datetime

import pytest
from click.testing import CliRunner
from flask.cli import ScriptInfo

from notes_app.domain.event_post import parse_event_post
from notes_app.extensions import db
from notes_app.models import Meeting
from notes_app.services import meetings
from tests.paths import shared_fixtures

TITLE = "Data and AI public engagement: Community of Practice"
REAL_POSTS = [
    (
        "event-2024-07-18-community-of-practice.md",
        datetime.date(2024, 7, 18),
        None,
        ("Public sector",),
        [],
    ),
    (
        "event-2025-01-15-community-of-practice.md",
        datetime.date(2025, 1, 15),
        datetime.time(14, 0),
        ("People and Participation",),
        ["line 17: 'topics' is given twice (first on line 9); the later value is used"],
    ),
]


def test_the_real_posts_read_as_meetings():
    folder = shared_fixtures()
    for name, date, time, topics, warnings in REAL_POSTS:
        post, found = parse_event_post((folder / name).read_text(encoding="utf-8"), name)
        assert post.title == TITLE
        assert post.date == date
        assert post.starts_at_time == time
        assert post.topics == topics
        assert post.author == "Gavin Freeguard"
        assert found == warnings
        assert "<!--" not in post.description and "more-->" not in post.description
        assert post.description.startswith(f"On {date:%A} {date.day} {date:%B %Y}")
        assert "It\u2019s designed" in post.description
        assert "\n\n\n" not in post.description
        assert "[ " not in post.description
        assert post.extra["layout"] == "event" and "link" not in post.extra
    second, _ = parse_event_post((folder / REAL_POSTS[1][0]).read_text(encoding="utf-8"))
    assert "our [first](https://connectedbydata.org/events/2024-07-18" in second.description
    assert "Speakers will include:\n\n* **Henrietta Hopkins**" in second.description
    assert second.extra["project"][1] == "Data and AI public engagement"


def test_the_real_posts_import_from_the_command_line(app, member_setup):
    folder = shared_fixtures()
    runner = CliRunner()

    def run(*args):
        return runner.invoke(app.cli, list(args), obj=ScriptInfo(create_app=lambda: app))

    slugs = []
    for name, *_ in REAL_POSTS:
        result = run("meetings", "import", str(folder / name), "--network", "river-network")
        assert result.exit_code == 0, result.output
        slugs.append(result.stdout.strip().splitlines()[-1])
    assert slugs == ["2024-07-18", "2025-01-15"]
    again = run("meetings", "import", str(folder / REAL_POSTS[1][0]), "--network", "river-network")
    assert again.exit_code == 0 and again.stdout.strip().splitlines()[-1] == slugs[1]
    with app.app_context():
        found = db.session.scalars(db.select(Meeting).order_by(Meeting.slug)).all()
        assert [meeting.slug for meeting in found] == slugs
        assert [meetings.local_start(m).date() for m in found] == [p[1] for p in REAL_POSTS]
        assert found[1].topics == ["People and Participation"]


@pytest.mark.parametrize("name", [post[0] for post in REAL_POSTS])
def test_the_real_posts_are_there(name):
    assert (shared_fixtures() / name).is_file()
