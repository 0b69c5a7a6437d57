"""Every access rule, as a named function of the actor and plain facts."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import StrEnum


class Role(StrEnum):
    MEMBER = "member"
    FACILITATOR = "facilitator"


ROLES = tuple(role.value for role in Role)


@dataclass(frozen=True)
class Actor:
    """Who is asking: their account id, whether they are a site admin, their role per network."""

    user_id: int | None = None
    is_admin: bool = False
    roles: Mapping[int, Role] = field(default_factory=dict)

    @property
    def is_authenticated(self) -> bool:
        return self.user_id is not None


ANONYMOUS = Actor()


def can_see_network(actor: Actor, network_id: int) -> bool:
    """Members and facilitators see their network; admins manage it but read it only if in it."""
    return network_id in actor.roles


def can_facilitate(actor: Actor, network_id: int) -> bool:
    return actor.roles.get(network_id) is Role.FACILITATOR


def can_manage_network(actor: Actor, network_id: int) -> bool:
    """Admins and the network's facilitators manage its members and invitations."""
    return actor.is_admin or can_facilitate(actor, network_id)


def can_find_network(actor: Actor, network_id: int) -> bool:
    """Whether the network exists for this actor at all; everyone else gets a 404."""
    return can_see_network(actor, network_id) or actor.is_admin


def can_administer_site(actor: Actor) -> bool:
    return actor.is_admin


def can_read_outbox(actor: Actor) -> bool:
    return actor.is_admin


def can_read_meetings(actor: Actor, network_id: int) -> bool:
    """Members read their network's meetings and published notes."""
    return can_see_network(actor, network_id)


def can_edit_notes(actor: Actor, network_id: int) -> bool:
    """Only the network's facilitators see and change meetings' drafts, speakers and revisions."""
    return can_facilitate(actor, network_id)


def can_comment(actor: Actor, network_id: int) -> bool:
    """Members and facilitators of the network discuss its published notes."""
    return can_see_network(actor, network_id)


def can_moderate_comments(actor: Actor, network_id: int) -> bool:
    """Facilitators hide comments, and see hidden ones and who posted without their name."""
    return can_facilitate(actor, network_id)


def can_change_comment(actor: Actor, author_id: int | None) -> bool:
    """Only its author edits or deletes a comment."""
    return actor.user_id is not None and actor.user_id == author_id
