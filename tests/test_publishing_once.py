"""Publishing happens once per preview: a second submit, a second tab or a second thread finds
the notes published already, and members get one email."""

import re
import threading
from collections import Counter

import pytest

from notes_app.extensions import db
from notes_app.models import Item, Network, OutboxMessage, Publication
from tests.conftest import NOTES_FILE, PASSWORD, csrf_token, post_form
from tests.test_meetings import run_cli

MEMBERS = ["fac@example.org", "mem@example.org"]


@pytest.fixture
def meeting(member_setup, create_meeting):
    return create_meeting(member_setup["network"], "Patients first", notes=NOTES_FILE)


def base(meeting):
    return f"/n/river-network/m/{meeting.slug}"


def preview_form(client, meeting) -> dict:
    """The publish form of a preview, as the browser holds it until it is submitted."""
    page = client.get(f"{base(meeting)}/preview").get_data(as_text=True)
    hidden = dict(re.findall(r'type="hidden" name="([a-z_]+)" value="([^"]*)"', page))
    assert {"draft_version", "fingerprint", "published_version"} <= hidden.keys()
    return {"csrf_token": csrf_token(page)} | hidden


def submit(client, meeting, form):
    return client.post(f"{base(meeting)}/publish", data=form)


def versions(app) -> list[int]:
    with app.app_context():
        return list(db.session.scalars(db.select(Publication.version).order_by("version")))


def notes_mail(app) -> Counter:
    with app.app_context():
        return Counter(
            db.session.scalars(db.select(OutboxMessage.recipient).filter_by(kind="notes"))
        )


def facilitator_client(make_client, member_setup):
    client = make_client()
    post_form(client, "/login", {"email": member_setup["facilitator"].email, "password": PASSWORD})
    return client


def change_an_item(app, client, meeting, body: str) -> None:
    with app.app_context():
        target = db.session.scalars(
            db.select(Item).where(Item.meeting_id == meeting.id, Item.position == 2)
        ).one()
    response = post_form(
        client,
        f"{base(meeting)}/draft/items/{target.id}",
        {"kind": "note", "body": body, "version": str(target.version)},
    )
    assert response.status_code == 302


def test_submitting_one_preview_twice_publishes_it_once(app, client, member_setup, auth, meeting):
    auth.login(member_setup["facilitator"])
    form = preview_form(client, meeting)
    first = submit(client, meeting, form)
    second = submit(client, meeting, form)
    assert first.status_code == 302 and second.status_code == 302
    assert second.location == first.location  # the notes as published
    landed = client.get(second.location).get_data(as_text=True)
    assert "These notes were already published as version 1" in landed
    assert versions(app) == [1]
    assert notes_mail(app) == Counter(MEMBERS)


def test_two_tabs_of_one_preview_publish_once(app, make_client, member_setup, meeting):
    tabs = [facilitator_client(make_client, member_setup) for _ in range(2)]
    forms = [preview_form(tab, meeting) for tab in tabs]
    statuses = [
        submit(tab, meeting, form).status_code for tab, form in zip(tabs, forms, strict=True)
    ]
    assert statuses == [302, 302]
    assert versions(app) == [1]
    assert notes_mail(app) == Counter(MEMBERS)


def test_two_publishes_at_the_same_moment_make_one_version(app, make_client, member_setup, meeting):
    """Both requests carry the same preview and are released together: exactly one publishes."""
    clients = [facilitator_client(make_client, member_setup) for _ in range(2)]
    forms = [preview_form(c, meeting) for c in clients]
    barrier = threading.Barrier(2)
    responses = {}

    def publish(n):
        barrier.wait()
        responses[n] = submit(clients[n], meeting, forms[n])

    threads = [threading.Thread(target=publish, args=(n,)) for n in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert [responses[n].status_code for n in range(2)] == [302, 302]
    assert versions(app) == [1]
    assert notes_mail(app) == Counter(MEMBERS)
    pages = [clients[n].get(responses[n].location).get_data(as_text=True) for n in range(2)]
    assert sum("already published as version 1" in page for page in pages) == 1
    assert sum("Version 1 is published" in page for page in pages) == 1


def test_a_new_preview_of_unchanged_notes_says_so_and_may_publish_again(
    app, client, member_setup, auth, meeting
):
    auth.login(member_setup["facilitator"])
    submit(client, meeting, preview_form(client, meeting))
    page = client.get(f"{base(meeting)}/preview").get_data(as_text=True)
    assert "Nothing has changed since version 1 was published" in page
    # Deliberately, from the new preview (its button says so): version 2, a second round.
    assert submit(client, meeting, preview_form(client, meeting)).status_code == 302
    assert versions(app) == [1, 2]


def test_a_preview_made_before_a_consent_or_a_term_changed_is_stale(
    app, client, member_setup, auth, meeting
):
    auth.login(member_setup["facilitator"])
    before_consent = preview_form(client, meeting)
    recorded = run_cli(
        app,
        *("consent", "record", meeting.slug, "robin", "--grant", "--level", "descriptor"),
        *("--evidence", "Said yes by email"),
    )
    assert recorded.exit_code == 0, recorded.output
    refused = submit(client, meeting, before_consent)
    assert refused.status_code == 422 and "Look at the new preview" in refused.get_data(
        as_text=True
    )
    before_term = preview_form(client, meeting)
    with app.app_context():
        network = db.session.get(Network, member_setup["network"].id)
        network.terms = [*network.terms, "Patients"]
        db.session.commit()
    assert submit(client, meeting, before_term).status_code == 422
    assert versions(app) == [] and notes_mail(app) == Counter()


def test_an_old_tab_does_not_publish_over_a_newer_publication(
    app, client, member_setup, auth, meeting
):
    auth.login(member_setup["facilitator"])
    old_tab = preview_form(client, meeting)
    change_an_item(app, client, meeting, "Members agreed on a fair rate of pay.")
    assert submit(client, meeting, preview_form(client, meeting)).status_code == 302
    response = submit(client, meeting, old_tab)
    assert response.status_code == 422
    assert versions(app) == [1]
    assert notes_mail(app) == Counter(MEMBERS)


def test_a_publish_form_without_its_fingerprint_is_refused(
    app, client, member_setup, auth, meeting
):
    auth.login(member_setup["facilitator"])
    form = preview_form(client, meeting)
    del form["fingerprint"]
    assert submit(client, meeting, form).status_code == 422
    assert versions(app) == []


def test_the_command_line_does_not_publish_unchanged_notes_twice(
    app, client, member_setup, auth, meeting
):
    command = ("notes", "publish", meeting.slug, "--by", "fac@example.org")
    first = run_cli(app, *command)
    assert first.exit_code == 0 and "version 1" in first.stdout
    again = run_cli(app, *command)
    assert again.exit_code == 0, again.output
    assert "already published as version 1" in again.stdout
    assert versions(app) == [1] and notes_mail(app) == Counter(MEMBERS)
    auth.login(member_setup["facilitator"])
    change_an_item(app, client, meeting, "Members agreed on a fair rate of pay.")
    changed = run_cli(app, *command)
    assert changed.exit_code == 0 and "version 2" in changed.stdout
    assert versions(app) == [1, 2]
    assert notes_mail(app) == Counter(MEMBERS * 2)


def _change_detail(app, meeting, detail: str) -> None:
    """Change one of the meeting's own details, as the meeting's edit form does."""
    from datetime import timedelta

    from notes_app.models import Meeting
    from notes_app.services import meetings

    with app.app_context():
        row = db.session.get(Meeting, meeting.id)
        fields = meetings.fields_of(row)
        if detail == "title":
            fields.title = "Patients first, revised"
        elif detail == "date":
            fields.starts_at_local += timedelta(days=1)
        elif detail == "description":
            fields.description = "A new description."
        else:
            fields.topics = (*fields.topics, "Fair pay")
        meetings.update_meeting(row, fields, actor_id=None)
        db.session.commit()


@pytest.mark.parametrize("detail", ["title", "date", "description", "topics"])
def test_red_team_the_publish_fingerprint_covers_the_meetings_details(
    app, client, member_setup, auth, meeting, detail
):
    """The title, date, description and topics are circulated with the notes: a change to only
    one of them is a change of what was published, so it publishes again."""
    command = ("notes", "publish", meeting.slug, "--by", "fac@example.org")
    assert "version 1" in run_cli(app, *command).stdout
    auth.login(member_setup["facilitator"])
    before = preview_form(client, meeting)
    _change_detail(app, meeting, detail)
    page = client.get(f"{base(meeting)}/preview").get_data(as_text=True)
    assert "Nothing has changed since version 1 was published" not in page
    # A preview made before the change is stale: it did not show these details.
    assert submit(client, meeting, before).status_code == 422
    again = run_cli(app, *command)
    assert again.exit_code == 0 and "version 2" in again.stdout, again.output
    assert versions(app) == [1, 2]
