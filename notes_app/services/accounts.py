"""Accounts: creating users, passwords, sessions, invitations and password resets."""

from __future__ import annotations

import hashlib
import hmac
import secrets
from dataclasses import dataclass
from datetime import datetime

from flask import current_app, render_template
from itsdangerous import BadSignature, SignatureExpired, URLSafeTimedSerializer
from sqlalchemy import and_, delete, select
from werkzeug.security import check_password_hash, generate_password_hash

from notes_app.domain import email_address, limits
from notes_app.domain.passwords import password_problem
from notes_app.domain.policy import ANONYMOUS, Actor, Role
from notes_app.extensions import db
from notes_app.models import Membership, Network, User, UserSession
from notes_app.models.types import hash_token, new_token, utcnow
from notes_app.services import audit, mail
from notes_app.services.errors import NotFound, ServiceError, check_length

# A real hash to compare against when the account does not exist, so that a failed login takes
# the same time whether or not the email is known.
_DUMMY_HASH = generate_password_hash(secrets.token_urlsafe(16))


def normalise_email(email: str) -> str:
    """Return the one email address typed, as accounts keep it; refuse anything else."""
    try:
        return email_address.normalise_email(email)
    except email_address.NotAnEmailAddress as error:
        raise ServiceError(str(error)) from error


def check_password_rules(password: str, *, name: str, email: str) -> None:
    """Refuse a short or guessable password, or one made of the person's name or email."""
    problem = password_problem(
        password,
        min_length=current_app.config["PASSWORD_MIN_LENGTH"],
        min_score=current_app.config["PASSWORD_MIN_SCORE"],
        name=name,
        email=email,
    )
    if problem:
        raise ServiceError(problem)


def _hash_password(password: str) -> str:
    return generate_password_hash(password, method=current_app.config["PASSWORD_HASH_METHOD"])


def canonical_email(email: str) -> str:
    """Return an email as accounts are keyed by it (what login, limits and lookups compare).

    Text that is not an address is only trimmed and lowered: it matches no account, and a
    login with it is refused as any wrong login is.
    """
    try:
        return email_address.normalise_email(email)
    except email_address.NotAnEmailAddress:
        return email.strip().lower()


def find_user_by_email(email: str) -> User | None:
    return db.session.scalar(select(User).where(User.email == canonical_email(email)))


def update_details(user: User, name: str, *, notify_replies: bool) -> None:
    """Change the name others see and the reply-mail choice; a name is one plain line."""
    name = name.strip()
    if not name:
        raise ServiceError("A name is required.")
    check_length(limits.PERSON_NAME, name)
    user.name = name
    user.notify_replies = notify_replies


def create_user(email: str, name: str, password: str | None, *, is_admin: bool = False) -> User:
    email = normalise_email(email)
    name = name.strip()
    if not name:
        raise ServiceError("A name is required.")
    check_length(limits.PERSON_NAME, name)
    if find_user_by_email(email):
        raise ServiceError(f"An account for {email} exists already.")
    user = User(email=email, name=name, is_admin=is_admin)
    if password is not None:
        check_password_rules(password, name=name, email=email)
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


@dataclass(frozen=True)
class OpenSession:
    """A session just opened: its row, and the token for the cookie (kept nowhere else)."""

    row: UserSession
    token: str


def start_session(user: User, user_agent: str = "") -> OpenSession:
    """Open a new session for a login, clearing the user's sessions that have run out."""
    now = utcnow()
    db.session.execute(delete(UserSession).where(UserSession.user_id == user.id, ~_is_live(now)))
    token = new_token()
    row = UserSession(
        user=user,
        token_hash=hash_token(token),
        user_agent=user_agent[:300],
        created_at=now,
        last_seen_at=now,
    )
    user.last_login_at = now
    db.session.add(row)
    db.session.flush()
    audit.record("login", actor_id=user.id, subject=user.email)
    return OpenSession(row, token)


def _is_live(now: datetime):
    """A session is live until its lifetime runs out or it has been idle too long."""
    config = current_app.config
    return and_(
        UserSession.created_at > now - config["PERMANENT_SESSION_LIFETIME"],
        UserSession.last_seen_at > now - config["SESSION_IDLE_LIFETIME"],
    )


def load_session(token: str) -> UserSession | None:
    """Return the live session for a cookie's token, noting (now and then) that it was used.

    last_seen_at is written at most once per SESSION_TOUCH_INTERVAL, not on every request.
    """
    now = utcnow()
    row = db.session.scalar(
        select(UserSession)
        .join(UserSession.user)
        .where(UserSession.token_hash == hash_token(token), _is_live(now))
    )
    if row and row.last_seen_at <= now - current_app.config["SESSION_TOUCH_INTERVAL"]:
        row.last_seen_at = now
    return row


def end_session(token: str) -> None:
    """End the session a cookie carries (logging out), and audit it."""
    row = db.session.scalar(select(UserSession).where(UserSession.token_hash == hash_token(token)))
    if row is None:
        return
    db.session.delete(row)
    audit.record("logout", actor_id=row.user_id, subject=row.user.email)


def live_sessions(user: User) -> list[UserSession]:
    """Return the user's sessions that are still live, the most recently used first."""
    return list(
        db.session.scalars(
            select(UserSession)
            .where(UserSession.user_id == user.id, _is_live(utcnow()))
            .order_by(UserSession.last_seen_at.desc(), UserSession.id.desc())
        )
    )


def is_session_of(row: UserSession, token: str) -> bool:
    return hmac.compare_digest(row.token_hash, hash_token(token))


def end_other_sessions(user: User, keep_token: str) -> int:
    """End every session of the user but the one with this token; return how many ended."""
    ended = _end_sessions(user, keep_token)
    audit.record("other_sessions_ended", actor_id=user.id, subject=user.email, count=ended)
    return ended


def _end_sessions(user: User, keep_token: str | None) -> int:
    query = delete(UserSession).where(UserSession.user_id == user.id)
    if keep_token:
        query = query.where(UserSession.token_hash != hash_token(keep_token))
    return db.session.execute(query).rowcount or 0


def record_failed_login(email: str, address: str | None) -> None:
    """Audit a refused login: the account's email if there is one, never what was typed."""
    user = find_user_by_email(email)
    audit.record(
        "login_failed",
        actor_id=None,
        subject=user.email if user else "",
        user_id=user.id if user else None,
        address=address or "",
    )


def change_password(user: User, current: str, new: str, keep_token: str | None) -> None:
    """Change the password and end every other session of the user."""
    if not (user.password_hash and check_password_hash(user.password_hash, current)):
        raise ServiceError("The current password is not right.")
    set_password(user, new, keep_token=keep_token)


def set_password(user: User, new: str, *, keep_token: str | None = None) -> None:
    check_password_rules(new, name=user.name, email=user.email)
    user.password_hash = _hash_password(new)
    _end_sessions(user, keep_token)
    audit.record("password_changed", actor_id=user.id, subject=user.email)


def link(path: str) -> str:
    """Return the absolute URL of a path, for messages read outside the app."""
    return current_app.config["BASE_URL"] + path


# Password resets ----------------------------------------------------------------------------


def _reset_serialiser() -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt="password-reset")


def _reset_fingerprint(user: User) -> str:
    """Return what binds a reset link to this account as it stands, revealing nothing of it.

    A new password or a new email voids the link (so it works once); the account's id is in
    the keyed hash, never in the link, so that a link names no internal id.
    """
    account = f"{user.id}\0{user.email}\0{user.password_hash or ''}".encode()
    key = current_app.config["SECRET_KEY"].encode()
    return hmac.new(key, b"password-reset\0" + account, hashlib.sha256).hexdigest()[:32]


def request_password_reset(email: str) -> None:
    """Email a reset link if the account exists; say nothing either way.

    An unknown address takes the same path: the link and message are made for a stand-in
    and thrown away, and the request is audited, so that both answers write to the database
    and take the same time (the time must not tell who has an account).
    """
    user = find_user_by_email(email)
    person = user or User(id=0, email=canonical_email(email), name="", password_hash="")
    # The link carries the address it was sent to (its reader knows it) and the fingerprint.
    token = _reset_serialiser().dumps({"to": person.email, "fp": _reset_fingerprint(person)})
    url = link(f"/reset/{token}")
    lifetime = current_app.config["PASSWORD_RESET_LIFETIME"]
    text = render_template("mail/password_reset.txt", user=person, url=url, lifetime=lifetime)
    if user is None:
        audit.record("password_reset_requested", actor_id=None, subject="", known=False)
        return
    mail.queue(user.email, "Reset your password", text, kind="password_reset")
    audit.record("password_reset_requested", actor_id=user.id, subject=user.email, known=True)


def user_for_reset(token: str) -> User:
    max_age = int(current_app.config["PASSWORD_RESET_LIFETIME"].total_seconds())
    try:
        data = _reset_serialiser().loads(token, max_age=max_age)
    except SignatureExpired as error:
        raise NotFound("This reset link has expired. Ask for a new one.") from error
    except BadSignature as error:
        raise NotFound("This reset link is not valid. Ask for a new one.") from error
    if not (isinstance(data, dict) and isinstance(data.get("to"), str)):
        raise NotFound("This reset link is not valid. Ask for a new one.")
    user = find_user_by_email(data["to"])
    fingerprint = data.get("fp")
    if not (
        user
        and isinstance(fingerprint, str)
        and hmac.compare_digest(fingerprint, _reset_fingerprint(user))
    ):
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
