"""Who is logged in: a server-side session row per browser, and the actor it stands for."""

from __future__ import annotations

from flask import Flask, g, has_request_context, session
from flask_login import UserMixin, current_user, login_user, logout_user

from notes_app.domain import policy
from notes_app.domain.policy import Actor
from notes_app.extensions import login_manager
from notes_app.models import User
from notes_app.services import accounts


class CurrentUser(UserMixin):
    """The logged-in user, known to flask-login by their session's token (the session and
    remember cookies carry it; the database keeps only its hash)."""

    def __init__(self, user: User, token: str) -> None:
        self.user = user
        self.token = token

    def get_id(self) -> str:
        return self.token

    @property
    def id(self) -> int:
        return self.user.id

    @property
    def name(self) -> str:
        return self.user.name

    @property
    def email(self) -> str:
        return self.user.email

    @property
    def is_admin(self) -> bool:
        return self.user.is_admin


def init_app(app: Flask) -> None:
    login_manager.init_app(app)
    login_manager.login_view = "auth.login"
    login_manager.login_message = "Please log in to see this page."
    login_manager.session_protection = "basic"
    app.context_processor(_navigation_flags)


def _navigation_flags() -> dict:
    if not has_request_context():  # e.g. an email rendered by a command
        return {}
    actor = current_actor()
    return {"nav": {"can_administer_site": policy.can_administer_site(actor)}}


@login_manager.user_loader
def _load(token: str) -> CurrentUser | None:
    row = accounts.load_session(token)
    return CurrentUser(row.user, token) if row else None


def log_in(user: User, user_agent: str, *, remember: bool) -> None:
    """Start a fresh session: nothing from before the login carries over."""
    session.clear()
    opened = accounts.start_session(user, user_agent)
    login_user(CurrentUser(user, opened.token), remember=remember)


def log_out() -> None:
    if current_user.is_authenticated:
        accounts.end_session(current_user.token)
    logout_user()
    session.clear()


def current_model_user() -> User | None:
    return current_user.user if current_user.is_authenticated else None


def current_actor() -> Actor:
    """Return the actor for this request, loading their roles once."""
    if "actor" not in g:
        g.actor = accounts.actor_for(current_model_user())
    return g.actor
