"""A meeting's details are never lost: saves are conditional on the version they started
from, and importing its event post again keeps what a facilitator edited since."""

import re
import threading
from io import BytesIO

import pytest

from notes_app.extensions import db
from notes_app.models import Meeting
from notes_app.services import meetings
from tests.conftest import PASSWORD, csrf_token, post_form
from tests.test_meetings import POSTS, run_cli

NETWORK = "/n/river-network"


def edit_url(meeting) -> str:
    return f"{NETWORK}/m/{meeting.slug}/edit"


def open_form(client, meeting) -> dict:
    """The edit form as the browser holds it: its token and the version it started from."""
    page = client.get(edit_url(meeting)).get_data(as_text=True)
    version = re.search(r'name="version" type="hidden" value="(\d+)"', page).group(1)
    return {
        "csrf_token": csrf_token(page),
        "version": version,
        "starts_at": "2025-03-05T14:00",
        "timezone": "Europe/London",
        "chatham_house": "y",
    }


def facilitator(make_client, member_setup):
    client = make_client()
    post_form(client, "/login", {"email": member_setup["facilitator"].email, "password": PASSWORD})
    return client


def stored(app, meeting) -> Meeting:
    with app.app_context():
        return db.session.get(Meeting, meeting.id)


@pytest.fixture
def meeting(member_setup, create_meeting):
    return create_meeting(member_setup["network"], "Monthly meeting")


def test_the_second_of_two_saves_gets_the_conflict_page_and_keeps_its_text(
    app, make_client, member_setup, meeting
):
    alice, bob = (facilitator(make_client, member_setup) for _ in range(2))
    alice_form, bob_form = open_form(alice, meeting), open_form(bob, meeting)
    saved = alice.post(
        edit_url(meeting), data=alice_form | {"title": "ALICE title", "description": "Hers."}
    )
    assert saved.status_code == 302
    refused = bob.post(
        edit_url(meeting), data=bob_form | {"title": "BOB title", "description": "BOB wrote this."}
    )
    assert refused.status_code == 409
    page = refused.get_data(as_text=True)
    assert "ALICE title" in page and "BOB title" in page and "BOB wrote this." in page
    assert stored(app, meeting).title == "ALICE title"
    # The form on the conflict page holds Bob's text against the saved version: saving it wins.
    again = {
        "csrf_token": csrf_token(page),
        "version": re.search(r'name="version" type="hidden" value="(\d+)"', page).group(1),
        "title": re.search(r'name="title"[^>]*value="([^"]*)"', page).group(1),
        "starts_at": "2025-03-05T14:00",
        "timezone": "Europe/London",
    }
    assert again["title"] == "BOB title"
    assert bob.post(edit_url(meeting), data=again).status_code == 302
    assert stored(app, meeting).title == "BOB title"


def test_a_save_without_the_version_it_started_from_is_a_conflict(
    app, client, member_setup, auth, meeting
):
    auth.login(member_setup["facilitator"])
    form = open_form(client, meeting)
    del form["version"]
    response = client.post(edit_url(meeting), data=form | {"title": "Versionless"})
    assert response.status_code == 409 and "Versionless" in response.get_data(as_text=True)
    assert stored(app, meeting).title == "Monthly meeting"


def test_two_saves_at_the_same_moment_one_wins_one_conflicts(
    app, make_client, member_setup, meeting
):
    clients = [facilitator(make_client, member_setup) for _ in range(2)]
    forms = [open_form(c, meeting) for c in clients]
    barrier = threading.Barrier(2)
    statuses = {}

    def save(n):
        barrier.wait()
        response = clients[n].post(edit_url(meeting), data=forms[n] | {"title": f"Title {n}"})
        statuses[n] = (response.status_code, response.get_data(as_text=True))

    threads = [threading.Thread(target=save, args=(n,)) for n in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(status for status, _ in statuses.values()) == [302, 409]
    winner = next(n for n, (status, _) in statuses.items() if status == 302)
    loser = 1 - winner
    assert stored(app, meeting).title == f"Title {winner}"
    assert f"Title {loser}" in statuses[loser][1]


def test_the_service_refuses_a_stale_version(app, meeting):
    with app.app_context():
        row = db.session.get(Meeting, meeting.id)
        fields = meetings.fields_of(row)
        fields.title = "First"
        meetings.update_meeting(row, fields, actor_id=None, expected_version=0)
        fields.title = "Second"
        with pytest.raises(meetings.DetailsConflict) as refused:
            meetings.update_meeting(row, fields, actor_id=None, expected_version=0)
        assert "Title: First" in refused.value.theirs and "Title: Second" in refused.value.yours
        db.session.commit()
    assert stored(app, meeting).title == "First"


# Importing the event post again ------------------------------------------------------------

POST = """---
title: "Paying participants fairly"
date: 2026-12-09
topics:
  - Participation
author: Gavin Freeguard
---

We will talk about payment.
"""
FILENAME = "event-2026-12-09-paying-participants.md"


def revised(**changes) -> str:
    text = POST
    for old, new in changes.items():
        text = text.replace(old, new)
    return text


def upload(client, text: str):
    page = client.get(f"{NETWORK}/meetings/import").get_data(as_text=True)
    return client.post(
        f"{NETWORK}/meetings/import",
        data={"csrf_token": csrf_token(page), "post": (BytesIO(text.encode()), FILENAME)},
        content_type="multipart/form-data",
    )


def only_meeting(app) -> Meeting:
    with app.app_context():
        return db.session.scalars(db.select(Meeting)).one()


def test_reimporting_from_the_page_keeps_edited_fields_and_says_so(app, client, member_setup, auth):
    auth.login(member_setup["facilitator"])
    assert upload(client, POST).status_code == 302
    meeting = only_meeting(app)
    form = open_form(client, meeting) | {
        "title": "Paying people fairly (edited)",
        "starts_at": "2026-12-09T14:00",
        "topics": "Participation",
        "description": "We will talk about payment.",
    }
    assert client.post(edit_url(meeting), data=form).status_code == 302
    again = upload(
        client,
        revised(
            **{
                "Paying participants fairly": "Paying participants: the post's new title",
                "We will talk about payment.": "We will talk about payment and time.",
            }
        ),
    )
    assert again.status_code == 302
    page = client.get(again.location).get_data(as_text=True)
    assert "Kept the title as it was edited here since the last import" in page
    row = only_meeting(app)
    assert row.title == "Paying people fairly (edited)"  # the edit is kept
    assert row.description == "We will talk about payment and time."  # not edited: updated
    assert meetings.local_start(row).hour == 14  # edited, and the post's is kept aside
    # The edit form has no author field: saving it kept the imported author, not an edit.
    assert row.author == "Gavin Freeguard" and "Kept the author" not in page


def test_reimporting_from_the_command_line_warns_about_what_it_kept(app, member_setup, tmp_path):
    post = tmp_path / FILENAME

    def import_post(text):
        post.write_text(text)
        return run_cli(app, "meetings", "import", str(post), "--network", "river-network")

    assert import_post(POST).exit_code == 0
    with app.app_context():
        row = db.session.scalars(db.select(Meeting)).one()
        fields = meetings.fields_of(row)
        fields.topics = ("Participation", "Payment")
        meetings.update_meeting(row, fields, actor_id=None, expected_version=row.details_version)
        db.session.commit()
    result = import_post(revised(**{"  - Participation": "  - Ethics", "Paying": "Rewarding"}))
    assert result.exit_code == 0, result.output
    assert "Kept the topics" in result.stderr and "title" not in result.stderr
    assert "Kept" not in result.stdout
    row = only_meeting(app)
    assert row.topics == ["Participation", "Payment"]
    assert row.title == "Rewarding participants fairly"
    # The same post again: the edit is still kept, and still said, as the post still differs.
    same = import_post(revised(**{"  - Participation": "  - Ethics", "Paying": "Rewarding"}))
    assert same.exit_code == 0 and "Kept the topics" in same.stderr
    assert only_meeting(app).topics == ["Participation", "Payment"]


def test_reimporting_an_unedited_meeting_takes_everything_from_the_post(app, member_setup):
    with app.app_context():
        network = db.session.get(type(member_setup["network"]), member_setup["network"].id)
        meetings.import_event_post(network, POST, FILENAME, actor_id=None)
        result = meetings.import_event_post(
            network, revised(Paying="Rewarding", Participation="Ethics"), FILENAME, actor_id=None
        )
        assert result.kept == [] and not result.created
        assert result.meeting.title == "Rewarding participants fairly"
        assert result.meeting.topics == ["Ethics"]
        db.session.commit()


def test_a_meeting_imported_before_imports_were_recorded_keeps_what_differs(app, member_setup):
    with app.app_context():
        network = db.session.get(type(member_setup["network"]), member_setup["network"].id)
        row = meetings.import_event_post(network, POST, FILENAME, actor_id=None).meeting
        row.imported_fields = None  # as migration 0007 leaves meetings imported before it
        row.title = "Someone's edit, or not"
        result = meetings.import_event_post(
            network, revised(**{"payment.": "payment and time."}), FILENAME, actor_id=None
        )
        assert result.meeting.title == "Someone's edit, or not"
        assert result.meeting.description == "We will talk about payment."
        assert {k.split(" as ")[0] for k in result.kept} == {
            "Kept the title",
            "Kept the description",
        }
        db.session.commit()


@pytest.mark.parametrize("post", POSTS, ids=lambda p: p.name)
def test_the_messy_posts_import_again_without_losing_an_edit(app, member_setup, post):
    command = ("meetings", "import", str(post), "--network", "river-network")
    assert run_cli(app, *command).exit_code == 0
    with app.app_context():
        row = db.session.scalars(db.select(Meeting)).one()
        fields = meetings.fields_of(row)
        fields.description = "A description the facilitator rewrote."
        meetings.update_meeting(row, fields, actor_id=None, expected_version=row.details_version)
        db.session.commit()
    again = run_cli(app, *command)
    assert again.exit_code == 0 and "Kept the description" in again.stderr
    assert only_meeting(app).description == "A description the facilitator rewrote."
