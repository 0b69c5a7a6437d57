"""Rate limits: per client address (behind trusted proxies), per account, across workers, and
the page that says when to try again."""

from __future__ import annotations

import itertools
import re
import secrets

import pytest

from notes_app.extensions import db, limiter
from notes_app.models import AuditEvent
from notes_app.models.types import hash_token
from tests.conftest import PASSWORD, post_form, require_service
from tests.test_auth import redis_reachable

PROXY = "10.0.0.1"
_addresses = itertools.count(1)


def new_address() -> str:
    number = next(_addresses)
    return f"198.51.{number // 250}.{number % 250 + 1}"


def browser(app, address: str = PROXY, forwarded_for: str | None = None):
    """A client whose requests come from `address`, optionally through a proxy naming another."""
    client = app.test_client()
    client.environ_base["REMOTE_ADDR"] = address
    if forwarded_for:
        client.environ_base["HTTP_X_FORWARDED_FOR"] = forwarded_for
    return client


def log_in(client, email: str, password: str = PASSWORD) -> int:
    return post_form(client, "/login", {"email": email, "password": password}).status_code


def wrong_passwords_for_new_accounts(client, count: int) -> list[int]:
    """Fail `count` logins from one client, each for another account (no account limit)."""
    return [
        log_in(client, f"nobody{secrets.token_hex(4)}@example.org", "wrong!") for _ in range(count)
    ]


@pytest.fixture
def proxied_app(other_app, _app):
    """An app behind one trusted proxy; the limiter is given back to the main app after."""
    yield other_app(PROXY_HOPS=1)
    limiter.init_app(_app)


def test_without_trusted_proxies_x_forwarded_for_is_ignored(app, create_user):
    user = create_user()
    attacker = browser(app, PROXY, forwarded_for="203.0.113.7")
    assert wrong_passwords_for_new_accounts(attacker, 10) == [401] * 10
    # Naming another address in the header changes nothing: it is the same client.
    for claimed in ("203.0.113.8", "203.0.113.9"):
        assert log_in(browser(app, PROXY, forwarded_for=claimed), user.email) == 429
    assert log_in(browser(app, "10.0.0.2"), user.email) == 302


def test_behind_a_trusted_proxy_each_client_address_has_its_own_limit(proxied_app, create_user):
    user = create_user()
    attacker = browser(proxied_app, PROXY, forwarded_for="203.0.113.7")
    assert wrong_passwords_for_new_accounts(attacker, 10) == [401] * 10
    assert log_in(attacker, user.email) == 429
    # Everyone shares the proxy's address, yet another visitor is not locked out.
    neighbour = browser(proxied_app, PROXY, forwarded_for="203.0.113.8")
    assert log_in(neighbour, user.email, "wrong!") == 401
    assert log_in(neighbour, user.email) == 302


def test_an_attacked_account_is_locked_from_everywhere_and_no_other_is(app, create_user):
    victim, bystander = create_user("victim@example.org"), create_user("bystander@example.org")
    # One wrong password from each of five addresses, with the address written differently.
    spellings = ["victim@example.org", " Victim@Example.org", "VICTIM@example.org "]
    for attempt in range(5):
        email = spellings[attempt % len(spellings)]
        assert log_in(browser(app, new_address()), email, "wrong guess!") == 401
    # Now even the right password is refused for that account, from any address...
    assert log_in(browser(app, new_address()), victim.email) == 429
    assert log_in(browser(app, new_address()), victim.email, "another guess") == 429
    # ...but another account logs in, from a fresh address and from an attacker's.
    assert log_in(browser(app, new_address()), bystander.email) == 302
    assert log_in(browser(app, "198.51.0.2"), bystander.email) == 302


def test_a_successful_login_does_not_count_against_the_account(app, create_user):
    user = create_user()
    client = browser(app, new_address())
    for _ in range(8):
        assert log_in(client, user.email) == 302
        post_form(client, "/logout", {}, page="/")
    assert log_in(client, user.email) == 302


def test_the_429_page_says_in_plain_words_when_to_try_again(app, create_user):
    user = create_user()
    client = browser(app, new_address())
    for _ in range(5):
        log_in(client, user.email, "wrong guess!")
    response = post_form(client, "/login", {"email": user.email, "password": PASSWORD})
    assert response.status_code == 429
    wait = int(response.headers["Retry-After"])
    assert 0 < wait <= 15 * 60
    text = response.get_data(as_text=True)
    assert re.search(r"Please try again in (a minute|\d+ minutes)\.", text), text
    assert "Traceback" not in text


def test_login_limits_are_shared_by_workers_through_redis(other_app, _app, create_user):
    """Two workers count one account's failures together, whichever address they come from."""
    require_service("Redis at 127.0.0.1:6379", redis_reachable())
    import redis

    def somewhere() -> str:  # the counters outlive the test: never reuse an address or account
        return f"198.18.{secrets.randbelow(250)}.{secrets.randbelow(250) + 1}"

    # No key prefix of our own: the limiter keeps the first one it is given, for every test.
    workers = [other_app(RATELIMIT_STORAGE_URI="redis://127.0.0.1:6379/3") for _ in range(2)]
    try:
        user = create_user(f"redis-{secrets.token_hex(6)}@example.org")
        statuses = [
            log_in(browser(workers[n % 2], somewhere()), user.email, "wrong guess!")
            for n in range(6)
        ]
        assert statuses == [401] * 5 + [429]
        assert log_in(browser(workers[0], somewhere()), user.email) == 429
        keys = redis.Redis(host="127.0.0.1", port=6379, db=3).keys(f"*{hash_token(user.email)}*")
        assert keys, "the account's counter was not kept in Redis"
        assert not any(user.email.encode() in key for key in keys), "keys name the account"
    finally:
        limiter.init_app(_app)


# The other limits ------------------------------------------------------------------------------


def assert_limited(response) -> None:
    assert response.status_code == 429, response.status_code
    assert int(response.headers["Retry-After"]) > 0
    assert "Please try again in" in response.get_data(as_text=True)


def test_password_reset_requests_are_limited_per_account_and_per_address(app, create_user):
    user = create_user()
    client = browser(app, new_address())
    for _ in range(3):
        assert post_form(client, "/reset", {"email": user.email}).status_code == 302
    assert_limited(post_form(client, "/reset", {"email": user.email}))
    # An unknown address is counted alike, so a limit tells nothing about who has an account.
    stranger = browser(app, new_address())
    for _ in range(3):
        assert post_form(stranger, "/reset", {"email": "nobody@example.org"}).status_code == 302
    assert_limited(post_form(stranger, "/reset", {"email": "nobody@example.org"}))
    # One address asking for many accounts runs into its own limit (5 a minute).
    sprayer = browser(app, new_address())
    statuses = [
        post_form(sprayer, "/reset", {"email": f"n{n}@example.org"}).status_code for n in range(6)
    ]
    assert statuses == [302] * 5 + [429]


def test_invitations_are_limited_per_person(
    app, monkeypatch, member_setup, create_user, add_member
):
    monkeypatch.setitem(app.config, "RATELIMIT_INVITATIONS", "2 per hour")
    other = create_user("other-fac@example.org", "Olive Other")
    add_member(member_setup["network"], other, "facilitator")

    def invite(client, email):
        return post_form(
            client, "/networks/river-network/members", {"email": email, "role": "member"}
        )

    facilitator = browser(app, new_address())
    post_form(facilitator, "/login", {"email": "fac@example.org", "password": PASSWORD})
    assert invite(facilitator, "one@example.org").status_code == 302
    assert invite(facilitator, "two@example.org").status_code == 302
    assert_limited(invite(facilitator, "three@example.org"))
    colleague = browser(app, new_address())
    post_form(colleague, "/login", {"email": other.email, "password": PASSWORD})
    assert invite(colleague, "three@example.org").status_code == 302


def test_consent_requests_are_limited_per_person(app, monkeypatch, member_setup, create_meeting):
    from tests.conftest import NOTES_FILE

    monkeypatch.setitem(app.config, "RATELIMIT_CONSENT_REQUESTS", "1 per hour")
    meeting = create_meeting(member_setup["network"], "Patients first", notes=NOTES_FILE)
    base = f"/n/river-network/m/{meeting.slug}/consent"
    facilitator = browser(app, new_address())
    post_form(facilitator, "/login", {"email": "fac@example.org", "password": PASSWORD})

    def ask():
        return post_form(facilitator, f"{base}/requests", {"speaker_id": "all"}, page=base)

    assert ask().status_code == 302
    assert_limited(ask())


def test_comments_are_limited_per_person(app, monkeypatch, member_setup, create_meeting):
    from tests.conftest import NOTES_FILE
    from tests.test_comments import post_comment, publish_now

    monkeypatch.setitem(app.config, "RATELIMIT_COMMENTS", "2 per minute")
    meeting = create_meeting(member_setup["network"], "Patients first", notes=NOTES_FILE)
    publish_now(app, meeting)
    member = browser(app, new_address())
    post_form(member, "/login", {"email": "mem@example.org", "password": PASSWORD})
    assert post_comment(member, meeting, "First thought.").status_code == 302
    assert post_comment(member, meeting, "Second thought.").status_code == 302
    assert_limited(post_comment(member, meeting, "Third thought."))
    # Another member, from the same address, is not held back by the first one's count.
    facilitator = browser(app, member.environ_base["REMOTE_ADDR"])
    post_form(facilitator, "/login", {"email": "fac@example.org", "password": PASSWORD})
    assert post_comment(facilitator, meeting, "My own thought.").status_code == 302


def test_wait_in_words():
    from notes_app.web.errors import wait_in_words

    assert wait_in_words(1) == wait_in_words(60) == "in a minute"
    assert wait_in_words(61) == "in 2 minutes"
    assert wait_in_words(15 * 60) == "in 15 minutes"
    assert wait_in_words(3 * 3600) == "in 3 hours"
    assert wait_in_words(3 * 86400) == "in 3 days"


def test_failed_logins_are_audited_without_the_password(app, create_user):
    user = create_user("audited@example.org")
    client = browser(app, "192.0.2.44")
    log_in(client, "Audited@example.org", "QZXWRONGPASSWORD1")
    log_in(client, "stranger@example.org", "QZXWRONGPASSWORD2")
    with app.app_context():
        events = db.session.scalars(
            db.select(AuditEvent).where(AuditEvent.action == "login_failed").order_by(AuditEvent.id)
        ).all()
        assert [(e.subject, e.details.get("user_id")) for e in events] == [
            (user.email, user.id),
            ("", None),
        ]
        assert all(e.details.get("address") == "192.0.2.44" for e in events)
        everything = repr(
            [(e.subject, e.details) for e in db.session.scalars(db.select(AuditEvent))]
        )
        assert "QZXWRONGPASSWORD" not in everything
        assert "stranger" not in everything


@pytest.mark.parametrize(
    ("variable", "value", "setting", "expected"),
    [
        ("NOTES_PROXY_HOPS", "", "PROXY_HOPS", 0),
        ("NOTES_PROXY_HOPS", "2", "PROXY_HOPS", 2),
        ("NOTES_SESSION_IDLE_HOURS", "", "SESSION_IDLE_LIFETIME", 12 * 3600),
        ("NOTES_SESSION_IDLE_HOURS", "3", "SESSION_IDLE_LIFETIME", 3 * 3600),
    ],
)
def test_proxy_hops_and_idle_hours_come_from_the_environment(
    monkeypatch, tmp_path, variable, value, setting, expected
):
    from notes_app.config import TestConfig

    monkeypatch.setenv(variable, value)
    found = getattr(TestConfig(instance_path=str(tmp_path)), setting)
    assert getattr(found, "total_seconds", lambda: found)() == expected


@pytest.mark.parametrize(
    ("variable", "value"),
    [("NOTES_PROXY_HOPS", "one"), ("NOTES_PROXY_HOPS", "-1"), ("NOTES_SESSION_IDLE_HOURS", "0")],
)
def test_bad_proxy_hops_or_idle_hours_are_refused(monkeypatch, tmp_path, variable, value):
    from notes_app.config import ConfigError, TestConfig

    monkeypatch.setenv(variable, value)
    with pytest.raises(ConfigError, match=variable):
        TestConfig(instance_path=str(tmp_path))


def post_json(client, url: str, data: dict, page: str):
    """Post `data` as a JSON body, with the CSRF token in the header as a script would."""
    from tests.conftest import csrf_token

    token = csrf_token(client.get(page).get_data(as_text=True))
    return client.post(url, json={**data, "csrf_token": token}, headers={"X-CSRFToken": token})


def test_red_team_a_json_login_fills_no_form_so_it_cannot_skip_the_account_limit(app, create_user):
    victim = create_user("jsonvictim@example.org")
    for _ in range(5):
        assert log_in(browser(app, new_address()), victim.email, "wrong!") == 401
    # Locked: the right password is refused as a form, and a JSON body is no way round it.
    assert log_in(browser(app, new_address()), victim.email) == 429
    attempt = post_json(
        browser(app, new_address()),
        "/login",
        {"email": victim.email, "password": PASSWORD},
        page="/login",
    )
    assert attempt.status_code in (400, 422, 429)
    assert "Location" not in attempt.headers
    # And a JSON login for an account nobody attacks does not log in either: forms read forms.
    other = create_user("jsonother@example.org")
    client = browser(app, new_address())
    json_login = post_json(
        client, "/login", {"email": other.email, "password": PASSWORD}, page="/login"
    )
    assert json_login.status_code != 302
    assert client.get("/account/").status_code == 302  # still not logged in


def test_red_team_json_reset_requests_cannot_flood_an_inbox(app, create_user):
    from notes_app.models import OutboxMessage

    target = create_user("jsonreset@example.org")
    for _ in range(8):
        post_json(browser(app, new_address()), "/reset", {"email": target.email}, page="/reset")
    with app.app_context():
        sent = db.session.scalars(
            db.select(OutboxMessage).where(OutboxMessage.recipient == target.email)
        ).all()
    assert sent == []


def test_red_team_a_speaker_gets_one_consent_request_an_interval_however_often_asked(
    app, monkeypatch, member_setup, create_meeting
):
    """Pressing "ask all" 22 times once sent a guest 20 emails in a minute."""
    from datetime import timedelta

    from notes_app.models import OutboxMessage
    from tests.conftest import NOTES_FILE

    monkeypatch.setitem(app.config, "CONSENT_REQUEST_INTERVAL", timedelta(minutes=10))
    meeting = create_meeting(member_setup["network"], "Patients first", notes=NOTES_FILE)
    base = f"/n/river-network/m/{meeting.slug}/consent"
    facilitator = browser(app, new_address())
    post_form(facilitator, "/login", {"email": "fac@example.org", "password": PASSWORD})
    for _ in range(5):
        answer = post_form(facilitator, f"{base}/requests", {"speaker_id": "all"}, page=base)
        assert answer.status_code == 302
    page = facilitator.get(base).get_data(as_text=True)
    assert "@robin (asked just now; try again later)" in page
    with app.app_context():
        requests = db.session.scalars(
            db.select(OutboxMessage).where(OutboxMessage.kind == "consent_request")
        ).all()
    assert [m.recipient for m in requests] == ["robin@example.org"]


def test_red_team_comment_edits_are_limited_per_person(
    app, monkeypatch, member_setup, create_meeting
):
    """Edits had no limit: two at once with the slowest Markdown once stalled the site."""
    from tests.conftest import NOTES_FILE
    from tests.test_comments import post_comment, publish_now

    monkeypatch.setitem(app.config, "RATELIMIT_COMMENT_EDITS", "2 per minute")
    meeting = create_meeting(member_setup["network"], "Patients first", notes=NOTES_FILE)
    publish_now(app, meeting)
    member = browser(app, new_address())
    post_form(member, "/login", {"email": "mem@example.org", "password": PASSWORD})
    posted = post_comment(member, meeting, "First thought.")
    number = posted.location.rsplit("comment-", 1)[1]
    url = f"/n/river-network/m/{meeting.slug}/comments/{number}/edit"
    assert post_form(member, url, {"body": "Second thought."}).status_code == 302
    assert post_form(member, url, {"body": "Third thought."}).status_code == 302
    assert_limited(post_form(member, url, {"body": "Fourth thought."}))
