"""Consent pages: the speaker's own (by account or by link) and the facilitators' overview."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_login import login_required

from notes_app.domain import policy
from notes_app.domain.consent import (
    CREDIT_TEXT_MAX,
    DONT_CREDIT,
    Channel,
    Decision,
    Level,
    State,
    resolve_choices,
)
from notes_app.models import Speaker
from notes_app.services import (
    comments,
    consent,
    draft_reads,
    protection,
    publications,
    speakers,
)
from notes_app.services.errors import Conflict, NotFound, ServiceError
from notes_app.web import limits
from notes_app.web.access import meeting_or_404
from notes_app.web.converters import form_id
from notes_app.web.forms import ConfirmForm, ConsentRequestForm, OnBehalfForm, SpeakerDetailsForm
from notes_app.web.session import current_actor, current_model_user

bp = Blueprint("consent", __name__)
bp.add_app_template_global(CREDIT_TEXT_MAX, "CREDIT_TEXT_MAX")

CHOICES = {"name": Level.NAME, "descriptor": Level.DESCRIPTOR, "none": None}


# The speaker's page -------------------------------------------------------------------------


def _choices(page: consent.SpeakerPage, form: SpeakerDetailsForm) -> consent.Choices:
    """Read the radio groups: one per statement, and one for all statements at once; a choice
    made on a statement wins over the one for all (`domain.consent.resolve_choices`)."""
    everything = request.form.get("all", "")
    if everything and everything not in CHOICES:
        abort(400)
    per_statement = {}
    for statement in page.statements:
        value = request.form.get(f"choice-{statement.item_id}", "")
        if value in CHOICES:
            per_statement[statement.item_id] = CHOICES[value]
        elif value:
            abort(400)
    resolved = resolve_choices(
        [s.item_id for s in page.statements],
        per_statement,
        CHOICES.get(everything),
        everything_chosen=bool(everything),
        declined=[s.item_id for s in page.statements if s.consent.state in DONT_CREDIT],
    )
    return consent.Choices(
        per_statement=resolved,
        seen={s.item_id: request.form.get(f"seen-{s.item_id}", "") for s in page.statements},
        label=form.label.data or "",
        descriptor=form.descriptor.data or "",
        withdraw_everything=everything == "none",
    )


def _speaker_form(speaker: Speaker, page: consent.SpeakerPage | None = None):
    form = SpeakerDetailsForm(prefix=f"s{speaker.id}")
    if request.method == "GET" or not form.is_submitted():
        form.label.data = page.label if page else consent.default_label(speaker)
        form.descriptor.data = speaker.descriptor
    return form


def _decide(speaker: Speaker, channel: Channel, actor_id: int | None):
    """Handle a posted speaker form; returns an error message, or None when it was saved."""
    page = consent.speaker_page(speaker)
    form = _speaker_form(speaker, page)
    if not form.validate_on_submit():
        return "; ".join(e for errors in form.errors.values() for e in errors), 422
    try:
        count = consent.decide(speaker, _choices(page, form), channel=channel, actor_id=actor_id)
    except Conflict as error:
        return str(error), 409
    except ServiceError as error:
        return str(error), 422
    flash(
        f"Saved: {count} decision{'s' if count != 1 else ''} recorded."
        if count
        else "Saved. Your decisions were already recorded as they are."
    )
    return None, 200


@bp.route("/consent/<token>", methods=["GET", "POST"])
def guest(token: str):
    """A guest speaker's page; the link alone opens it, for that speaker of that meeting only."""
    try:
        speaker = consent.speaker_for_link(token)
    except consent.LinkUnusable as error:
        return render_template(
            "consent/link_error.html", reason=error.reason
        ), 404 if error.reason == "unknown" else 410
    error, status = None, 200
    if request.method == "POST":
        error, status = _decide(speaker, Channel.LINK, actor_id=None)
        if error is None:
            return redirect(url_for(".guest", token=token))
    page = consent.speaker_page(speaker)
    return render_template(
        "consent/guest.html",
        page=page,
        form=_speaker_form(speaker, page),
        action=url_for(".guest", token=token),
        error=error,
        title=protection.meeting_for_members(page.meeting).title,
    ), status


@bp.route("/account/statements")
@login_required
def mine():
    """Every statement of the signed-in speaker, across meetings."""
    pages = [consent.speaker_page(s) for s in consent.speakers_of_user(current_model_user())]
    return render_template(
        "consent/mine.html",
        pages=[
            (
                page,
                _speaker_form(page.speaker, page),
                protection.meeting_for_members(page.meeting).title,
            )
            for page in pages
        ],
        error=None,
        failed=None,
    )


@bp.route("/account/statements/<int:speaker_id>", methods=["POST"])
@login_required
def decide_mine(speaker_id: int):
    user = current_model_user()
    try:
        speaker = consent.speaker_for_user(user, speaker_id)
    except NotFound:
        abort(404)
    error, status = _decide(speaker, Channel.ACCOUNT, actor_id=user.id)
    if error is None:
        return redirect(url_for(".mine") + f"#meeting-{speaker.id}")
    pages = []
    for s in consent.speakers_of_user(user):
        page = consent.speaker_page(s)
        form = (
            _speaker_form(s, page)
            if s.id == speaker.id
            else SpeakerDetailsForm(
                prefix=f"s{s.id}",
                formdata=None,
                data={"label": page.label, "descriptor": s.descriptor},
            )
        )
        pages.append((page, form, protection.meeting_for_members(page.meeting).title))
    return render_template("consent/mine.html", pages=pages, error=error, failed=speaker.id), status


# The facilitators' overview -----------------------------------------------------------------


def _facilitated(network_slug: str, meeting_slug: str):
    return meeting_or_404(network_slug, meeting_slug, policy.can_edit_notes)


@bp.route("/n/<network_slug>/m/<meeting_slug>/consent")
@login_required
def overview(network_slug: str, meeting_slug: str):
    network, meeting = _facilitated(network_slug, meeting_slug)
    return render_template(
        "consent/overview.html",
        network=network,
        meeting=meeting,
        rows=consent.overview(meeting),
        history=consent.history(meeting),
        due=consent.republication_due(meeting),
        latest=publications.latest_publication(meeting),
        refusals=comments.refusals(meeting),
        positions={row.id: n for n, row in enumerate(draft_reads.item_rows(meeting), start=1)},
        STATES=State,
        form=ConfirmForm(formdata=None),
        handles={s.id: s.handle for s in draft_reads.speakers_of(meeting)},
    )


@bp.route("/n/<network_slug>/m/<meeting_slug>/consent/requests", methods=["POST"])
@login_required
@limits.consent_requests_per_person
def send_requests(network_slug: str, meeting_slug: str):
    network, meeting = _facilitated(network_slug, meeting_slug)
    form = ConsentRequestForm()
    if not form.validate_on_submit():
        abort(400)
    if form.speaker_id.data == "all":
        chosen = draft_reads.speakers_of(meeting)
    else:
        speaker_id = form_id(form.speaker_id.data)
        try:
            chosen = [speakers.get_speaker(meeting, speaker_id if speaker_id is not None else 0)]
        except NotFound:
            abort(404)
    result = consent.request_consent(meeting, chosen, actor_id=current_actor().user_id)
    if result.sent:
        flash(f"Request sent to {', '.join(result.sent)}.")
    if result.skipped:
        flash(f"Not sent to {', '.join(result.skipped)}.")
    return redirect(url_for(".overview", network_slug=network.slug, meeting_slug=meeting.slug))


@bp.route("/n/<network_slug>/m/<meeting_slug>/consent/links/<int:link_id>/revoke", methods=["POST"])
@login_required
def revoke_link(network_slug: str, meeting_slug: str, link_id: int):
    network, meeting = _facilitated(network_slug, meeting_slug)
    if not ConfirmForm().validate_on_submit():
        abort(400)
    try:
        consent.revoke_link(meeting, link_id, actor_id=current_actor().user_id)
    except NotFound:
        abort(404)
    flash("The link no longer works.")
    return redirect(url_for(".overview", network_slug=network.slug, meeting_slug=meeting.slug))


@bp.route(
    "/n/<network_slug>/m/<meeting_slug>/consent/speakers/<int:speaker_id>",
    methods=["GET", "POST"],
)
@login_required
def on_behalf(network_slug: str, meeting_slug: str, speaker_id: int):
    network, meeting = _facilitated(network_slug, meeting_slug)
    try:
        speaker = speakers.get_speaker(meeting, speaker_id)
    except NotFound:
        abort(404)
    rows = consent.statement_rows(speaker)
    positions = {r.id: n for n, r in enumerate(draft_reads.item_rows(meeting), start=1)}
    form = OnBehalfForm()
    form.item.choices = [("all", "All their statements")] + [
        (row.id, f"Statement {positions.get(row.id, '?')}: {_excerpt(row.body)}") for row in rows
    ]
    if request.method == "GET":
        form.label.data = consent.default_label(speaker)
    status = 200
    if form.validate_on_submit():
        decision = Decision(form.decision.data)
        granted = decision is Decision.GRANTED
        try:
            count = consent.record_on_behalf(
                meeting,
                speaker,
                decision,
                evidence=form.evidence.data,
                actor_id=current_actor().user_id,
                item_id=None if form.item.data == "all" else form.item.data,
                level=Level(form.level.data) if granted else None,
                label=form.label.data if granted and form.level.data == "name" else None,
            )
        except ServiceError as error:
            flash(str(error))
            status = 422
        else:
            flash(f"Recorded {count} decision{'s' if count != 1 else ''} for @{speaker.handle}.")
            return redirect(
                url_for(".overview", network_slug=network.slug, meeting_slug=meeting.slug)
            )
    elif form.errors:
        status = 422
    return render_template(
        "consent/on_behalf.html", network=network, meeting=meeting, speaker=speaker, form=form
    ), status


def _excerpt(body: str, length: int = 70) -> str:
    text = " ".join(body.split())
    return text if len(text) <= length else text[: length - 1] + "…"
