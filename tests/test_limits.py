"""Limits that keep one person from stalling the site: request sizes, text lengths on every path
(forms, services, commands), ids too large for the database, and HSTS outside development."""

from __future__ import annotations

import http.cookiejar
import io
import re
import threading
import time
import urllib.parse
import urllib.request
from datetime import datetime

import pytest
from werkzeug.datastructures import FileStorage
from werkzeug.serving import make_server
from werkzeug.test import encode_multipart

from notes_app import create_app
from notes_app.config import Config, DevelopmentConfig
from notes_app.domain import limits
from notes_app.domain.consent import Decision, Level
from notes_app.domain.notes import ItemKind
from notes_app.domain.rendering import render_markdown
from notes_app.extensions import db
from notes_app.models import Comment, Item, Meeting
from notes_app.services import accounts, comments, consent, drafts, meetings, speakers
from notes_app.services.errors import ServiceError
from notes_app.web.converters import DATABASE_INT_MAX
from tests.conftest import NOTES_FILE, PASSWORD, csrf_token, post_form
from tests.domain.test_rendering_bounds import PATHOLOGICAL
from tests.test_comments import base, post_comment, publish_now, rows
from tests.test_meetings import run_cli

HUGE = "99999999999999999999"


@pytest.fixture
def published(app, member_setup, create_meeting):
    meeting = create_meeting(member_setup["network"], "Patients first", notes=NOTES_FILE)
    publish_now(app, meeting)
    return meeting


def upload_post(client, url: str, content: bytes):
    """Send an event post file, encoded in memory (the test client would spool it to a file
    that it never closes)."""
    page = client.get(url).get_data(as_text=True)
    boundary, body = encode_multipart(
        {"csrf_token": csrf_token(page), "post": FileStorage(io.BytesIO(content), "post.md")}
    )
    return client.post(url, data=body, content_type=f"multipart/form-data; boundary={boundary}")


def item_bodies(app, meeting) -> list[str]:
    with app.app_context():
        return db.session.scalars(
            db.select(Item.body).where(Item.meeting_id == meeting.id).order_by(Item.position)
        ).all()


# Request bodies -------------------------------------------------------------------------------


def test_a_request_over_the_cap_gets_a_413_page_that_says_the_limit(
    app, client, member_setup, auth, published
):
    auth.login(member_setup["member"])
    response = post_comment(client, published, "x" * (5 * 1024 * 1024))
    page = response.get_data(as_text=True)
    assert response.status_code == 413
    assert "the limit is 4 MB" in page and "Too large" in page
    assert rows(app) == []


def test_an_upload_over_the_cap_is_refused_before_it_is_stored(app, client, member_setup, auth):
    auth.login(member_setup["facilitator"])
    content = b"---\ntitle: Big\ndate: 2025-01-15\n---\n" + b"x" * (5 * 1024 * 1024)
    response = upload_post(client, "/n/river-network/meetings/import", content)
    assert response.status_code == 413 and "4 MB" in response.get_data(as_text=True)
    with app.app_context():
        assert db.session.scalars(db.select(Meeting)).all() == []


def test_an_upload_under_the_cap_but_over_the_length_is_refused_with_the_limit(
    app, client, member_setup, auth
):
    auth.login(member_setup["facilitator"])
    content = b"---\ntitle: Big\ndate: 2025-01-15\n---\n" + b"x" * (1024 * 1024)
    response = upload_post(client, "/n/river-network/meetings/import", content)
    assert response.status_code == 422
    assert "Event posts must be 20,000 characters or fewer." in response.get_data(as_text=True)
    with app.app_context():
        assert db.session.scalars(db.select(Meeting)).all() == []


def test_the_longest_notes_paste_fits_within_the_request_limits(
    app, client, member_setup, auth, create_meeting
):
    """The longest notes file, in letters that take 4 bytes and 12 once form-encoded."""
    meeting = create_meeting(member_setup["network"], "Long notes")
    url = f"/n/river-network/m/{meeting.slug}"
    block = "𝐀" * 990 + "\n\n"  # one note per block, well under the item limit
    text = (block * (limits.NOTES_FILE.characters // len(block)))[: limits.NOTES_FILE.characters]
    assert len(text.encode()) > 3.9 * limits.NOTES_FILE.characters
    auth.login(member_setup["facilitator"])
    page = client.get(f"{url}/draft").get_data(as_text=True)
    version = re.search(r'name="draft_version" type="hidden" value="(\d+)"', page).group(1)
    encoded = urllib.parse.urlencode(
        {"csrf_token": csrf_token(page), "text": text, "draft_version": version}
    )
    assert len(encoded) > 1024 * 1024  # more than Werkzeug's default form memory (500 kB)
    response = client.post(
        f"{url}/draft/paste",
        data=encoded,
        content_type="application/x-www-form-urlencoded",
    )
    assert response.status_code == 302, response.get_data(as_text=True)[:500]
    assert len(item_bodies(app, meeting)) == text.count("𝐀" * 990)


# Lengths: forms -------------------------------------------------------------------------------


def test_a_comment_over_the_limit_is_refused_with_the_limit_in_words(
    app, client, member_setup, auth, published
):
    auth.login(member_setup["member"])
    response = post_comment(client, published, "x" * (limits.COMMENT.characters + 1))
    assert response.status_code == 422
    assert "Comments must be 10,000 characters or fewer." in response.get_data(as_text=True)
    assert rows(app) == []
    assert post_comment(client, published, "x" * limits.COMMENT.characters).status_code == 302


def test_a_meeting_description_or_title_over_the_limit_is_refused(
    app, client, member_setup, auth, published
):
    auth.login(member_setup["facilitator"])
    url = f"{base(published)}/edit"
    fields = {"starts_at": "2025-03-05T14:00", "timezone": "Europe/London", "title": "Fine"}
    long_description = "x" * (limits.MEETING_DESCRIPTION.characters + 1)
    response = post_form(client, url, {**fields, "description": long_description})
    assert response.status_code == 422
    assert "Meeting descriptions must be 10,000 characters or fewer." in response.get_data(
        as_text=True
    )
    response = post_form(client, url, {**fields, "title": "t" * 301})
    assert response.status_code == 422
    assert "Meeting titles must be 300 characters or fewer." in response.get_data(as_text=True)
    with app.app_context():
        assert db.session.get(Meeting, published.id).title == "Patients first"


def test_an_item_over_the_limit_is_refused(app, client, member_setup, auth, published):
    auth.login(member_setup["facilitator"])
    before = item_bodies(app, published)
    response = post_form(
        client,
        f"{base(published)}/draft/items",
        {"kind": "note", "body": "x" * (limits.ITEM_BODY.characters + 1)},
        page=f"{base(published)}/draft",
    )
    assert response.status_code == 422
    assert "Items of the notes must be 10,000 characters or fewer." in response.get_data(
        as_text=True
    )
    assert item_bodies(app, published) == before


def test_a_search_over_the_limit_says_so_instead_of_failing(client, member_setup, auth):
    auth.login(member_setup["member"])
    response = client.get("/search", query_string={"q": "word " * 100})
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "Searches must be 200 characters or fewer." in page


# Lengths: services ----------------------------------------------------------------------------


def test_every_service_refuses_text_over_its_limit(app, member_setup, published):
    with app.app_context():
        meeting = db.session.get(Meeting, published.id)
        actor_id = member_setup["facilitator"].id

        def refused(call, limit):
            with pytest.raises(ServiceError) as error:
                call()
            assert str(error.value) == limit.message
            db.session.rollback()

        over = {limit: "x" * (limit.characters + 1) for limit in limits.ALL}
        fields = meetings.fields_of(meeting)
        fields.description = over[limits.MEETING_DESCRIPTION]
        refused(
            lambda: meetings.update_meeting(meeting, fields, actor_id=actor_id),
            limits.MEETING_DESCRIPTION,
        )
        fields = meetings.fields_of(meeting)
        fields.title = over[limits.MEETING_TITLE]
        refused(
            lambda: meetings.update_meeting(meeting, fields, actor_id=actor_id),
            limits.MEETING_TITLE,
        )
        refused(
            lambda: meetings.create_meeting(
                meeting.network,
                meetings.MeetingFields(
                    "A title",
                    datetime(2025, 1, 1, 14),
                    description=over[limits.MEETING_DESCRIPTION],
                ),
                actor_id=actor_id,
            ),
            limits.MEETING_DESCRIPTION,
        )
        post = "---\ntitle: T\ndate: 2025-01-15\n---\n" + over[limits.EVENT_POST]
        refused(
            lambda: meetings.import_event_post(meeting.network, post, None, actor_id=None),
            limits.EVENT_POST,
        )
        refused(
            lambda: drafts.import_notes(meeting, over[limits.NOTES_FILE], actor_id=None),
            limits.NOTES_FILE,
        )
        refused(
            lambda: drafts.add_item(
                meeting,
                drafts.ItemChange(kind=ItemKind.NOTE, body=over[limits.ITEM_BODY]),
                actor_id=actor_id,
            ),
            limits.ITEM_BODY,
        )
        actor = accounts.actor_for(db.session.merge(member_setup["member"]))
        refused(lambda: comments.post(meeting, actor, over[limits.COMMENT]), limits.COMMENT)
        speaker = speakers.find_speaker(meeting, "robin")
        fields = speakers.SpeakerFields(
            handle="robin", name="Robin Example", descriptor=over[limits.SPEAKER_DESCRIPTOR]
        )
        refused(
            lambda: speakers.update_speaker(meeting, speaker, fields, actor_id=actor_id),
            limits.SPEAKER_DESCRIPTOR,
        )
        refused(
            lambda: consent.record_on_behalf(
                meeting,
                speaker,
                Decision.GRANTED,
                evidence="By email",
                actor_id=None,
                level=Level.NAME,
                label=over[limits.SPEAKER_LABEL],
            ),
            limits.SPEAKER_LABEL,
        )
        assert db.session.scalars(db.select(Comment)).all() == []
        assert db.session.get(Meeting, published.id).title == "Patients first"


# Lengths: commands ----------------------------------------------------------------------------


def test_commands_refuse_files_over_the_limit_and_change_nothing(
    app, member_setup, published, tmp_path
):
    before = item_bodies(app, published)
    notes = tmp_path / "notes.md"
    notes.write_text("x" * (limits.NOTES_FILE.characters + 1))
    result = run_cli(app, "notes", "import", published.slug, str(notes))
    assert result.exit_code == 1
    assert "Notes files must be 100,000 characters or fewer." in result.stderr
    item = tmp_path / "item.md"
    item.write_text("A note.\n\n" + "y" * (limits.ITEM_BODY.characters + 1) + "\n")
    result = run_cli(app, "notes", "import", published.slug, str(item))
    assert result.exit_code == 1
    assert "line 3: Items of the notes must be 10,000 characters or fewer." in result.stderr
    assert item_bodies(app, published) == before
    post = tmp_path / "post.md"
    post.write_text("---\ntitle: Big\ndate: 2025-01-15\n---\n" + "z" * limits.EVENT_POST.characters)
    result = run_cli(app, "meetings", "import", str(post), "--network", "river-network")
    assert result.exit_code == 1
    assert "Event posts must be 20,000 characters or fewer." in result.stderr
    bomb = tmp_path / "bomb.md"
    bomb.write_text("---\ntitle: T\ndate: 2025-01-15\na: &a [x]\nb: [*a, *a]\n---\n")
    result = run_cli(app, "meetings", "import", str(bomb), "--network", "river-network")
    assert result.exit_code == 1
    assert "line 4: YAML anchors and aliases are not allowed" in result.stderr
    with app.app_context():
        assert [m.title for m in db.session.scalars(db.select(Meeting))] == ["Patients first"]


# Ids too large for the database ---------------------------------------------------------------


@pytest.mark.parametrize(
    "path",
    [
        "/publications/{huge}",
        "/revisions/{huge}",
        "/speakers/{huge}",
        "/comments/{huge}/edit",
        "/comments/{big}/edit",
        "/revisions/diff?old={huge}&new=1",
    ],
)
def test_an_id_too_large_for_the_database_is_not_found(client, member_setup, auth, published, path):
    auth.login(member_setup["facilitator"])
    url = base(published) + path.format(huge=HUGE, big=DATABASE_INT_MAX + 1)
    assert client.get(url).status_code == 404


def test_an_id_too_large_is_not_found_in_posted_forms_and_admin_pages(
    app, client, member_setup, auth, published
):
    auth.login(member_setup["admin"])
    assert client.get(f"/admin/outbox/{HUGE}").status_code == 404
    response = post_form(
        client,
        f"/networks/river-network/members/{HUGE}/remove",
        {},
        page="/networks/river-network/members",
    )
    assert response.status_code == 404
    auth.logout()
    auth.login(member_setup["member"])
    response = post_comment(client, published, "A reply", parent_id=HUGE)
    assert response.status_code == 404
    assert rows(app) == []


def test_the_largest_id_the_database_holds_is_still_looked_up(
    client, member_setup, auth, published
):
    auth.login(member_setup["facilitator"])
    assert client.get(f"{base(published)}/revisions/{DATABASE_INT_MAX}").status_code == 404
    assert client.get(f"{base(published)}/revisions/1").status_code == 200


# HSTS -----------------------------------------------------------------------------------------


def test_hsts_on_every_response_outside_development(database_url, tmp_path, monkeypatch):
    monkeypatch.setenv("NOTES_SECRET_KEY", "a production-like secret key for the test")
    monkeypatch.setenv("NOTES_DATABASE_URL", database_url)
    app = create_app(Config(str(tmp_path)))
    client = app.test_client()
    for path in ("/login", "/nowhere", "/static/css/app.css"):
        with client.get(path) as response:
            assert response.headers["Strict-Transport-Security"] == (
                "max-age=31536000; includeSubDomains"
            ), path
    with app.app_context():
        db.engine.dispose()


def test_no_hsts_in_development(database_url, tmp_path, monkeypatch):
    monkeypatch.setenv("NOTES_DATABASE_URL", database_url)
    app = create_app(DevelopmentConfig(str(tmp_path)))
    assert "Strict-Transport-Security" not in app.test_client().get("/login").headers
    with app.app_context():
        db.engine.dispose()


# A slow request does not hold up the others ---------------------------------------------------


def _slowest_accepted_description() -> str:
    timed = []
    for _, text in PATHOLOGICAL:
        if len(text) <= limits.MEETING_DESCRIPTION.characters:
            started = time.perf_counter()
            render_markdown(text)
            timed.append((time.perf_counter() - started, text))
    return max(timed)[1]


def test_another_page_answers_promptly_while_the_worst_description_renders(
    app, member_setup, published
):
    worst = _slowest_accepted_description()
    with app.app_context():
        meeting = db.session.get(Meeting, published.id)
        fields = meetings.fields_of(meeting)
        fields.description = worst
        meetings.update_meeting(meeting, fields, actor_id=None)
        db.session.commit()
    server = make_server("127.0.0.1", 0, app, threaded=True)
    root = f"http://127.0.0.1:{server.server_port}"
    serving = threading.Thread(target=server.serve_forever, daemon=True)
    serving.start()
    try:
        opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar())
        )
        login = opener.open(f"{root}/login").read().decode()
        form = {
            "csrf_token": csrf_token(login),
            "email": member_setup["facilitator"].email,
            "password": PASSWORD,
        }
        opener.open(f"{root}/login", urllib.parse.urlencode(form).encode()).read()
        heavy_statuses: list[int] = []

        def view_the_heavy_page() -> None:
            for _ in range(3):
                with opener.open(f"{root}{base(published)}/") as response:
                    heavy_statuses.append(response.status)

        heavy = threading.Thread(target=view_the_heavy_page)
        heavy.start()
        time.sleep(0.05)
        started = time.perf_counter()
        with urllib.request.urlopen(f"{root}/login", timeout=10) as response:  # noqa: S310
            assert response.status == 200
        assert time.perf_counter() - started < 2.0
        heavy.join(timeout=30)
        assert heavy_statuses == [200, 200, 200]
    finally:
        server.shutdown()
        server.server_close()


@pytest.mark.parametrize("breaker", ["\r\nBcc: bcc@evil.test", "\n", "\u2028", "\x00", "\x1b[31m"])
def test_red_team_one_line_texts_refuse_line_breaks_and_control_characters(
    app, client, member_setup, auth, create_meeting, breaker
):
    from notes_app.services import networks

    meeting = create_meeting(member_setup["network"], "A plain title")
    auth.login(member_setup["facilitator"])
    edit = f"/n/river-network/m/{meeting.slug}/edit"
    page = client.get(edit).get_data(as_text=True)
    version = re.search(r'name="version" type="hidden" value="(\d+)"', page)
    response = post_form(
        client,
        edit,
        {
            "title": f"QZX title{breaker}more",
            "starts_at": "2025-03-05T14:00",
            "timezone": "Europe/London",
            "version": version.group(1) if version else "0",
        },
    )
    assert response.status_code == 422
    assert "Meeting titles must be on one line" in response.get_data(as_text=True)
    with app.app_context():
        assert db.session.get(Meeting, meeting.id).title == "A plain title"
        with pytest.raises(ServiceError, match="Network names must be on one line"):
            networks.create_network("breaking", f"Network{breaker}name", actor_id=None)
        for limit in (limits.MEETING_TITLE, limits.SPEAKER_LABEL, limits.SPEAKER_DESCRIPTOR):
            assert "one line" in limit.problem(f"a{breaker}b")
            assert limit.problem("a plain one") is None


def test_red_team_a_huge_body_before_login_is_413_not_read(app, client):
    """A 400 MB login form was once read in full (1 GB of worker memory) and answered 401."""
    page = client.get("/login").get_data(as_text=True)
    body = (
        urllib.parse.urlencode(
            {"csrf_token": csrf_token(page), "email": "a@example.org", "password": "x" * 10}
        )
        + "&pad="
        + "x" * (5 * 1024 * 1024)
    )
    response = client.post("/login", data=body, content_type="application/x-www-form-urlencoded")
    assert response.status_code == 413
    assert "the limit is 4 MB" in response.get_data(as_text=True)


BOMB = "\n".join(
    ["---", "title: Bomb", "date: 2025-01-15", 'a: &a ["lol","lol","lol","lol","lol","lol"]']
    + [f"{x}: &{x} [{', '.join(['*' + p] * 9)}]" for p, x in zip("abcdefg", "bcdefgh", strict=True)]
    + ["topics: *h", "---", "Body."]
)


def test_red_team_an_alias_bomb_pasted_as_an_event_post_is_refused_at_once(
    app, client, member_setup, auth
):
    """A 600-byte post once took 27 s and stored a 24 MB topic."""
    auth.login(member_setup["facilitator"])
    started = time.perf_counter()
    response = post_form(client, "/n/river-network/meetings/import", {"text": BOMB})
    assert time.perf_counter() - started < 2
    assert response.status_code == 422
    assert "anchors and aliases are not allowed" in response.get_data(as_text=True)
    with app.app_context():
        assert db.session.scalars(db.select(Meeting)).all() == []


@pytest.mark.parametrize(
    ("who", "method", "path"),
    [
        ("admin", "GET", "/admin/outbox/{huge}"),
        ("admin", "POST", "/networks/river-network/members/{huge}/role"),
        ("admin", "POST", "/networks/river-network/members/{huge}/remove"),
        ("admin", "POST", "/networks/river-network/invitations/{huge}/revoke"),
        ("facilitator", "GET", "{meeting}/publications/{huge}"),
        ("facilitator", "GET", "{meeting}/revisions/{huge}"),
        ("facilitator", "GET", "{meeting}/speakers/{huge}"),
        ("facilitator", "GET", "{meeting}/consent/speakers/{huge}"),
        ("facilitator", "GET", "{meeting}/comments/{huge}/edit"),
        ("facilitator", "GET", "{meeting}/comments/{huge}/delete"),
        ("facilitator", "GET", "{meeting}/comments/{huge}/hide"),
        ("facilitator", "POST", "{meeting}/consent/links/{huge}/revoke"),
        ("facilitator", "POST", "{meeting}/revisions/{huge}/restore"),
        ("facilitator", "POST", "{meeting}/speakers/{huge}/remove"),
    ],
)
def test_red_team_every_id_route_answers_404_for_an_overflowing_id(
    client, member_setup, auth, published, who, method, path
):
    auth.login(member_setup[who])
    url = path.format(meeting=base(published), huge="9" * 20)
    if method == "GET":
        assert client.get(url).status_code == 404
    else:
        token = csrf_token(client.get("/account/").get_data(as_text=True))
        assert client.post(url, data={"csrf_token": token}).status_code == 404


def test_red_team_hsts_on_redirects_too(database_url, tmp_path, monkeypatch):
    monkeypatch.setenv("NOTES_SECRET_KEY", "a production-like secret key for the test")
    monkeypatch.setenv("NOTES_DATABASE_URL", database_url)
    app = create_app(Config(str(tmp_path)))
    with app.test_client().get("/account/") as response:
        assert response.status_code == 302
        assert response.headers["Strict-Transport-Security"].startswith("max-age=31536000")
    with app.app_context():
        db.engine.dispose()
