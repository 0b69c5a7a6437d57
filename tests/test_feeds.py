"""The Atom feed: members only, through a personal secret address; published, redacted text only."""

import re
from xml.etree import ElementTree as ET

import pytest

from notes_app.extensions import db
from notes_app.models import Meeting, Membership, User
from notes_app.services import drafts
from tests.conftest import post_form
from tests.test_search import (
    CANARIES,
    DRAFT_ONLY,
    NOTES,
    PUBLISHED_WORD,
    publish,
    republish_replacing,
)

ATOM = "{http://www.w3.org/2005/Atom}"
# Canaries of the notes themselves (the comment ones are not in a feed at all).
NOTES_CANARIES = [
    CANARIES[k]
    for k in (
        "confidential item",
        "confidential span",
        "speaker name",
        "speaker given name",
        "speaker alias",
        "speaker email",
        "speaker organisation",
        "meeting term",
    )
]


def parse(document: bytes) -> ET.Element:
    return ET.fromstring(document)  # noqa: S314 (our own output, under test)


def token_of(app, user) -> str:
    with app.app_context():
        return db.session.get(User, user.id).feed_token


def feed_url(app, user, network="river-network") -> str:
    return f"/feeds/{token_of(app, user)}/{network}.atom"


@pytest.fixture
def published(app, member_setup, create_meeting):
    """A meeting whose title names a speaker who may not be named, with its notes published."""
    meeting = create_meeting(member_setup["network"], "Quillon Zarkavitch on research", NOTES)
    publish(app, meeting, member_setup["facilitator"])
    with app.app_context():
        drafts.import_notes(
            db.session.get(Meeting, meeting.id), NOTES + f"\n{DRAFT_ONLY}\n", actor_id=None
        )
        db.session.commit()
    return meeting


@pytest.mark.parametrize("who", ["member", "facilitator"])
def test_members_read_the_redacted_notes_without_logging_in(
    app, client, member_setup, published, who
):
    response = client.get(feed_url(app, member_setup[who]))
    assert response.status_code == 200
    assert response.mimetype == "application/atom+xml"
    assert response.headers["Cache-Control"] == "no-store"
    body = response.get_data(as_text=True)
    # The meeting's address is made from its raw title when it is created (reported, not ours).
    body = body.replace(published.slug, "")
    for canary in [*NOTES_CANARIES, DRAFT_ONLY]:
        assert canary.casefold() not in body.casefold(), f"{canary} is in the feed"
    feed = parse(response.data)
    assert feed.tag == f"{ATOM}feed"
    for required in ("id", "title", "updated", "author"):
        assert feed.find(f"{ATOM}{required}") is not None
    [entry] = feed.findall(f"{ATOM}entry")
    assert entry.findtext(f"{ATOM}title") == "A participant on research"
    link = entry.find(f"{ATOM}link").get("href")
    assert link.endswith(f"/n/river-network/m/{published.slug}/notes")
    content = entry.find(f"{ATOM}content")
    assert content.get("type") == "html" and PUBLISHED_WORD in content.text
    assert "<p>" in content.text and "&lt;p&gt;" in body  # HTML carried as escaped text
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\+00:00", entry.findtext(f"{ATOM}updated"))


@pytest.mark.parametrize("who", ["outsider", "admin"])
def test_a_token_of_someone_outside_the_network_finds_nothing(
    app, client, member_setup, published, who
):
    response = client.get(feed_url(app, member_setup[who]))
    assert response.status_code == 404
    assert PUBLISHED_WORD not in response.get_data(as_text=True)


@pytest.mark.parametrize(
    "token",
    ["wrong", "", "x" * 65, "%00", "' OR '1'='1"],
    ids=["wrong", "empty", "long", "nul", "sql"],
)
def test_a_wrong_token_finds_nothing(client, member_setup, published, token):
    response = client.get(f"/feeds/{token}/river-network.atom")
    assert response.status_code == 404
    assert PUBLISHED_WORD not in response.get_data(as_text=True)


def test_an_unknown_network_and_a_member_who_left_find_nothing(
    app, client, member_setup, published
):
    member = member_setup["member"]
    assert client.get(feed_url(app, member, "no-such-network")).status_code == 404
    assert client.get(feed_url(app, member, "%00")).status_code == 404
    url = feed_url(app, member)
    assert client.get(url).status_code == 200
    with app.app_context():
        db.session.execute(db.delete(Membership).where(Membership.user_id == member.id))
        db.session.commit()
    assert client.get(url).status_code == 404


def test_only_the_latest_version_of_each_meeting_newest_first(
    app, client, member_setup, published, create_meeting
):
    republish_replacing(app, published, member_setup["facilitator"], PUBLISHED_WORD, "tambourine")
    later = create_meeting(
        member_setup["network"], "A <b>bold</b> & later meeting", "Short notes.\n"
    )
    publish(app, later, member_setup["facilitator"])
    create_meeting(member_setup["network"], "Never published", "Unpublished words.\n")
    feed = parse(client.get(feed_url(app, member_setup["member"])).data)
    entries = feed.findall(f"{ATOM}entry")
    # The title is redacted like the notes: raw HTML goes, the words and the ampersand stay.
    assert [e.findtext(f"{ATOM}title") for e in entries] == [
        "A bold & later meeting",
        "A participant on research",
    ]
    notes = entries[1].findtext(f"{ATOM}content")
    assert "tambourine" in notes and PUBLISHED_WORD not in notes
    assert feed.findtext(f"{ATOM}updated") == entries[0].findtext(f"{ATOM}updated")


def test_the_account_page_shows_the_address_and_a_reset_changes_it(
    app, client, make_client, member_setup, auth, published
):
    old = feed_url(app, member_setup["member"])
    auth.login(member_setup["member"])
    page = client.get("/account/").get_data(as_text=True)
    assert f"http://127.0.0.1:5000{old}" in page or old in page
    response = post_form(client, "/account/feed-token", {}, page="/account/")
    assert response.status_code == 302
    new = feed_url(app, member_setup["member"])
    assert new != old
    reader = make_client()  # a feed reader, with no session
    assert reader.get(old).status_code == 404
    assert reader.get(new).status_code == 200
    page = client.get("/account/").get_data(as_text=True)
    assert new in page and old not in page
    assert "<script" not in page and " style=" not in page


def test_an_empty_feed_is_a_valid_document(app, client, member_setup):
    response = client.get(feed_url(app, member_setup["member"]))
    feed = parse(response.data)
    assert feed.findall(f"{ATOM}entry") == [] and feed.findtext(f"{ATOM}updated")
