"""Round 7 of the blind red team, end to end (docs/red-team/round-7.md): each finding fixed is a
case named after it."""

from __future__ import annotations

import html as html_lib
import re

import pytest

from notes_app.extensions import db
from notes_app.models import Speaker
from tests.test_comments import publish_now

BUNNY = """---
speakers:
  - handle: bun
    name: Bernadette Yelverton
    aliases: [Bunny, Dr B]
---

# Later

Bunny and Dr B spoke later.
"""


def _fields_of(page: str) -> dict[str, str]:
    """What the browser sends when the form is saved untouched: every input's value."""
    fields = {}
    for tag in re.findall(r"<input\b[^>]*>", page):
        attrs = dict(re.findall(r'([\w-]+)="([^"]*)"', tag))
        if "name" in attrs and attrs.get("type") not in ("submit", "checkbox", "radio"):
            fields[attrs["name"]] = html_lib.unescape(attrs.get("value", ""))
    return fields


def test_r18_saving_a_speaker_untouched_keeps_their_aliases_protected(
    client, app, member_setup, auth, create_meeting
):
    """Round 7, R18: the edit page showed the aliases as a Python list; saving it unchanged
    stored `['Bunny'` and `'Dr B']` as names, and `Bunny` was then published."""
    meeting = create_meeting(member_setup["network"], "Later", notes=BUNNY)
    with app.app_context():
        bun = db.session.scalar(db.select(Speaker).where(Speaker.meeting_id == meeting.id))
    url = f"/n/river-network/m/{meeting.slug}/speakers/{bun.id}"
    auth.login(member_setup["facilitator"])
    page = client.get(url).get_data(as_text=True)
    fields = _fields_of(page)
    assert fields["aliases"] == "Bunny, Dr B"
    assert client.post(url, data=fields).status_code == 302
    with app.app_context():
        assert db.session.get(Speaker, bun.id).aliases == ["Bunny", "Dr B"]
    publication = publish_now(app, meeting)
    assert "Bunny" not in publication.markdown + publication.html


INITIALS_HANDLE = """---
speakers:
  - handle: qv
    name: Quentin Vasquez-Ahn
---

# Items

## @qv's section

As @qv's slides showed, (@qv) and [@qv] and `@qv` and @qv: inline.

- @qv

1. @qv numbered
"""


def test_r15_a_handle_of_two_letters_is_protected_as_a_mention(app, member_setup, create_meeting):
    """Round 7, R15: a handle made of the speaker's initials (`@qv`) was published wherever the
    notes did not read a statement; only `@QV` in capitals was replaced."""
    meeting = create_meeting(member_setup["network"], "Initials", notes=INITIALS_HANDLE)
    publication = publish_now(app, meeting)
    assert "qv" not in (publication.markdown + publication.html).casefold()


TITLES = [
    (
        "r9-after-a-dash",
        "Open data - Priscilla Ashgrove (Harcourt Trust)",
        ("Ashgrove", "Harcourt"),
    ),
    (
        "r9-joined-by-an-ampersand",
        "Q&A: Priscilla Ashgrove & Tobias Renwick",
        ("Ashgrove", "Renwick"),
    ),
    ("r9-possessive-at-the-start", "Tobias Renwick's open data talk", ("Tobias", "Renwick")),
    ("r9-split-by-tags", "Open data with <b>Tobias</b> Renwick", ("Tobias", "Renwick")),
]


@pytest.mark.parametrize(("title", "canaries"), [c[1:] for c in TITLES], ids=[c[0] for c in TITLES])
def test_r9_a_title_announcing_a_speaker_in_these_forms_is_redacted(
    app, member_setup, title, canaries
):
    from tests.test_announced_speakers import import_post, member_pages

    post = f'---\ntitle: "{title}"\ndate: 2026-06-01 14:00:00\n---\nDescription.\n'
    meeting = import_post(app, member_setup, post, "r9.md")
    for where, page in member_pages(app, member_setup, meeting).items():
        for canary in canaries:
            assert canary not in page, f"{canary!r} is on the {where}"


@pytest.mark.parametrize("title", ["Data - the next steps", "Health & Social Care"])
def test_r9_a_title_with_a_dash_or_ampersand_and_no_person_stays(app, member_setup, title):
    from tests.test_announced_speakers import import_post, member_pages

    post = f'---\ntitle: "{title}"\ndate: 2026-06-01 14:00:00\n---\nDescription.\n'
    meeting = import_post(app, member_setup, post, "r9.md")
    assert html_lib.escape(title) in member_pages(app, member_setup, meeting)["meeting page"]


R4_DESCRIPTION = """Joining us: Halvard Pennington-Sou, Head of Policy, Greyfriars Institute.

Speaking tonight: Marisol Okonkwo from Tanfield Council.

With guest speaker Desmond Achterberg (Ravenscar Labs).

Panel: Ysolde Kaczmarek (Brackley Trust), Emeka Lindahl (Wexcombe CIC).

Keynote: Augustin Oyelowo-Hart.

Speakers: Ottoline Vance; Ignatius Mbeki-Ross.

Joining us on the panel: Magnus Thorvaldsen, Chief Executive, Lowmoor Trust.

Doors open at six."""
R4_CANARIES = (
    "Pennington",
    "Greyfriars",
    "Okonkwo",
    "Tanfield",
    "Achterberg",
    "Ravenscar",
    "Kaczmarek",
    "Brackley",
    "Lindahl",
    "Wexcombe",
    "Oyelowo",
    "Ottoline",
    "Mbeki",
    "Thorvaldsen",
    "Lowmoor",
)


def test_r4_speakers_announced_in_these_phrasings_are_redacted(app, member_setup):
    """Round 7, R4: a description typed on the web or imported announced speakers as
    "Speaking tonight:", "Panel:", "Keynote:", "Speakers: A; B", "With guest speaker", and
    "Joining us: Name, Role, Org" kept the role and organisation."""
    from datetime import datetime

    from notes_app.models import Network
    from notes_app.services import meetings
    from tests.test_announced_speakers import member_pages

    fields = meetings.MeetingFields(
        title="Evening", starts_at_local=datetime(2026, 3, 16, 18, 0), description=R4_DESCRIPTION
    )
    with app.app_context():
        network = db.session.get(Network, member_setup["network"].id)
        meeting = meetings.create_meeting(network, fields, actor_id=None)
        db.session.commit()
    page = member_pages(app, member_setup, meeting)["meeting page"]
    for canary in R4_CANARIES:
        assert canary not in page, canary
    assert "Doors open at six." in page


ATTENDANCE = """---
speakers:
  - handle: ro
    name: Rowena Castellane
---

# Attendance

Apologies were received from Ottilie Brandauer and Sebastian Kwarteng-Moss.

Participants (12): Peregrine Oduya (Lantern Works), Sebastian Kwarteng-Moss (Kwarteng Consulting).

@ro: We start with the budget.
"""


def test_r8_apologies_in_a_sentence_and_a_counted_list_show_nobody(
    app, member_setup, create_meeting
):
    meeting = create_meeting(member_setup["network"], "Attendance", notes=ATTENDANCE)
    publication = publish_now(app, meeting)
    shown = publication.markdown + publication.html
    for canary in ("Brandauer", "Kwarteng", "Oduya", "Lantern Works", "Peregrine", "Ottilie"):
        assert canary not in shown, canary
    assert "We start with the budget." in publication.markdown


UNDECLARED = """# Intro

Our speakers were Dana Whitlock (Ferris Lab) and Omar Quennell.

Speakers: Petra Vance; Hugo Marsh (Kerrow Council).

The panel was chaired by Ines Fairley of Wrenfield University.

Joining us were Bea Tolland and Cy Harrow.

Speakers at the next meeting:

- Rosamund Ettrick, Ettrick Analytics

Members agreed to meet again.
"""


def test_r22_speakers_the_notes_announce_without_declaring_them_are_redacted(
    app, member_setup, create_meeting
):
    """Round 7, R22: notes without front matter named the line-up ("Our speakers were",
    "Speakers:", "chaired by", a list after "Speakers ...:") with their organisations, with no
    warning (DESIGN.md rule 9)."""
    meeting = create_meeting(member_setup["network"], "Line-up", notes=UNDECLARED)
    publication = publish_now(app, meeting)
    shown = publication.markdown + publication.html
    for canary in (
        "Whitlock", "Ferris", "Quennell", "Vance", "Marsh", "Kerrow", "Fairley", "Wrenfield",
        "Tolland", "Harrow", "Rosamund", "Ettrick",
    ):  # fmt: skip
        assert canary not in shown, canary
    assert "Members agreed to meet again." in publication.markdown
