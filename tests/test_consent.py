"""Consent: requests, guest links, the speaker's page, decisions on behalf, and withdrawal."""

from __future__ import annotations

import html as html_lib
import re
from datetime import timedelta

import pytest

from notes_app.extensions import db
from notes_app.models import (
    AuditEvent,
    ConsentLink,
    ConsentRecord,
    Item,
    OutboxMessage,
    Publication,
    Speaker,
)
from notes_app.models.types import utcnow
from tests.conftest import PASSWORD, csrf_token, post_form
from tests.test_meetings import run_cli
from tests.test_publishing import publish

NOTES = """---
speakers:
  - handle: robin
    name: Robin Example
    organisation: Example University
    role: Ethics Lead
    email: robin@example.org
    aliases: [Dr Example]
    descriptor: a speaker from a university
  - handle: sam
    name: Sam Porter
    organisation: Northtown Council
    email: sam@example.org
    descriptor: a speaker from local government
---

# Involving patients early

@robin: Patients should be in the room when the problem is defined.

@robin: Co-production took twice as long as planned.

[confidential] @robin: QZXCONFIDENTIAL the funder is leaving.

@sam: QZXSAMSAYS councils need a standing panel.

QZXPLAINNOTE members discussed payment.
"""

LABEL = "Dr Robin Example, Ethics Lead"


@pytest.fixture
def setup(member_setup, create_user, add_member, create_meeting):
    sam = create_user("sam@example.org", "Sam Porter")
    add_member(member_setup["network"], sam, "member")
    meeting = create_meeting(member_setup["network"], "Patients first", notes=NOTES)
    return member_setup | {"sam": sam, "meeting": meeting}


def base(meeting) -> str:
    return f"/n/river-network/m/{meeting.slug}"


def rows(app, model, **where):
    with app.app_context():
        query = db.select(model).filter_by(**where).order_by(model.id)
        return list(db.session.scalars(query))


def speaker(app, meeting, handle) -> Speaker:
    return rows(app, Speaker, meeting_id=meeting.id, handle=handle)[0]


def statements(app, meeting, handle) -> list[Item]:
    who = speaker(app, meeting, handle)
    return [
        item
        for item in sorted(rows(app, Item, meeting_id=meeting.id), key=lambda i: i.position)
        if item.speaker_id == who.id and not item.confidential
    ]


def ask_everyone(client, meeting):
    return post_form(
        client,
        f"{base(meeting)}/consent/requests",
        {"speaker_id": "all"},
        page=f"{base(meeting)}/consent",
    )


def guest_link(app, email="robin@example.org") -> str:
    messages = rows(app, OutboxMessage, recipient=email, kind="consent_request")
    return re.search(r"(/consent/[A-Za-z0-9_-]+)", messages[-1].text).group(1)


def decide(client, url, choices: dict[str, str], page_url=None, **fields):
    """Post the speaker's form as a browser would: hidden fields from the page, plus choices."""
    html = client.get(page_url or url).get_data(as_text=True)
    data = form_fields(_form_with(html, url))
    data |= {f"choice-{item}": value for item, value in choices.items()}
    for name, value in fields.items():
        key = next(k for k in data if k.endswith(name))
        data[key] = value
    return client.post(url, data=data)


def form_fields(form: str) -> dict[str, str]:
    """The values a browser would send without the user touching anything (radios unset)."""
    fields = {}
    for tag in re.findall(r"<input\b[^>]*>", form):
        attrs = dict(re.findall(r'([\w-]+)="([^"]*)"', tag))
        if attrs.get("type") in ("hidden", "text") and "name" in attrs:
            fields[attrs["name"]] = html_lib.unescape(attrs.get("value", ""))
    return fields


def _form_with(html: str, action: str) -> str:
    for form in re.findall(r"<form .*?</form>", html, re.S):
        if f'action="{action}"' in form:
            return form
    raise AssertionError(f"no form posts to {action}")


@pytest.fixture
def facilitator(client, auth, setup):
    auth.login(setup["facilitator"])
    return client


# --- requests --------------------------------------------------------------------------------


def test_asking_everyone_emails_a_link_to_guests_and_the_account_page_to_members(
    app, facilitator, setup
):
    meeting = setup["meeting"]
    response = ask_everyone(facilitator, meeting)
    assert response.status_code == 302
    guest = rows(app, OutboxMessage, recipient="robin@example.org", kind="consent_request")
    member = rows(app, OutboxMessage, recipient="sam@example.org", kind="consent_request")
    assert len(guest) == 1 and "/consent/" in guest[0].text and "30 days" not in guest[0].text
    assert len(member) == 1 and "/account/statements" in member[0].text
    assert "/consent/" not in member[0].text
    links = rows(app, ConsentLink)
    assert len(links) == 1
    # Only a hash of the token is stored, and the link lasts 30 days.
    token = guest_link(app).rsplit("/", 1)[1]
    assert token not in links[0].token_hash
    assert timedelta(days=29) < links[0].expires_at - links[0].created_at <= timedelta(days=30)
    events = [e.action for e in rows(app, AuditEvent)]
    assert events.count("consent_requested") == 2


def test_a_new_request_replaces_the_guests_old_link(app, client, facilitator, setup):
    ask_everyone(facilitator, setup["meeting"])
    first = guest_link(app)
    ask_everyone(facilitator, setup["meeting"])
    second = guest_link(app)
    assert first != second
    guest = app.test_client()
    assert guest.get(first).status_code == 410
    assert guest.get(second).status_code == 200


def test_members_cannot_reach_the_overview(app, client, auth, setup):
    auth.login(setup["member"])
    assert client.get(f"{base(setup['meeting'])}/consent").status_code == 404
    response = post_form(client, f"{base(setup['meeting'])}/consent/requests", {}, page="/")
    assert response.status_code == 404


# --- the guest link --------------------------------------------------------------------------


def test_the_link_shows_only_its_speakers_statements(app, facilitator, setup):
    ask_everyone(facilitator, setup["meeting"])
    page = app.test_client().get(guest_link(app))
    html = page.get_data(as_text=True)
    assert page.status_code == 200
    assert "Patients should be in the room" in html
    assert "Co-production took twice as long" in html
    for canary in ("QZXCONFIDENTIAL", "QZXSAMSAYS", "QZXPLAINNOTE", "Sam Porter", "Northtown"):
        assert canary not in html
    # Credited and not: the label would show, or nothing of the speaker.
    assert html.count("Statement 1 of 2") == 1 and "Statement 2 of 2" in html
    assert "Robin Example" in html  # the speaker's own name, in the credited preview


@pytest.mark.parametrize("state", ["expired", "revoked", "tampered"])
def test_an_unusable_link_gets_a_clear_page_and_no_content(app, facilitator, setup, state):
    ask_everyone(facilitator, setup["meeting"])
    url = guest_link(app)
    with app.app_context():
        link = db.session.scalars(db.select(ConsentLink)).one()
        if state == "expired":
            link.expires_at = utcnow() - timedelta(seconds=1)
        elif state == "revoked":
            link.revoked_at = utcnow()
        db.session.commit()
    if state == "tampered":
        url = url[:-2] + ("AA" if not url.endswith("AA") else "BB")
    guest = app.test_client()
    token = csrf_token(guest.get("/login").get_data(as_text=True))
    posted = guest.post(url, data={"csrf_token": token, "all": "name"})
    for response in (guest.get(url), posted):
        html = response.get_data(as_text=True)
        assert response.status_code == (404 if state == "tampered" else 410)
        assert "This link does not work" in html
        assert "Patients should be in the room" not in html
        assert {"expired": "expired", "revoked": "switched off", "tampered": "not valid"}[
            state
        ] in html
    assert rows(app, ConsentRecord) == []


def test_the_link_decides_nothing_for_another_speaker_or_meeting(
    app, facilitator, setup, create_meeting
):
    meeting = setup["meeting"]
    other = create_meeting(setup["network"], "Another meeting", notes=NOTES)
    ask_everyone(facilitator, meeting)
    url = guest_link(app)
    sams = statements(app, meeting, "sam")[0].id
    elsewhere = statements(app, other, "robin")[0].id
    guest = app.test_client()
    # Only the link's own statements are on its page...
    html = guest.get(url).get_data(as_text=True)
    assert sams not in html and elsewhere not in html
    # ...and choices about anyone else's are not recorded.
    response = decide(guest, url, {sams: "name", elsewhere: "name"})
    assert response.status_code == 302
    assert rows(app, ConsentRecord) == []


def test_a_guest_decides_each_statement_and_can_change_their_mind(app, facilitator, setup):
    meeting = setup["meeting"]
    ask_everyone(facilitator, meeting)
    url = guest_link(app)
    first, second = (item.id for item in statements(app, meeting, "robin"))
    guest = app.test_client()
    response = decide(guest, url, {first: "name", second: "descriptor"}, label=LABEL)
    assert response.status_code == 302
    records = rows(app, ConsentRecord)
    assert [(r.item_id, r.decision, r.level, r.channel) for r in records] == [
        (first, "granted", "name", "link"),
        (second, "granted", "descriptor", "link"),
    ]
    assert records[0].label == LABEL and records[0].recorded_by_id is None
    html = guest.get(url).get_data(as_text=True)
    assert f"You are credited by name, as “{LABEL}”" in html
    assert "You are credited by your descriptor." in html
    # Saving again without changes records nothing more.
    decide(guest, url, {})
    assert len(rows(app, ConsentRecord)) == 2
    # Change of mind: nothing for the first, which withdraws it.
    decide(guest, url, {first: "none"})
    assert rows(app, ConsentRecord)[-1].decision == "withdrawn"
    assert "You withdrew your credit" in guest.get(url).get_data(as_text=True)


def test_all_at_once(app, facilitator, setup):
    meeting = setup["meeting"]
    ask_everyone(facilitator, meeting)
    url = guest_link(app)
    guest = app.test_client()
    data = form_fields(_form_with(guest.get(url).get_data(as_text=True), url))
    assert guest.post(url, data=data | {"all": "descriptor"}).status_code == 302
    assert [(r.decision, r.level) for r in rows(app, ConsentRecord)] == [
        ("granted", "descriptor"),
        ("granted", "descriptor"),
    ]


def test_a_statement_changed_since_the_page_was_opened_is_not_decided(app, facilitator, setup):
    meeting = setup["meeting"]
    ask_everyone(facilitator, meeting)
    url = guest_link(app)
    first = statements(app, meeting, "robin")[0]
    guest = app.test_client()
    data = form_fields(_form_with(guest.get(url).get_data(as_text=True), url))
    with app.app_context():
        db.session.get(Item, first.id).body = "Patients should never be in the room."
        db.session.commit()
    data[f"choice-{first.id}"] = "descriptor"
    response = guest.post(url, data=data)
    assert response.status_code == 409
    assert "changed after you opened this page" in response.get_data(as_text=True)
    assert rows(app, ConsentRecord) == []


def test_an_edit_after_consent_makes_it_stale(app, facilitator, setup):
    meeting = setup["meeting"]
    ask_everyone(facilitator, meeting)
    url = guest_link(app)
    first = statements(app, meeting, "robin")[0]
    guest = app.test_client()
    decide(guest, url, {first.id: "name"}, label=LABEL)
    with app.app_context():
        db.session.get(Item, first.id).body = "Patients should be in the room early."
        db.session.commit()
    assert "until you decide again" in guest.get(url).get_data(as_text=True)
    overview = facilitator.get(f"{base(meeting)}/consent").get_data(as_text=True)
    assert "state-stale" in overview and "1 stale" in overview
    preview = facilitator.get(f"{base(meeting)}/preview").get_data(as_text=True)
    assert LABEL not in preview


# --- the account page ------------------------------------------------------------------------


def test_a_speaker_with_an_account_decides_on_my_statements(app, make_client, setup):
    meeting = setup["meeting"]
    sam = make_client()
    post_form(sam, "/login", {"email": "sam@example.org", "password": PASSWORD})
    html = sam.get("/account/statements").get_data(as_text=True)
    assert "QZXSAMSAYS" in html
    for canary in ("Patients should be in the room", "QZXCONFIDENTIAL", "QZXPLAINNOTE"):
        assert canary not in html
    who = speaker(app, meeting, "sam")
    item = statements(app, meeting, "sam")[0].id
    url = f"/account/statements/{who.id}"
    response = decide(sam, url, {item: "name"}, page_url="/account/statements")
    assert response.status_code == 302
    record = rows(app, ConsentRecord)[0]
    assert (record.channel, record.recorded_by_id, record.label) == (
        "account",
        setup["sam"].id,
        "Sam Porter",
    )
    audit = [e for e in rows(app, AuditEvent) if e.action == "consent_granted"][0]
    assert audit.actor_id == setup["sam"].id and audit.details["how"] == "account"


def test_nobody_else_decides_for_an_account_speaker(app, client, auth, setup):
    who = speaker(app, setup["meeting"], "sam")
    auth.login(setup["member"])
    response = post_form(client, f"/account/statements/{who.id}", {}, page="/account/statements")
    assert response.status_code == 404
    assert "QZXSAMSAYS" not in client.get("/account/statements").get_data(as_text=True)


def _leave(app, network, user) -> None:
    """The user leaves the network, as an admin or facilitator removes them."""
    from notes_app.models import Membership
    from notes_app.services import networks

    with app.app_context():
        membership = db.session.scalars(
            db.select(Membership).filter_by(network_id=network.id, user_id=user.id)
        ).one()
        networks.remove_member(membership, actor_id=None)
        db.session.commit()


def _link_outsider(app, meeting, user) -> None:
    """A speaker record linked to an account that is not a member of the meeting's network."""
    with app.app_context():
        db.session.get(Speaker, speaker(app, meeting, "sam").id).user_id = user.id
        db.session.commit()


@pytest.mark.parametrize("how", ["left the network", "linked but never a member"])
def test_statements_of_a_network_one_is_not_in_are_neither_shown_nor_decided(
    app, make_client, setup, how
):
    meeting = setup["meeting"]
    who = speaker(app, meeting, "sam")
    item = statements(app, meeting, "sam")[0].id
    if how == "left the network":
        account, email = setup["sam"], "sam@example.org"
    else:
        account, email = setup["outsider"], "out@example.org"
        # The record was linked to Sam while Sam was a member; now it points elsewhere.
    sam = make_client()
    post_form(sam, "/login", {"email": email, "password": PASSWORD})
    url = f"/account/statements/{who.id}"
    if how == "left the network":
        page = sam.get("/account/statements").get_data(as_text=True)
        assert "QZXSAMSAYS" in page  # a member sees and may decide on them
        form = form_fields(_form_with(page, url))
        _leave(app, setup["network"], account)
    else:
        _link_outsider(app, meeting, account)
        form = {"csrf_token": csrf_token(sam.get("/account/").get_data(as_text=True))}
    assert "QZXSAMSAYS" not in sam.get("/account/statements").get_data(as_text=True)
    response = sam.post(url, data=form | {f"choice-{item}": "name"})
    assert response.status_code == 404
    assert "QZXSAMSAYS" not in response.get_data(as_text=True)
    assert rows(app, ConsentRecord) == []


def test_a_speaker_who_left_the_network_is_asked_by_link_instead(app, facilitator, setup):
    _leave(app, setup["network"], setup["sam"])
    assert ask_everyone(facilitator, setup["meeting"]).status_code == 302
    messages = rows(app, OutboxMessage, recipient="sam@example.org", kind="consent_request")
    assert len(messages) == 1
    assert "/consent/" in messages[0].text and "/account/statements" not in messages[0].text


# --- on behalf -------------------------------------------------------------------------------


def test_on_behalf_needs_evidence_and_is_recorded_as_such(app, facilitator, setup):
    meeting = setup["meeting"]
    who = speaker(app, meeting, "robin")
    url = f"{base(meeting)}/consent/speakers/{who.id}"
    response = post_form(
        facilitator, url, {"decision": "granted", "item": "all", "level": "name", "label": LABEL}
    )
    assert response.status_code == 422 and rows(app, ConsentRecord) == []
    response = post_form(
        facilitator,
        url,
        {
            "decision": "granted",
            "item": "all",
            "level": "name",
            "label": LABEL,
            "evidence": "Email of 3 March",
        },
    )
    assert response.status_code == 302
    records = rows(app, ConsentRecord)
    assert len(records) == 2
    assert {(r.channel, r.evidence, r.recorded_by_id) for r in records} == {
        ("on_behalf", "Email of 3 March", setup["facilitator"].id)
    }
    overview = facilitator.get(f"{base(meeting)}/consent").get_data(as_text=True)
    assert "Email of 3 March" in overview and "on their behalf" in overview


def test_the_consent_record_command(app, setup):
    meeting = setup["meeting"]
    first = statements(app, meeting, "robin")[0].id
    args = ["consent", "record", meeting.slug, "robin"]
    result = run_cli(app, *args, "--grant", "--label", LABEL)
    assert result.exit_code != 0 and rows(app, ConsentRecord) == []
    result = run_cli(app, *args, "--grant", "--label", LABEL, "--evidence", "  ")
    assert result.exit_code == 1 and "evidence" in result.stderr.lower()
    result = run_cli(app, *args, "--evidence", "paper form")
    assert result.exit_code == 1 and "--grant" in result.stderr
    result = run_cli(app, "consent", "record", meeting.slug, "nobody", "--grant", "--evidence", "x")
    assert result.exit_code == 1 and "@nobody" in result.stderr
    result = run_cli(app, *args, "--grant", "--label", LABEL, "--evidence", "Signed form")
    assert result.exit_code == 0, result.stderr
    assert "Recorded 2 decision(s)" in result.stdout
    result = run_cli(app, *args, "--withdraw", "--item", first, "--evidence", "Phone call, 4 March")
    assert result.exit_code == 0, result.stderr
    records = rows(app, ConsentRecord)
    assert [(r.item_id == first, r.decision) for r in records][-1] == (True, "withdrawn")
    assert all(r.channel == "on_behalf" and r.evidence for r in records)
    result = run_cli(app, *args, "--withdraw", "--item", "nope", "--evidence", "x")
    assert result.exit_code == 1


def test_every_decision_is_audited_with_who_and_how_but_not_the_wording(app, facilitator, setup):
    meeting = setup["meeting"]
    ask_everyone(facilitator, meeting)
    first, second = (i.id for i in statements(app, meeting, "robin"))
    guest = app.test_client()
    decide(guest, guest_link(app), {first: "name", second: "none"}, label=LABEL)
    run_cli(app, "consent", "record", meeting.slug, "robin", "--withdraw", "--evidence", "mail")
    records = rows(app, ConsentRecord)
    events = [e for e in rows(app, AuditEvent) if e.action.startswith("consent_")]
    decisions = [e for e in events if e.action != "consent_requested"]
    assert len(decisions) == len(records) >= 3
    for record, event in zip(records, decisions, strict=True):
        assert event.action == f"consent_{record.decision}"
        assert event.details["how"] == record.channel
        assert event.actor_id == record.recorded_by_id
        flat = repr(event.details) + event.subject
        assert "Patients" not in flat and "Robin" not in flat and LABEL not in flat


# --- withdrawal takes effect everywhere ------------------------------------------------------

NAMES = ["Robin Example", "Robin", "Dr Example", "Example University", LABEL, "Ethics Lead"]
STILL_PUBLISHED = "Patients should be in the room when the problem is defined."


def test_a_withdrawal_removes_the_credit_from_everything_already_published(
    app, client, make_client, auth, facilitator, setup
):
    meeting = setup["meeting"]
    ask_everyone(facilitator, meeting)
    first = statements(app, meeting, "robin")[0].id
    guest = app.test_client()
    link = guest_link(app)
    decide(guest, link, {first: "name"}, label=LABEL)
    assert publish(facilitator, meeting, accept=True).status_code == 302
    assert publish(facilitator, meeting, accept=True).status_code == 302
    reader = make_client()
    post_form(reader, "/login", {"email": "mem@example.org", "password": PASSWORD})
    notes = reader.get(f"{base(meeting)}/notes").get_data(as_text=True)
    assert LABEL in notes, "the credit was published before the withdrawal"
    # While the speaker may be named, a member's comment may name them too.
    thanks = "Thanks to Robin Example for this point."
    posted = post_form(
        reader, f"{base(meeting)}/comments", {"body": thanks}, page=f"{base(meeting)}/notes"
    )
    assert posted.status_code == 302
    assert thanks in reader.get(f"{base(meeting)}/notes").get_data(as_text=True)
    emails_before = len(rows(app, OutboxMessage, kind="notes"))

    response = decide(guest, link, {first: "none"})
    assert response.status_code == 302

    # Every surface a member reaches, and every stored copy anyone could reach.
    surfaces = {
        "notes page": reader.get(f"{base(meeting)}/notes"),
        "print view": reader.get(f"{base(meeting)}/notes/print"),
        "markdown export": reader.get(f"{base(meeting)}/notes.md"),
        "meeting page": reader.get(f"{base(meeting)}/"),
        "meeting list": reader.get("/n/river-network/"),
        "home": reader.get("/"),
        "search": reader.get("/search?q=Robin"),
        "search for the statement": reader.get("/search?q=patients"),
        "version 1 (facilitators)": facilitator.get(f"{base(meeting)}/publications/1"),
        "version 2 (facilitators)": facilitator.get(f"{base(meeting)}/publications/2"),
    }
    with app.app_context():
        from notes_app.models import User

        token = db.session.get(User, setup["member"].id).feed_token
    surfaces["feed"] = app.test_client().get(f"/feeds/{token}/river-network.atom")
    for where, response in surfaces.items():
        assert response.status_code == 200, where
        text = response.get_data(as_text=True)
        if where.startswith("version"):
            text = text.split("<h2", 1)[0]  # the facilitators' report may name the speaker
        if where.startswith("search"):
            text = text.split('id="results-heading"', 1)[1]  # past the echoed query
        for name in NAMES:
            assert name.casefold() not in text.casefold(), f"{name!r} is still in the {where}"
    assert STILL_PUBLISHED in surfaces["notes page"].get_data(as_text=True)
    assert "should be in the room" in surfaces["search for the statement"].get_data(as_text=True)
    with app.app_context():
        for publication in db.session.scalars(db.select(Publication)):
            stored = publication.html + publication.markdown + repr(publication.items)
            assert STILL_PUBLISHED in publication.html
            for name in NAMES:
                assert name not in stored, f"{name!r} is still in version {publication.version}"
        for message in db.session.scalars(db.select(OutboxMessage).filter_by(kind="notes")):
            for name in NAMES:
                assert name not in message.text + message.html, "a stored email keeps the credit"
    # Members are not emailed the notes again; facilitators get a notice.
    assert len(rows(app, OutboxMessage, kind="notes")) == emails_before
    notices = rows(app, OutboxMessage, kind="consent_notice")
    assert [n.recipient for n in notices] == ["fac@example.org"]
    assert "in the room" not in notices[0].text and LABEL not in notices[0].text
    actions = [e.action for e in rows(app, AuditEvent)]
    assert "consent_withdrawn" in actions and "notes_remade" in actions


def test_a_new_grant_waits_for_the_next_publication(app, facilitator, setup):
    """Re-making after someone else's withdrawal never adds a credit nobody published."""
    meeting = setup["meeting"]
    ask_everyone(facilitator, meeting)
    first, second = (i.id for i in statements(app, meeting, "robin"))
    guest = app.test_client()
    link = guest_link(app)
    decide(guest, link, {first: "descriptor"}, descriptor="a speaker from a university")
    publish(facilitator, meeting, accept=True)
    decide(guest, link, {first: "name", second: "name"}, label=LABEL)
    decide(guest, link, {second: "none"})
    with app.app_context():
        publication = db.session.scalars(db.select(Publication)).one()
        assert LABEL not in publication.html
        assert "a speaker from a university" in publication.html


def test_a_copy_that_cannot_be_remade_safely_is_retracted(app, facilitator, setup, monkeypatch):
    from notes_app.domain.redaction import Leak, Report
    from notes_app.services import publishing

    meeting = setup["meeting"]
    ask_everyone(facilitator, meeting)
    first = statements(app, meeting, "robin")[0].id
    guest = app.test_client()
    link = guest_link(app)
    decide(guest, link, {first: "name"}, label=LABEL)
    publish(facilitator, meeting, accept=True)
    real = publishing.redact

    def refusing(*args, **kwargs):
        published, report = real(*args, **kwargs)
        leak = Leak("name", "x", first, "raw HTML", "folded")
        return published, Report(leaks=(leak,), warnings=(), changes=(), checks=())

    monkeypatch.setattr(publishing, "redact", refusing)
    decide(guest, link, {first: "none"})
    with app.app_context():
        publication = db.session.scalars(db.select(Publication)).one()
        assert publication.html == publishing.RETRACTED_HTML
        assert publishing.report_of(publication)["retracted"] is True


def test_a_credit_for_a_statement_no_longer_in_the_draft_can_still_be_withdrawn(
    app, facilitator, setup
):
    meeting = setup["meeting"]
    ask_everyone(facilitator, meeting)
    link = guest_link(app)
    guest = app.test_client()
    first, second = (i.id for i in statements(app, meeting, "robin"))
    decide(guest, link, {first: "name", second: "name"}, label=LABEL)
    publish(facilitator, meeting, accept=True)
    with app.app_context():
        db.session.execute(db.delete(Item).where(Item.id.in_([first, second])))
        db.session.commit()
    page = guest.get(link).get_data(as_text=True)
    assert "Statements no longer in the draft" in page and "credited for 2 statements" in page
    data = form_fields(_form_with(page, link))
    assert guest.post(link, data=data | {"all": "none"}).status_code == 302
    with app.app_context():
        publication = db.session.scalars(db.select(Publication)).one()
        assert LABEL not in publication.html and "Robin" not in publication.html
    assert [r.decision for r in rows(app, ConsentRecord)][-2:] == ["withdrawn", "withdrawn"]


def test_on_behalf_withdrawal_reaches_statements_no_longer_in_the_draft(app, facilitator, setup):
    meeting = setup["meeting"]
    first = statements(app, meeting, "robin")[0].id
    args = ["consent", "record", meeting.slug, "robin"]
    run_cli(app, *args, "--grant", "--item", first, "--label", LABEL, "--evidence", "form")
    publish(facilitator, meeting, accept=True)
    with app.app_context():
        db.session.get(Item, first).confidential = True
        db.session.commit()
    result = run_cli(app, *args, "--withdraw", "--item", first, "--evidence", "email")
    assert result.exit_code == 0, result.stderr
    with app.app_context():
        assert LABEL not in db.session.scalars(db.select(Publication)).one().html


def test_one_speakers_withdrawal_leaves_anothers_credit_alone(app, facilitator, setup):
    """A statement given from Robin to Sam keeps Sam's credit when Robin withdraws everything."""
    meeting = setup["meeting"]
    ask_everyone(facilitator, meeting)
    link = guest_link(app)
    guest = app.test_client()
    moved = statements(app, meeting, "robin")[0].id
    decide(guest, link, {moved: "name"}, label=LABEL)
    with app.app_context():
        db.session.get(Item, moved).speaker_id = speaker(app, meeting, "sam").id
        db.session.commit()
    run_cli(
        app, "consent", "record", meeting.slug, "sam", "--grant", "--item", moved,
        "--label", "Sam Porter", "--evidence", "email",
    )  # fmt: skip
    publish(facilitator, meeting, accept=True)
    data = form_fields(_form_with(guest.get(link).get_data(as_text=True), link))
    assert guest.post(link, data=data | {"all": "none"}).status_code == 302
    with app.app_context():
        publication = db.session.scalars(db.select(Publication)).one()
        assert "Sam Porter" in publication.html
    assert "Sam Porter" in facilitator.get(f"{base(meeting)}/preview").get_data(as_text=True)


def test_changing_a_speakers_email_switches_their_links_off(app, facilitator, setup):
    from notes_app.services import speakers as speaker_service

    meeting = setup["meeting"]
    ask_everyone(facilitator, meeting)
    link = guest_link(app)
    with app.app_context():
        row = db.session.get(Speaker, speaker(app, meeting, "robin").id)
        fields = speaker_service.as_domain(row)
        speaker_service.update_speaker(
            row.meeting,
            row,
            speaker_service.SpeakerFields(**(vars(fields) | {"email": "robin@example.net"})),
            actor_id=None,
        )
        db.session.commit()
    assert app.test_client().get(link).status_code == 410


def test_red_team_an_old_descriptor_grant_with_an_empty_label_credits_nobody(
    app, make_client, facilitator, setup
):
    """A grant recorded before descriptors were kept (level descriptor, empty label) agreed to
    no words: the statement is published without a speaker, not with today's descriptor."""
    from notes_app.domain.consent import wording_hash

    meeting = setup["meeting"]
    first = statements(app, meeting, "robin")[0]
    with app.app_context():
        db.session.add(
            ConsentRecord(
                meeting_id=meeting.id,
                speaker_id=speaker(app, meeting, "robin").id,
                item_id=first.id,
                decision="granted",
                level="descriptor",
                label="",
                wording_hash=wording_hash(first.body),
                channel="on_behalf",
                evidence="Recorded before descriptors were kept.",
            )
        )
        db.session.commit()
    assert publish(facilitator, meeting, accept=True).status_code == 302
    reader = make_client()
    post_form(reader, "/login", {"email": "mem@example.org", "password": PASSWORD})
    notes = reader.get(f"{base(meeting)}/notes").get_data(as_text=True)
    assert "Patients should be in the room" in notes
    assert "a speaker from a university" not in notes
    with app.app_context():
        publication = db.session.scalars(db.select(Publication)).one()
        item = next(i for i in publication.items if i["id"] == first.id)
        assert item["attribution"] is None and item["credit"] is None


@pytest.fixture
def non_utc_process(monkeypatch):
    """Run in a process whose own time zone is far from UTC, as a server abroad would."""
    import time

    monkeypatch.setenv("TZ", "America/Los_Angeles")
    time.tzset()
    yield
    monkeypatch.undo()
    time.tzset()


@pytest.mark.parametrize(
    ("zone", "local"),
    [("Europe/London", (2025, 7, 1, 0, 30)), ("Pacific/Auckland", (2025, 7, 1, 10, 0))],
)
def test_red_team_the_consent_email_and_page_show_the_meetings_own_date(
    app, client, auth, member_setup, non_utc_process, zone, local
):
    """A meeting on 1 July in its own time zone is on 1 July in every email and page, not on
    the UTC date (30 June) it is stored as."""
    from datetime import datetime

    from notes_app.services import drafts, meetings

    with app.app_context():
        meeting = meetings.create_meeting(
            db.session.merge(member_setup["network"]),
            meetings.MeetingFields(
                title="Patients first", starts_at_local=datetime(*local), timezone=zone
            ),
            actor_id=None,
        )
        drafts.import_notes(meeting, NOTES, actor_id=None)
        db.session.commit()
    auth.login(member_setup["facilitator"])
    ask_everyone(client, meeting)
    mail = rows(app, OutboxMessage, recipient="robin@example.org", kind="consent_request")[-1]
    assert "1 July 2025" in mail.text and "30 June" not in mail.text
    page = app.test_client().get(guest_link(app)).get_data(as_text=True)
    assert "1 July 2025" in page and "30 June" not in page
    # The speaker's own page, the meeting list and the print view say the same day.
    listing = client.get("/n/river-network/").get_data(as_text=True)
    assert "1 July 2025" in listing and "30 June" not in listing
