"""The forms of every page (Flask-WTF adds the CSRF token to each)."""

from __future__ import annotations

from flask import request
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
from wtforms.validators import (
    DataRequired,
    EqualTo,
    Length,
    NumberRange,
    Optional,
    ValidationError,
)

from notes_app.domain import limits
from notes_app.domain.policy import ROLES

ROLE_CHOICES = [SelectChoice(role, role.capitalize()) for role in ROLES]


class Form(FlaskForm):
    """A page's form: filled from the posted fields alone, never from a JSON body.

    One way in: the rate limits key on the posted fields (an account's email, say), so a form
    that also read JSON would let a client slip past them.
    """

    class Meta(FlaskForm.Meta):
        def wrap_formdata(self, form, formdata):
            if request.is_json and not (request.form or request.files):
                return None
            return super().wrap_formdata(form, formdata)


def within(limit: limits.Limit):
    """Check a field against one of the product's limits, saying what is wrong in its words."""

    def check(form, field) -> None:
        problem = limit.problem(field.data)
        if problem is not None:
            raise ValidationError(problem)

    return check


class LoginForm(Form):
    email = EmailField("Email", validators=[DataRequired(), Length(max=320)])
    password = PasswordField("Password", validators=[DataRequired(), Length(max=1000)])
    remember = BooleanField("Keep me logged in on this device")


class NewPasswordMixin:
    password = PasswordField("New password", validators=[DataRequired(), Length(max=1000)])
    confirm = PasswordField(
        "New password again",
        validators=[DataRequired(), EqualTo("password", message="The two passwords differ.")],
    )


class AcceptInvitationForm(NewPasswordMixin, Form):
    name = StringField("Your name", validators=[DataRequired(), within(limits.PERSON_NAME)])


class ResetRequestForm(Form):
    email = EmailField("Email", validators=[DataRequired(), Length(max=320)])


class ResetPasswordForm(NewPasswordMixin, Form):
    pass


class ChangePasswordForm(NewPasswordMixin, Form):
    current = PasswordField("Current password", validators=[DataRequired()])


class AccountForm(Form):
    name = StringField("Name", validators=[DataRequired(), within(limits.PERSON_NAME)])
    notify_replies = BooleanField("Email me when someone replies to my comments")


class NetworkForm(Form):
    slug = StringField(
        "Short name (used in addresses)", validators=[DataRequired(), Length(max=80)]
    )
    name = StringField("Name", validators=[DataRequired(), within(limits.NETWORK_NAME)])


class InviteForm(Form):
    email = EmailField("Email", validators=[DataRequired(), Length(max=320)])
    role = SelectField("Role", choices=ROLE_CHOICES, default="member")


class RoleForm(Form):
    role = SelectField("Role", choices=ROLE_CHOICES)


class ConfirmForm(Form):
    """A button that changes something: only the CSRF token is needed."""


class MeetingForm(Form):
    title = StringField("Title", validators=[DataRequired(), within(limits.MEETING_TITLE)])
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
    description = TextAreaField(
        "Description (Markdown)", validators=[within(limits.MEETING_DESCRIPTION)]
    )
    chatham_house = BooleanField("Runs under the Chatham House Rule", default=True)
    version = HiddenField()


class EventPostForm(Form):
    post = FileField("Event post file (.md)", validators=[Optional()])
    text = TextAreaField("…or paste the post", validators=[within(limits.EVENT_POST)])


class ItemForm(Form):
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
    body = TextAreaField("Text (Markdown)", validators=[DataRequired(), within(limits.ITEM_BODY)])
    confidential = BooleanField("Confidential: never published")
    version = HiddenField()


class PasteForm(Form):
    text = TextAreaField(
        "Notes in the notes format", validators=[DataRequired(), within(limits.NOTES_FILE)]
    )
    draft_version = HiddenField()


class VersionForm(Form):
    """A button acting on something that must not have changed since the page was loaded."""

    version = HiddenField()


class SpeakerForm(Form):
    handle = StringField(
        "Handle (used as @handle in the notes)", validators=[DataRequired(), Length(max=64)]
    )
    name = StringField("Name", validators=[DataRequired(), within(limits.PERSON_NAME)])
    organisation = StringField("Organisation", validators=[Length(max=300)])
    role = StringField("Role", validators=[Length(max=300)])
    email = StringField("Email", validators=[Length(max=320)])
    aliases = StringField("Other names (comma-separated)", validators=[Length(max=1000)])
    descriptor = StringField(
        "Descriptor, e.g. a speaker from local government",
        validators=[within(limits.SPEAKER_DESCRIPTOR)],
    )
    version = HiddenField()


class CommentForm(Form):
    """A new comment: on the notes, on one item (`item_id`) or a reply (`parent_id`)."""

    body = TextAreaField(
        "Your comment",
        validators=[DataRequired("Write something before posting."), within(limits.COMMENT)],
    )
    anonymous = BooleanField("Post without my name")
    item_id = HiddenField()
    parent_id = HiddenField()


class CommentEditForm(Form):
    body = TextAreaField(
        "Your comment",
        validators=[
            DataRequired("Write something, or delete the comment."),
            within(limits.COMMENT),
        ],
    )


class HideCommentForm(Form):
    reason = StringField(
        "Why is it hidden? Its author will see this.",
        validators=[DataRequired("Say why the comment is hidden."), Length(max=500)],
    )


class SpeakerDetailsForm(Form):
    """A speaker's own words for their credit; the per-statement choices come as radio groups."""

    # Their length and what they may contain are one rule: `domain.consent.credit_text_problem`.
    label = StringField("Your credit by name, as members would read it")
    descriptor = StringField("Your descriptor, shown instead of your name if you choose it")


DECISION_CHOICES = [
    SelectChoice("granted", "Credit them (grant)"),
    SelectChoice("declined", "Do not credit them (decline)"),
    SelectChoice("withdrawn", "Withdraw an earlier credit"),
]


class OnBehalfForm(Form):
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
    label = StringField("Label (for a credit by name)", validators=[within(limits.SPEAKER_LABEL)])
    evidence = TextAreaField(
        "Evidence: how did the speaker tell you?",
        validators=[DataRequired(message="Evidence is required."), Length(max=2000)],
    )


class ConsentRequestForm(Form):
    speaker_id = HiddenField()
