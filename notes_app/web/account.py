"""The account page: name, notification choice, password."""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, url_for
from flask_login import current_user, login_required

from notes_app.services import accounts
from notes_app.services.errors import ServiceError
from notes_app.web.forms import AccountForm, ChangePasswordForm
from notes_app.web.session import current_model_user

bp = Blueprint("account", __name__, url_prefix="/account")


@bp.route("/", methods=["GET", "POST"])
@login_required
def index():
    user = current_model_user()
    form = AccountForm(obj=user)
    password_form = ChangePasswordForm(prefix="pw")
    if form.validate_on_submit():
        user.name = form.name.data.strip()
        user.notify_replies = form.notify_replies.data
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


def _render(form, password_form, status: int):
    memberships = accounts.memberships_of(current_model_user())
    return (
        render_template(
            "account/index.html", form=form, password_form=password_form, memberships=memberships
        ),
        status,
    )
