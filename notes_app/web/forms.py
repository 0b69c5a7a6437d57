"""Forms for accounts and administration (Flask-WTF adds the CSRF token to each)."""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import BooleanField, EmailField, PasswordField, SelectField, StringField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, EqualTo, Length

from notes_app.domain.policy import ROLES

ROLE_CHOICES = [SelectChoice(role, role.capitalize()) for role in ROLES]


class LoginForm(FlaskForm):
    email = EmailField("Email", validators=[DataRequired(), Length(max=320)])
    password = PasswordField("Password", validators=[DataRequired(), Length(max=1000)])
    remember = BooleanField("Keep me logged in on this device")


class NewPasswordMixin:
    password = PasswordField("New password", validators=[DataRequired(), Length(max=1000)])
    confirm = PasswordField(
        "New password again",
        validators=[DataRequired(), EqualTo("password", message="The two passwords differ.")],
    )


class AcceptInvitationForm(NewPasswordMixin, FlaskForm):
    name = StringField("Your name", validators=[DataRequired(), Length(max=200)])


class ResetRequestForm(FlaskForm):
    email = EmailField("Email", validators=[DataRequired(), Length(max=320)])


class ResetPasswordForm(NewPasswordMixin, FlaskForm):
    pass


class ChangePasswordForm(NewPasswordMixin, FlaskForm):
    current = PasswordField("Current password", validators=[DataRequired()])


class AccountForm(FlaskForm):
    name = StringField("Name", validators=[DataRequired(), Length(max=200)])
    notify_replies = BooleanField("Email me when someone replies to my comments")


class NetworkForm(FlaskForm):
    slug = StringField(
        "Short name (used in addresses)", validators=[DataRequired(), Length(max=80)]
    )
    name = StringField("Name", validators=[DataRequired(), Length(max=200)])


class InviteForm(FlaskForm):
    email = EmailField("Email", validators=[DataRequired(), Length(max=320)])
    role = SelectField("Role", choices=ROLE_CHOICES, default="member")


class RoleForm(FlaskForm):
    role = SelectField("Role", choices=ROLE_CHOICES)


class ConfirmForm(FlaskForm):
    """A button that changes something: only the CSRF token is needed."""
