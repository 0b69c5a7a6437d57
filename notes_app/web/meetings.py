"""Meetings: the list members see, the meeting page, and facilitators' forms and imports."""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_login import login_required

from notes_app.domain import limits, policy
from notes_app.services import meetings, protection, publications, publishing
from notes_app.services.errors import ServiceError
from notes_app.web.access import meeting_or_404, meeting_titles, network_or_404
from notes_app.web.converters import form_version
from notes_app.web.forms import EventPostForm, MeetingForm
from notes_app.web.session import current_actor

bp = Blueprint("meetings", __name__, url_prefix="/n/<network_slug>")


@bp.route("/")
@login_required
def network(network_slug: str):
    network = network_or_404(network_slug, policy.can_read_meetings)
    upcoming, past = meetings.meetings_of(network.id)
    return render_template(
        "meetings/list.html",
        network=network,
        upcoming=upcoming,
        past=past,
        titles=meeting_titles(network, [e.meeting for e in (*upcoming, *past)]),
        can_edit=policy.can_edit_notes(current_actor(), network.id),
    )


@bp.route("/m/<meeting_slug>/")
@login_required
def meeting(network_slug: str, meeting_slug: str):
    network, meeting = meeting_or_404(network_slug, meeting_slug, policy.can_read_meetings)
    can_edit = policy.can_edit_notes(current_actor(), network.id)
    latest = publications.latest_publication(meeting)
    return render_template(
        "meetings/meeting.html",
        network=network,
        meeting=meeting,
        details=meetings.fields_of(meeting)
        if can_edit
        else protection.meeting_for_members(meeting),
        starts_at=meetings.local_start(meeting),
        latest=latest,
        circulation=publishing.circulation_of(latest) if latest and can_edit else None,
        can_edit=can_edit,
    )


def _fields(form: MeetingForm, author: str = "") -> meetings.MeetingFields:
    """What the form says; the author (set by an import, not in the form) is carried over."""
    return meetings.MeetingFields(
        title=form.title.data,
        starts_at_local=form.starts_at.data,
        timezone=form.timezone.data.strip(),
        series_number=form.series_number.data,
        topics=tuple(t for t in (form.topics.data or "").split(",")),
        description=form.description.data or "",
        chatham_house=form.chatham_house.data,
        author=author,
    )


@bp.route("/meetings/new", methods=["GET", "POST"])
@login_required
def new_meeting(network_slug: str):
    network = network_or_404(network_slug, policy.can_edit_notes)
    form = MeetingForm()
    if form.validate_on_submit():
        try:
            meeting = meetings.create_meeting(
                network, _fields(form), actor_id=current_actor().user_id
            )
        except ServiceError as error:
            form.title.errors.append(str(error))
        else:
            flash("The meeting has been created.")
            return redirect(
                url_for(".meeting", network_slug=network.slug, meeting_slug=meeting.slug)
            )
    status = 422 if form.errors else 200
    return render_template("meetings/form.html", form=form, network=network, meeting=None), status


@bp.route("/m/<meeting_slug>/edit", methods=["GET", "POST"])
@login_required
def edit_meeting(network_slug: str, meeting_slug: str):
    network, meeting = meeting_or_404(network_slug, meeting_slug, policy.can_edit_notes)
    fields = meetings.fields_of(meeting)
    form = MeetingForm(
        data={
            "title": fields.title,
            "starts_at": fields.starts_at_local,
            "timezone": fields.timezone,
            "series_number": fields.series_number,
            "topics": ", ".join(fields.topics),
            "description": fields.description,
            "chatham_house": fields.chatham_house,
            "version": meeting.details_version,
        }
    )
    if form.validate_on_submit():
        try:
            meetings.update_meeting(
                meeting,
                _fields(form, author=fields.author),
                actor_id=current_actor().user_id,
                # The raw field: the form's default would be today's version, never stale.
                expected_version=form_version(request.form.get("version")),
            )
        except meetings.DetailsConflict as conflict:
            # Nothing was saved; the form keeps what they typed, now against the saved version.
            form.version.data = meeting.details_version
            return render_template(
                "drafts/conflict.html",
                network=network,
                meeting=meeting,
                conflict=conflict,
                form=form,
            ), 409
        except ServiceError as error:
            form.title.errors.append(str(error))
        else:
            flash("The meeting has been saved.")
            return redirect(
                url_for(".meeting", network_slug=network.slug, meeting_slug=meeting.slug)
            )
    status = 422 if form.errors else 200
    return render_template(
        "meetings/form.html", form=form, network=network, meeting=meeting
    ), status


@bp.route("/meetings/import", methods=["GET", "POST"])
@login_required
def import_post(network_slug: str):
    network = network_or_404(network_slug, policy.can_edit_notes)
    form = EventPostForm()
    if form.validate_on_submit():
        upload = form.post.data
        # Enough bytes for the longest post (4 per character), so a longer one is refused.
        most = 4 * limits.EVENT_POST.characters + 1
        text = upload.read(most).decode("utf-8", "replace") if upload else (form.text.data or "")
        filename = upload.filename if upload else None
        try:
            if not text.strip():
                raise ServiceError("Choose a file or paste an event post.")
            result = meetings.import_event_post(
                network, text, filename, actor_id=current_actor().user_id
            )
        except ServiceError as error:
            form.text.errors.append(str(error))
        else:
            for warning in result.warnings:
                flash(f"Warning: {warning}")
            for kept in result.kept:
                flash(kept)
            flash(
                "The meeting has been imported."
                if result.created
                else "The meeting has been updated from the post."
            )
            return redirect(
                url_for(".meeting", network_slug=network.slug, meeting_slug=result.meeting.slug)
            )
    status = 422 if form.errors else 200
    return render_template("meetings/import.html", form=form, network=network), status
