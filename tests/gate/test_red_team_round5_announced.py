"""Round 5 red team, L5, L6, L21, L22 (and L13 for them): the people an event post announces,
in its title, bullets, a table or a sentence, protected with the organisation, acronym, role
and link they were announced with, on every surface a member or outsider receives.

The posts are the red team's `ev2.md` and `ev7.md`; the notes are theirs too.
"""

from __future__ import annotations

import re

import pytest

from notes_app.domain.event_post import AnnouncedSpeaker, parse_event_post
from notes_app.extensions import db
from notes_app.models import Meeting, Network, User
from notes_app.services import meetings
from notes_app.services.protection import meeting_for_members
from tests.gate import views
from tests.gate.model import Case
from tests.gate.publish import people, publish_case
from tests.gate.surfaces import NETWORK, collect
from tests.gate.test_corpus import leaks

EV2 = """---
title: "Community of Practice with Maria Gonzalez-Ruiz"
date: 2025-02-12 14:00:00
topics:
  - Kofi Mensah on data
---

Speakers will include:
* **Henrietta Hopkins**, Director, [Hopkins Van Mil](https://www.hopkinsvanmil.co.uk/)
* Emily Rempel (Public Participation Manager, Liverpool City Region Civic Data Cooperative)
* [Kofi Mensah](https://example.org/people/kofi-mensah), Head of Data at Accra Metro

We will also hear from Dr. Siobhán O'Neill of Ulster Health Trust, and from Priya Natarajan, \
who leads engagement at NHS Digital.

| Speaker | Organisation |
| --- | --- |
| Tomasz Wiśniewski | Gdańsk City Hall |

Chaired by Lars Øvergaard.
"""
EV2_NOTES = (
    "Members discussed engagement. henrietta and emily both agreed. Rempel's point stood. "
    "Mensah said hi. Wisniewski spoke. Natarajan and O'Neill and Overgaard spoke. "
    "Thanks to HVM. Gonzalez-Ruiz opened the meeting."
)

EV7 = """---
title: "Future meeting"
date: 2027-03-10
topics:
  - Engagement
---

Our next meeting, with guest speakers.

<!--more-->

Speakers will include:
* **Oluwaseun Adeyemi**, Head of Insight, [Lagos Data Trust](https://lagosdatatrust.org/)
* Joséphine Durand-Lefèvre — Chargée de mission, Mairie de Lyon

Joining us: Dr Rhiannon Pryce (Cardiff Civic Lab). Ask Rhiannon about it, on 44 29 2087 4000.
"""
EV7_NOTES = (
    "josephine agreed. Durand spoke, then Lefevre. Adeyemis team at LDT and Lagos Data Trust. "
    "The Head of Insight spoke. Mairie de Lyon too. Pryce and the Cardiff Civic Lab came."
)

# What each post announced, and must never reach a member (each canary by itself).
L5_TITLE = ("Maria Gonzalez-Ruiz", "Gonzalez-Ruiz", "Gonzalez", "Ruiz")
L6_PROSE_TABLE_CHAIR = (
    "Siobhán O'Neill",
    "O'Neill",
    "Siobhán",
    "Ulster Health Trust",
    "Ulster",
    "Priya Natarajan",
    "Natarajan",
    "Priya",
    "Tomasz Wiśniewski",
    "Wisniewski",
    "Tomasz",
    "Gdańsk City Hall",
    "Gdańsk",
    "Lars Øvergaard",
    "Overgaard",
    "Lars",
)
L21_BULLET_AFFILIATIONS = (
    "Henrietta",
    "Hopkins",
    "Hopkins Van Mil",
    "HVM",
    "hopkinsvanmil",
    "Rempel",
    "Public Participation Manager",
    "Liverpool City Region Civic Data Cooperative",
    "Mensah",
    "Kofi",
    "kofi-mensah",
    "Head of Data",
    "Accra Metro",
    "Accra",
)
L22_EV7 = (
    "Oluwaseun",
    "Adeyemi",
    "Head of Insight",
    "Lagos Data Trust",
    "LDT",
    "lagosdatatrust",
    "Joséphine",
    "Durand",
    "Lefèvre",
    "Lefevre",
    "Chargée de mission",
    "Mairie de Lyon",
    "Mairie",
    "Rhiannon",
    "Pryce",
    "Cardiff Civic Lab",
    "Cardiff",
    "442920874000",
    "20874000",
)


@pytest.fixture
def gate(app, create_user, create_network, add_member):
    return people(create_user, create_network, add_member)


def _words(canaries: tuple[str, ...]) -> list[str]:
    """What a member types into search: every word of every canary (L13)."""
    found = [w.casefold() for c in canaries for w in re.findall(r"[^\W_]{3,}", c)]
    return list(dict.fromkeys(found))


def _publish_and_check(app, gate, name: str, post: str, notes: str, canaries: tuple[str, ...]):
    case = Case(name, "red team", notes, canaries=canaries, event_post=post, expect="published")
    with app.app_context():
        outcome = publish_case(case)
    assert outcome.published, f"{name}: {outcome.state} {outcome.why}"
    surfaces, statuses = collect(
        app,
        outcome.meeting_slug,
        _words(canaries),
        reader=gate["reader"],
        outsider=gate["outsider"],
    )
    assert statuses["notes page"] == statuses["meeting page"] == 200
    names = {s.name.split(" (")[0].split(":")[0] for s in surfaces}
    # Every surface the red team read was looked at (and an email was sent).
    assert {"notes page", "print view", "markdown export", "meeting page", "home page"} <= names
    assert any(n.startswith("email notes") for n in names), names
    found = leaks(case, surfaces)
    assert not found, f"{name} leaked:\n" + "\n".join(found[:20])
    return outcome, surfaces


def test_l5_l6_l21_ev2_title_prose_table_chair_and_bullet_affiliations(app, gate):
    canaries = (*L5_TITLE, *L6_PROSE_TABLE_CHAIR, *L21_BULLET_AFFILIATIONS)
    outcome, surfaces = _publish_and_check(
        app, gate, "l5-l6-l21-ev2-announced-everywhere", EV2, EV2_NOTES, canaries
    )
    notes = _shown(surfaces, "notes page")
    # The title still reads as a title, and the notes as sentences.
    assert "Community of Practice with [redacted]" in notes
    assert "Members discussed engagement." in notes
    subjects = [s.text for s in surfaces if s.name.endswith(": subject") and "notes" in s.name]
    assert subjects and all("Community of Practice with [redacted]" in s for s in subjects)


def test_l22_ev7_affiliations_roles_acronym_and_prose_guest_in_notes(app, gate):
    outcome, surfaces = _publish_and_check(
        app, gate, "l22-ev7-affiliations-in-notes", EV7, EV7_NOTES, L22_EV7
    )
    assert "Our next meeting, with guest speakers." in _shown(surfaces, "meeting page")
    assert "then [redacted]." in _shown(surfaces, "notes page")


def test_l21_ev7_description_before_any_notes(app, gate):
    """The upcoming meeting's page, before any notes: the bullets and the guest announced in
    prose keep no name, organisation, role or link target of theirs."""
    with app.app_context():
        network = db.session.scalar(db.select(Network).where(Network.slug == NETWORK))
        host = db.session.scalar(db.select(User).where(User.email == "host@gatekeep.org"))
        slug = meetings.import_event_post(network, EV7, "ev7.md", actor_id=host.id).meeting.slug
        db.session.commit()
    surfaces, statuses = collect(
        app, slug, _words(L22_EV7), reader=gate["reader"], outsider=gate["outsider"]
    )
    assert statuses["meeting page"] == 200
    case = Case("l21-ev7-description", "red team", "", canaries=L22_EV7)
    found = leaks(case, surfaces)
    assert not found, "leaked:\n" + "\n".join(found[:20])
    page = _shown(surfaces, "meeting page")
    assert "Speakers will include:" in page and "Joining us:" in page


def _shown(surfaces, name: str) -> str:
    text = next(s for s in surfaces if s.name.startswith(name)).text
    return views.unescape(re.sub(r"<[^>]*>", "", text))


# Precision ---------------------------------------------------------------------------------

PLAIN_POST = """---
title: "Open Data and Public Health: Community of Practice"
date: 2025-02-12
topics:
  - Working with Local Councils
  - Data and Democracy
---

We will hear from practitioners about what they need. Partners include the Lagos Data Trust
and Leeds City Council, and the session is hosted by Open Data Manchester. Joining us: residents
of the Northshire estates. It will be chaired by the network's facilitator.
"""


def test_precision_a_post_with_no_announced_people_keeps_title_and_description(app, gate):
    post, _ = parse_event_post(PLAIN_POST, "plain.md")
    assert post.speakers == ()
    with app.app_context():
        network = db.session.scalar(db.select(Network).where(Network.slug == NETWORK))
        meeting = meetings.import_event_post(network, PLAIN_POST, "plain.md", actor_id=None).meeting
        db.session.commit()
        shown = meeting_for_members(db.session.get(Meeting, meeting.id))
        assert shown.title == "Open Data and Public Health: Community of Practice"
        assert shown.description == meeting.description
        assert shown.topics == ("Working with Local Councils", "Data and Democracy")


def test_precision_organisations_not_tied_to_a_speaker_stay(app, gate):
    post = EV7.replace(
        "Our next meeting, with guest speakers.",
        "Our next meeting, with guest speakers. Hosted at Leeds City Council with Northshire "
        "Housing.",
    )
    with app.app_context():
        network = db.session.scalar(db.select(Network).where(Network.slug == NETWORK))
        meeting = meetings.import_event_post(network, post, "ev7.md", actor_id=None).meeting
        db.session.commit()
        shown = meeting_for_members(db.session.get(Meeting, meeting.id))
    assert "Hosted at Leeds City Council with Northshire Housing." in shown.description
    assert "Lagos Data Trust" not in shown.description


# The shapes the extraction reads (the report lists them) -----------------------------------

SHAPES = [
    (
        "bullet-name-role-linked-org",
        "* **Oluwaseun Adeyemi**, Head of Insight, [Lagos Data Trust](https://lagosdatatrust.org/)",
        AnnouncedSpeaker(
            "Oluwaseun Adeyemi",
            "Lagos Data Trust",
            "Head of Insight",
            ("https://lagosdatatrust.org/",),
        ),
    ),
    (
        "bullet-name-paren-role-org",
        "* Emily Rempel (Public Participation Manager, Liverpool City Region Civic Data Cooperative)",
        AnnouncedSpeaker(
            "Emily Rempel",
            "Liverpool City Region Civic Data Cooperative",
            "Public Participation Manager",
        ),
    ),
    (
        "bullet-name-dash-role-org",
        "* Joséphine Durand-Lefèvre — Chargée de mission, Mairie de Lyon",
        AnnouncedSpeaker("Joséphine Durand-Lefèvre", "Mairie de Lyon", "Chargée de mission"),
    ),
    (
        "bullet-linked-name-role-at-org",
        "* [Kofi Mensah](https://example.org/people/kofi-mensah), Head of Data at Accra Metro",
        AnnouncedSpeaker("Kofi Mensah", "Accra Metro", "Head of Data"),
    ),
    (
        "bullet-role-for-org-then-talk",
        "* Robin Carpenter, Ethics Lead for the Kestrel Centre, on [Working well](https://x.org/a)",
        AnnouncedSpeaker("Robin Carpenter", "Kestrel Centre", "Ethics Lead"),
    ),
]


@pytest.mark.parametrize(("name", "bullet", "expected"), SHAPES, ids=[s[0] for s in SHAPES])
def test_announced_bullet_shapes(name, bullet, expected):
    post, _ = parse_event_post(f"---\ntitle: T\ndate: 2025-01-01\n---\nSpeakers:\n{bullet}\n")
    assert post.speakers == (expected,)


PROSE = [
    (
        "prose-hear-from-of-and-from-who-leads-at",
        "We will also hear from Dr. Siobhán O'Neill of Ulster Health Trust, and from Priya "
        "Natarajan, who leads engagement at NHS Digital.",
        (
            AnnouncedSpeaker("Siobhán O'Neill", "Ulster Health Trust"),
            AnnouncedSpeaker("Priya Natarajan", "NHS Digital"),
        ),
    ),
    (
        "prose-joining-us-paren-org",
        "Joining us: Dr Rhiannon Pryce (Cardiff Civic Lab). Contact Rhiannon later.",
        (AnnouncedSpeaker("Rhiannon Pryce", "Cardiff Civic Lab"),),
    ),
    ("prose-chaired-by", "Chaired by Lars Øvergaard.", (AnnouncedSpeaker("Lars Øvergaard"),)),
    (
        "table-speaker-organisation-role",
        "| Speaker | Role | Organisation |\n| --- | --- | --- |\n"
        "| Tomasz Wiśniewski | Analyst | [Gdańsk City Hall](https://gdansk.pl) |",
        (
            AnnouncedSpeaker(
                "Tomasz Wiśniewski", "Gdańsk City Hall", "Analyst", ("https://gdansk.pl",)
            ),
        ),
    ),
    # No cue, or a cue before something that is not a person: nothing is announced.
    ("prose-no-cue", "Maria Lopez and Kofi Mensah wrote the report for Leeds City Council.", ()),
    ("prose-cue-before-an-organisation", "Hosted by Open Data Manchester and the council.", ()),
    ("prose-cue-before-lower-case", "We will hear from practitioners in the field.", ()),
]


@pytest.mark.parametrize(("name", "body", "expected"), PROSE, ids=[p[0] for p in PROSE])
def test_announced_prose_and_table_shapes(name, body, expected):
    post, _ = parse_event_post(f"---\ntitle: T\ndate: 2025-01-01\n---\n{body}\n")
    assert post.speakers == expected


TITLES = [
    ("title-with-name", "Community of Practice with Maria Gonzalez-Ruiz", ("Maria Gonzalez-Ruiz",)),
    ("title-talk-by-name-org", "Talk by Gwen Talbot, Northshire Council", ("Gwen Talbot",)),
    ("title-name-on-topic", "Kofi Mensah on data", ("Kofi Mensah",)),
    (
        "title-featuring-and",
        "Panel featuring Ana Lima and Ola Nordmann",
        ("Ana Lima", "Ola Nordmann"),
    ),
    (
        "title-two-names-and",
        "Ana Lima and Ola Nordmann in conversation",
        ("Ana Lima", "Ola Nordmann"),
    ),
    ("title-ordinary-phrase-with", "Working with Local Councils", ()),
    ("title-ordinary-phrase-at-start", "Open Data and Public Health", ()),
    ("title-ordinary-phrase-and", "Open Data and Public Health", ()),
    ("title-organisation-with", "Workshop with Leeds City Council", ()),
]


@pytest.mark.parametrize(("name", "title", "expected"), TITLES, ids=[t[0] for t in TITLES])
def test_announced_title_shapes(name, title, expected):
    post, _ = parse_event_post(f'---\ntitle: "{title}"\ndate: 2025-01-01\n---\nHello.\n')
    assert tuple(person.name for person in post.speakers) == expected


def test_title_organisation_after_the_name_is_kept_with_it():
    post, _ = parse_event_post(
        '---\ntitle: "Talk by Gwen Talbot, Northshire Council"\ndate: 2025-01-01\n---\nHi.\n'
    )
    assert post.speakers == (AnnouncedSpeaker("Gwen Talbot", "Northshire Council"),)
