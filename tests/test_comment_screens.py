"""A comment is screened against every meeting of its network, and against the names in
confidential text however the sentence around them is reworded (red team findings)."""

from __future__ import annotations

import html as html_lib

import pytest

from notes_app.domain.consent import Decision, Level
from notes_app.extensions import db
from notes_app.models import AuditEvent, Comment, Meeting
from notes_app.services import comments, consent, drafts, publishing, speakers
from tests.conftest import NOTES_FILE
from tests.test_comments import notes_page, post_comment, posted_id, publish_now, rows
from tests.test_publishing import publish

# Meeting B: another meeting of the same network, where nobody from meeting A spoke.
OTHER_NOTES = """# Housing

Members compared notes on tenant panels.

Members agreed to meet again in spring.
"""

# A confidential sentence naming an organisation that the public notes never name.
HALBERD_NOTES = """---
speakers:
  - handle: robin
    name: Robin Example
    organisation: Example University
---

# Funding

Members discussed money for the panels.

@robin: We looked at grants [confidential]because the Halberd Foundation is pulling out of the region[/confidential] and other funders.
"""


def base(meeting) -> str:
    return f"/n/river-network/m/{meeting.slug}"


@pytest.fixture
def two_meetings(app, member_setup, create_meeting):
    """Meeting A (NOTES_FILE: Robin Example, not credited) and meeting B, both published."""
    first = create_meeting(member_setup["network"], "Patients first", notes=NOTES_FILE)
    second = create_meeting(member_setup["network"], "Housing", notes=OTHER_NOTES)
    publish_now(app, first)
    publish_now(app, second)
    return first, second


def refusal_rules(app) -> list[str]:
    with app.app_context():
        events = db.session.scalars(
            db.select(AuditEvent).filter_by(action="comment_refused").order_by(AuditEvent.id)
        )
        return [event.details["rule"] for event in events]


@pytest.mark.parametrize(
    "body",
    [
        "Robin Example said the same at the patients meeting.",
        "Wasn't it Dr Example who said that?",
        "Someone from Example University made this point too.",
        "Write to robin@example.org about it.",
        "Project Falcon came up again.",  # a term of meeting A's notes
    ],
)
def test_red_team_a_comment_on_one_meeting_may_not_name_who_is_protected_in_another(
    client, app, member_setup, auth, two_meetings, body
):
    _, second = two_meetings
    auth.login(member_setup["member"])
    response = post_comment(client, second, body)
    assert response.status_code == 422
    assert html_lib.escape(comments.REFUSED) in response.get_data(as_text=True)
    assert rows(app, second) == []
    assert refusal_rules(app)[-1].startswith("protected term")


def test_a_speaker_credited_by_name_in_this_meeting_may_be_named_in_its_comments(
    client, app, member_setup, auth, create_meeting
):
    """Protected in meeting A, credited by name in meeting B: a comment on B may thank them."""
    first = create_meeting(member_setup["network"], "Patients first", notes=NOTES_FILE)
    second = create_meeting(member_setup["network"], "Patients again", notes=NOTES_FILE)
    with app.app_context():
        meeting = db.session.get(Meeting, second.id)
        robin = speakers.find_speaker(meeting, "robin")
        consent.record_on_behalf(
            meeting,
            robin,
            Decision.GRANTED,
            evidence="They told us by email.",
            actor_id=None,
            level=Level.NAME,
            label="Robin Example",
        )
        db.session.commit()
    publish_now(app, first)
    publish_now(app, second)
    auth.login(member_setup["member"])
    thanks = "Thanks to Robin Example for this."
    assert post_comment(client, second, thanks).status_code == 302
    assert post_comment(client, first, thanks).status_code == 422


def test_red_team_publishing_one_meeting_screens_the_comments_of_the_others_again(
    client, app, member_setup, auth, two_meetings
):
    """A comment on B names someone before meeting A declares them: when A is published with
    them as an uncredited speaker, the comment on B is hidden from members."""
    first, second = two_meetings
    auth.login(member_setup["member"])
    canary = "Quentin Marlowe"
    posted = posted_id(post_comment(client, second, f"{canary} runs a good panel."))
    assert canary in notes_page(client, second)
    with app.app_context():
        meeting = db.session.get(Meeting, first.id)
        declared = (
            NOTES_FILE.replace(
                "terms: [Project Falcon]",
                "  - handle: quentin\n    name: Quentin Marlowe\nterms: [Project Falcon]",
            )
            + "\n@quentin: Panels need paying.\n"
        )
        drafts.import_notes(meeting, declared, actor_id=None)
        db.session.commit()
    publish_now(app, first)
    assert canary not in notes_page(client, second)
    with app.app_context():
        comment = db.session.get(Comment, posted)
        assert comment.hidden_at is not None and comment.hidden_reason == comments.RESCREEN_REASON
        hidden = db.session.scalars(
            db.select(AuditEvent).filter_by(action="comments_rescreened")
        ).all()
        assert [(e.subject, e.details["hidden"]) for e in hidden] == [(second.slug, 1)]


@pytest.fixture
def halberd(app, member_setup, create_meeting):
    meeting = create_meeting(member_setup["network"], "Funding", notes=HALBERD_NOTES)
    publish_now(app, meeting)
    return meeting


@pytest.mark.parametrize(
    "body",
    [
        "So the Halberd Foundation is leaving us?",
        "I hear halberd foundation money is drying up.",
        "Is Halberd really pulling back?",
        "Good to hear about the **Halberd** news.",
    ],
)
def test_red_team_a_comment_rewording_a_confidential_sentence_is_refused(
    client, app, member_setup, auth, halberd, body
):
    auth.login(member_setup["member"])
    response = post_comment(client, halberd, body)
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert html_lib.escape(comments.REFUSED) in page  # the same vague message as any refusal
    assert rows(app, halberd) == []
    assert refusal_rules(app) == ["confidential term"]


def test_red_team_a_comment_on_another_meeting_may_not_repeat_a_confidential_name(
    client, app, member_setup, auth, halberd, create_meeting
):
    other = create_meeting(member_setup["network"], "Housing", notes=OTHER_NOTES)
    publish_now(app, other)
    auth.login(member_setup["member"])
    assert post_comment(client, other, "The Halberd Foundation funds panels.").status_code == 422


def test_ordinary_words_of_a_confidential_sentence_may_be_used(
    client, app, member_setup, auth, halberd
):
    auth.login(member_setup["member"])
    for body in (
        "The foundation of good panels is paying people.",
        "Grants for the region came up in our team too.",
        "See you in June.",
    ):
        assert post_comment(client, halberd, body).status_code == 302, body


def test_red_team_a_draft_repeating_another_meetings_confidential_name_warns(
    client, app, member_setup, auth, halberd, create_meeting
):
    """The name of a confidential span of meeting A in the public notes of meeting B: the
    preview warns on that item, naming nothing, and publishing needs the warning confirmed."""
    notes = OTHER_NOTES + "\nThe Halberd Foundation funds tenant panels.\n"
    other = create_meeting(member_setup["network"], "Housing", notes=notes)
    with app.app_context():
        result = publishing.preview(db.session.get(Meeting, other.id))
        warned = [w for w in result.report.warnings if w.kind == "confidential-elsewhere"]
        assert result.report.ok and len(warned) == 1
        item = next(i for i in result.draft.items if i.id == warned[0].item_id)
        assert "Halberd" in item.body and "Halberd" not in warned[0].message
        # The meeting's own notes are not warned of their own public words.
        assert not [
            w
            for w in publishing.preview(db.session.get(Meeting, halberd.id)).report.warnings
            if w.kind == "confidential-elsewhere"
        ]
    auth.login(member_setup["facilitator"])
    page = client.get(f"{base(other)}/preview").get_data(as_text=True)
    assert "confidential-elsewhere" in page
    assert publish(client, other).status_code == 422  # a warning, confirmed before publishing
    assert publish(client, other, accept=True).status_code == 302


def test_a_name_public_in_this_meetings_notes_may_be_used_in_its_comments(
    client, app, member_setup, auth, halberd, create_meeting
):
    """Confidential at meeting A, said openly in meeting B's notes: a comment on B may repeat
    what B's own notes say, and a comment on A still may not."""
    notes = OTHER_NOTES + "\nThe Halberd Foundation funds tenant panels.\n"
    other = create_meeting(member_setup["network"], "Housing", notes=notes)
    publish_now(app, other)
    auth.login(member_setup["member"])
    body = "Good to see the Halberd Foundation funding panels."
    assert post_comment(client, other, body).status_code == 302
    assert post_comment(client, halberd, body).status_code == 422
