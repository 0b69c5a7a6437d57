"""Published notes: the preview and publish step, the members' reading view and exports."""

from __future__ import annotations

from flask import Blueprint, Response, abort, flash, redirect, render_template, request, url_for
from flask_login import login_required

from notes_app.domain import policy
from notes_app.services import (
    audit,
    comments,
    consent,
    draft_reads,
    publications,
    publishing,
)
from notes_app.services.errors import NotFound, ServiceError
from notes_app.web.access import meeting_or_404, meeting_title
from notes_app.web.converters import form_version
from notes_app.web.forms import ConfirmForm
from notes_app.web.session import current_actor

bp = Blueprint("notes", __name__, url_prefix="/n/<network_slug>/m/<meeting_slug>")


def _preview_page(network, meeting, status: int = 200):
    result = publishing.preview(meeting)
    positions = {row.id: n for n, row in enumerate(draft_reads.item_rows(meeting), start=1)}
    latest = publications.latest_publication(meeting)
    return render_template(
        "notes/preview.html",
        network=network,
        meeting=meeting,
        result=result,
        publication=result.published,
        positions=positions,
        latest=latest,
        circulation=publishing.circulation_of(latest) if latest else None,
        due=consent.republication_due(meeting),
        form=ConfirmForm(formdata=None),
    ), status


@bp.route("/preview")
@login_required
def preview(network_slug: str, meeting_slug: str):
    network, meeting = meeting_or_404(network_slug, meeting_slug, policy.can_edit_notes)
    return _preview_page(network, meeting)


@bp.route("/publish", methods=["POST"])
@login_required
def publish(network_slug: str, meeting_slug: str):
    network, meeting = meeting_or_404(network_slug, meeting_slug, policy.can_edit_notes)
    if not ConfirmForm().validate_on_submit():
        abort(400)
    try:
        publication = publishing.publish(
            meeting,
            actor_id=current_actor().user_id,
            accept_warnings=request.form.get("accept_warnings") == "y",
            seen=_seen(),
        )
    except publishing.AlreadyPublished as done:
        # A second submit of this preview (or another tab): land on what was published.
        flash(str(done))
        return redirect(_publication_url(network, meeting, done.publication))
    except ServiceError as error:
        flash(str(error))
        return _preview_page(network, meeting, status=422)
    flash(f"Version {publication.version} is published and is being emailed to members.")
    return redirect(url_for(".read", network_slug=network.slug, meeting_slug=meeting.slug))


def _seen() -> publishing.Seen:
    """What the preview showed; a form without it is stale and can never match."""
    return publishing.Seen(
        draft_version=form_version(request.form.get("draft_version")),
        fingerprint=request.form.get("fingerprint", ""),
        published_version=form_version(request.form.get("published_version")),
    )


def _publication_url(network, meeting, publication) -> str:
    latest = publications.latest_publication(meeting)
    if latest is not None and latest.id == publication.id:
        return url_for(".read", network_slug=network.slug, meeting_slug=meeting.slug)
    return url_for(
        ".version",
        network_slug=network.slug,
        meeting_slug=meeting.slug,
        version=publication.version,
    )


def _latest_or_404(network_slug: str, meeting_slug: str):
    network, meeting = meeting_or_404(network_slug, meeting_slug, policy.can_read_meetings)
    publication = publications.latest_publication(meeting)
    if publication is None:
        abort(404)
    return network, meeting, publication


@bp.route("/notes")
@login_required
def read(network_slug: str, meeting_slug: str):
    network, meeting, publication = _latest_or_404(network_slug, meeting_slug)
    return render_template(
        "notes/read.html",
        network=network,
        meeting=meeting,
        publication=publication,
        title=meeting_title(network, meeting),
        notes_comments=comments.for_notes_page(meeting, publication, current_actor()),
    )


@bp.route("/notes/print")
@login_required
def print_view(network_slug: str, meeting_slug: str):
    network, meeting, publication = _latest_or_404(network_slug, meeting_slug)
    return render_template(
        "notes/print.html",
        network=network,
        meeting=meeting,
        publication=publication,
        title=meeting_title(network, meeting),
    )


@bp.route("/notes.md")
@login_required
def export(network_slug: str, meeting_slug: str):
    network, meeting, publication = _latest_or_404(network_slug, meeting_slug)
    audit.record(
        "notes_exported",
        actor_id=current_actor().user_id,
        network_id=network.id,
        subject=meeting.slug,
        version=publication.version,
    )
    return Response(
        publishing.export_markdown(meeting, publication),
        mimetype="text/markdown",
        headers={"Content-Disposition": f'attachment; filename="{meeting.slug}.md"'},
    )


@bp.route("/publications")
@login_required
def versions(network_slug: str, meeting_slug: str):
    network, meeting = meeting_or_404(network_slug, meeting_slug, policy.can_edit_notes)
    return render_template(
        "notes/versions.html",
        network=network,
        meeting=meeting,
        publications=publications.publications_of(meeting),
    )


@bp.route("/publications/<int:version>")
@login_required
def version(network_slug: str, meeting_slug: str, version: int):
    network, meeting = meeting_or_404(network_slug, meeting_slug, policy.can_edit_notes)
    try:
        publication = publications.get_publication(meeting, version)
    except NotFound:
        abort(404)
    return render_template(
        "notes/version.html",
        network=network,
        meeting=meeting,
        publication=publication,
        report=publications.report_of(publication),
    )
