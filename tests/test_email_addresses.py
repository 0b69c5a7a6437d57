"""One invitation, one speaker, one account: one email address, and one recipient per message."""

from __future__ import annotations

from email.utils import getaddresses

import pytest

from notes_app.domain.email_address import ONE_ADDRESS, normalise_email
from notes_app.extensions import db
from notes_app.models import Invitation, Network, OutboxMessage, Speaker, User
from notes_app.services import drafts, invitations, speakers
from notes_app.services.errors import ServiceError
from tests.conftest import NOTES_FILE, post_form

# The red team's list and the other shapes a list or a display name takes.
SEVERAL = [
    pytest.param("one@example.org,two@evil.example,three@evil.example", id="commas"),
    pytest.param("one@example.org;two@evil.example;three@evil.example", id="semicolons"),
    pytest.param("Mel Alpha <one@example.org>", id="display-name"),
    pytest.param("<one@example.org>,<two@evil.example>", id="angle-brackets"),
    pytest.param('"one@example.org,two@evil.example"@example.org', id="quotes"),
    pytest.param("one@example.org two@evil.example", id="whitespace"),
    pytest.param("one@example.org\r\nBcc: two@evil.example", id="control-characters"),
]


def outbox(app) -> list[OutboxMessage]:
    with app.app_context():
        return list(db.session.scalars(db.select(OutboxMessage).order_by(OutboxMessage.id)))


def count(app, model) -> int:
    with app.app_context():
        return db.session.scalar(db.select(db.func.count()).select_from(model))


@pytest.mark.parametrize("email", SEVERAL)
def test_the_members_page_refuses_an_invitation_to_several_addresses(
    app, client, member_setup, auth, email
):
    auth.login(member_setup["facilitator"])
    response = post_form(
        client, "/networks/river-network/members", {"email": email, "role": "member"}
    )
    assert response.status_code == 422
    assert "Enter one email address, like name@example.org" in response.get_data(as_text=True)
    assert count(app, Invitation) == 0 and outbox(app) == []


@pytest.mark.parametrize("email", SEVERAL)
def test_the_invitation_service_refuses_several_addresses(app, member_setup, email):
    with app.app_context():
        network = db.session.scalars(db.select(Network)).one()
        with pytest.raises(ServiceError, match="Enter one email address"):
            invitations.invite(network, email, "member", invited_by=None)
        db.session.rollback()
    assert count(app, Invitation) == 0 and outbox(app) == []


@pytest.mark.parametrize("email", SEVERAL)
def test_users_create_refuses_several_addresses(app, email):
    result = app.test_cli_runner().invoke(args=["users", "create", email, "--name", "Mel Alpha"])
    assert result.exit_code == 1
    assert "Enter one email address, like name@example.org" in result.output
    assert count(app, User) == 0


@pytest.mark.parametrize("email", SEVERAL)
def test_a_speaker_email_must_be_one_address(app, member_setup, create_meeting, email):
    meeting = create_meeting(member_setup["network"], notes=NOTES_FILE)
    with app.app_context():
        meeting = db.session.merge(meeting)
        fields = speakers.SpeakerFields("sam", "Sam Sample", email=email)
        with pytest.raises(ServiceError, match="Enter one email address"):
            speakers.add_speaker(meeting, fields, actor_id=member_setup["facilitator"].id)
        robin = speakers.find_speaker(meeting, "robin")
        changed = speakers.SpeakerFields("robin", "Robin Example", email=email)
        with pytest.raises(ServiceError, match="Enter one email address"):
            speakers.update_speaker(meeting, robin, changed, actor_id=None)
        db.session.rollback()
        emails = set(db.session.scalars(db.select(Speaker.email)))
    assert emails == {"robin@example.org"}


def test_the_speakers_page_refuses_several_addresses(
    app, client, member_setup, auth, create_meeting
):
    meeting = create_meeting(member_setup["network"], notes=NOTES_FILE)
    auth.login(member_setup["facilitator"])
    response = post_form(
        client,
        f"/n/river-network/m/{meeting.slug}/speakers",
        {"handle": "sam", "name": "Sam Sample", "email": "one@example.org,two@evil.example"},
    )
    assert response.status_code == 422
    assert "Enter one email address, like name@example.org" in response.get_data(as_text=True)
    with app.app_context():
        assert db.session.scalar(db.select(Speaker).filter_by(handle="sam")) is None


def test_a_notes_file_with_several_addresses_for_a_speaker_is_not_imported(
    app, member_setup, create_meeting
):
    meeting = create_meeting(member_setup["network"], notes=NOTES_FILE)
    several = NOTES_FILE.replace(
        "email: robin@example.org", 'email: "robin@example.org,two@evil.example"'
    )
    assert several != NOTES_FILE
    with app.app_context():
        with pytest.raises(ServiceError, match="line 7: .*Enter one email address"):
            drafts.import_notes(db.session.merge(meeting), several, actor_id=None)
        db.session.rollback()
        assert set(db.session.scalars(db.select(Speaker.email))) == {"robin@example.org"}


def test_a_speaker_email_from_a_notes_file_is_kept_as_accounts_keep_it(
    app, member_setup, create_meeting
):
    notes = NOTES_FILE.replace("email: robin@example.org", "email: Robin@Example.ORG")
    create_meeting(member_setup["network"], notes=notes)
    with app.app_context():
        assert set(db.session.scalars(db.select(Speaker.email))) == {"robin@example.org"}


def test_every_message_in_the_outbox_has_one_recipient(app, client, member_setup, auth):
    """Try every shape of list on the way in, then send what may be sent; look at the outbox."""
    auth.login(member_setup["facilitator"])
    for param in SEVERAL:
        post_form(
            client, "/networks/river-network/members", {"email": param.values[0], "role": "member"}
        )
    post_form(
        client, "/networks/river-network/members", {"email": " New@Example.org ", "role": "member"}
    )
    auth.logout()
    post_form(client, "/reset", {"email": "MEM@example.org"})
    messages = outbox(app)
    assert {m.kind for m in messages} == {"invitation", "password_reset"}
    for message in messages:
        assert len(getaddresses([message.recipient])) == 1, message.recipient
        assert normalise_email(message.recipient) == message.recipient
    assert sorted(m.recipient for m in messages) == ["mem@example.org", "new@example.org"]


def test_an_accepted_invitation_makes_an_account_for_one_address(app, client, member_setup):
    with app.app_context():
        network = db.session.scalars(db.select(Network)).one()
        url = invitations.invite(network, "Newcomer@Example.org", "member", invited_by=None).url
        db.session.commit()
    path = url.removeprefix(app.config["BASE_URL"])
    form = {"name": "New Comer", "password": "tangerine orbit lantern 47"}
    assert post_form(client, path, {**form, "confirm": form["password"]}).status_code == 302
    with app.app_context():
        assert db.session.scalar(db.select(User.email).filter_by(name="New Comer")) == (
            "newcomer@example.org"
        )


def test_the_message_says_what_to_type():
    assert ONE_ADDRESS.endswith("Enter one email address, like name@example.org.")
