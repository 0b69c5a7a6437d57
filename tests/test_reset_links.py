"""Password reset links name no account id, work once, expire, and die with a new email."""

from __future__ import annotations

import base64
import json
import time

from itsdangerous import TimestampSigner, URLSafeTimedSerializer

from notes_app.extensions import db
from notes_app.models import User
from tests.conftest import post_form
from tests.test_auth import latest_mail, link_in

NEW = {"password": "my new long password", "confirm": "my new long password"}


def reset_path(app, client, user) -> str:
    post_form(client, "/reset", {"email": user.email})
    return link_in(latest_mail(app, user.email).text, "/reset/")


def test_a_reset_link_carries_no_account_id(app, client, create_user):
    for _ in range(6):  # ids that could not be mistaken for anything else
        create_user()
    user = create_user("forgot@example.org")
    token = reset_path(app, client, user).removeprefix("/reset/")
    valid, payload = URLSafeTimedSerializer(
        app.config["SECRET_KEY"], salt="password-reset"
    ).loads_unsafe(token)
    assert valid
    assert set(payload) == {"to", "fp"} and payload["to"] == "forgot@example.org"
    assert user.id not in payload.values() and str(user.id) not in payload.values()
    # What anyone reading the link sees, without the key.
    raw = token.split(".")[0]
    seen = base64.urlsafe_b64decode(raw + "=" * (-len(raw) % 4)).decode()
    assert json.loads(seen) == payload and '"user"' not in seen and '"id"' not in seen


def test_a_reset_link_stops_working_when_the_email_changes(app, client, create_user):
    user = create_user("forgot@example.org")
    path = reset_path(app, client, user)
    with app.app_context():
        db.session.get(User, user.id).email = "elsewhere@example.org"
        db.session.commit()
    assert client.get(path).status_code == 404
    assert post_form(client, path, NEW, page="/reset").status_code == 404


def test_a_reset_link_for_an_old_address_does_not_reach_its_new_owner(app, client, create_user):
    first = create_user("forgot@example.org")
    path = reset_path(app, client, first)
    with app.app_context():
        db.session.get(User, first.id).email = "moved@example.org"
        db.session.commit()
    create_user("forgot@example.org", "Someone Else")
    assert client.get(path).status_code == 404


def test_a_reset_link_expires(app, client, create_user, monkeypatch):
    user = create_user("forgot@example.org")
    path = reset_path(app, client, user)
    assert client.get(path).status_code == 200
    later = time.time() + app.config["PASSWORD_RESET_LIFETIME"].total_seconds() + 60
    monkeypatch.setattr(TimestampSigner, "get_timestamp", lambda self: int(later))
    expired = client.get(path)
    assert expired.status_code == 404 and "expired" in expired.get_data(as_text=True)


def test_a_reset_link_works_once(app, client, create_user):
    user = create_user("forgot@example.org")
    path = reset_path(app, client, user)
    assert post_form(client, path, NEW).status_code == 302
    again = client.get(path)
    assert again.status_code == 404 and "used already" in again.get_data(as_text=True)
