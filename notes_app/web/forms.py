"""The forms of every page (Flask-WTF adds the CSRF token to each)."""

from __future__ import annotations

from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from wtforms import (
    BooleanField,
    DateTimeLocalField,
    EmailField,
    HiddenField,
    IntegerField,
    PasswordField,
    SelectField,
    StringField,
    TextAreaField,
)
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, EqualTo, Length, NumberRange, Optional

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


class MeetingForm(FlaskForm):
    title = StringField("Title", validators=[DataRequired(), Length(max=300)])
    starts_at = DateTimeLocalField(
        "Date and time", format="%Y-%m-%dT%H:%M", validators=[DataRequired()]
    )
    timezone = StringField(
        "Time zone", default="Europe/London", validators=[DataRequired(), Length(max=64)]
    )
    series_number = IntegerField(
        "Number in the series", validators=[Optional(), NumberRange(min=1)]
    )
    topics = StringField("Topics", validators=[Length(max=500)])
    description = TextAreaField("Description (Markdown)", validators=[Length(max=50_000)])
    chatham_house = BooleanField("Runs under the Chatham House Rule", default=True)
    version = HiddenField()


class EventPostForm(FlaskForm):
    post = FileField("Event post file (.md)", validators=[Optional()])
    text = TextAreaField("…or paste the post", validators=[Length(max=200_000)])


class ItemForm(FlaskForm):
    kind = SelectField(
        "Kind",
        choices=[
            SelectChoice("statement", "Statement (has a speaker)"),
            SelectChoice("note", "Note (no speaker)"),
            SelectChoice("section", "Section heading"),
        ],
    )
    speaker = SelectField("Speaker", choices=[], validate_choice=False)
    level = IntegerField("Heading level", default=2, validators=[Optional(), NumberRange(1, 6)])
    body = TextAreaField("Text (Markdown)", validators=[DataRequired(), Length(max=50_000)])
    confidential = BooleanField("Confidential: never published")
    version = HiddenField()


class PasteForm(FlaskForm):
    text = TextAreaField(
        "Notes in the notes format", validators=[DataRequired(), Length(max=2_000_000)]
    )
    draft_version = HiddenField()


class VersionForm(FlaskForm):
    """A button acting on something that must not have changed since the page was loaded."""

    version = HiddenField()


class SpeakerForm(FlaskForm):
    handle = StringField(
        "Handle (used as @handle in the notes)", validators=[DataRequired(), Length(max=64)]
    )
    name = StringField("Name", validators=[DataRequired(), Length(max=200)])
    organisation = StringField("Organisation", validators=[Length(max=300)])
    role = StringField("Role", validators=[Length(max=300)])
    email = StringField("Email", validators=[Length(max=320)])
    aliases = StringField("Other names (comma-separated)", validators=[Length(max=1000)])
    descriptor = StringField(
        "Descriptor, e.g. a speaker from local government", validators=[Length(max=300)]
    )
    version = HiddenField()


class CommentForm(FlaskForm):
    """A new comment: on the notes, on one item (`item_id`) or a reply (`parent_id`)."""

    body = TextAreaField(
        "Your comment",
        validators=[DataRequired("Write something before posting."), Length(max=10_000)],
    )
    anonymous = BooleanField("Post without my name")
    item_id = HiddenField()
    parent_id = HiddenField()


class CommentEditForm(FlaskForm):
    body = TextAreaField(
        "Your comment",
        validators=[DataRequired("Write something, or delete the comment."), Length(max=10_000)],
    )


class HideCommentForm(FlaskForm):
    reason = StringField(
        "Why is it hidden? Its author will see this.",
        validators=[DataRequired("Say why the comment is hidden."), Length(max=500)],
    )


class SpeakerDetailsForm(FlaskForm):
    """A speaker's own words for their credit; the per-statement choices come as radio groups."""

    # Their length and what they may contain are one rule: `domain.consent.credit_text_problem`.
    label = StringField("Your credit by name, as members would read it")
    descriptor = StringField("Your descriptor, shown instead of your name if you choose it")


DECISION_CHOICES = [
    SelectChoice("granted", "Credit them (grant)"),
    SelectChoice("declined", "Do not credit them (decline)"),
    SelectChoice("withdrawn", "Withdraw an earlier credit"),
]


class OnBehalfForm(FlaskForm):
    """A decision a facilitator received by email or on paper."""

    decision = SelectField("Their decision", choices=DECISION_CHOICES)
    item = SelectField("For", choices=[])
    level = SelectField(
        "Credit by",
        choices=[
            SelectChoice("name", "Name, with the label below"),
            SelectChoice("descriptor", "Descriptor"),
        ],
    )
    label = StringField("Label (for a credit by name)", validators=[Length(max=300)])
    evidence = TextAreaField(
        "Evidence: how did the speaker tell you?",
        validators=[DataRequired(message="Evidence is required."), Length(max=2000)],
    )


class ConsentRequestForm(FlaskForm):
    speaker_id = HiddenField()
