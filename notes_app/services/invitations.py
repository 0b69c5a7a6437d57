"""Invitations: the only way into a network for someone new."""

from __future__ import annotations

import secrets
from dataclasses import dataclass

from flask import current_app, render_template
from sqlalchemy import select

from notes_app.domain.policy import Role
from notes_app.extensions import db
from notes_app.models import Invitation, Membership, Network, User
from notes_app.models.types import hash_token, utcnow
from notes_app.services import accounts, audit, mail
from notes_app.services.errors import NotFound, ServiceError
from notes_app.services.networks import add_member, check_role


@dataclass(frozen=True)
class InvitationLink:
    invitation: Invitation
    url: str


def invite(network: Network, email: str, role: str, *, invited_by: User | None) -> InvitationLink:
    """Invite an address to a network; an existing account simply joins."""
    email = accounts.normalise_email(email)
    check_role(role)
    facilitators = _facilitators(network)
    outsider = invited_by is not None and invited_by.id not in {f.id for f in facilitators}
    # A site admin manages networks but reads only those they are in. Who joins a network is
    # for its facilitators to decide: an admin invites only the first facilitator of a network
    # that has none, and never themselves (a second address of theirs is as good as theirs).
    if outsider and invited_by is not None and invited_by.email == email:
        raise ServiceError(
            "You cannot invite yourself into a network: ask one of its facilitators to."
        )
    if outsider and facilitators:
        raise ServiceError(
            f"The facilitators of {network.name} invite its members: ask one of them to."
        )
    token = secrets.token_urlsafe(32)
    invitation = Invitation(
        network=network,
        email=email,
        role=role,
        token_hash=hash_token(token),
        invited_by=invited_by,
        expires_at=utcnow() + current_app.config["INVITATION_LIFETIME"],
    )
    db.session.add(invitation)
    db.session.flush()
    url = accounts.link(f"/invitations/{token}")
    mail.queue(
        email,
        f"You are invited to {network.name}",
        render_template("mail/invitation.txt", network=network, url=url, invitation=invitation),
        kind="invitation",
    )
    audit.record(
        "invitation_sent",
        actor_id=invited_by.id if invited_by else None,
        network_id=network.id,
        subject=email,
        role=role,
    )
    return InvitationLink(invitation, url)


def _facilitators(network: Network) -> list[User]:
    return list(
        db.session.scalars(
            select(User)
            .join(Membership, Membership.user_id == User.id)
            .where(Membership.network_id == network.id, Membership.role == Role.FACILITATOR.value)
        )
    )


def find_invitation(token: str) -> Invitation:
    """Return the open invitation for a token, or raise NotFound for any unusable one."""
    invitation = db.session.scalar(
        select(Invitation).where(Invitation.token_hash == hash_token(token))
    )
    if invitation is None or invitation.accepted_at or invitation.revoked_at:
        raise NotFound("This invitation link is not valid. Ask for a new one.")
    if invitation.expires_at <= utcnow():
        raise NotFound("This invitation has expired. Ask for a new one.")
    return invitation


def accept_invitation(token: str, name: str, password: str) -> User:
    """Create the account (or use the existing one) and join the network."""
    invitation = find_invitation(token)
    user = accounts.find_user_by_email(invitation.email)
    if user is None:
        user = accounts.create_user(invitation.email, name, password)
    elif user.password_hash:
        raise ServiceError("You have an account already: log in to accept the invitation.")
    else:
        accounts.set_password(user, password)
    add_member(invitation.network, user, invitation.role, actor_id=user.id)
    invitation.accepted_at = utcnow()
    return user


def join_with_invitation(token: str, user: User) -> None:
    """Join the network as an existing, logged-in user to whom the invitation was sent."""
    invitation = find_invitation(token)
    if invitation.email != user.email:
        raise NotFound("This invitation was sent to another email address.")
    add_member(invitation.network, user, invitation.role, actor_id=user.id)
    invitation.accepted_at = utcnow()


def revoke_invitation(invitation: Invitation, *, actor_id: int | None) -> None:
    invitation.revoked_at = utcnow()
    audit.record(
        "invitation_revoked",
        actor_id=actor_id,
        network_id=invitation.network_id,
        subject=invitation.email,
    )


def pending_invitations(network: Network) -> list[Invitation]:
    return list(
        db.session.scalars(
            select(Invitation)
            .where(Invitation.network_id == network.id)
            .where(Invitation.accepted_at.is_(None), Invitation.revoked_at.is_(None))
            .where(Invitation.expires_at > utcnow())
            .order_by(Invitation.created_at.desc())
        )
    )
