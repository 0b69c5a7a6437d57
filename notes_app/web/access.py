"""Loading what a request names, answering 404 for what the actor may not know exists."""

from __future__ import annotations

from urllib.parse import urlsplit

from flask import abort

from notes_app.domain import policy
from notes_app.models import Meeting, Network
from notes_app.services import meetings, networks, protection, search
from notes_app.web.session import current_actor


def network_or_404(slug: str, rule=policy.can_find_network) -> Network:
    """Load a network the actor passes `rule` for; to anyone else it does not exist."""
    network = networks.find_network(slug)
    if network is None or not rule(current_actor(), network.id):
        abort(404)
    return network


def meeting_or_404(network_slug: str, meeting_slug: str, rule) -> tuple[Network, Meeting]:
    """Load a meeting of a network the actor passes `rule` for; 404 for anyone else."""
    network = network_or_404(network_slug, rule)
    meeting = meetings.find_meeting(network, meeting_slug)
    if meeting is None:
        abort(404)
    return network, meeting


def meeting_title(network: Network, meeting: Meeting) -> str:
    """The meeting's title as this viewer may see it: scrubbed for everyone but facilitators."""
    if policy.can_edit_notes(current_actor(), network.id):
        return meeting.title
    return protection.meeting_for_members(meeting).title


def meeting_titles(network: Network, meetings: list[Meeting]) -> dict[int, str]:
    """Titles of several meetings as this viewer may see them."""
    if policy.can_edit_notes(current_actor(), network.id):
        return {m.id: m.title for m in meetings}
    return search.member_titles(meetings)


def require(allowed: bool) -> None:
    """Stop the request with a 404 unless the policy allowed it."""
    if not allowed:
        abort(404)


def safe_next(target: str | None, default: str = "/") -> str:
    """Return `target` only if it is a path on this site; anything else goes `default`."""
    if not target or not target.startswith("/") or target.startswith("//"):
        return default
    if "\\" in target or any(ord(c) < 32 or ord(c) == 127 for c in target):
        return default
    parts = urlsplit(target)
    if parts.scheme or parts.netloc:
        return default
    return target
