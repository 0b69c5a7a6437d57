"""Accounts: creating users, passwords, sessions, invitations and password resets."""

from __future__ import annotations

import hashlib
import hmac
import secrets

from flask import current_app, render_template
from itsdangerous import BadSignature, SignatureExpired, URLSafeTimedSerializer
from sqlalchemy import delete, select
from werkzeug.security import check_password_hash, generate_password_hash

from notes_app.domain.policy import ANONYMOUS, Actor, Role
from notes_app.extensions import db
from notes_app.models import Membership, Network, User, UserSession
from notes_app.models.types import utcnow
from notes_app.services import audit, mail
from notes_app.services.errors import NotFound, ServiceError

# A real hash to compare against when the account does not exist, so that a failed login takes
# the same time whether or not the email is known.
_DUMMY_HASH = generate_password_hash(secrets.token_urlsafe(16))


def normalise_email(email: str) -> str:
    email = email.strip().lower()
    local, at, domain = email.partition("@")
    if not (local and at and "." in domain) or any(c.isspace() for c in email):
        raise ServiceError(f"{email!r} is not an email address")
    return email


def check_password_rules(password: str) -> None:
    """Enforce a minimum length and nothing else (no composition rules)."""
    minimum = current_app.config["PASSWORD_MIN_LENGTH"]
    if len(password) < minimum:
        raise ServiceError(f"The password must be at least {minimum} characters long.")
    if len(password) > 1000:
        raise ServiceError("The password is too long.")


def _hash_password(password: str) -> str:
    return generate_password_hash(password, method=current_app.config["PASSWORD_HASH_METHOD"])


def find_user_by_email(email: str) -> User | None:
    return db.session.scalar(select(User).where(User.email == email.strip().lower()))


def create_user(email: str, name: str, password: str | None, *, is_admin: bool = False) -> User:
    email = normalise_email(email)
    name = name.strip()
    if not name:
        raise ServiceError("A name is required.")
    if find_user_by_email(email):
        raise ServiceError(f"An account for {email} exists already.")
    user = User(email=email, name=name, is_admin=is_admin)
    if password is not None:
        check_password_rules(password)
        user.password_hash = _hash_password(password)
    db.session.add(user)
    db.session.flush()
    return user


def authenticate(email: str, password: str) -> User | None:
    """Return the user whose credentials these are, or None, taking the same time either way."""
    user = find_user_by_email(email)
    stored = user.password_hash if user and user.password_hash else _DUMMY_HASH
    if check_password_hash(stored, password) and user and user.password_hash:
        return user
    return None


def start_session(user: User, user_agent: str = "") -> UserSession:
    """Open a new session for a login; its token is what the cookie carries."""
    session = UserSession(user=user, user_agent=user_agent[:300])
    user.last_login_at = utcnow()
    db.session.add(session)
    db.session.flush()
    audit.record("login", actor_id=user.id, subject=user.email)
    return session


def load_session(token: str) -> UserSession | None:
    """Return the live session for a token; a session ends after a fixed lifetime."""
    oldest = utcnow() - current_app.config["PERMANENT_SESSION_LIFETIME"]
    return db.session.scalar(
        select(UserSession)
        .join(UserSession.user)
        .where(UserSession.token == token, UserSession.created_at > oldest)
    )


def end_session(token: str) -> None:
    db.session.execute(delete(UserSession).where(UserSession.token == token))


def change_password(user: User, current: str, new: str, keep_token: str | None) -> None:
    """Change the password and end every other session of the user."""
    if not (user.password_hash and check_password_hash(user.password_hash, current)):
        raise ServiceError("The current password is not right.")
    set_password(user, new, keep_token=keep_token)


def set_password(user: User, new: str, *, keep_token: str | None = None) -> None:
    check_password_rules(new)
    user.password_hash = _hash_password(new)
    query = delete(UserSession).where(UserSession.user_id == user.id)
    if keep_token:
        query = query.where(UserSession.token != keep_token)
    db.session.execute(query)
    audit.record("password_changed", actor_id=user.id, subject=user.email)


def link(path: str) -> str:
    """Return the absolute URL of a path, for messages read outside the app."""
    return current_app.config["BASE_URL"] + path


# Password resets ----------------------------------------------------------------------------


def _reset_serialiser() -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt="password-reset")


def _password_fingerprint(user: User) -> str:
    # Binding the token to the current hash makes it single-use: a new password voids it.
    return hashlib.sha256((user.password_hash or "").encode()).hexdigest()[:16]


def request_password_reset(email: str) -> None:
    """Email a reset link if the account exists; say nothing either way."""
    user = find_user_by_email(email)
    if user is None:
        return
    token = _reset_serialiser().dumps({"user": user.id, "fp": _password_fingerprint(user)})
    url = link(f"/reset/{token}")
    lifetime = current_app.config["PASSWORD_RESET_LIFETIME"]
    mail.queue(
        user.email,
        "Reset your password",
        render_template("mail/password_reset.txt", user=user, url=url, lifetime=lifetime),
        kind="password_reset",
    )
    audit.record("password_reset_requested", actor_id=user.id, subject=user.email)


def user_for_reset(token: str) -> User:
    max_age = int(current_app.config["PASSWORD_RESET_LIFETIME"].total_seconds())
    try:
        data = _reset_serialiser().loads(token, max_age=max_age)
    except SignatureExpired as error:
        raise NotFound("This reset link has expired. Ask for a new one.") from error
    except BadSignature as error:
        raise NotFound("This reset link is not valid. Ask for a new one.") from error
    user = db.session.get(User, data.get("user"))
    if user is None or not hmac.compare_digest(data.get("fp", ""), _password_fingerprint(user)):
        raise NotFound("This reset link has been used already. Ask for a new one.")
    return user


def memberships_of(user: User) -> list[Membership]:
    return list(
        db.session.scalars(
            select(Membership)
            .join(Membership.network)
            .where(Membership.user_id == user.id)
            .order_by(Network.name)
        )
    )


def actor_for(user: User | None) -> Actor:
    """Return the policy's view of a user: admin or not, and their role in each network."""
    if user is None:
        return ANONYMOUS
    rows = db.session.execute(
        select(Membership.network_id, Membership.role).where(Membership.user_id == user.id)
    ).all()
    return Actor(
        user_id=user.id,
        is_admin=user.is_admin,
        roles={network_id: Role(role) for network_id, role in rows},
    )
