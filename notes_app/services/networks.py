"""Networks and the members in them."""

from __future__ import annotations

import re

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from notes_app.domain import limits
from notes_app.domain.policy import ROLES
from notes_app.extensions import db
from notes_app.models import Membership, Network, User
from notes_app.services import audit
from notes_app.services.errors import NotFound, ServiceError, check_length

SLUG = re.compile(r"^[a-z0-9](?:[a-z0-9-]{0,78}[a-z0-9])?$")


def create_network(slug: str, name: str, *, actor_id: int | None) -> Network:
    slug = slug.strip().lower()
    if not SLUG.match(slug):
        raise ServiceError(
            f"{slug!r} is not a usable slug: use lower-case letters, digits and hyphens."
        )
    if not name.strip():
        raise ServiceError("A network needs a name.")
    check_length(limits.NETWORK_NAME, name.strip())
    if find_network(slug):
        raise ServiceError(f"A network with the slug {slug!r} exists already.")
    network = Network(slug=slug, name=name.strip(), terms=[])
    db.session.add(network)
    db.session.flush()
    audit.record("network_created", actor_id=actor_id, network_id=network.id, subject=slug)
    return network


def find_network(slug: str) -> Network | None:
    return db.session.scalar(select(Network).where(Network.slug == slug))


def get_network(slug: str) -> Network:
    network = find_network(slug)
    if network is None:
        raise NotFound(f"There is no network {slug!r}.")
    return network


def check_role(role: str) -> str:
    if role not in ROLES:
        raise ServiceError(f"{role!r} is not a role; use one of: {', '.join(ROLES)}.")
    return role


def add_member(network: Network, user: User, role: str, *, actor_id: int | None) -> Membership:
    """Give the user a role in the network, or change the role they have."""
    check_role(role)
    membership = db.session.scalar(
        select(Membership).where(Membership.network_id == network.id, Membership.user_id == user.id)
    )
    if membership is None:
        membership = Membership(network=network, user=user, role=role)
        db.session.add(membership)
        action = "member_added"
    elif membership.role != role:
        membership.role = role
        action = "role_changed"
    else:
        return membership
    db.session.flush()
    audit.record(action, actor_id=actor_id, network_id=network.id, subject=user.email, role=role)
    return membership


def remove_member(membership: Membership, *, actor_id: int | None) -> None:
    audit.record(
        "member_removed",
        actor_id=actor_id,
        network_id=membership.network_id,
        subject=membership.user.email,
    )
    db.session.delete(membership)


def members_of(network: Network) -> list[Membership]:
    return list(
        db.session.scalars(
            select(Membership)
            .join(Membership.user)
            .where(Membership.network_id == network.id)
            .options(selectinload(Membership.user))
            .order_by(User.name)
        )
    )


def all_networks() -> list[Network]:
    return list(
        db.session.scalars(
            select(Network).options(selectinload(Network.memberships)).order_by(Network.name)
        )
    )
