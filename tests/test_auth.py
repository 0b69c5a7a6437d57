"""Login, logout, sessions, invitations and password resets."""

import re
from urllib.parse import urlsplit

import pytest

from notes_app.extensions import db
from notes_app.models import Membership, OutboxMessage, UserSession
from tests.conftest import PASSWORD, csrf_token, post_form


def session_cookie(client):
    cookie = client.get_cookie("notes_session")
    return cookie.value if cookie else None


def latest_mail(app, recipient):
    with app.app_context():
        message = db.session.scalars(
            db.select(OutboxMessage)
            .where(OutboxMessage.recipient == recipient)
            .order_by(OutboxMessage.id.desc())
        ).first()
        assert message, f"no mail to {recipient}"
        return message


def link_in(text, prefix):
    match = re.search(r"http://localhost(" + re.escape(prefix) + r"[^\s]+)", text)
    assert match, f"no {prefix} link in the message"
    return match.group(1)


def test_login_shows_home_and_renews_the_session(client, create_user, auth):
    user = create_user()
    with client.session_transaction() as session:
        session["planted"] = "from before the login"
    before = session_cookie(client)
    response = auth.login(user)
    assert response.status_code == 302 and response.location == "/"
    assert session_cookie(client) != before
    with client.session_transaction() as session:
        assert "planted" not in session
    assert "Your networks" in client.get("/").get_data(as_text=True)


@pytest.mark.parametrize("email", ["person@example.org", "nobody@example.org"])
def test_failed_logins_do_not_reveal_whether_the_account_exists(client, create_user, auth, email):
    create_user("person@example.org")
    response = auth.login(email, "wrong password!")
    assert response.status_code == 401
    assert "That email and password do not match an account." in response.get_data(as_text=True)


def test_logout_ends_the_session_even_for_a_copied_cookie(app, client, create_user, auth):
    user = create_user()
    auth.login(user)
    stolen = session_cookie(client)
    assert auth.logout().status_code == 302
    assert client.get("/").status_code == 302
    replay = app.test_client()
    replay.set_cookie("notes_session", stolen)
    assert replay.get("/").status_code == 302
    with app.app_context():
        assert db.session.scalar(db.select(db.func.count(UserSession.id))) == 0


def test_logout_needs_a_post_with_csrf(client, create_user, auth):
    auth.login(create_user())
    assert client.get("/logout").status_code == 405
    assert client.post("/logout").status_code == 400
    assert client.get("/").status_code == 200


def test_password_change_ends_other_sessions_but_not_this_one(app, create_user):
    user = create_user()
    here, elsewhere = app.test_client(), app.test_client()
    for c in (here, elsewhere):
        post_form(c, "/login", {"email": user.email, "password": PASSWORD})
    response = post_form(
        here,
        "/account/password",
        {
            "pw-current": PASSWORD,
            "pw-password": "a brand new passphrase",
            "pw-confirm": "a brand new passphrase",
        },
        page="/account/",
    )
    assert response.status_code == 302
    assert here.get("/").status_code == 200
    assert elsewhere.get("/").status_code == 302
    fresh = app.test_client()
    assert (
        post_form(fresh, "/login", {"email": user.email, "password": PASSWORD}).status_code == 401
    )
    ok = post_form(fresh, "/login", {"email": user.email, "password": "a brand new passphrase"})
    assert ok.status_code == 302


def test_password_change_needs_the_current_password_and_a_minimum_length(client, create_user, auth):
    auth.login(create_user())
    wrong = post_form(
        client,
        "/account/password",
        {
            "pw-current": "not it at all",
            "pw-password": "long enough pass",
            "pw-confirm": "long enough pass",
        },
        page="/account/",
    )
    assert wrong.status_code == 422 and "current password is not right" in wrong.get_data(
        as_text=True
    )
    short = post_form(
        client,
        "/account/password",
        {"pw-current": PASSWORD, "pw-password": "short", "pw-confirm": "short"},
        page="/account/",
    )
    assert short.status_code == 422 and "at least 10 characters" in short.get_data(as_text=True)


def test_failed_logins_are_rate_limited(client, create_user, auth):
    user = create_user()
    # Each attempt names another account: one account has its own, lower limit
    # (tests/test_rate_limits.py); this is the limit on one client address.
    statuses = [
        auth.login(f"guess{n}@example.org", "wrong password!").status_code for n in range(11)
    ]
    assert statuses[:10] == [401] * 10
    assert statuses[10] == 429
    assert auth.login(user).status_code == 429


OFF_SITE = [
    "//evil.example",
    "/\\evil.example",
    "https://evil.example",
    "http:evil.example",
    "javascript:alert(1)",
    "/%0d%0aLocation:%20https://evil.example",
    "\\\\evil.example",
    " //evil.example",
]


@pytest.mark.parametrize("target", OFF_SITE)
def test_next_never_leaves_the_site(client, create_user, target):
    user = create_user()
    html = client.get("/login", query_string={"next": target}).get_data(as_text=True)
    response = client.post(
        "/login",
        query_string={"next": target},
        data={"csrf_token": csrf_token(html), "email": user.email, "password": PASSWORD},
    )
    assert response.status_code == 302
    location = response.location
    assert location.startswith("/") and not location.startswith(("//", "/\\"))
    assert urlsplit(location).netloc == "" and "\r" not in location and "\n" not in location


def test_next_keeps_a_path_on_the_site(client, create_user, auth):
    response = auth.login(create_user(), next="/account/")
    assert response.location == "/account/"


def test_invitation_creates_the_account_and_joins_the_network(app, client, member_setup, auth):
    auth.login(member_setup["facilitator"])
    response = post_form(
        client, "/networks/river-network/members", {"email": "New@Example.org", "role": "member"}
    )
    assert response.status_code == 302
    auth.logout()
    path = link_in(latest_mail(app, "new@example.org").text, "/invitations/")
    page = client.get(path)
    assert page.status_code == 200 and "River network" in page.get_data(as_text=True)
    response = post_form(
        client,
        path,
        {"name": "Nia New", "password": "long enough pass", "confirm": "long enough pass"},
    )
    assert response.status_code == 302
    assert "River network" in client.get("/").get_data(as_text=True)
    assert client.get(path).status_code == 404  # used once
    with app.app_context():
        roles = db.session.scalars(db.select(Membership.role).join(Membership.user)).all()
        assert sorted(roles) == ["facilitator", "member", "member"]


def test_an_expired_or_revoked_invitation_shows_a_clear_page(app, client, member_setup, auth):
    from datetime import timedelta

    from notes_app.models import Invitation
    from notes_app.models.types import utcnow

    auth.login(member_setup["facilitator"])
    post_form(
        client, "/networks/river-network/members", {"email": "late@example.org", "role": "member"}
    )
    path = link_in(latest_mail(app, "late@example.org").text, "/invitations/")
    with app.app_context():
        invitation = db.session.scalars(db.select(Invitation)).one()
        invitation.expires_at = utcnow() - timedelta(minutes=1)
        db.session.commit()
    page = client.get(path)
    assert page.status_code == 404 and "expired" in page.get_data(as_text=True)
    assert client.get("/invitations/not-a-real-token").status_code == 404


def test_an_existing_account_joins_after_logging_in(app, client, member_setup, auth):
    # The network's facilitator invites (a site admin may not, once a network has facilitators).
    auth.login(member_setup["facilitator"])
    post_form(
        client,
        "/networks/river-network/members",
        {"email": "out@example.org", "role": "facilitator"},
    )
    auth.logout()
    path = link_in(latest_mail(app, "out@example.org").text, "/invitations/")
    assert client.get(path).location.startswith("/login")
    auth.login(member_setup["outsider"])
    assert post_form(client, path, {}).status_code == 302
    assert client.get("/networks/river-network/members").status_code == 200


def test_password_reset_by_email_link_works_once(app, client, create_user):
    user = create_user("forgot@example.org")
    response = post_form(client, "/reset", {"email": "forgot@example.org"})
    same = post_form(client, "/reset", {"email": "nobody@example.org"})
    assert response.status_code == same.status_code == 302
    path = link_in(latest_mail(app, user.email).text, "/reset/")
    new = {"password": "my new long password", "confirm": "my new long password"}
    assert post_form(client, path, new).status_code == 302
    assert (
        post_form(client, "/login", {"email": user.email, "password": new["password"]}).status_code
        == 302
    )
    client.post("/logout")
    again = client.get(path)
    assert again.status_code == 404 and "used already" in again.get_data(as_text=True)
    assert client.get("/reset/tampered.token.value").status_code == 404


def redis_reachable() -> bool:
    import socket

    try:
        socket.create_connection(("127.0.0.1", 6379), timeout=0.5).close()
        return True
    except OSError:
        return False


def test_rate_limits_are_shared_through_redis(other_app, _app):
    """Two workers (two apps) share one Redis counter, so a limit holds across workers."""
    import secrets

    from tests.conftest import require_service

    require_service("Redis at 127.0.0.1:6379", redis_reachable())
    prefix = f"test-{secrets.token_hex(4)}"
    workers = [
        other_app(
            RATELIMIT_STORAGE_URI="redis://127.0.0.1:6379",
            RATELIMIT_KEY_PREFIX=prefix,
            RATELIMIT_LOGIN="3 per minute",
        ).test_client()
        for _ in range(2)
    ]
    import redis

    from notes_app.extensions import limiter

    try:
        statuses = []
        for attempt in range(4):
            statuses.append(
                post_form(
                    workers[attempt % 2], "/login", {"email": "x@example.org", "password": "wrong!"}
                ).status_code
            )
        assert statuses == [401, 401, 401, 429]
        keys = redis.Redis(host="127.0.0.1", port=6379).keys(f"*{prefix}*")
        assert keys, "the counters were not kept in Redis"
    finally:
        limiter.init_app(_app)  # the limiter is one object: give it back its memory storage


def test_sessions_end_after_their_lifetime(app, client, create_user, auth):
    from datetime import timedelta

    from notes_app.models.types import utcnow

    auth.login(create_user())
    assert client.get("/").status_code == 200
    with app.app_context():
        for row in db.session.scalars(db.select(UserSession)):
            row.created_at = (
                utcnow() - app.config["PERMANENT_SESSION_LIFETIME"] - timedelta(minutes=1)
            )
        db.session.commit()
    assert client.get("/").status_code == 302
