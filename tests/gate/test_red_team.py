"""What a blind red team got past the gate, each planted as a canary and looked for everywhere.

The meeting's title, description and topics are redacted and checked like the notes; comments
are screened again when the notes are published again; bylines pass the meeting's gate.
"""

from __future__ import annotations

from datetime import datetime

import pytest

from notes_app.domain.notes import Speaker as DraftSpeaker
from notes_app.extensions import db
from notes_app.models import Comment, Meeting, Network, User
from notes_app.services import drafts, meetings, publishing, speakers
from tests.conftest import post_form
from tests.gate.model import FILLER, Case, Person
from tests.gate.publish import people, publish_case
from tests.gate.surfaces import NETWORK, collect, logged_in
from tests.gate.test_corpus import assert_case, leaks

HALVORSEN = "The Halvorsen Trust will withdraw funding in March"
QUENNELL = Person("quen", "Petra Quennell", "Lowmoor Trust")
TARRANT = Person("jo", "Jo Tarrant", "Brackenridge Council")


@pytest.fixture
def gate(app, create_user, create_network, add_member):
    return people(create_user, create_network, add_member)


def test_red_team_confidential_sentence_in_title(app, gate):
    case = Case(
        "red team A5",
        "red team",
        f"[confidential] {HALVORSEN}.",
        canaries=(HALVORSEN, "Halvorsen"),
        title=HALVORSEN,
        description=f"Why {HALVORSEN.casefold()}.",
        topics=(HALVORSEN,),
        expect="refused",
    )
    outcome = assert_case(app, gate, case)
    # The refusal says where: the meeting's own details, not an item of the notes.
    where = {leak.item_id for leak in _preview(app, outcome.meeting_slug).leaks}
    assert {"meeting:title", "meeting:description", "meeting:topic:0"} <= where


def test_red_team_informal_markers_in_meeting_details_warn(app, gate):
    case = Case(
        "red team A5 markers",
        "red team",
        "Members asked about the budget.",
        title="Funding (confidential: the board)",
        description="Off the record: the board meets in May.",
        accept_warnings=False,
        expect="refused",
    )
    outcome = assert_case(app, gate, case)
    report = _preview(app, outcome.meeting_slug)
    assert report.ok and "leak" not in outcome.why
    warned = {w.item_id for w in report.warnings if w.kind == "informal-marker"}
    assert warned == {"meeting:title", "meeting:description"}


def _preview(app, slug: str):
    with app.app_context():
        meeting = db.session.scalar(db.select(Meeting).where(Meeting.slug == slug))
        return publishing.preview(meeting).report


def test_red_team_contacts_in_meeting_details(app, gate):
    contacts = ("020 7946 0999", "7946 0999", "someone@gmail.com", "someone")
    case = Case(
        "red team B6",
        "red team",
        "Members asked about the budget.",
        canaries=contacts,
        title="Call 020 7946 0999 or mail someone@gmail.com",
        description="Call 020 7946 0999 or mail someone@gmail.com about it.",
        topics=("someone@gmail.com",),
        expect="published",
    )
    assert_case(app, gate, case)


def test_red_team_plural_surnames_in_meeting_details(app, gate):
    case = Case(
        "red team B1",
        "red team",
        "@quen: Budgets come first.\n\n@jo: Residents come first.",
        speakers=(QUENNELL, TARRANT),
        canaries=("Quennells", "Tarrants"),
        title="Dinner with the Quennells and Tarrants",
        description="Dinner with the Quennells and Tarrants, then questions.",
        topics=("Quennells and Tarrants",),
        expect="published",
    )
    assert_case(app, gate, case)


def test_red_team_event_post_speakers_before_notes(app, gate):
    speaker = "Dr Amaka Ferreira-Lund"
    post = (
        "---\ntitle: Health data with Dr Amaka Ferreira-Lund\ndate: 2031-05-01\n---\n\n"
        f"Speakers: {speaker} (Kinross Health Board), amaka@kinross-health.org, "
        "07700 900123.\n"
    )
    with app.app_context():
        network = db.session.scalar(db.select(Network).where(Network.slug == NETWORK))
        host = db.session.scalar(db.select(User).where(User.email == "host@gatekeep.org"))
        meeting = meetings.import_event_post(network, post, None, actor_id=host.id).meeting
        fields = DraftSpeaker(
            "amaka", speaker, "Kinross Health Board", email="amaka@kinross-health.org"
        )
        speakers.add_speaker(meeting, fields, actor_id=host.id)
        db.session.commit()
        slug = meeting.slug
    surfaces, statuses = collect(
        app, slug, ["ferreira"], reader=gate["reader"], outsider=gate["outsider"]
    )
    assert statuses["meeting page"] == 200
    case = Case(
        "red team B7",
        "red team",
        "",
        speakers=(
            Person("amaka", speaker, "Kinross Health Board", "", "amaka@kinross-health.org"),
        ),
        canaries=("Ferreira", "Amaka", "Kinross", "07700 900123", "amaka@kinross-health.org"),
    )
    upcoming = next(s for s in surfaces if s.name.startswith("meeting list")).text
    assert "Health data with" in upcoming  # the meeting is listed, its speaker replaced
    assert not leaks(case, surfaces)


def _comment(client, slug: str, body: str, parent: int | None = None) -> int:
    base = f"/n/{NETWORK}/m/{slug}"
    data = {"body": body} | ({"parent_id": str(parent)} if parent else {})
    response = post_form(client, f"{base}/comments", data, page=f"{base}/notes")
    assert response.status_code == 302, response.get_data(as_text=True)
    return int(response.location.rsplit("#comment-", 1)[1])


def _republish(app, slug: str, notes: str) -> None:
    with app.app_context():
        meeting = db.session.scalar(db.select(Meeting).where(Meeting.slug == slug))
        host = db.session.scalar(db.select(User).where(User.email == "host@gatekeep.org"))
        drafts.import_notes(meeting, notes, actor_id=host.id)
        publishing.publish(meeting, actor_id=host.id, accept_warnings=True)
        db.session.commit()


def test_red_team_comment_made_protected_by_republication(app, gate):
    secret = "the pilot budget doubles next spring for every ward"
    before = Case(
        "red team A6",
        "red team",
        f"Members heard that {secret}.",
        canaries=(secret, "Quennell", "Halvorsen"),
        expect="published",
    )
    with app.app_context():
        outcome = publish_case(before)
    reader = logged_in(app, gate["reader"])
    repeated = _comment(reader, outcome.meeting_slug, f"So {secret}, then.")
    named = _comment(reader, outcome.meeting_slug, "Petra Quennell said so too.")
    termed = _comment(reader, outcome.meeting_slug, "The Halvorsen money matters.")
    kept = _comment(reader, outcome.meeting_slug, "Useful notes, thank you.")
    # The sentence becomes confidential, and a term is declared; the speaker was not named.
    after = Case(
        "red team A6 after",
        "red team",
        f"[confidential] Members heard that {secret}.",
        speakers=(QUENNELL,),
        terms=("Halvorsen",),
    )
    _republish(app, outcome.meeting_slug, after.notes_file())
    with app.app_context():
        hidden = {c.id for c in db.session.scalars(db.select(Comment)) if c.hidden_at}
    assert hidden == {repeated, named, termed}
    surfaces, _ = collect(
        app,
        outcome.meeting_slug,
        ["budget", "halvorsen"],
        reader=gate["reader"],
        outsider=gate["outsider"],
    )
    # The first notes carried the sentence when it was not confidential yet (their stored copy
    # and email are not re-made by a new publication); everything members read now must not.
    now = [s for s in surfaces if not s.name.startswith(("stored", "email notes"))]
    assert not leaks(before, now)
    notes = next(s for s in surfaces if s.name.startswith("notes page")).text
    assert "Useful notes, thank you." in notes and kept not in hidden


def test_red_team_byline_with_a_protected_term(app, gate, create_user, add_member):
    with app.app_context():
        network = db.session.scalar(db.select(Network).where(Network.slug == NETWORK))
    jo = create_user("jo@gatekeep.org", "Jo Tarrant of Brackenridge Council")
    add_member(network, jo, "member")
    case = Case(
        "red team B11",
        "red team",
        "@jo: Residents come first.",
        speakers=(TARRANT,),
        canaries=("Tarrant", "Brackenridge"),
        expect="published",
    )
    with app.app_context():
        outcome = publish_case(case)
    top = _comment(logged_in(app, gate["reader"]), outcome.meeting_slug, "Residents, yes.")
    _comment(logged_in(app, "jo@gatekeep.org"), outcome.meeting_slug, "Agreed.", top)
    _comment(logged_in(app, "jo@gatekeep.org"), outcome.meeting_slug, "Residents matter.")
    surfaces, _ = collect(
        app,
        outcome.meeting_slug,
        ["agreed", "tarrant", "residents"],
        reader=gate["reader"],
        outsider=gate["outsider"],
    )
    # Her own name is hers to see; no other member sees it where the gate fails.
    others = [s for s in surfaces if "jo@gatekeep.org" not in s.name]
    assert not leaks(case, others)
    assert any("New reply" in s.text for s in surfaces if s.name.endswith("subject"))
    notes = next(s for s in surfaces if s.name.startswith("notes page")).text
    assert "Agreed." in notes and "a member" in notes


def test_red_team_meeting_details_stay_plain_text_when_nothing_is_protected(app, gate):
    with app.app_context():
        network = db.session.scalar(db.select(Network).where(Network.slug == NETWORK))
        host = db.session.scalar(db.select(User).where(User.email == "host@gatekeep.org"))
        fields = meetings.MeetingFields(
            title="Open data & trust",
            starts_at_local=datetime(2031, 3, 5, 14, 0),
            topics=("trust",),
            description=FILLER,
        )
        meeting = meetings.create_meeting(network, fields, actor_id=host.id)
        db.session.commit()
        from notes_app.services.protection import meeting_for_members

        details = meeting_for_members(meeting)
    assert (details.title, details.description, details.topics) == (
        "Open data & trust",
        FILLER,
        ("trust",),
    )
