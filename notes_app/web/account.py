"""The account page: name, notification choice, password, where you are logged in."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime

from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask_login import current_user, login_required

from notes_app.services import accounts
from notes_app.services.errors import ServiceError
from notes_app.web.forms import AccountForm, ChangePasswordForm, ConfirmForm
from notes_app.web.session import current_model_user

bp = Blueprint("account", __name__, url_prefix="/account")


@bp.route("/", methods=["GET", "POST"])
@login_required
def index():
    user = current_model_user()
    form = AccountForm(obj=user)
    password_form = ChangePasswordForm(prefix="pw")
    if form.validate_on_submit():
        try:
            accounts.update_details(user, form.name.data, notify_replies=form.notify_replies.data)
        except ServiceError as error:
            form.name.errors.append(str(error))
        else:
            flash("Your details have been saved.")
            return redirect(url_for("account.index"))
    status = 422 if form.errors else 200
    return _render(form, password_form, status)


@bp.route("/password", methods=["POST"])
@login_required
def change_password():
    user = current_model_user()
    password_form = ChangePasswordForm(prefix="pw")
    if password_form.validate_on_submit():
        try:
            accounts.change_password(
                user,
                password_form.current.data,
                password_form.password.data,
                keep_token=current_user.token,
            )
        except ServiceError as error:
            password_form.password.errors.append(str(error))
        else:
            flash("Your password has been changed; your other sessions have ended.")
            return redirect(url_for("account.index"))
    return _render(AccountForm(obj=user, formdata=None), password_form, 422)


@bp.route("/sessions/end-others", methods=["POST"])
@login_required
def end_other_sessions():
    if not ConfirmForm().validate_on_submit():
        abort(400)
    ended = accounts.end_other_sessions(current_model_user(), current_user.token)
    flash(
        "You are now logged in only in this browser."
        if ended
        else "You were not logged in anywhere else."
    )
    return redirect(url_for("account.index"))


@dataclass(frozen=True)
class ShownSession:
    browser: str
    user_agent: str
    started: datetime
    last_active: datetime
    is_this_browser: bool


def _shown_sessions() -> list[ShownSession]:
    return [
        ShownSession(
            browser=describe_browser(row.user_agent),
            user_agent=row.user_agent,
            started=row.created_at,
            last_active=row.last_seen_at,
            is_this_browser=accounts.is_session_of(row, current_user.token),
        )
        for row in accounts.live_sessions(current_model_user())
    ]


_BROWSERS = [
    ("Edg/", "Edge"),
    ("Firefox/", "Firefox"),
    ("Chrome/", "Chrome"),
    ("Safari/", "Safari"),
]
_SYSTEMS = [
    ("Android", "Android"),
    ("iPhone", "iPhone"),
    ("iPad", "iPad"),
    ("Windows", "Windows"),
    ("Mac OS X", "macOS"),
    ("CrOS", "ChromeOS"),
    ("Linux", "Linux"),
]


def describe_browser(user_agent: str) -> str:
    """Name a browser and system in a few words, e.g. "Firefox on Linux"."""
    browser = next((name for mark, name in _BROWSERS if mark in user_agent), None)
    system = next((name for mark, name in _SYSTEMS if mark in user_agent), None)
    if browser and system:
        return f"{browser} on {system}"
    if browser or system:
        return browser or system or ""
    words = re.sub(r"\s+", " ", user_agent).strip()
    return words[:60] or "An unknown browser"


def _render(form, password_form, status: int):
    memberships = accounts.memberships_of(current_model_user())
    return (
        render_template(
            "account/index.html",
            form=form,
            password_form=password_form,
            memberships=memberships,
            sessions=_shown_sessions(),
            confirm_form=ConfirmForm(formdata=None),
        ),
        status,
    )
