"""Logging in and out, accepting invitations, resetting a forgotten password."""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_login import current_user

from notes_app.services import accounts, invitations
from notes_app.services.errors import NotFound, ServiceError
from notes_app.web import limits
from notes_app.web.access import safe_next
from notes_app.web.forms import (
    AcceptInvitationForm,
    ConfirmForm,
    LoginForm,
    ResetPasswordForm,
    ResetRequestForm,
)
from notes_app.web.lifecycle import keep_changes
from notes_app.web.session import current_model_user, log_in, log_out

bp = Blueprint("auth", __name__)

LOGIN_FAILED = "That email and password do not match an account."


@bp.route("/login", methods=["GET", "POST"])
@limits.login_per_address
@limits.login_per_account
def login():
    next_url = safe_next(request.args.get("next"))
    if current_user.is_authenticated:
        return redirect(next_url)
    form = LoginForm()
    if form.validate_on_submit():
        user = accounts.authenticate(form.email.data, form.password.data)
        if user:
            log_in(user, request.user_agent.string, remember=form.remember.data)
            return redirect(next_url)
        accounts.record_failed_login(form.email.data, request.remote_addr)
        keep_changes()  # the refusal is audited although the answer is an error
        form.password.errors.append(LOGIN_FAILED)
        return render_template("auth/login.html", form=form, next=next_url), 401
    status = 422 if form.errors else 200
    return render_template("auth/login.html", form=form, next=next_url), status


@bp.route("/logout", methods=["POST"])
def logout():
    form = ConfirmForm()
    if form.validate_on_submit():
        log_out()
        flash("You have logged out.")
    return redirect(url_for("auth.login"))


@bp.route("/invitations/<token>", methods=["GET", "POST"])
@limits.link_per_address
def accept_invitation(token: str):
    try:
        invitation = invitations.find_invitation(token)
    except NotFound as error:
        return render_template("auth/link_error.html", message=str(error)), 404
    existing = accounts.find_user_by_email(invitation.email)
    if existing and existing.password_hash:
        return _join_existing(token, invitation)
    form = AcceptInvitationForm()
    if form.validate_on_submit():
        try:
            user = invitations.accept_invitation(token, form.name.data, form.password.data)
        except ServiceError as error:
            form.password.errors.append(str(error))
        else:
            log_in(user, request.user_agent.string, remember=False)
            flash(f"Welcome to {invitation.network.name}.")
            return redirect(url_for("home.index"))
    status = 422 if form.errors else 200
    return render_template("auth/accept.html", form=form, invitation=invitation), status


def _join_existing(token: str, invitation):
    user = current_model_user()
    if user is None:
        flash("You have an account already: log in, then open the invitation link again.")
        return redirect(url_for("auth.login", next=request.path))
    form = ConfirmForm()
    if form.validate_on_submit():
        try:
            invitations.join_with_invitation(token, user)
        except ServiceError as error:
            return render_template("auth/link_error.html", message=str(error)), 404
        flash(f"You have joined {invitation.network.name}.")
        return redirect(url_for("home.index"))
    return render_template("auth/join.html", form=form, invitation=invitation, user=user)


@bp.route("/reset", methods=["GET", "POST"])
@limits.reset_request_per_address
@limits.reset_request_per_account
def reset_request():
    form = ResetRequestForm()
    if form.validate_on_submit():
        accounts.request_password_reset(form.email.data)
        flash("If an account uses that address, we have sent it a link to reset the password.")
        return redirect(url_for("auth.login"))
    return render_template("auth/reset_request.html", form=form)


@bp.route("/reset/<token>", methods=["GET", "POST"])
@limits.link_per_address
def reset_password(token: str):
    try:
        user = accounts.user_for_reset(token)
    except NotFound as error:
        return render_template("auth/link_error.html", message=str(error)), 404
    form = ResetPasswordForm()
    if form.validate_on_submit():
        try:
            accounts.set_password(user, form.password.data)
        except ServiceError as error:
            form.password.errors.append(str(error))
        else:
            log_out()
            flash("Your password has been changed. Log in with the new one.")
            return redirect(url_for("auth.login"))
    status = 422 if form.errors else 200
    return render_template("auth/reset_password.html", form=form), status
