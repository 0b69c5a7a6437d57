"""Administration: networks, their members and invitations, and the outbox."""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, url_for
from flask_login import login_required

from notes_app.domain import policy
from notes_app.extensions import db
from notes_app.models import Invitation, Membership
from notes_app.services import invitations, mail, networks
from notes_app.services.errors import ServiceError
from notes_app.web import limits
from notes_app.web.access import network_or_404, require
from notes_app.web.forms import ConfirmForm, InviteForm, NetworkForm, RoleForm
from notes_app.web.session import current_actor, current_model_user

bp = Blueprint("admin", __name__)


@bp.route("/admin/networks", methods=["GET", "POST"])
@login_required
def network_list():
    require(policy.can_administer_site(current_actor()))
    form = NetworkForm()
    if form.validate_on_submit():
        try:
            network = networks.create_network(
                form.slug.data, form.name.data, actor_id=current_actor().user_id
            )
        except ServiceError as error:
            form.slug.errors.append(str(error))
        else:
            flash(f"The network {network.name} has been created.")
            return redirect(url_for("admin.members", slug=network.slug))
    status = 422 if form.errors else 200
    return render_template(
        "admin/networks.html", form=form, networks=networks.all_networks()
    ), status


@bp.route("/networks/<slug>/members", methods=["GET", "POST"])
@login_required
@limits.invitations_per_person
def members(slug: str):
    network = network_or_404(slug, policy.can_manage_network)
    form = InviteForm()
    if form.validate_on_submit():
        try:
            invitations.invite(
                network, form.email.data, form.role.data, invited_by=current_model_user()
            )
        except ServiceError as error:
            form.email.errors.append(str(error))
        else:
            flash(f"An invitation has been sent to {form.email.data.strip()}.")
            return redirect(url_for("admin.members", slug=slug))
    status = 422 if form.errors else 200
    return render_template(
        "admin/members.html",
        network=network,
        form=form,
        members=networks.members_of(network),
        invitations=invitations.pending_invitations(network),
        role_form=RoleForm(),
        confirm_form=ConfirmForm(),
    ), status


def _membership_or_404(network_id: int, membership_id: int) -> Membership:
    membership = db.session.get(Membership, membership_id)
    require(membership is not None and membership.network_id == network_id)
    return membership


@bp.route("/networks/<slug>/members/<int:membership_id>/role", methods=["POST"])
@login_required
def change_role(slug: str, membership_id: int):
    network = network_or_404(slug, policy.can_manage_network)
    membership = _membership_or_404(network.id, membership_id)
    form = RoleForm()
    if form.validate_on_submit():
        networks.add_member(
            network, membership.user, form.role.data, actor_id=current_actor().user_id
        )
        flash(f"{membership.user.name} is now a {form.role.data}.")
    return redirect(url_for("admin.members", slug=slug))


@bp.route("/networks/<slug>/members/<int:membership_id>/remove", methods=["POST"])
@login_required
def remove_member(slug: str, membership_id: int):
    network = network_or_404(slug, policy.can_manage_network)
    membership = _membership_or_404(network.id, membership_id)
    if ConfirmForm().validate_on_submit():
        name = membership.user.name
        networks.remove_member(membership, actor_id=current_actor().user_id)
        flash(f"{name} has left {network.name}.")
    return redirect(url_for("admin.members", slug=slug))


@bp.route("/networks/<slug>/invitations/<int:invitation_id>/revoke", methods=["POST"])
@login_required
def revoke_invitation(slug: str, invitation_id: int):
    network = network_or_404(slug, policy.can_manage_network)
    invitation = db.session.get(Invitation, invitation_id)
    require(invitation is not None and invitation.network_id == network.id)
    if ConfirmForm().validate_on_submit():
        invitations.revoke_invitation(invitation, actor_id=current_actor().user_id)
        flash(f"The invitation to {invitation.email} has been withdrawn.")
    return redirect(url_for("admin.members", slug=slug))


@bp.route("/admin/outbox")
@login_required
def outbox():
    require(policy.can_read_outbox(current_actor()))
    return render_template("admin/outbox.html", messages=mail.outbox_entries())


@bp.route("/admin/outbox/<int:message_id>")
@login_required
def outbox_message(message_id: int):
    require(policy.can_read_outbox(current_actor()))
    message = mail.read_outbox_entry(message_id, actor_id=current_actor().user_id)
    require(message is not None)
    return render_template("admin/message.html", message=message)
