"""Admins see the mail system, not the mail, and read no network's notes they are not in."""

from __future__ import annotations

import re

import pytest

from notes_app.extensions import db
from notes_app.models import AuditEvent, Item, OutboxMessage, Speaker, User
from notes_app.services import accounts, consent, invitations, publishing
from tests.conftest import NOTES_FILE, PASSWORD, post_form

SPEAKER = "Zephyrine Canarywood"
NOTES_CANARY = "Quokka marmalade protocol"
TITLE = f"{SPEAKER} on patients"
NOTES = NOTES_FILE.replace("Robin Example", SPEAKER).replace(
    "Patients should be in the room", f"{NOTES_CANARY}: patients should be in the room"
)
TOKEN_LINK = re.compile(r"https?://\S*/[A-Za-z0-9_.-]*[A-Za-z0-9_-]{20,}\S*")


@pytest.fixture
def production_like(other_app):
    """The site as it runs in production: no debug or testing, a mail server configured."""
    return other_app(
        TESTING=False,
        DEBUG=False,
        ENV_NAME="production",
        MAIL_URL="smtp://mail.invalid:25",
        MAIL_TO_TERMINAL=False,
        BASE_URL="https://notes.example.org",
    )


@pytest.fixture
def mailed(app, production_like, create_user, create_network, add_member, create_meeting):
    """A network whose mail carries notes, a speaker's name and token links; an admin outside."""
    network = create_network("river-network", "River network")
    facilitator = create_user("fac@example.org", "Fay Facilitator")
    member = create_user("mem@example.org", "Max Member")
    admin = create_user("admin@example.org", "Ada Admin", admin=True)
    add_member(network, facilitator, "facilitator")
    add_member(network, member, "member")
    meeting = create_meeting(network, TITLE, NOTES)
    with production_like.app_context(), production_like.test_request_context():
        meeting = db.session.merge(meeting)
        publishing.publish(meeting, actor_id=facilitator.id, accept_warnings=True)
        consent.request_consent(
            meeting, list(db.session.scalars(db.select(Speaker))), actor_id=facilitator.id
        )
        invitations.invite(
            db.session.merge(network),
            "newcomer@example.org",
            "member",
            invited_by=db.session.get(User, facilitator.id),
        )
        accounts.request_password_reset("mem@example.org")
        db.session.commit()
        messages = list(db.session.scalars(db.select(OutboxMessage)))
        bodies = " ".join(m.subject + m.text + m.html for m in messages)
        links = set(TOKEN_LINK.findall(bodies))
        ids = {
            "message_id": [m.id for m in messages],
            "item_id": list(db.session.scalars(db.select(Item.id))),
            "speaker_id": list(db.session.scalars(db.select(Speaker.id))),
        }
    # The canaries are really in the mail, so their absence below means something.
    assert NOTES_CANARY in bodies and SPEAKER in bodies
    assert {"consent", "invitations", "reset"} <= {
        kind for kind in ("consent", "invitations", "reset") if any(kind in x for x in links)
    }, links
    client = production_like.test_client()
    post_form(client, "/login", {"email": admin.email, "password": PASSWORD})
    return {"client": client, "meeting": meeting, "links": links, "ids": ids, "admin": admin}


def assert_no_canary(text: str, where: str, links) -> None:
    for canary in (NOTES_CANARY, SPEAKER, SPEAKER.split()[1]):
        assert canary.casefold() not in text.casefold(), f"{canary!r} on {where}"
    for link in links:
        token = re.findall(r"[A-Za-z0-9_-]{20,}", link)[-1]
        assert token not in text, f"a token link on {where}"


def test_the_outbox_shows_where_mail_goes_and_how_it_is_doing(app, mailed):
    client = mailed["client"]
    page = client.get("/admin/outbox")
    assert page.status_code == 200
    text = page.get_data(as_text=True)
    assert_no_canary(text, "the outbox", mailed["links"])
    assert "mem@example.org" in text and "notes" in text and "consent_request" in text
    assert f"river-network/{mailed['meeting'].slug}" in text
    assert "waiting" in text


def test_red_team_the_outbox_shows_no_attendee_list(app, mailed):
    """Consent requests once paired each guest speaker's address with their meeting."""
    client = mailed["client"]
    pages = [client.get("/admin/outbox").get_data(as_text=True)]
    with app.app_context():
        requests = db.session.scalars(
            db.select(OutboxMessage).where(OutboxMessage.kind == "consent_request")
        ).all()
        speaker_email = db.session.scalars(db.select(Speaker.email)).one()
    assert requests and {m.recipient for m in requests} == {speaker_email}
    pages += [client.get(f"/admin/outbox/{m.id}").get_data(as_text=True) for m in requests]
    for page in pages:
        assert speaker_email not in page
        assert speaker_email.split("@")[0] not in page
    request_page = pages[-1]
    assert "a speaker (address hidden)" in request_page
    assert mailed["meeting"].slug not in request_page  # the network, not which meeting
    assert "river-network" in request_page


def test_each_message_page_shows_metadata_only_and_is_audited(app, mailed):
    client = mailed["client"]
    for message_id in mailed["ids"]["message_id"]:
        page = client.get(f"/admin/outbox/{message_id}")
        assert page.status_code == 200
        text = page.get_data(as_text=True)
        assert_no_canary(text, f"message {message_id}", mailed["links"])
        assert "Attempts" in text
    assert client.get("/admin/outbox/999999").status_code == 404
    with app.app_context():
        viewed = db.session.scalars(
            db.select(AuditEvent).where(AuditEvent.action == "outbox_message_viewed")
        ).all()
    assert sorted(int(e.subject.split(":")[1]) for e in viewed) == sorted(
        mailed["ids"]["message_id"]
    )
    assert {e.actor_id for e in viewed} == {mailed["admin"].id}


def _urls(app, mailed) -> list[str]:
    """Every page a GET reaches, with this network's real slugs and ids filled in."""
    values = {
        "slug": ["river-network"],
        "network_slug": ["river-network"],
        "meeting_slug": [mailed["meeting"].slug],
        "version": [1, 2],
        "number": [1, 2],
        # Admins never see a token; a guessed one must not open anything either.
        "token": ["not-a-real-token-0123456789abcdef"],
        **mailed["ids"],
    }
    urls = []
    for rule in app.url_map.iter_rules():
        if "GET" not in rule.methods or rule.endpoint == "static":
            continue
        combinations = [{}]
        for argument in rule.arguments:
            combinations = [{**c, argument: v} for c in combinations for v in values[argument]]
        for arguments in combinations:
            path = rule.rule
            for name, value in arguments.items():
                path = re.sub(rf"<(?:[a-z]+:)?{name}>", str(value), path)
            urls.append(path)
    return urls + [f"/search?q={NOTES_CANARY}", f"/search?q={SPEAKER}"]


def test_no_page_an_admin_can_open_carries_a_networks_notes(production_like, mailed):
    client = mailed["client"]
    urls = _urls(production_like, mailed)
    assert len(urls) > 40
    opened = {}
    for url in urls:
        response = client.get(url)
        opened[url] = response.status_code
        text = response.get_data(as_text=True)
        if url.startswith("/search?"):
            text = text.split('id="results-heading"', 1)[1]  # past the echoed query
        assert_no_canary(text, url, mailed["links"])
    # The test reached real pages: the admin pages open, the network's notes do not.
    meeting = f"/n/river-network/m/{mailed['meeting'].slug}"
    assert opened["/admin/outbox"] == opened["/networks/river-network/members"] == 200
    for path in ("/", "/notes", "/notes.md", "/notes/print", "/draft", "/preview", "/consent"):
        assert opened[meeting + path] == 404, path
    assert opened["/n/river-network/"] == 404


def test_facilitators_see_how_the_latest_publication_went_out(
    app, client, member_setup, auth, create_meeting, make_client
):
    meeting = create_meeting(member_setup["network"], "Monthly meeting", NOTES_FILE)
    with app.app_context():
        publishing.publish(
            db.session.merge(meeting), actor_id=member_setup["facilitator"].id, accept_warnings=True
        )
        db.session.commit()
        messages = list(db.session.scalars(db.select(OutboxMessage).filter_by(kind="notes")))
        assert len(messages) == 2  # the facilitator and the member
        messages[0].sent_at = messages[0].created_at
        messages[0].attempts = 1
        messages[1].attempts = app.config["MAIL_MAX_ATTEMPTS"]
        db.session.commit()
    auth.login(member_setup["facilitator"])
    for path in ("/", "/preview"):
        page = client.get(f"/n/river-network/m/{meeting.slug}{path}").get_data(as_text=True)
        assert "Version 1 was emailed to 2 members: 1 sent, 0 waiting, 1 failed." in page, path
    reader = make_client()
    post_form(reader, "/login", {"email": "mem@example.org", "password": PASSWORD})
    page = reader.get(f"/n/river-network/m/{meeting.slug}/").get_data(as_text=True)
    assert "was emailed to" not in page


def test_the_mail_counts_take_the_same_queries_for_any_number_of_members(
    app, client, member_setup, auth, create_meeting, create_user, add_member
):
    from sqlalchemy import event

    meeting = create_meeting(member_setup["network"], "Monthly meeting", NOTES_FILE)
    auth.login(member_setup["facilitator"])
    url = f"/n/river-network/m/{meeting.slug}/"

    def publish_and_count() -> int:
        with app.app_context():
            publishing.publish(
                db.session.merge(meeting),
                actor_id=member_setup["facilitator"].id,
                accept_warnings=True,
            )
            db.session.commit()
            engine = db.engine
        statements = []
        record = lambda *args: statements.append(args[2])  # noqa: E731
        event.listen(engine, "before_cursor_execute", record)
        try:
            assert "was emailed to" in client.get(url).get_data(as_text=True)
        finally:
            event.remove(engine, "before_cursor_execute", record)
        return len(statements)

    few = publish_and_count()
    for _ in range(5):
        add_member(member_setup["network"], create_user(), "member")
    assert publish_and_count() == few
