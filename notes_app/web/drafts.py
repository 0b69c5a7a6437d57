"""The draft editor, its revisions and the meeting's speakers (facilitators only)."""

from __future__ import annotations

from flask import Blueprint, Response, abort, flash, redirect, render_template, request, url_for
from flask_login import login_required

from notes_app.domain import policy
from notes_app.domain.notes import ItemKind
from notes_app.services import draft_reads, drafts, speakers
from notes_app.services.errors import Conflict, NotFound, ServiceError
from notes_app.web.access import meeting_or_404
from notes_app.web.converters import fits_database, form_version
from notes_app.web.forms import ItemForm, PasteForm, SpeakerForm, VersionForm
from notes_app.web.session import current_actor

bp = Blueprint("drafts", __name__, url_prefix="/n/<network_slug>/m/<meeting_slug>")


def _load(network_slug: str, meeting_slug: str):
    return meeting_or_404(network_slug, meeting_slug, policy.can_edit_notes)


def _editor_url(network, meeting, anchor: str | None = None) -> str:
    url = url_for("drafts.editor", network_slug=network.slug, meeting_slug=meeting.slug)
    return f"{url}#item-{anchor}" if anchor else url


def _item_form(meeting, **kwargs) -> ItemForm:
    form = ItemForm(**kwargs)
    form.speaker.choices = [("", "(no speaker)")] + [
        (s.handle, f"@{s.handle} ({s.name})") for s in draft_reads.speakers_of(meeting)
    ]
    return form


def _change(form: ItemForm) -> drafts.ItemChange:
    return drafts.ItemChange(
        kind=ItemKind(form.kind.data),
        body=form.body.data or "",
        speaker=form.speaker.data or None,
        confidential=form.confidential.data,
        level=form.level.data or 2,
    )


@bp.route("/draft")
@login_required
def editor(network_slug: str, meeting_slug: str):
    network, meeting = _load(network_slug, meeting_slug)
    return render_template(
        "drafts/editor.html",
        network=network,
        meeting=meeting,
        items=draft_reads.item_rows(meeting),
        under_confidential_heading=drafts.under_confidential_headings(meeting),
        speakers={s.id: s for s in draft_reads.speakers_of(meeting)},
        add_form=_item_form(meeting, formdata=None),
        paste_form=PasteForm(formdata=None, draft_version=meeting.draft_version),
        button_form=VersionForm(formdata=None),
    )


@bp.route("/draft/items", methods=["POST"])
@login_required
def add_item(network_slug: str, meeting_slug: str):
    network, meeting = _load(network_slug, meeting_slug)
    form = _item_form(meeting)
    if form.validate_on_submit():
        try:
            item = drafts.add_item(
                meeting,
                _change(form),
                after_id=request.args.get("after"),
                actor_id=current_actor().user_id,
            )
        except ServiceError as error:
            form.body.errors.append(str(error))
        else:
            flash("The item has been added.")
            return redirect(_editor_url(network, meeting, item.id))
    return render_template(
        "drafts/item.html", network=network, meeting=meeting, form=form, item=None
    ), 422


@bp.route("/draft/items/<item_id>", methods=["GET", "POST"])
@login_required
def edit_item(network_slug: str, meeting_slug: str, item_id: str):
    network, meeting = _load(network_slug, meeting_slug)
    try:
        item = drafts.get_item(meeting, item_id)
    except NotFound:
        abort(404)
    handle = next(
        (s.handle for s in draft_reads.speakers_of(meeting) if s.id == item.speaker_id), ""
    )
    form = _item_form(
        meeting,
        data={
            "kind": item.kind,
            "speaker": handle,
            "level": item.level or 2,
            "body": item.body,
            "confidential": item.confidential,
            "version": item.version,
        },
    )
    if form.validate_on_submit():
        try:
            drafts.save_item(
                meeting,
                item_id,
                _change(form),
                # The raw field: the form's default would be today's version, never stale.
                expected_version=form_version(request.form.get("version")),
                actor_id=current_actor().user_id,
            )
        except drafts.EditConflict as conflict:
            return render_template(
                "drafts/conflict.html",
                network=network,
                meeting=meeting,
                conflict=conflict,
                item=item,
            ), 409
        except ServiceError as error:
            form.body.errors.append(str(error))
        else:
            flash("The item has been saved.")
            return redirect(_editor_url(network, meeting, item_id))
    status = 422 if form.errors else 200
    return render_template(
        "drafts/item.html", network=network, meeting=meeting, form=form, item=item
    ), status


def _item_action(network_slug: str, meeting_slug: str, item_id: str, action) -> Response:
    network, meeting = _load(network_slug, meeting_slug)
    form = VersionForm()
    if form.validate_on_submit():
        try:
            message = action(meeting, form_version(form.version.data))
        except NotFound:
            abort(404)
        except Conflict as error:
            # Nothing was changed; 303 so that the browser shows the editor with the message.
            flash(str(error))
            return redirect(_editor_url(network, meeting), code=303)
        flash(message)
    return redirect(_editor_url(network, meeting, item_id))


@bp.route("/draft/items/<item_id>/delete", methods=["POST"])
@login_required
def delete_item(network_slug: str, meeting_slug: str, item_id: str):
    def delete(meeting, version):
        drafts.delete_item(
            meeting, item_id, expected_version=version, actor_id=current_actor().user_id
        )
        return "The item has been deleted."

    return _item_action(network_slug, meeting_slug, item_id, delete)


@bp.route("/draft/items/<item_id>/move/<direction>", methods=["POST"])
@login_required
def move_item(network_slug: str, meeting_slug: str, item_id: str, direction: str):
    offset = {"up": -1, "down": 1}.get(direction)
    if offset is None:
        abort(404)

    def move(meeting, version):
        drafts.move_item(
            meeting, item_id, offset, expected_version=version, actor_id=current_actor().user_id
        )
        return f"The item has been moved {direction}."

    return _item_action(network_slug, meeting_slug, item_id, move)


@bp.route("/draft/paste", methods=["POST"])
@login_required
def paste(network_slug: str, meeting_slug: str):
    network, meeting = _load(network_slug, meeting_slug)
    form = PasteForm()
    if form.validate_on_submit():
        try:
            revision = drafts.import_notes(
                meeting,
                form.text.data,
                actor_id=current_actor().user_id,
                expected_version=form_version(form.draft_version.data),
            )
        except Conflict as error:
            form.text.errors.append(str(error))
            return render_template(
                "drafts/paste.html", network=network, meeting=meeting, form=form
            ), 409
        except ServiceError as error:
            form.text.errors.append(str(error))
        else:
            flash(f"The notes have been imported as revision {revision.number}.")
            return redirect(_editor_url(network, meeting))
    return render_template("drafts/paste.html", network=network, meeting=meeting, form=form), 422


@bp.route("/draft/export")
@login_required
def export(network_slug: str, meeting_slug: str):
    network, meeting = _load(network_slug, meeting_slug)
    return Response(
        drafts.export_draft(meeting),
        mimetype="text/markdown",
        headers={
            "Content-Disposition": f'attachment; filename="{meeting.slug}-draft.md"',
        },
    )


@bp.route("/revisions")
@login_required
def revisions(network_slug: str, meeting_slug: str):
    network, meeting = _load(network_slug, meeting_slug)
    return render_template(
        "drafts/revisions.html",
        network=network,
        meeting=meeting,
        revisions=drafts.revisions_of(meeting),
        restore_form=VersionForm(formdata=None, version=meeting.draft_version),
    )


@bp.route("/revisions/<int:number>")
@login_required
def revision(network_slug: str, meeting_slug: str, number: int):
    network, meeting = _load(network_slug, meeting_slug)
    try:
        revision = drafts.get_revision(meeting, number)
    except NotFound:
        abort(404)
    return render_template(
        "drafts/revision.html",
        network=network,
        meeting=meeting,
        revision=revision,
        restore_form=VersionForm(formdata=None, version=meeting.draft_version),
    )


@bp.route("/revisions/diff")
@login_required
def diff(network_slug: str, meeting_slug: str):
    network, meeting = _load(network_slug, meeting_slug)
    old, new = request.args.get("old", type=int), request.args.get("new", type=int)
    if not (fits_database(old) and fits_database(new)):
        abort(404)
    try:
        lines = drafts.diff_revisions(meeting, old or 0, new or 0)
    except NotFound:
        abort(404)
    return render_template(
        "drafts/diff.html", network=network, meeting=meeting, lines=lines, old=old, new=new
    )


@bp.route("/revisions/<int:number>/restore", methods=["POST"])
@login_required
def restore(network_slug: str, meeting_slug: str, number: int):
    network, meeting = _load(network_slug, meeting_slug)
    form = VersionForm()
    if form.validate_on_submit():
        try:
            revision = drafts.restore_revision(
                meeting,
                number,
                actor_id=current_actor().user_id,
                expected_version=form_version(form.version.data),
            )
        except NotFound:
            abort(404)
        except Conflict as error:
            flash(str(error))
            return redirect(
                url_for(".revisions", network_slug=network.slug, meeting_slug=meeting.slug),
                code=303,
            )
        except ServiceError as error:
            flash(str(error))
            return revisions(network_slug, meeting_slug), 422
        flash(f"Revision {number} has been restored as revision {revision.number}.")
    return redirect(_editor_url(network, meeting))


# Speakers -----------------------------------------------------------------------------------


def _speaker_fields(form: SpeakerForm) -> speakers.SpeakerFields:
    return speakers.SpeakerFields(
        handle=form.handle.data,
        name=form.name.data,
        organisation=form.organisation.data or "",
        role=form.role.data or "",
        email=form.email.data or "",
        aliases=tuple((form.aliases.data or "").split(",")),
        descriptor=form.descriptor.data or "",
    )


@bp.route("/speakers", methods=["GET", "POST"])
@login_required
def speaker_list(network_slug: str, meeting_slug: str):
    network, meeting = _load(network_slug, meeting_slug)
    form = SpeakerForm()
    if form.validate_on_submit():
        try:
            speakers.add_speaker(meeting, _speaker_fields(form), actor_id=current_actor().user_id)
        except ServiceError as error:
            form.handle.errors.append(str(error))
        else:
            flash("The speaker has been added.")
            return redirect(
                url_for(".speaker_list", network_slug=network.slug, meeting_slug=meeting.slug)
            )
    status = 422 if form.errors else 200
    return render_template(
        "drafts/speakers.html",
        network=network,
        meeting=meeting,
        form=form,
        speakers=draft_reads.speakers_of(meeting),
        button_form=VersionForm(formdata=None),
    ), status


@bp.route("/speakers/<int:speaker_id>", methods=["GET", "POST"])
@login_required
def edit_speaker(network_slug: str, meeting_slug: str, speaker_id: int):
    network, meeting = _load(network_slug, meeting_slug)
    try:
        speaker = speakers.get_speaker(meeting, speaker_id)
    except NotFound:
        abort(404)
    form = SpeakerForm(obj=speaker, data={"version": meeting.draft_version})
    if request.method == "GET":
        # The record's aliases are a list; the field is their comma-separated text (`obj` wins
        # over `data`, so it is set here, or the list's repr would be saved back as names).
        form.aliases.data = ", ".join(speaker.aliases)
    if form.validate_on_submit():
        saved = speakers.as_domain(speaker)
        try:
            speakers.update_speaker(
                meeting,
                speaker,
                _speaker_fields(form),
                actor_id=current_actor().user_id,
                expected_version=form_version(request.form.get("version")),
            )
        except Conflict as error:
            form.handle.errors.append(str(error))
            return render_template(
                "drafts/speaker.html",
                network=network,
                meeting=meeting,
                form=form,
                speaker=speaker,
                saved=saved,
            ), 409
        except ServiceError as error:
            form.handle.errors.append(str(error))
        else:
            flash("The speaker has been saved.")
            return redirect(
                url_for(".speaker_list", network_slug=network.slug, meeting_slug=meeting.slug)
            )
    status = 422 if form.errors else 200
    return render_template(
        "drafts/speaker.html", network=network, meeting=meeting, form=form, speaker=speaker
    ), status


@bp.route("/speakers/<int:speaker_id>/remove", methods=["POST"])
@login_required
def remove_speaker(network_slug: str, meeting_slug: str, speaker_id: int):
    network, meeting = _load(network_slug, meeting_slug)
    try:
        speaker = speakers.get_speaker(meeting, speaker_id)
    except NotFound:
        abort(404)
    if VersionForm().validate_on_submit():
        try:
            speakers.remove_speaker(meeting, speaker, actor_id=current_actor().user_id)
        except ServiceError as error:
            flash(str(error))
            return speaker_list(network_slug, meeting_slug)[0], 422
        flash("The speaker has been removed.")
    return redirect(url_for(".speaker_list", network_slug=network.slug, meeting_slug=meeting.slug))
