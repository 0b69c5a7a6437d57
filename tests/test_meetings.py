"""Meetings: facilitators create, edit and import them; members list and read them."""

import re

import pytest

from notes_app.extensions import db
from notes_app.models import Meeting
from notes_app.services import meetings
from tests.conftest import post_form
from tests.paths import EVENT_POSTS

POSTS = EVENT_POSTS


def meeting_count(app):
    with app.app_context():
        return db.session.scalar(db.select(db.func.count(Meeting.id)))


def details_version(client, edit_url: str) -> str:
    """The version an edit form of a meeting's details starts from."""
    page = client.get(edit_url).get_data(as_text=True)
    return re.search(r'id="version" name="version" type="hidden" value="(\d+)"', page).group(1)


def test_the_fixture_posts_are_there():
    assert len(POSTS) == 2


def test_facilitators_create_and_edit_meetings(app, client, member_setup, auth):
    auth.login(member_setup["facilitator"])
    response = post_form(
        client,
        "/n/river-network/meetings/new",
        {
            "title": "Paying participants fairly",
            "starts_at": "2026-12-09T14:00",
            "timezone": "Europe/London",
            "series_number": "7",
            "topics": "Participation, Ethics",
            "description": "We will talk about **payment**.",
            "chatham_house": "y",
        },
    )
    assert response.status_code == 302
    page = client.get(response.location).get_data(as_text=True)
    assert "Paying participants fairly" in page and "<strong>payment</strong>" in page
    assert "Participation" in page and "meeting 7 in the series" in page
    edit = response.location + "edit"
    form = {
        "title": "Paying people fairly",
        "starts_at": "2026-12-09T15:30",
        "timezone": "Europe/Paris",
        "version": details_version(client, edit),
    }
    assert post_form(client, edit, form).status_code == 302
    with app.app_context():
        meeting = db.session.scalars(db.select(Meeting)).one()
        assert meeting.title == "Paying people fairly"
        assert meeting.starts_at.hour == 14  # 15:30 in Paris in December is 14:30 UTC
        assert meeting.chatham_house is False  # an unticked box


def test_a_bad_time_zone_is_refused(app, client, member_setup, auth):
    auth.login(member_setup["facilitator"])
    response = post_form(
        client,
        "/n/river-network/meetings/new",
        {"title": "X", "starts_at": "2026-12-09T14:00", "timezone": "Mars/Olympus"},
    )
    assert response.status_code == 422 and "is not a time zone" in response.get_data(as_text=True)
    assert meeting_count(app) == 0


def test_members_list_upcoming_and_past_meetings(client, member_setup, auth, create_meeting):
    create_meeting(member_setup["network"], "An old meeting")
    auth.login(member_setup["member"])
    page = client.get("/n/river-network/").get_data(as_text=True)
    past = page.split("Past meetings", 1)[1]
    assert "An old meeting" in past
    assert "New meeting" not in page  # members get no facilitator buttons


@pytest.mark.parametrize("post", POSTS, ids=lambda p: p.name)
def test_fixture_posts_import_from_the_form_and_again_update(app, client, member_setup, auth, post):
    auth.login(member_setup["facilitator"])
    text = post.read_bytes()
    from io import BytesIO

    def upload():
        html = client.get("/n/river-network/meetings/import").get_data(as_text=True)
        from tests.conftest import csrf_token

        return client.post(
            "/n/river-network/meetings/import",
            data={"csrf_token": csrf_token(html), "post": (BytesIO(text), post.name)},
            content_type="multipart/form-data",
        )

    first = upload()
    assert first.status_code == 302
    page = client.get(first.location).get_data(as_text=True)
    assert "Open data and AI: Community of Practice" in page
    assert "<!--more-->" not in page
    date = post.name[6:16]
    with app.app_context():
        meeting = db.session.scalars(db.select(Meeting)).one()
        assert meetings.local_start(meeting).date().isoformat() == date
        assert meeting.topics
    second = upload()
    assert second.status_code == 302 and second.location == first.location
    assert meeting_count(app) == 1


def test_a_malformed_post_is_a_clear_error_and_changes_nothing(app, client, member_setup, auth):
    auth.login(member_setup["facilitator"])
    response = post_form(
        client, "/n/river-network/meetings/import", {"text": "---\ntitle: [unclosed\n---\nbody"}
    )
    assert response.status_code == 422
    assert "cannot be imported" in response.get_data(as_text=True)
    assert meeting_count(app) == 0


def run_cli(app, *args):
    from click.testing import CliRunner
    from flask.cli import ScriptInfo

    return CliRunner().invoke(app.cli, list(args), obj=ScriptInfo(create_app=lambda: app))


def test_fixture_posts_import_from_the_command_line(app, member_setup):
    slugs = []
    for post in POSTS:
        result = run_cli(app, "meetings", "import", str(post), "--network", "river-network")
        assert result.exit_code == 0, result.output
        slugs.append(result.stdout.strip().splitlines()[-1])
    assert slugs == ["2026-03-04", "2026-06-10"]
    again = run_cli(app, "meetings", "import", str(POSTS[1]), "--network", "river-network")
    assert "topics" in again.stderr and "given twice" in again.stderr
    assert again.stdout.strip().splitlines()[-1] == slugs[1]
    assert meeting_count(app) == 2
    with app.app_context():
        meeting = db.session.scalars(db.select(Meeting).where(Meeting.slug == slugs[1])).one()
        assert meeting.topics == ["People and Participation"]  # the later key wins


def test_a_malformed_post_from_the_command_line(app, member_setup, tmp_path):
    bad = tmp_path / "bad.md"
    bad.write_text("no front matter at all\n")
    result = run_cli(app, "meetings", "import", str(bad), "--network", "river-network")
    assert result.exit_code == 1 and "line 1" in result.stderr
    unknown = run_cli(app, "meetings", "import", str(POSTS[0]), "--network", "nowhere")
    assert unknown.exit_code == 1 and "no network" in unknown.stderr
    assert meeting_count(app) == 0
