"""Sessions: tokens kept only as hashes, idle expiry, the list of sessions, audited logouts."""

from __future__ import annotations

import hashlib
from datetime import timedelta

from sqlalchemy import inspect, text

from notes_app.extensions import db
from notes_app.models import AuditEvent, UserSession
from notes_app.models.types import utcnow
from tests.conftest import PASSWORD, post_form

FIREFOX = "Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0"
SAFARI = (
    "Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 "
    "(KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1"
)


def cookie_token(app, client) -> str:
    """Read the session token out of the (signed, not encrypted) session cookie."""
    value = client.get_cookie("notes_session").value
    return app.session_interface.get_signing_serializer(app).loads(value)["_user_id"]


def everything_stored(app) -> str:
    """Every value in every table, as one string to search."""
    with app.app_context():
        parts = []
        for table in inspect(db.engine).get_table_names():
            if table.startswith("search_fts"):
                continue
            parts.extend(
                repr(tuple(row)) for row in db.session.execute(text(f"SELECT * FROM {table}"))
            )
        return "\n".join(parts)


def sessions(app) -> list[UserSession]:
    with app.app_context():
        return db.session.scalars(db.select(UserSession).order_by(UserSession.id)).all()


def browser(app, user_agent: str = FIREFOX):
    client = app.test_client()
    client.environ_base["HTTP_USER_AGENT"] = user_agent
    return client


def log_in(client, user, *, remember: bool = False):
    data = {"email": user.email, "password": PASSWORD}
    if remember:
        data["remember"] = "y"
    response = post_form(client, "/login", data)
    assert response.status_code == 302
    return response


def test_the_session_token_is_not_stored_in_clear(app, create_user):
    user = create_user()
    client = browser(app)
    log_in(client, user, remember=True)
    token = cookie_token(app, client)
    assert len(token) >= 40
    remember = client.get_cookie("remember_token").value
    assert remember.startswith(token + "|")  # the remember cookie carries the same token
    stored = everything_stored(app)
    assert token not in stored
    assert hashlib.sha256(token.encode()).hexdigest() in stored
    # The remember cookie alone still logs the browser in (it is checked against the hash).
    client.delete_cookie("notes_session")
    assert client.get("/").status_code == 200


def test_a_copied_hash_logs_nobody_in(app, create_user):
    user = create_user()
    log_in(browser(app), user)
    (row,) = sessions(app)
    thief = app.test_client()
    with thief.session_transaction() as session:
        session["_user_id"] = row.token_hash
        session["_fresh"] = True
    assert thief.get("/").status_code == 302


def test_an_idle_session_ends(app, create_user):
    user = create_user()
    client = browser(app)
    log_in(client, user, remember=True)
    assert client.get("/").status_code == 200
    idle = app.config["SESSION_IDLE_LIFETIME"]
    assert idle == timedelta(hours=12)
    with app.app_context():
        row = db.session.scalars(db.select(UserSession)).one()
        row.last_seen_at = utcnow() - idle - timedelta(minutes=1)
        db.session.commit()
    # Refused, and the remember cookie does not bring it back.
    response = client.get("/")
    assert response.status_code == 302 and response.location.startswith("/login")


def test_a_session_in_use_stays_and_is_touched_only_now_and_then(app, create_user):
    user = create_user()
    client = browser(app)
    log_in(client, user)
    (before,) = sessions(app)
    for _ in range(3):
        assert client.get("/").status_code == 200
    (after,) = sessions(app)
    assert after.last_seen_at == before.last_seen_at  # no write on every request
    # A while later (past the touch interval, well within the idle time), a request is noted.
    earlier = utcnow() - app.config["SESSION_TOUCH_INTERVAL"] - timedelta(minutes=1)
    with app.app_context():
        db.session.execute(db.update(UserSession).values(last_seen_at=earlier))
        db.session.commit()
    assert client.get("/").status_code == 200
    (touched,) = sessions(app)
    assert touched.last_seen_at > utcnow() - timedelta(minutes=1)
    # So someone who keeps using the site stays logged in past the idle period since login.
    with app.app_context():
        db.session.execute(
            db.update(UserSession).values(
                created_at=utcnow() - app.config["SESSION_IDLE_LIFETIME"] * 2
            )
        )
        db.session.commit()
    assert client.get("/").status_code == 200


def test_the_account_page_lists_sessions_and_ends_the_others(app, create_user):
    user = create_user()
    here, phone = browser(app, FIREFOX), browser(app, SAFARI)
    log_in(here, user)
    log_in(phone, user)
    page = here.get("/account/").get_data(as_text=True)
    section = page.split('id="sessions"', 1)[1].split("</section>", 1)[0]
    assert "Firefox on Linux" in section and "Safari on iPhone" in section
    assert section.count("(this browser)") == 1
    assert section.index("Firefox on Linux") < section.index("(this browser)")
    assert section.count("<time") == 4  # started and last active, for each
    assert phone.get("/account/").get_data(as_text=True).count("(this browser)") == 1

    assert here.post("/account/sessions/end-others").status_code == 400  # no CSRF token
    assert phone.get("/").status_code == 200
    response = post_form(here, "/account/sessions/end-others", {}, page="/account/")
    assert response.status_code == 302
    assert phone.get("/").status_code == 302
    assert here.get("/").status_code == 200
    assert len(sessions(app)) == 1
    with app.app_context():
        event = db.session.scalars(
            db.select(AuditEvent).where(AuditEvent.action == "other_sessions_ended")
        ).one()
        assert (event.actor_id, event.details["count"]) == (user.id, 1)
    page = here.get("/account/").get_data(as_text=True)
    assert "Safari on iPhone" not in page and "Log out everywhere else" not in page


def test_logout_is_audited(app, create_user):
    user = create_user()
    client = browser(app)
    log_in(client, user)
    post_form(client, "/logout", {}, page="/")
    with app.app_context():
        actions = db.session.scalars(
            db.select(AuditEvent.action)
            .where(AuditEvent.actor_id == user.id)
            .order_by(AuditEvent.id)
        ).all()
    assert actions[-2:] == ["login", "logout"]


def test_a_login_clears_the_users_sessions_that_ran_out(app, create_user):
    user = create_user()
    old = browser(app)
    log_in(old, user)
    with app.app_context():
        db.session.execute(
            db.update(UserSession).values(
                last_seen_at=utcnow() - app.config["SESSION_IDLE_LIFETIME"] * 2
            )
        )
        db.session.commit()
    log_in(browser(app), user)
    assert len(sessions(app)) == 1


def test_the_migration_hashes_the_tokens_of_existing_sessions(app, create_user):
    from flask_migrate import downgrade, upgrade

    user = create_user()
    with app.app_context():
        downgrade(revision="0004")
        created = utcnow() - timedelta(hours=1)
        with db.engine.begin() as connection:
            connection.execute(
                db.text(
                    "INSERT INTO user_sessions (token, user_id, created_at, user_agent) "
                    "VALUES (:token, :user_id, :created_at, '')"
                ),
                {
                    "token": "an-old-session-token",
                    "user_id": user.id,
                    "created_at": created.replace(tzinfo=None)
                    if db.engine.dialect.name == "sqlite"
                    else created,
                },
            )
        upgrade()
        row = db.session.scalars(db.select(UserSession)).one()
        assert row.token_hash == hashlib.sha256(b"an-old-session-token").hexdigest()
        assert abs(row.last_seen_at - created) < timedelta(seconds=1)
        db.session.remove()
    # The old cookie still works.
    client = app.test_client()
    with client.session_transaction() as session:
        session["_user_id"] = "an-old-session-token"
        session["_fresh"] = True
    assert client.get("/").status_code == 200
