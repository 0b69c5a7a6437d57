"""The members' home: per network, the latest published notes and the upcoming meetings."""

from contextlib import contextmanager
from datetime import UTC, datetime, timedelta

from sqlalchemy import event

from notes_app.extensions import db
from notes_app.models import Meeting, Network
from notes_app.services import meetings
from tests.test_search import NOTES, PUBLISHED_WORD, publish

SPEAKER = ("Quillon", "Zarkavitch")


def main_of(page: str) -> str:
    return page.split('<main id="main"', 1)[1].split("</main>", 1)[0]


def upcoming(app, network, title, days, notes=None):
    """A meeting `days` from now, with a draft naming a speaker who may not be named."""
    from notes_app.services import drafts

    starts = (datetime.now(UTC) + timedelta(days=days)).replace(tzinfo=None, microsecond=0)
    with app.app_context():
        meeting = meetings.create_meeting(
            db.session.get(Network, network.id),
            meetings.MeetingFields(title=title, starts_at_local=starts, timezone="UTC"),
            actor_id=None,
        )
        if notes:
            drafts.import_notes(meeting, notes, actor_id=None)
        db.session.commit()
        return meeting


@contextmanager
def counting_queries(app):
    statements = []

    def count(conn, cursor, statement, *args):
        statements.append(statement)

    with app.app_context():
        engine = db.engine
    event.listen(engine, "before_cursor_execute", count)
    try:
        yield statements
    finally:
        event.remove(engine, "before_cursor_execute", count)


def test_home_shows_latest_notes_and_upcoming_meetings_with_scrubbed_titles(
    app, client, member_setup, auth, create_meeting
):
    network = member_setup["network"]
    done = create_meeting(network, "Quillon Zarkavitch on research", NOTES)
    publish(app, done, member_setup["facilitator"])
    create_meeting(network, "Drafted but not published", NOTES)
    soon = upcoming(app, network, "Quillon Zarkavitch returns", 7, NOTES)
    later = upcoming(app, network, "Gardening in March", 30)
    auth.login(member_setup["member"])
    main = main_of(client.get("/").get_data(as_text=True))
    assert f'href="/n/river-network/m/{done.slug}/notes"' in main
    assert f'href="/n/river-network/m/{soon.slug}/"' in main
    for slug in (done.slug, soon.slug):  # addresses are made from raw titles (reported)
        main = main.replace(slug, "")
    for part in SPEAKER:
        assert part not in main
    assert "A participant on research" in main
    assert "Drafted but not published" not in main
    assert main.index("A participant returns") < main.index("Gardening in March")
    assert f"m/{later.slug}/" in main


def test_facilitators_see_the_same_scrubbed_titles(app, client, member_setup, auth):
    """The home is a reading page: a facilitator sees what members see."""
    upcoming(app, member_setup["network"], "Quillon Zarkavitch returns", 7, NOTES)
    auth.login(member_setup["facilitator"])
    assert "A participant returns" in main_of(client.get("/").get_data(as_text=True))


def test_home_shows_only_my_networks(
    app, client, member_setup, auth, create_network, create_meeting, create_user, add_member
):
    other = create_network("other-network", "Other network")
    stranger = create_user("stranger@example.org", "Sam Stranger")
    add_member(other, stranger, "facilitator")
    theirs = create_meeting(other, "Their private meeting", f"{PUBLISHED_WORD} elsewhere.\n")
    publish(app, theirs, stranger)
    upcoming(app, other, "Their next meeting", 3)
    for who in ("member", "admin", "outsider"):
        auth.login(member_setup[who])
        main = main_of(client.get("/").get_data(as_text=True))
        assert "Their private meeting" not in main and "Their next meeting" not in main
        assert "Other network" not in main
        auth.logout()


def test_the_number_of_queries_does_not_grow_with_networks_and_notes(
    app, client, member_setup, auth, create_network, create_meeting, add_member
):
    member = member_setup["member"]
    auth.login(member)

    def home_queries():
        with counting_queries(app) as statements:
            assert client.get("/").status_code == 200
        return len(statements)

    first = create_meeting(member_setup["network"], "First", "Some notes.\n")
    publish(app, first, member_setup["facilitator"])
    small = home_queries()
    for number in range(3):
        network = create_network(f"more-{number}", f"More {number}")
        add_member(network, member, "member")
        for title in ("One", "Two", "Three", "Four"):
            meeting = create_meeting(network, f"{title} {number}", "More notes.\n")
            publish(app, meeting, member_setup["facilitator"])
    large = home_queries()
    assert large == small, (small, large)
    page = client.get("/").get_data(as_text=True)
    assert "Four 2" in page and "One 2" not in page  # three per network, newest first

    # Upcoming meetings are scrubbed one by one: a few queries each, at most three per network.
    upcoming(app, member_setup["network"], "Next", 5, NOTES)
    with_upcoming = home_queries()
    assert 0 < with_upcoming - large <= 6, (large, with_upcoming)


def test_a_meeting_moved_into_the_past_leaves_the_upcoming_list(app, client, member_setup, auth):
    meeting = upcoming(app, member_setup["network"], "Soon enough", 2)
    auth.login(member_setup["member"])
    assert "Soon enough" in client.get("/").get_data(as_text=True)
    with app.app_context():
        db.session.get(Meeting, meeting.id).starts_at = datetime.now(UTC) - timedelta(days=1)
        db.session.commit()
    assert "Soon enough" not in client.get("/").get_data(as_text=True)
