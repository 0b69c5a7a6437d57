"""Mail is checked again as it is sent, not only when it is queued (red team, early round 6).

A message can wait in the outbox for hours (the mail server is down, the worker stopped). The
findings E1 to E3 each queued a message, changed what it should say or who may read it, and
then let the worker send it as queued. Each case plants a canary and proves it never leaves.
"""

from __future__ import annotations

from email.message import EmailMessage

import pytest
from sqlalchemy import select

from notes_app.domain.consent import Decision, Level
from notes_app.extensions import db
from notes_app.models import Meeting, Membership, OutboxMessage, Speaker, User
from notes_app.services import accounts, comments, consent, drafts, mail, networks, publishing
from notes_app.worker import deliver_due

FALCONRIDGE = "The steering group will merge with Falconridge Trust next spring."
E1_CANARY = "Canary E1: the pilot moves to Harrowgate in June."

NOTES = """# Plans

Members agreed to meet again in May.

{extra}
"""

MEMBER_SPEAKER_NOTES = """---
speakers:
  - handle: max
    name: Max Member
    organisation: Orbis Council
    email: mem@example.org
---

# Plans

@max: We should meet again in May.
"""


class Recorder:
    """A transport that keeps what it was given to send."""

    def __init__(self) -> None:
        self.sent: list[EmailMessage] = []

    def send(self, email: EmailMessage) -> None:
        self.sent.append(email)

    def close(self) -> None:
        pass

    def to(self, address: str) -> list[EmailMessage]:
        return [email for email in self.sent if email["To"] == address]

    def everything(self) -> str:
        return "\n".join(
            f"{email['Subject']}\n{part.get_content()}"
            for email in self.sent
            for part in email.walk()
            if part.get_content_maintype() == "text"
        )


@pytest.fixture
def transport(app, monkeypatch):
    recorder = Recorder()
    monkeypatch.setattr(mail, "open_transport", lambda: recorder)
    app.config["MAIL_URL"] = "smtp://mail.invalid:2525"
    yield recorder
    app.config["MAIL_URL"] = None


def deliver(app):
    with app.app_context():
        return deliver_due()


def publish(app, meeting_id: int, notes: str | None = None) -> int:
    with app.app_context():
        meeting = db.session.get(Meeting, meeting_id)
        if notes is not None:
            drafts.import_notes(meeting, notes, actor_id=None)
        version = publishing.publish(meeting, actor_id=None, accept_warnings=True).version
        db.session.commit()
        return version


def messages(app, kind: str) -> list[OutboxMessage]:
    with app.app_context():
        return db.session.scalars(
            select(OutboxMessage).where(OutboxMessage.kind == kind).order_by(OutboxMessage.id)
        ).all()


def remove_from_network(app, user, network) -> None:
    with app.app_context():
        membership = db.session.scalar(
            select(Membership).where(
                Membership.user_id == user.id, Membership.network_id == network.id
            )
        )
        networks.remove_member(membership, actor_id=None)
        db.session.commit()


def give_role(app, user, network, role: str) -> None:
    with app.app_context():
        networks.add_member(db.session.merge(network), db.session.merge(user), role, actor_id=None)
        db.session.commit()


def test_e1_notes_queued_before_a_member_is_removed_never_reach_them(
    app, transport, member_setup, create_meeting
):
    meeting = create_meeting(member_setup["network"], notes=NOTES.format(extra=E1_CANARY))
    publish(app, meeting.id)
    remove_from_network(app, member_setup["member"], member_setup["network"])

    delivery = deliver(app)

    assert transport.to("mem@example.org") == []
    (to_facilitator,) = transport.to("fac@example.org")
    assert E1_CANARY in to_facilitator.get_body(("plain",)).get_content()
    assert (delivery.sent, delivery.withheld) == (1, 1)
    (withheld,) = [m for m in messages(app, "notes") if m.recipient == "mem@example.org"]
    assert withheld.sent_at is None and withheld.withheld_at is not None
    assert withheld.withheld_reason == "the recipient is no longer a member of the network"
    assert (withheld.subject, withheld.text, withheld.html) == ("", "", "")
    with app.app_context():
        assert mail.status_of(withheld) is mail.Status.WITHHELD
        assert mail.count_waiting() == 0
    # Never tried again, and the facilitator's copy is never sent twice.
    assert (deliver(app).sent, len(transport.sent)) == (0, 1)


def test_e1_a_member_added_back_before_sending_gets_the_notes(
    app, transport, member_setup, create_meeting
):
    meeting = create_meeting(member_setup["network"], notes=NOTES.format(extra=E1_CANARY))
    publish(app, meeting.id)
    remove_from_network(app, member_setup["member"], member_setup["network"])
    give_role(app, member_setup["member"], member_setup["network"], "member")
    deliver(app)
    assert len(transport.to("mem@example.org")) == 1


def test_e2_a_superseded_version_is_never_emailed_once_a_newer_one_is_published(
    app, transport, member_setup, create_meeting
):
    meeting = create_meeting(member_setup["network"], notes=NOTES.format(extra=FALCONRIDGE))
    assert publish(app, meeting.id) == 1
    # The facilitator marks the item confidential and publishes again before the mail goes.
    assert publish(app, meeting.id, NOTES.format(extra=f"[confidential] {FALCONRIDGE}")) == 2

    delivery = deliver(app)

    assert "Falconridge" not in transport.everything()
    for address in ("mem@example.org", "fac@example.org"):
        (only,) = transport.to(address)  # one email each: version 2
        assert only["Subject"] == "Updated notes: Monthly meeting"
    assert (delivery.sent, delivery.withheld) == (2, 2)
    first = [m for m in messages(app, "notes") if m.withheld_at is not None]
    assert len(first) == 2
    assert {m.withheld_reason for m in first} == {"version 2 replaced version 1"}
    assert all("Falconridge" not in m.text + m.html + m.subject for m in first)
    with app.app_context():
        latest = publishing.latest_publication(db.session.get(Meeting, meeting.id))
        circulation = publishing.circulation_of(latest)
    assert (circulation.total, circulation.sent, circulation.waiting) == (2, 2, 0)


def member_speaker_reply(app, member_setup, create_meeting) -> int:
    """Max Member speaks at the meeting, credited by name; he replies to Fay's comment."""
    meeting = create_meeting(member_setup["network"], notes=MEMBER_SPEAKER_NOTES)
    with app.app_context():
        max_speaker = db.session.scalar(select(Speaker).where(Speaker.meeting_id == meeting.id))
        assert max_speaker.user_id == member_setup["member"].id
        consent.record_on_behalf(
            db.session.get(Meeting, meeting.id),
            max_speaker,
            Decision.GRANTED,
            level=Level.NAME,
            evidence="email of 2 March",
            actor_id=None,
        )
        db.session.commit()
    publish(app, meeting.id)
    with app.app_context():
        fay = accounts.actor_for(db.session.get(User, member_setup["facilitator"].id))
        max_actor = accounts.actor_for(db.session.get(User, member_setup["member"].id))
        current = db.session.get(Meeting, meeting.id)
        top = comments.post(current, fay, "Shall we meet in May?")
        comments.post(current, max_actor, "Yes, in May.", parent_id=top.id)
        db.session.commit()
    (queued,) = messages(app, "reply")
    assert queued.text.startswith("Max Member replied to your comment")
    return meeting.id


def test_e3_a_reply_queued_before_its_author_withdraws_does_not_name_them(
    app, transport, member_setup, create_meeting
):
    meeting_id = member_speaker_reply(app, member_setup, create_meeting)
    with app.app_context():
        max_speaker = db.session.scalar(select(Speaker).where(Speaker.meeting_id == meeting_id))
        consent.record_on_behalf(
            db.session.get(Meeting, meeting_id),
            max_speaker,
            Decision.WITHDRAWN,
            evidence="phone call",
            actor_id=None,
        )
        db.session.commit()

    deliver(app)

    (reply,) = [e for e in transport.to("fac@example.org") if e["Subject"].startswith("New reply")]
    text = reply.get_body(("plain",)).get_content()
    assert text.startswith("A member replied to your comment")
    assert "Max Member" not in transport.everything()
    assert "Max Member" not in messages(app, "reply")[0].text  # the stored copy is re-made too


def test_e3_a_credited_author_is_still_named_and_the_reply_sent_once(
    app, transport, member_setup, create_meeting
):
    member_speaker_reply(app, member_setup, create_meeting)
    deliver(app)
    deliver(app)
    replies = [e for e in transport.sent if e["Subject"].startswith("New reply")]
    assert len(replies) == 1
    assert replies[0].get_body(("plain",)).get_content().startswith("Max Member replied")


def test_a_reply_hidden_or_whose_recipient_left_before_sending_is_withheld(
    app, transport, member_setup, create_meeting
):
    meeting = create_meeting(member_setup["network"], notes=NOTES.format(extra=""))
    publish(app, meeting.id)
    with app.app_context():
        fay = accounts.actor_for(db.session.get(User, member_setup["facilitator"].id))
        max_actor = accounts.actor_for(db.session.get(User, member_setup["member"].id))
        current = db.session.get(Meeting, meeting.id)
        for_max = comments.post(current, max_actor, "First thought.")
        for_fay = comments.post(current, fay, "Second thought.")
        comments.post(current, fay, "A reply to Max.", parent_id=for_max.id)
        hidden = comments.post(current, max_actor, "A reply to Fay.", parent_id=for_fay.id)
        comments.hide(current, fay, hidden.id, reason="Off topic")
        db.session.commit()
    remove_from_network(app, member_setup["member"], member_setup["network"])

    deliver(app)

    assert [e for e in transport.sent if e["Subject"].startswith("New reply")] == []
    reasons = {m.recipient: m.withheld_reason for m in messages(app, "reply")}
    assert reasons == {
        "mem@example.org": "the recipient no longer gets replies to that comment",
        "fac@example.org": "the reply was deleted or hidden",
    }


def test_a_withdrawal_notice_goes_only_to_a_facilitator_at_sending(
    app, transport, member_setup, create_meeting
):
    meeting = create_meeting(member_setup["network"], notes=NOTES.format(extra=""))
    with app.app_context():
        mail.queue(
            "fac@example.org",
            "Credit withdrawn: Monthly meeting",
            "A speaker withdrew.",
            kind="consent_notice",
            meeting_id=meeting.id,
        )
        db.session.commit()
    give_role(app, member_setup["facilitator"], member_setup["network"], "member")
    deliver(app)
    assert transport.sent == []
    (notice,) = messages(app, "consent_notice")
    assert notice.withheld_reason == "the recipient is no longer a facilitator of the network"


def test_a_check_that_fails_never_lets_the_message_go(app, transport, monkeypatch):
    from notes_app.services import send_checks

    def broken(message):
        raise RuntimeError("the check broke")

    monkeypatch.setitem(send_checks._RULES, "notes", broken)
    with app.app_context():
        mail.queue("mem@example.org", "Notes", "Canary: unchecked", kind="notes")
        mail.queue("other@example.org", "Hello", "Unaffected", kind="invitation")
        db.session.commit()
    delivery = deliver(app)
    assert [e["To"] for e in transport.sent] == ["other@example.org"]
    assert (delivery.sent, delivery.failed) == (1, 1)
    (held,) = messages(app, "notes")
    assert held.sent_at is None and held.attempts == 1 and "the check broke" in held.last_error


GUEST_NOTES = """---
speakers:
  - handle: hester
    name: Hester Quenby
    organisation: Quenby Consulting
    email: hester@quenby.example
---

# Plans

@hester: We should meet again in May.
"""


def ask_hester(app, member_setup, create_meeting) -> int:
    meeting = create_meeting(member_setup["network"], notes=GUEST_NOTES)
    with app.app_context():
        current = db.session.get(Meeting, meeting.id)
        hester = db.session.scalar(select(Speaker).where(Speaker.meeting_id == meeting.id))
        assert consent.request_consent(current, [hester], actor_id=None).sent
        db.session.commit()
    return meeting.id


def test_r16_a_consent_request_never_goes_to_an_address_corrected_since(
    app, transport, member_setup, create_meeting
):
    """Round 6, R16: the facilitator fixed a speaker's address after asking; the request still
    went to the old one, telling a stranger who spoke at which meeting."""
    meeting_id = ask_hester(app, member_setup, create_meeting)
    with app.app_context():
        from notes_app.services import speakers

        meeting = db.session.get(Meeting, meeting_id)
        hester = db.session.scalar(select(Speaker).where(Speaker.meeting_id == meeting_id))
        fields = speakers.SpeakerFields(
            handle="hester",
            name="Hester Quenby",
            organisation="Quenby Consulting",
            email="hq@quenby.example",
        )
        speakers.update_speaker(meeting, hester, fields, actor_id=member_setup["facilitator"].id)
        db.session.commit()

    deliver(app)

    assert transport.to("hester@quenby.example") == []
    assert "Hester" not in transport.everything()
    (request,) = messages(app, "consent_request")
    assert request.withheld_reason == "the speaker's address has changed since it was queued"
    assert "Hester" not in request.text


def test_r16_a_consent_request_to_the_speaker_as_they_stand_is_sent_once(
    app, transport, member_setup, create_meeting
):
    ask_hester(app, member_setup, create_meeting)
    deliver(app)
    deliver(app)
    (request,) = transport.to("hester@quenby.example")
    assert request["Subject"] == "May we credit you in the notes?"
