"""Fixtures: the app on the test database, factories, and an `auth` helper that logs in."""

from __future__ import annotations

import itertools
import os
import re
from pathlib import Path

import pytest
from sqlalchemy import text

from notes_app import create_app
from notes_app.config import TestConfig
from notes_app.extensions import db, limiter
from notes_app.models import User
from notes_app.services import accounts, networks

PASSWORD = "correct horse battery staple"
_counter = itertools.count(1)


def require_service(name: str, available: bool) -> None:
    """Skip where a service is missing on a developer's machine; CI must have it."""
    if available:
        return
    if os.environ.get("CI"):
        pytest.fail(f"{name} is required in CI but is not reachable")
    pytest.skip(f"{name} is not reachable on this machine")


@pytest.fixture(scope="session")
def database_url(tmp_path_factory) -> str:
    url = os.environ.get("NOTES_TEST_DATABASE_URL")
    return url or f"sqlite:///{tmp_path_factory.mktemp('db') / 'test.sqlite3'}"


@pytest.fixture(scope="session")
def _app(database_url, tmp_path_factory):
    instance = tmp_path_factory.mktemp("instance")
    app = create_app(TestConfig(instance_path=str(instance), database_url=database_url))
    with app.app_context():
        drop_everything()
        from flask_migrate import upgrade

        upgrade()
    yield app
    with app.app_context():
        db.session.remove()
        db.engine.dispose()


def drop_everything() -> None:
    with db.engine.begin() as connection:
        # The search index is not in the models and refers to their tables: drop it first
        # (dropping the FTS5 table drops its shadow tables; the triggers go with search_entries).
        connection.execute(text("DROP TABLE IF EXISTS search_fts"))
        connection.execute(text("DROP TABLE IF EXISTS search_entries"))
    db.metadata.drop_all(db.engine)
    with db.engine.begin() as connection:
        connection.execute(text("DROP TABLE IF EXISTS alembic_version"))


def empty_tables() -> None:
    tables = [table.name for table in db.metadata.sorted_tables]
    with db.engine.begin() as connection:
        if db.engine.dialect.name == "postgresql":
            # The search index is not in the models; TRUNCATE empties it with the others.
            everything = ", ".join(["search_entries", *tables])
            connection.execute(text(f"TRUNCATE {everything} RESTART IDENTITY CASCADE"))
        else:
            # The search index first (not in the models; its triggers empty the FTS5 table).
            connection.execute(text("DELETE FROM search_entries"))
            for table in reversed(tables):
                connection.execute(text(f"DELETE FROM {table}"))


@pytest.fixture
def app(_app):
    """The app, with every table emptied after the test."""
    yield _app
    with _app.app_context():
        db.session.remove()
        empty_tables()
    limiter.reset()


@pytest.fixture
def other_app(database_url, tmp_path):
    """Build more apps on the test database (another worker); their pools are closed after."""
    made = []

    def build(**settings):
        config = TestConfig(instance_path=str(tmp_path), database_url=database_url)
        for name, value in settings.items():
            setattr(config, name, value)
        made.append(create_app(config))
        return made[-1]

    yield build
    for extra in made:
        with extra.app_context():
            db.session.remove()
            db.engine.dispose()


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def make_client(app):
    return app.test_client


def csrf_token(html: str) -> str:
    match = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', html)
    assert match, "the page has no CSRF token"
    return match.group(1)


def post_form(client, url: str, data: dict, *, page: str | None = None, **kwargs):
    """Submit a form as a browser would: fetch the page for its CSRF token, then post."""
    html = client.get(page or url).get_data(as_text=True)
    return client.post(url, data={"csrf_token": csrf_token(html), **data}, **kwargs)


@pytest.fixture
def create_user(app):
    def create(
        email: str | None = None, name: str | None = None, *, admin=False, password=PASSWORD
    ):
        number = next(_counter)
        with app.app_context():
            user = accounts.create_user(
                email or f"person{number}@example.org",
                name or f"Person {number}",
                password,
                is_admin=admin,
            )
            db.session.commit()
            return user

    return create


@pytest.fixture
def create_network(app):
    def create(slug: str | None = None, name: str | None = None):
        number = next(_counter)
        with app.app_context():
            network = networks.create_network(
                slug or f"network-{number}", name or f"Network {number}", actor_id=None
            )
            db.session.commit()
            return network

    return create


@pytest.fixture
def add_member(app):
    def add(network, user: User, role: str = "member"):
        with app.app_context():
            networks.add_member(
                db.session.merge(network), db.session.merge(user), role, actor_id=None
            )
            db.session.commit()

    return add


class Auth:
    def __init__(self, client) -> None:
        self.client = client

    def login(self, user_or_email, password: str = PASSWORD, *, next: str | None = None):
        email = getattr(user_or_email, "email", user_or_email)
        url = "/login" + (f"?next={next}" if next else "")
        return post_form(self.client, url, {"email": email, "password": password})

    def logout(self):
        return post_form(self.client, "/logout", {}, page="/")


@pytest.fixture
def auth(client) -> Auth:
    return Auth(client)


@pytest.fixture
def member_setup(create_user, create_network, add_member):
    """A network with a facilitator and a member, plus an outsider and an admin."""
    network = create_network("river-network", "River network")
    facilitator = create_user("fac@example.org", "Fay Facilitator")
    member = create_user("mem@example.org", "Max Member")
    outsider = create_user("out@example.org", "Otto Outsider")
    admin = create_user("admin@example.org", "Ada Admin", admin=True)
    add_member(network, facilitator, "facilitator")
    add_member(network, member, "member")
    return {
        "network": network,
        "facilitator": facilitator,
        "member": member,
        "outsider": outsider,
        "admin": admin,
    }


PROJECT_ROOT = Path(__file__).resolve().parent.parent


NOTES_FILE = """---
speakers:
  - handle: robin
    name: Robin Example
    organisation: Example University
    role: Ethics Lead
    email: robin@example.org
    aliases: [Rob, Dr Example]
    descriptor: a speaker from a university
terms: [Project Falcon]
---

# Involving patients early

@robin: Patients should be in the room when the problem is defined, not only at testing.

Members discussed how to pay people fairly for their time.

[confidential] @robin: Our funder is about to cut the programme.

@robin: Co-production took twice as long as planned [confidential]because the council pulled out[/confidential], and it changed the research questions.
"""


@pytest.fixture
def create_meeting(app):
    """Make a meeting in a network, optionally with draft notes imported from `notes`."""

    def create(network, title="Monthly meeting", notes: str | None = None):
        from datetime import datetime

        from notes_app.services import drafts, meetings

        with app.app_context():
            meeting = meetings.create_meeting(
                db.session.merge(network),
                meetings.MeetingFields(title=title, starts_at_local=datetime(2025, 3, 5, 14, 0)),
                actor_id=None,
            )
            if notes is not None:
                drafts.import_notes(meeting, notes, actor_id=None)
            db.session.commit()
            return meeting

    return create
