"""Comments on published notes: post, edit, delete, and facilitators hiding them."""

from __future__ import annotations

import re

from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask_login import login_required
from markupsafe import Markup

from notes_app.domain import policy
from notes_app.models import Meeting, Network
from notes_app.services import comments, publications
from notes_app.services.errors import NotFound, ServiceError
from notes_app.web import limits
from notes_app.web.access import meeting_or_404, meeting_title, require
from notes_app.web.converters import form_id
from notes_app.web.errors import render_error
from notes_app.web.forms import CommentEditForm, CommentForm, ConfirmForm, HideCommentForm
from notes_app.web.lifecycle import keep_changes
from notes_app.web.session import current_actor

bp = Blueprint("comments", __name__, url_prefix="/n/<network_slug>/m/<meeting_slug>/comments")


@bp.errorhandler(NotFound)
def _not_found(error: NotFound):
    """A comment, item or publication the actor may not know of: the same 404 as anywhere."""
    return render_error(404)


_BETWEEN_TAGS = re.compile(r">\s*\n\s*<")
_COMMENT_BODY = re.compile(r'(<div class="comment-body">.*?</div>)', re.S)


@bp.app_template_filter("compact_html")
def compact_html(html: Markup) -> Markup:
    """Drop the template's line breaks and indentation between tags, outside comment bodies.

    Inside the notes such whitespace would read as gaps in the text. A comment's own HTML is
    kept as it is (its line breaks can be spaces between words); it never holds a div.
    """
    parts = _COMMENT_BODY.split(str(html))
    parts[::2] = [_BETWEEN_TAGS.sub("><", part) for part in parts[::2]]
    return Markup("".join(parts))  # noqa: S704 (rendered and escaped by the template already)


def _notes_url(network: Network, meeting: Meeting, anchor: str | None = None) -> str:
    return url_for(
        "notes.read", network_slug=network.slug, meeting_slug=meeting.slug, _anchor=anchor
    )


def _form_page(template: str, network, meeting, status: int = 200, **context):
    return render_template(
        template,
        network=network,
        meeting=meeting,
        title=meeting_title(network, meeting),
        notes_url=_notes_url(network, meeting),
        **context,
    ), status


def _number(text: str | None) -> int | None:
    """Read an optional id from a hidden field; a malformed one names nothing: 404."""
    if not text:
        return None
    number = form_id(text)
    if number is None:
        abort(404)
    return number


def _refused(form, error: comments.ProtectedTermRefused) -> None:
    """Keep the refusal's audit event although nothing else is stored, and count it."""
    form.body.errors.append(str(error))
    keep_changes()
    limits.count_comment_refusal()


@bp.route("", methods=["POST"])
@login_required
@limits.comments_per_person
@limits.comment_refusals_per_person
def post(network_slug: str, meeting_slug: str):
    network, meeting = meeting_or_404(network_slug, meeting_slug, policy.can_comment)
    form = CommentForm()
    parent_id, item_id = _number(form.parent_id.data), form.item_id.data or None
    if form.validate_on_submit():
        try:
            comment = comments.post(
                meeting,
                current_actor(),
                form.body.data,
                item_id=item_id,
                parent_id=parent_id,
                anonymous=form.anonymous.data,
            )
        except NotFound:
            raise  # answered by `_not_found`
        except comments.ProtectedTermRefused as error:
            _refused(form, error)
        except ServiceError as error:
            form.body.errors.append(str(error))
        else:
            flash("Your comment is posted.")
            return redirect(_notes_url(network, meeting, f"comment-{comment.id}"))
    # Nothing was stored: show what they wrote again, with the reason, so nothing is lost.
    publication = publications.latest_publication(meeting)
    if publication is None:
        abort(404)
    item = next((i for i in publication.items if i["id"] == item_id), None)
    return _form_page(
        "comments/form.html",
        network,
        meeting,
        422,
        form=form,
        heading="Your reply was not posted" if parent_id else "Your comment was not posted",
        action=url_for(".post", network_slug=network.slug, meeting_slug=meeting.slug),
        item=item if parent_id is None else None,
        new=True,
    )


@bp.route("/<int:number>/edit", methods=["GET", "POST"])
@login_required
@limits.comment_edits_per_person
@limits.comment_refusals_per_person
def edit(network_slug: str, meeting_slug: str, number: int):
    network, meeting = meeting_or_404(network_slug, meeting_slug, policy.can_comment)
    actor = current_actor()
    try:
        comment = comments.editable(meeting, actor, number)
    except NotFound:
        raise
    except ServiceError as error:
        flash(str(error))
        return redirect(_notes_url(network, meeting, f"comment-{number}"))
    form = CommentEditForm(data={"body": comment.body})
    if form.validate_on_submit():
        try:
            comments.edit(meeting, actor, number, form.body.data)
        except NotFound:
            raise  # answered by `_not_found`
        except comments.ProtectedTermRefused as error:
            _refused(form, error)
        except ServiceError as error:
            form.body.errors.append(str(error))
        else:
            flash("Your comment is saved.")
            return redirect(_notes_url(network, meeting, f"comment-{number}"))
    return _form_page(
        "comments/form.html",
        network,
        meeting,
        422 if form.errors else 200,
        form=form,
        heading="Edit your comment",
        action=url_for(
            ".edit", network_slug=network.slug, meeting_slug=meeting.slug, number=number
        ),
        item=None,
        new=False,
    )


@bp.route("/<int:number>/delete", methods=["GET", "POST"])
@login_required
def delete(network_slug: str, meeting_slug: str, number: int):
    network, meeting = meeting_or_404(network_slug, meeting_slug, policy.can_comment)
    actor = current_actor()
    comment = comments.get(meeting, number)
    require(policy.can_change_comment(actor, comment.author_id))
    form = ConfirmForm()
    if form.validate_on_submit():
        comments.delete(meeting, actor, number)
        flash("Your comment is deleted.")
        return redirect(_notes_url(network, meeting, "discussion"))
    return _form_page("comments/delete.html", network, meeting, form=form, comment=comment)


@bp.route("/<int:number>/hide", methods=["GET", "POST"])
@login_required
def hide(network_slug: str, meeting_slug: str, number: int):
    network, meeting = meeting_or_404(network_slug, meeting_slug, policy.can_moderate_comments)
    comment = comments.get(meeting, number)
    form = HideCommentForm()
    if form.validate_on_submit():
        try:
            comments.hide(meeting, current_actor(), number, form.reason.data)
        except NotFound:
            raise  # answered by `_not_found`
        except ServiceError as error:
            form.reason.errors.append(str(error))
        else:
            flash("The comment is hidden from members.")
            return redirect(_notes_url(network, meeting, f"comment-{number}"))
    status = 422 if form.errors else 200
    return _form_page("comments/hide.html", network, meeting, status, form=form, comment=comment)
