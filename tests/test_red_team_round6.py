"""Round 6 of the blind red team, end to end (docs/red-team/round-6.md): each finding is a case
named after it, with its canary proved absent from what members receive."""

from __future__ import annotations

import pytest

from tests.test_comments import notes_page, post_comment, publish_now, rows

QUILLAN = """---
speakers:
  - handle: q
    name: Quillan Ashbourne
    organisation: Corvid Metrics
    email: q@corvid.example
---

# Plans

@q: We should meet again in May.
"""


@pytest.fixture
def quillan(app, member_setup, create_meeting, auth):
    """A published meeting where Quillan Ashbourne spoke, not credited; the member logged in."""
    meeting = create_meeting(member_setup["network"], "Plans", notes=QUILLAN)
    publish_now(app, meeting)
    auth.login(member_setup["member"])
    return meeting


@pytest.mark.parametrize(
    "body",
    [
        "<b>Quil</b>lan said so",  # R10: shown as written, which a reader joins to "Quillan"
        "<b>Quil</b>lan",
        "Thanks to <i>Ash</i>bourne for the slides.",
        "They work at <span>Cor</span>vid.",
    ],
)
def test_r10_a_name_split_by_tags_written_as_text_is_refused_in_a_comment(
    client, app, quillan, body
):
    response = post_comment(client, quillan, body)
    assert response.status_code == 422
    assert rows(app) == []
    assert "Quil</b>" not in notes_page(client, quillan)


def test_r10_tags_written_as_text_around_ordinary_words_are_posted(client, app, quillan):
    response = post_comment(client, quillan, "Use <b>bold</b> for the <i>key</i> points.")
    assert response.status_code == 302, response.get_data(as_text=True)
    assert len(rows(app)) == 1


FOLLOW_UP = """---
speakers:
  - handle: ro
    name: Rowena Castellane
---

# Follow-up

Following up on what Quillan Ashbourne of Corvid Metrics told us last time.

@ro: I agree with Quillan.
"""


def publish_follow_up(app, member_setup, create_meeting, title="Follow-up"):
    meeting = create_meeting(member_setup["network"], title, notes=FOLLOW_UP)
    publication = publish_now(app, meeting)
    return meeting, publication.markdown + publication.html


def test_r15_a_speaker_not_credited_at_one_meeting_is_not_named_in_another(
    client, app, member_setup, create_meeting, quillan
):
    """Round 6, R15: protection was per meeting, so a later meeting's notes and title named
    an earlier meeting's speaker who had not consented, and quoted what they said there."""
    meeting, published = publish_follow_up(
        app, member_setup, create_meeting, "Follow-up: Quillan Ashbourne on model cards"
    )
    page = notes_page(client, meeting)
    for canary in ("Quillan", "Ashbourne", "Corvid"):
        assert canary not in published
        assert canary not in page
    assert "I agree with [redacted]." in published


def test_r15_a_speaker_credited_by_name_at_their_meeting_may_be_named_in_another(
    app, member_setup, create_meeting, quillan
):
    from notes_app.domain.consent import Decision, Level
    from notes_app.extensions import db
    from notes_app.models import Meeting
    from notes_app.services import consent, speakers

    with app.app_context():
        first = db.session.get(Meeting, quillan.id)
        consent.record_on_behalf(
            first,
            speakers.find_speaker(first, "q"),
            Decision.GRANTED,
            level=Level.NAME,
            label="Quillan Ashbourne",
            evidence="email",
            actor_id=None,
        )
        db.session.commit()
    _, published = publish_follow_up(app, member_setup, create_meeting)
    assert "what Quillan Ashbourne of Corvid Metrics told us" in published


HANDLES = """---
speakers:
  - handle: gwen
    name: Gwendolyn Farrow
  - handle: tbk
    name: Tobias Kettleborough
---

# Items

1. @gwen: Numbered statement one.
2. @tbk: Numbered statement two.

> @tbk: Quoted statement.

Later, @gwen noted that @tbk disagreed.

| who | what |
| --- | --- |
| @tbk | table |

Ask tbk or gwen.
"""


def test_r14_a_speakers_handle_is_protected_wherever_it_is_written(
    app, member_setup, create_meeting
):
    """Round 6, R14: the handle, often the speaker's initials (`tbk`), was published where the
    notes did not read a statement (numbered lists, quotes, tables, prose)."""
    meeting = create_meeting(member_setup["network"], "Handles", notes=HANDLES)
    publication = publish_now(app, meeting)
    for canary in ("tbk", "gwen"):
        assert canary not in publication.markdown
        assert canary not in publication.html
    assert "Numbered statement two." in publication.markdown


WITH_ZED = """---
speakers:
  - handle: zed
    name: Zebedee Krautheimer
    organisation: Kestrel Systems
  - handle: mona
    name: Mona Member
---

# Tender

@zed: Vendors should publish prices.

@mona: Parish councils lack data skills.
"""

WITHOUT_ZED = """---
speakers:
  - handle: mona
    name: Mona Member
---

# Tender

Vendors should publish prices, and Kestrel Systems rigged the tender.

@mona: Parish councils lack data skills, as Zebedee Krautheimer said.
"""


@pytest.mark.parametrize("how", ["re-imported without him", "removed on the speakers page"])
def test_r22_a_speaker_taken_out_of_the_notes_stays_protected(
    app, member_setup, create_meeting, how
):
    """Round 6, R22: removing a speaker who never consented (often the one who asked to be
    left out) made their name and organisation ordinary words in the next publication."""
    from notes_app.extensions import db
    from notes_app.models import Meeting
    from notes_app.services import drafts, speakers

    meeting = create_meeting(member_setup["network"], "Tender", notes=WITH_ZED)
    with app.app_context():
        current = db.session.get(Meeting, meeting.id)
        if how == "removed on the speakers page":
            body = WITHOUT_ZED.replace(
                "mona\n    name: Mona Member\n",
                "mona\n    name: Mona Member\n  - handle: zed\n    name: Zebedee Krautheimer\n    organisation: Kestrel Systems\n",
                1,
            )
            drafts.import_notes(current, body, actor_id=None)
            zed = speakers.find_speaker(current, "zed")
            speakers.remove_speaker(current, zed, actor_id=member_setup["facilitator"].id)
        else:
            drafts.import_notes(current, WITHOUT_ZED, actor_id=None)
        db.session.commit()
    publication = publish_now(app, meeting)
    for canary in ("Zebedee", "Krautheimer", "Kestrel"):
        assert canary not in publication.markdown + publication.html
    assert "Parish councils lack data skills" in publication.markdown


ATTENDANCE = """---
speakers:
  - handle: ro
    name: Rowena Castellane
---

# Attendance

Present: Augustin Merriweather (HM Treasury), Bellamy Ng (ONS), Cressida Vaughan-Oyelowo (Nesta).

Apologies: Desmond Achterberg (Ada Lovelace Institute).

Attendees:

- Eleanor Fitzwilliam-Dane, Cabinet Office
- Florian Oduya, Camden Council

Later Augustin Merriweather asked about Nesta's grant.

@ro: We start with the budget.
"""
ATTENDEES = (
    "Augustin",
    "Merriweather",
    "Bellamy",
    "Cressida",
    "Vaughan-Oyelowo",
    "Nesta",
    "Desmond",
    "Achterberg",
    "Lovelace",
    "Eleanor",
    "Fitzwilliam",
    "Florian",
    "Oduya",
    "Camden",
)


def test_r28_an_attendance_list_in_the_notes_shows_nobody(app, member_setup, create_meeting):
    """Round 6, R28: "Present:", "Apologies:" and an "Attendees:" list were published with
    every participant's name and organisation (DESIGN.md rule 9)."""
    meeting = create_meeting(member_setup["network"], "Attendance", notes=ATTENDANCE)
    publication = publish_now(app, meeting)
    for canary in ATTENDEES:
        assert canary not in publication.markdown + publication.html, canary
    assert "We start with the budget." in publication.markdown
    assert "Present: [redacted]" in publication.markdown


def test_r28_an_attendance_list_in_a_description_shows_nobody(app, member_setup):
    from tests.test_announced_speakers import import_post, member_pages

    post = (
        '---\ntitle: "Attendance"\ndate: 2025-08-27 14:00:00\n---\n'
        "Attendees: Augustin Merriweather (HM Treasury), Bellamy Ng (ONS).\n"
    )
    meeting = import_post(app, member_setup, post, "r28.md")
    for where, page in member_pages(app, member_setup, meeting).items():
        for canary in ("Augustin", "Merriweather", "Bellamy"):
            assert canary not in page, f"{canary!r} is on the {where}"
