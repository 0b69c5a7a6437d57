"""Speakers an event post announces are protected before the notes declare them (red team)."""

from __future__ import annotations

import pytest

from notes_app.domain.consent import Decision, Level
from notes_app.extensions import db
from notes_app.models import Meeting, Network
from notes_app.services import consent, drafts, meetings, speakers
from tests.conftest import PASSWORD, post_form

POST = """---
title: "Fair pay with Henrietta Hollowmere"
date: 2025-07-01 14:00:00
topics: [pay]
---
Speakers will include:

* **Henrietta Hollowmere**, Director, [Hollowmere Trust](https://example.net)
* [Emrys Quellington](https://example.net/eq), Participation Lead

<!--more-->

Hollowmere and Quellington take questions after.
"""
NAMES = ("Henrietta Hollowmere", "Hollowmere", "Emrys Quellington", "Quellington")

NOTES = """---
speakers:
  - handle: henrietta
    name: Henrietta Hollowmere
---

# Pay

@henrietta: Panels should be paid.
"""


def base(meeting) -> str:
    return f"/n/river-network/m/{meeting.slug}"


@pytest.fixture
def imported(app, member_setup):
    with app.app_context():
        network = db.session.get(Network, member_setup["network"].id)
        meeting = meetings.import_event_post(network, POST, "event-fair-pay.md", actor_id=None)
        db.session.commit()
        return meeting.meeting


def import_post(app, member_setup, post: str, filename: str = "post.md"):
    """Import an event post into the river network; return its meeting."""
    with app.app_context():
        network = db.session.get(Network, member_setup["network"].id)
        meeting = meetings.import_event_post(network, post, filename, actor_id=None).meeting
        db.session.commit()
        return meeting


def member_pages(app, member_setup, meeting) -> dict[str, str]:
    client = app.test_client()
    post_form(client, "/login", {"email": member_setup["member"].email, "password": PASSWORD})
    urls = {"meeting page": f"{base(meeting)}/", "meeting list": "/n/river-network/", "home": "/"}
    return {name: client.get(url).get_data(as_text=True) for name, url in urls.items()}


def test_the_announced_speakers_are_read_from_the_post_and_stored_with_org_and_role(app, imported):
    with app.app_context():
        meeting = db.session.get(Meeting, imported.id)
        assert meeting.announced_speakers == [
            {
                "name": "Henrietta Hollowmere",
                "organisation": "Hollowmere Trust",
                "role": "Director",
                "links": ["https://example.net"],
            },
            {"name": "Emrys Quellington", "role": "Participation Lead"},
        ]


def test_red_team_announced_speakers_are_redacted_before_any_notes_exist(
    app, member_setup, imported
):
    pages = member_pages(app, member_setup, imported)
    for where, page in pages.items():
        for name in NAMES:
            assert name not in page, f"{name!r} is on the {where}"
    assert "Fair pay with [redacted]" in pages["meeting page"]
    assert "[redacted] and [redacted] take questions after." in pages["meeting page"]


def test_red_team_announced_speakers_stay_redacted_while_the_notes_decide_nothing(
    app, member_setup, imported
):
    with app.app_context():
        drafts.import_notes(db.session.get(Meeting, imported.id), NOTES, actor_id=None)
        db.session.commit()
    for where, page in member_pages(app, member_setup, imported).items():
        for name in NAMES:
            assert name not in page, f"{name!r} is on the {where}"


def test_a_declared_speaker_credited_by_name_is_named_in_the_title(app, member_setup, imported):
    """Once the notes declare a speaker, their consent decides; the one the notes never
    declare stays redacted."""
    with app.app_context():
        meeting = db.session.get(Meeting, imported.id)
        drafts.import_notes(meeting, NOTES, actor_id=None)
        consent.record_on_behalf(
            meeting,
            speakers.find_speaker(meeting, "henrietta"),
            Decision.GRANTED,
            evidence="They told us by email.",
            actor_id=None,
            level=Level.NAME,
            label="Henrietta Hollowmere",
        )
        db.session.commit()
    page = member_pages(app, member_setup, imported)["meeting page"]
    assert "Fair pay with Henrietta Hollowmere" in page
    assert "Quellington" not in page


R13_POST = """---
title: "Engagement"
date: 2025-06-11 14:00:00
---
Speakers will include:

* **Emily Rempel**, Public Participation Manager, [Liverpool City Region Civic Data Cooperative](https://civicdatacooperative.example/)

<!--more-->

Come along.
"""

R13_NOTES = """---
speakers:
  - handle: emily
    name: Emily Rempel
    email: emily.r@gmail.com
---

# Engagement

@emily: Residents should set the questions.

The Liverpool City Region Civic Data Cooperative will host us (see civicdatacooperative.example), and the Public Participation Manager will chair.
"""


def test_r13_declaring_an_announced_speaker_with_fewer_fields_keeps_what_was_announced(
    app, member_setup
):
    """Round 6, R13: once the notes declared the announced speaker with a name and an email
    only, her announced organisation, its website and her role were shown to members."""
    with app.app_context():
        network = db.session.get(Network, member_setup["network"].id)
        meeting = meetings.import_event_post(network, R13_POST, "r13.md", actor_id=None).meeting
        drafts.import_notes(meeting, R13_NOTES, actor_id=None)
        from notes_app.services import publishing

        publication = publishing.publish(meeting, actor_id=None, accept_warnings=True)
        db.session.commit()
        published = publication.markdown + publication.html
    pages = member_pages(app, member_setup, meeting)
    for where, text in {"notes": published, **pages}.items():
        for canary in ("Civic Data Cooperative", "civicdatacooperative", "Participation Manager"):
            assert canary not in text, f"{canary!r} is in the {where}"
    assert "Residents should set the questions." in published


R17_DESCRIPTION = """Speakers will include:

* **Ophelia Brandt-Nakamura**, Chief Scientist, [Zephyr Labs](https://zephyrlabs.example/)

Zephyr Labs is hosting."""


@pytest.mark.parametrize("how", ["created", "edited"])
def test_r17_speakers_announced_in_details_typed_on_the_web_are_protected(app, member_setup, how):
    """Round 6, R17: only an imported event post's speakers were protected; the same bullet
    typed in the web form's description, and a name in its title, were shown to members."""
    from datetime import datetime

    fields = meetings.MeetingFields(
        title="Evening session with Ophelia Brandt-Nakamura",
        starts_at_local=datetime(2025, 6, 15, 18, 0),
        description=R17_DESCRIPTION,
        topics=("Zephyr Labs",),
    )
    with app.app_context():
        network = db.session.get(Network, member_setup["network"].id)
        if how == "created":
            meeting = meetings.create_meeting(network, fields, actor_id=None)
        else:
            plain = meetings.MeetingFields(
                title="Evening session", starts_at_local=fields.starts_at_local
            )
            meeting = meetings.create_meeting(network, plain, actor_id=None)
            db.session.commit()
            meetings.update_meeting(meeting, fields, actor_id=None)
        db.session.commit()
    pages = member_pages(app, member_setup, meeting)
    for where, page in pages.items():
        for canary in ("Ophelia", "Brandt", "Nakamura", "Zephyr", "Chief Scientist"):
            assert canary not in page, f"{canary!r} is on the {where}"
    assert "Evening session with [redacted]" in pages["meeting page"]


R21_TITLES = [
    ("r21-lower-case", "Data with henrietta hopkins", ("henrietta", "hopkins")),
    ("r21-w-slash", "Data w/ Henrietta Hopkins", ("Henrietta", "Hopkins")),
    ("r21-entity-between", "Data with Henrietta&nbsp;Hopkins", ("Henrietta", "Hopkins")),
    ("r21-after-a-colon", "Public dialogue: Henrietta Hopkins (Hopkins Van Mil)", ("Henrietta",)),
    ("r21-given-name-alone", "Data with Henrietta", ("Henrietta",)),
    ("r15-follow-up", "Follow-up: Quillan Ashbourne on model cards", ("Quillan", "Ashbourne")),
]


@pytest.mark.parametrize(
    ("title", "canaries"), [c[1:] for c in R21_TITLES], ids=[c[0] for c in R21_TITLES]
)
def test_r21_a_title_that_announces_a_speaker_in_other_words_is_redacted(
    app, member_setup, title, canaries
):
    post = f'---\ntitle: "{title}"\ndate: 2025-07-01 14:00:00\n---\nDescription.\n'
    meeting = import_post(app, member_setup, post, "r21.md")
    for where, page in member_pages(app, member_setup, meeting).items():
        for canary in canaries:
            assert canary not in page, f"{canary!r} is on the {where}"


@pytest.mark.parametrize(
    "title", ["Coffee with colleagues from Leeds", "Lunch with open minds", "Data and Society"]
)
def test_r21_a_title_without_a_person_is_shown_as_written(app, member_setup, title):
    post = f'---\ntitle: "{title}"\ndate: 2025-07-01 14:00:00\n---\nDescription.\n'
    meeting = import_post(app, member_setup, post, "r21.md")
    assert title in member_pages(app, member_setup, meeting)["meeting page"]


R23_POST = """---
title: "HTML post"
date: 2025-08-24 14:00:00
---
<div hidden>Secret guest: Barnaby Hiddenfield</div>
<span style="display:none">Cordelia Invisible</span>

Our speakers:
<ul><li><strong>Marisol Etxeberria</strong>, Head of Research, Basque Data Lab</li></ul>

Speakers:<br>Cosimo Vantaggiato (Lumio)<br>Perpetua Okonjo-Hale (Hale & Co)

<!--more-->

Public paragraph.
"""


def test_r23_what_a_post_hides_is_dropped_and_its_html_lists_announce(app, member_setup):
    """Round 6, R23: content the website hid became visible text, and speakers listed in HTML
    (a list, line breaks) were not read as announced."""
    meeting = import_post(app, member_setup, R23_POST, "r23.md")
    page = member_pages(app, member_setup, meeting)["meeting page"]
    for canary in (
        "Barnaby",
        "Hiddenfield",
        "Cordelia",
        "Marisol",
        "Etxeberria",
        "Basque",
        "Cosimo",
        "Vantaggiato",
        "Perpetua",
        "Okonjo",
    ):
        assert canary not in page, canary
    assert "Public paragraph." in page


R25_POSTS = [
    (
        "r25-a-confidential-paragraph-takes-only-itself",
        "Public intro.\n\n[confidential] Whole secret paragraph QZXR25.\n\n"
        "Public paragraph after.\n\n## Public section\n\nPublic body.",
        ("Public intro.", "Public paragraph after.", "Public section", "Public body."),
    ),
    (
        "r25-a-confidential-heading-takes-its-section-only",
        "Public intro.\n\n## [confidential] Secret section\n\nQZXR25 secret body.\n\n"
        "## Public section\n\nPublic body.",
        ("Public intro.", "Public section", "Public body."),
    ),
    (
        "r25-an-informal-marker-is-not-shown-unconfirmed",
        "Public intro.\n\n(confidential) informal secret QZXR25.\n\nPublic paragraph after.",
        ("Public intro.", "Public paragraph after."),
    ),
]


@pytest.mark.parametrize(
    ("description", "kept"), [c[1:] for c in R25_POSTS], ids=[c[0] for c in R25_POSTS]
)
def test_r25_a_description_loses_only_what_is_confidential(app, member_setup, description, kept):
    """Round 6, R25: one confidential paragraph hid the rest of the description, and an
    informal marker went live with the meeting, before anyone could confirm it."""
    post = f'---\ntitle: "Descriptions"\ndate: 2025-08-10 14:00:00\n---\n{description}\n'
    meeting = import_post(app, member_setup, post, "r25.md")
    page = member_pages(app, member_setup, meeting)["meeting page"]
    assert "QZXR25" not in page
    for words in kept:
        assert words in page, words
