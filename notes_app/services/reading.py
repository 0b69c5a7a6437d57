"""What members read across meetings: the home page digest and the personal feed of notes."""

from __future__ import annotations

import hmac
import re
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import and_, func, select
from sqlalchemy.orm import defer

from notes_app.extensions import db
from notes_app.models import Meeting, Membership, Network, Publication, User
from notes_app.models.types import new_token, utcnow
from notes_app.services import audit, search


@dataclass(frozen=True)
class PublishedNotes:
    """The latest publication of a meeting, with the meeting's title as members may see it."""

    meeting: Meeting
    publication: Publication
    title: str


@dataclass(frozen=True)
class UpcomingMeeting:
    meeting: Meeting
    title: str


@dataclass(frozen=True)
class NetworkDigest:
    network: Network
    role: str
    latest: list[PublishedNotes]
    upcoming: list[UpcomingMeeting]


def networks_of(user: User) -> list[tuple[Network, str]]:
    """Return the user's networks with their role in each, by name, in one query."""
    return [
        (network, role)
        for network, role in db.session.execute(
            select(Network, Membership.role)
            .join(Membership, Membership.network_id == Network.id)
            .where(Membership.user_id == user.id)
            .order_by(Network.name)
        ).all()
    ]


def latest_notes(
    network_ids: list[int], *, per_network: int, content: bool = False
) -> list[tuple[Meeting, Publication]]:
    """Return the latest version of each meeting's notes, newest first, at most `per_network`.

    One query whatever the number of networks and meetings; the publications' text is loaded
    only when `content` is asked for.
    """
    if not network_ids:
        return []
    newest = (
        select(Publication.meeting_id, func.max(Publication.version).label("version"))
        .group_by(Publication.meeting_id)
        .subquery()
    )
    ranked = (
        select(
            Publication.id.label("publication_id"),
            func.row_number()
            .over(
                partition_by=Meeting.network_id,
                order_by=(Publication.published_at.desc(), Publication.id.desc()),
            )
            .label("rank"),
        )
        .join(
            newest,
            and_(
                newest.c.meeting_id == Publication.meeting_id,
                newest.c.version == Publication.version,
            ),
        )
        .join(Meeting, Meeting.id == Publication.meeting_id)
        .where(Meeting.network_id.in_(network_ids))
        .subquery()
    )
    query = (
        select(Meeting, Publication)
        .join(Publication, Publication.meeting_id == Meeting.id)
        .join(ranked, ranked.c.publication_id == Publication.id)
        .where(ranked.c.rank <= per_network)
        .order_by(Publication.published_at.desc(), Publication.id.desc())
    )
    if not content:
        query = query.options(
            defer(Publication.markdown), defer(Publication.html), defer(Publication.items)
        )
    return [(meeting, publication) for meeting, publication in db.session.execute(query).all()]


def upcoming_meetings(network_ids: list[int], *, per_network: int) -> list[Meeting]:
    """Return the next meetings of each network, soonest first, in one query."""
    if not network_ids:
        return []
    ranked = (
        select(
            Meeting.id.label("meeting_id"),
            func.row_number()
            .over(partition_by=Meeting.network_id, order_by=(Meeting.starts_at, Meeting.id))
            .label("rank"),
        )
        .where(Meeting.network_id.in_(network_ids), Meeting.starts_at >= utcnow())
        .subquery()
    )
    return list(
        db.session.scalars(
            select(Meeting)
            .join(ranked, ranked.c.meeting_id == Meeting.id)
            .where(ranked.c.rank <= per_network)
            .order_by(Meeting.starts_at, Meeting.id)
        )
    )


def digest(user: User, *, per_network: int = 3) -> list[NetworkDigest]:
    """Return, for each of the user's networks, the latest notes and the next meetings.

    The number of queries does not grow with the number of networks or meetings, except for
    scrubbing the titles of the upcoming meetings shown (a few queries each, at most
    `per_network` per network): published titles come from the search index.
    """
    networks = networks_of(user)
    ids = [network.id for network, _ in networks]
    notes = latest_notes(ids, per_network=per_network)
    upcoming = upcoming_meetings(ids, per_network=per_network)
    titles = search.member_titles([m for m, _ in notes] + upcoming)
    return [
        NetworkDigest(
            network=network,
            role=role,
            latest=[
                PublishedNotes(m, p, titles[m.id]) for m, p in notes if m.network_id == network.id
            ],
            upcoming=[
                UpcomingMeeting(m, titles[m.id]) for m in upcoming if m.network_id == network.id
            ],
        )
        for network, role in networks
    ]


# The personal feed ---------------------------------------------------------------------------

FEED_ENTRIES = 50
_TOKEN = re.compile(r"[A-Za-z0-9_-]{20,64}")  # what models.types.new_token makes


def user_for_feed_token(token: str) -> User | None:
    """Return the user whose secret feed token this is, or None."""
    if not _TOKEN.fullmatch(token):
        return None  # not one we make: no query at all
    user = db.session.scalar(select(User).where(User.feed_token == token))
    if user is None or not hmac.compare_digest(user.feed_token.encode(), token.encode()):
        return None
    return user


def reset_feed_token(user: User) -> None:
    """Give the user a new feed token: every feed address they had stops working."""
    user.feed_token = new_token()
    audit.record("feed_token_reset", actor_id=user.id, subject=user.email)


def feed_of(network: Network) -> list[PublishedNotes]:
    """Return the network's notes for its feed: the latest version of each, newest first."""
    notes = latest_notes([network.id], per_network=FEED_ENTRIES, content=True)
    titles = search.member_titles([m for m, _ in notes])
    return [PublishedNotes(m, p, titles[m.id]) for m, p in notes]


def feed_updated(entries: list[PublishedNotes], network: Network) -> datetime:
    return max((e.publication.published_at for e in entries), default=network.created_at)
