"""Preview, publish and circulate: members get redacted notes only, and a refusal changes nothing."""

import re

import pytest

from notes_app.domain.consent import wording_hash
from notes_app.extensions import db
from notes_app.models import ConsentRecord, Item, OutboxMessage, Publication, Speaker, User
from tests.conftest import NOTES_FILE, PASSWORD, csrf_token, post_form
from tests.test_meetings import run_cli

# Text from the draft that no member may ever see, and text that must reach them.
CANARIES = [
    "Robin Example",
    "Robin",
    "Example University",
    "robin@example.org",
    "Dr Example",
    "Project Falcon",
    "Our funder is about to cut the programme",
    "because the council pulled out",
]
PUBLIC = [
    "Involving patients early",
    "Patients should be in the room when the problem is defined",
    "Members discussed how to pay people fairly for their time.",
    "it changed the research questions",
]


@pytest.fixture
def meeting(member_setup, create_meeting):
    return create_meeting(member_setup["network"], "Patients first", notes=NOTES_FILE)


def base(meeting):
    return f"/n/river-network/m/{meeting.slug}"


def publish(client, meeting, accept=False):
    page = client.get(f"{base(meeting)}/preview").get_data(as_text=True)
    data = {"csrf_token": csrf_token(page)}
    # What the preview showed, as its publish form carries it.
    data |= dict(re.findall(r'type="hidden" name="([a-z_]+)" value="([^"]*)"', page))
    if accept:
        data["accept_warnings"] = "y"
    return client.post(f"{base(meeting)}/publish", data=data)


def count(app, model):
    with app.app_context():
        return db.session.scalar(db.select(db.func.count()).select_from(model))


def assert_no_canary(text, where):
    folded = text.casefold()
    for canary in CANARIES:
        assert canary.casefold() not in folded, f"{canary!r} leaked into {where}"


def member_surfaces(client, meeting):
    """Every page and file a member can fetch about these notes."""
    return {
        "notes page": client.get(f"{base(meeting)}/notes").get_data(as_text=True),
        "print view": client.get(f"{base(meeting)}/notes/print").get_data(as_text=True),
        "markdown export": client.get(f"{base(meeting)}/notes.md").get_data(as_text=True),
        "meeting page": client.get(f"{base(meeting)}/").get_data(as_text=True),
        "meeting list": client.get("/n/river-network/").get_data(as_text=True),
        "home": client.get("/").get_data(as_text=True),
    }


def test_members_get_only_redacted_notes_everywhere(
    app, client, make_client, member_setup, auth, meeting
):
    auth.login(member_setup["facilitator"])
    assert publish(client, meeting).status_code == 302
    reader = make_client()
    post_form(
        reader,
        "/login",
        {"email": member_setup["member"].email, "password": "correct horse battery staple"},
    )
    surfaces = member_surfaces(reader, meeting)
    for where, text in surfaces.items():
        assert_no_canary(text, where)
    for text in PUBLIC:
        assert text in surfaces["notes page"] and text in surfaces["markdown export"]
    with app.app_context():
        messages = db.session.scalars(
            db.select(OutboxMessage).where(OutboxMessage.kind == "notes")
        ).all()
    assert sorted(m.recipient for m in messages) == ["fac@example.org", "mem@example.org"]
    for message in messages:
        assert_no_canary(message.text + message.html, f"email to {message.recipient}")
        assert PUBLIC[1] in message.text and PUBLIC[1] in message.html
        assert "Chatham House Rule" in message.text and "/notes" in message.text


def test_a_title_naming_a_speaker_is_scrubbed_everywhere_members_look(
    app, client, make_client, member_setup, auth, create_meeting
):
    """Event posts often name their speakers in the title; members never see those names."""
    meeting = create_meeting(member_setup["network"], "Robin Example on patients", NOTES_FILE)
    assert "robin" not in meeting.slug.casefold()
    auth.login(member_setup["facilitator"])
    assert publish(client, meeting).status_code == 302
    reader = make_client()
    post_form(reader, "/login", {"email": "mem@example.org", "password": PASSWORD})
    surfaces = member_surfaces(reader, meeting)
    surfaces["search"] = reader.get("/search?q=patients").get_data(as_text=True)
    with app.app_context():
        token = db.session.get(User, member_setup["member"].id).feed_token
        for message in db.session.scalars(db.select(OutboxMessage)):
            surfaces[f"email to {message.recipient}"] = (
                message.subject + message.text + message.html
            )
    surfaces["feed"] = (
        make_client().get(f"/feeds/{token}/river-network.atom").get_data(as_text=True)
    )
    for where, text in surfaces.items():
        assert_no_canary(text, where)
        if where != "markdown export":
            assert "A participant on patients" in text or "search" in where, where
    # Facilitators still see the real title where they work.
    assert "Robin Example on patients" in client.get(f"{base(meeting)}/draft").get_data(
        as_text=True
    )


def test_the_export_has_front_matter_for_a_website(client, member_setup, auth, meeting):
    import yaml

    auth.login(member_setup["facilitator"])
    publish(client, meeting)
    text = client.get(f"{base(meeting)}/notes.md").get_data(as_text=True)
    _, front, body = text.split("---\n", 2)
    data = yaml.safe_load(front)
    assert (
        data["title"] == "Patients first" and data["version"] == 1 and data["date"] == "2025-03-05"
    )
    assert "Involving patients early" in body


def test_a_confidential_item_leaves_no_trace(app, client, member_setup, auth, meeting):
    auth.login(member_setup["facilitator"])
    publish(client, meeting)
    page = client.get(f"{base(meeting)}/notes").get_data(as_text=True)
    notes = page.split('<article class="notes"', 1)[1].split("</article>", 1)[0]
    assert notes.count('class="notes-item') == 4  # five items, one confidential
    assert "confidential" not in notes.lower()
    assert not re.search(r"<(p|li|div|h\d)[^>]*>\s*</\1>", notes), "an empty element is a trace"
    assert "  " not in re.sub(r"<[^>]+>", "", notes).replace("\n", " ").strip().replace("   ", "")


def test_consented_attribution_is_shown_and_nothing_else(app, client, member_setup, auth, meeting):
    with app.app_context():
        item = db.session.scalars(
            db.select(Item).where(Item.meeting_id == meeting.id, Item.position == 1)
        ).one()
        robin = db.session.scalars(db.select(Speaker).where(Speaker.handle == "robin")).one()
        db.session.add(
            ConsentRecord(
                meeting_id=meeting.id,
                speaker_id=robin.id,
                item_id=item.id,
                decision="granted",
                level="name",
                label="Dr Robin Example",
                wording_hash=wording_hash(item.body),
                channel="on_behalf",
                evidence="email of 1 March",
            )
        )
        db.session.commit()
    auth.login(member_setup["facilitator"])
    publish(client, meeting, accept=True)
    page = client.get(f"{base(meeting)}/notes").get_data(as_text=True)
    assert "Dr Robin Example" in page
    assert page.count("Dr Robin Example") == 1  # only on the consented statement
    assert "Our funder" not in page


def test_publishing_twice_makes_v1_then_v2_and_members_see_v2(
    app, client, make_client, member_setup, auth, meeting
):
    auth.login(member_setup["facilitator"])
    publish(client, meeting)
    with app.app_context():
        target = db.session.scalars(
            db.select(Item).where(Item.meeting_id == meeting.id, Item.position == 2)
        ).one()
    post_form(
        client,
        f"{base(meeting)}/draft/items/{target.id}",
        {
            "kind": "note",
            "body": "Members agreed on a fair rate of pay.",
            "version": str(target.version),
        },
    )
    publish(client, meeting)
    with app.app_context():
        versions = db.session.scalars(
            db.select(Publication.version).order_by(Publication.version)
        ).all()
        updated = db.session.scalars(
            db.select(OutboxMessage.subject).order_by(OutboxMessage.id.desc())
        ).first()
    assert versions == [1, 2]
    assert updated.startswith("Updated notes")
    reader = make_client()
    post_form(
        reader,
        "/login",
        {"email": member_setup["member"].email, "password": "correct horse battery staple"},
    )
    page = reader.get(f"{base(meeting)}/notes").get_data(as_text=True)
    assert "version 2" in page and "fair rate of pay" in page and "pay people fairly" not in page
    assert reader.get(f"{base(meeting)}/publications/1").status_code == 404
    assert client.get(f"{base(meeting)}/publications/1").status_code == 200


def warning_notes():
    return NOTES_FILE.replace(
        "@robin: Patients should be", "@robin: As the Ethics Lead I think patients should be"
    )


def test_unconfirmed_warnings_refuse_publication_and_change_nothing(
    app, client, member_setup, auth, create_meeting
):
    meeting = create_meeting(member_setup["network"], "With a warning", notes=warning_notes())
    auth.login(member_setup["facilitator"])
    preview = client.get(f"{base(meeting)}/preview").get_data(as_text=True)
    assert "Warnings to confirm" in preview
    messages_before = count(app, OutboxMessage)
    response = publish(client, meeting)
    assert response.status_code == 422 and "confirm" in response.get_data(as_text=True)
    assert count(app, Publication) == 0 and count(app, OutboxMessage) == messages_before
    assert publish(client, meeting, accept=True).status_code == 302
    assert count(app, Publication) == 1


def test_a_leak_found_by_the_final_check_refuses_and_stores_nothing(
    app, client, member_setup, auth, meeting, monkeypatch
):
    """The service's refusal path, with the engine made to report a leak."""
    from notes_app.domain import redaction
    from notes_app.services import publishing

    real = redaction.redact

    def leaky(*args, **kwargs):
        published, report = real(*args, **kwargs)
        leak = redaction.Leak("name", "Robin Example", published.items[0].id, "text", "casefold")
        return published, redaction.Report(report.changes, report.warnings, report.checks, (leak,))

    monkeypatch.setattr(publishing, "redact", leaky)
    auth.login(member_setup["facilitator"])
    preview = client.get(f"{base(meeting)}/preview").get_data(as_text=True)
    assert "Publication refused" in preview and "disabled" in preview
    response = publish(client, meeting, accept=True)
    assert response.status_code == 422
    assert count(app, Publication) == 0 and count(app, OutboxMessage) == 0


@pytest.mark.parametrize("who", ["member", "outsider"])
def test_only_facilitators_preview_and_publish(client, member_setup, auth, meeting, who):
    auth.login(member_setup[who])
    assert client.get(f"{base(meeting)}/preview").status_code == 404
    assert client.get(f"{base(meeting)}/publications").status_code == 404
    token = csrf_token(client.get("/account/").get_data(as_text=True))
    assert client.post(f"{base(meeting)}/publish", data={"csrf_token": token}).status_code == 404


def test_outsiders_cannot_read_published_notes(client, make_client, member_setup, auth, meeting):
    auth.login(member_setup["facilitator"])
    publish(client, meeting)
    outsider = make_client()
    post_form(
        outsider,
        "/login",
        {"email": member_setup["outsider"].email, "password": "correct horse battery staple"},
    )
    for suffix in ("/notes", "/notes/print", "/notes.md", "/"):
        response = outsider.get(base(meeting) + suffix)
        assert response.status_code == 404
        assert "Patients" not in response.get_data(as_text=True)


def test_unpublished_notes_are_not_found(client, member_setup, auth, meeting):
    auth.login(member_setup["member"])
    assert client.get(f"{base(meeting)}/notes").status_code == 404


def test_cli_publish_refuses_with_the_report_then_publishes(app, member_setup, create_meeting):
    meeting = create_meeting(member_setup["network"], "Cli publish", notes=warning_notes())
    refused = run_cli(app, "notes", "publish", meeting.slug, "--by", "fac@example.org")
    assert refused.exit_code == 1 and "WARNING" in refused.stderr
    assert count(app, Publication) == 0 and count(app, OutboxMessage) == 0
    not_facilitator = run_cli(app, "notes", "publish", meeting.slug, "--by", "mem@example.org")
    assert not_facilitator.exit_code == 1 and "not a facilitator" in not_facilitator.stderr
    done = run_cli(
        app, "notes", "publish", meeting.slug, "--by", "fac@example.org", "--accept-warnings"
    )
    assert done.exit_code == 0 and "version 1" in done.stdout
    exported = run_cli(app, "notes", "export", meeting.slug, "--published")
    assert exported.exit_code == 0 and "version: 1" in exported.stdout
    assert_no_canary(exported.stdout, "the published export")


def test_members_who_left_the_network_are_not_emailed(app, client, member_setup, auth, meeting):
    from notes_app.models import Membership

    with app.app_context():
        left = db.session.scalars(
            db.select(Membership).join(Membership.user).where(Membership.role == "member")
        ).one()
        db.session.delete(left)
        db.session.commit()
    auth.login(member_setup["facilitator"])
    publish(client, meeting)
    with app.app_context():
        recipients = db.session.scalars(db.select(OutboxMessage.recipient)).all()
    assert recipients == ["fac@example.org"]


def test_a_publish_form_without_its_draft_version_is_refused(
    app, client, member_setup, auth, meeting
):
    auth.login(member_setup["facilitator"])
    token = csrf_token(client.get(f"{base(meeting)}/preview").get_data(as_text=True))
    response = client.post(f"{base(meeting)}/publish", data={"csrf_token": token})
    assert response.status_code == 422 and "draft changed" in response.get_data(as_text=True)
    assert count(app, Publication) == 0


def test_meeting_details_are_scrubbed_for_members(
    app, client, make_client, member_setup, auth, create_meeting
):
    meeting = create_meeting(member_setup["network"], "Robin Example on patients", notes=NOTES_FILE)
    with app.app_context():
        from notes_app.models import Meeting

        row = db.session.get(Meeting, meeting.id)
        row.description = "We heard from [Robin Example](https://example.org/people/robin-example) of Example University."
        row.topics = ["Project Falcon"]
        db.session.commit()
    auth.login(member_setup["member"])
    page = client.get(base(meeting) + "/").get_data(as_text=True)
    assert_no_canary(page.split("<main", 1)[1].replace(meeting.slug, ""), "the meeting page")
    assert "We heard from" in page
    auth.logout()
    auth.login(member_setup["facilitator"])
    assert "Robin Example" in client.get(base(meeting) + "/").get_data(as_text=True)


@pytest.mark.parametrize(
    "description",
    [
        "More [confidential]QZXDESCCONF[/confidential] text.",
        "More [ Confidential ]QZXDESCCONF[/CONFIDENTIAL] text.",
        "More text.\n\n[confidential] QZXDESCCONF and everything after it.",
    ],
)
def test_red_team_confidential_spans_in_a_meeting_description_never_reach_members(
    app, client, member_setup, auth, create_meeting, description
):
    """Round 2: a confidential span in an event post's description was shown as written."""
    meeting = create_meeting(member_setup["network"], "Monthly meeting", notes=NOTES_FILE)
    with app.app_context():
        from notes_app.models import Meeting

        db.session.get(Meeting, meeting.id).description = description
        db.session.commit()
    auth.login(member_setup["member"])
    for path in ("/", "/notes", "/notes/print", "/notes.md"):
        page = client.get(base(meeting) + path).get_data(as_text=True)
        assert "QZXDESCCONF" not in page, path
    page = client.get(base(meeting) + "/").get_data(as_text=True)
    assert "More" in page and "confidential]" not in page.lower()


def test_a_speaker_added_after_publishing_is_scrubbed_from_titles_at_once(
    app, client, make_client, member_setup, auth, create_meeting
):
    meeting = create_meeting(member_setup["network"], "Jo Bloggs on patients", NOTES_FILE)
    auth.login(member_setup["facilitator"])
    assert publish(client, meeting).status_code == 302
    response = post_form(
        client,
        f"{base(meeting)}/speakers",
        {"handle": "jo", "name": "Jo Bloggs", "descriptor": ""},
    )
    assert response.status_code == 302
    reader = make_client()
    post_form(reader, "/login", {"email": "mem@example.org", "password": PASSWORD})
    with app.app_context():
        token = db.session.get(User, member_setup["member"].id).feed_token
    pages = {
        "home": reader.get("/"),
        "meeting list": reader.get("/n/river-network/"),
        "search": reader.get("/search?q=patients"),
        "feed": make_client().get(f"/feeds/{token}/river-network.atom"),
    }
    for where, page in pages.items():
        text = page.get_data(as_text=True).split("</header>", 1)[-1]
        assert "Bloggs" not in text, where
        assert "A participant on patients" in text, where
