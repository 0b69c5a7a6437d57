"""The demo network that `make run` shows on first start."""

from __future__ import annotations

import secrets
from datetime import datetime
from pathlib import Path

from sqlalchemy import select

from notes_app.extensions import db
from notes_app.models import Meeting
from notes_app.services import accounts, drafts, meetings, networks, publishing

DEMO_NETWORK = ("demo-practice", "Demo: public engagement practitioners")
DEMO_NOTES = Path(__file__).with_name("demo_notes.md")

DEMO_PEOPLE = [
    ("admin@demo.example", "Ada Admin", None, True),
    ("facilitator@demo.example", "Fran Facilitator", "facilitator", False),
    ("member@demo.example", "Mo Member", "member", False),
]


def load_demo() -> list[str]:
    """Create (or refresh) the demo network and its people; return lines to print."""
    slug, name = DEMO_NETWORK
    network = networks.find_network(slug) or networks.create_network(slug, name, actor_id=None)
    lines = [f"Demo network: {network.name} ({network.slug})", "Log in with:"]
    for email, person, role, is_admin in DEMO_PEOPLE:
        # Fresh passwords on every run, so no password is ever written in the code.
        password = secrets.token_hex(6)
        user = accounts.find_user_by_email(email)
        if user is None:
            user = accounts.create_user(email, person, password, is_admin=is_admin)
        else:
            accounts.set_password(user, password)
        if role:
            networks.add_member(network, user, role, actor_id=None)
        lines.append(f"  {role or 'site admin':<12} {email:<28} {password}")
    _demo_meeting(network)
    return lines


def _demo_meeting(network) -> None:
    """A past meeting with draft notes, published once, so every page has something to show."""
    if db.session.scalar(select(Meeting.id).where(Meeting.source_key == "demo-meeting")):
        return
    meeting = meetings.create_meeting(
        network,
        meetings.MeetingFields(
            title="Listening to residents about data",
            starts_at_local=datetime(2026, 10, 14, 14, 0),
            series_number=3,
            topics=("Public participation", "Local government"),
            description="An open discussion on **citizens' panels** and keeping people involved.",
        ),
        actor_id=None,
    )
    meeting.source_key = "demo-meeting"
    drafts.import_notes(meeting, DEMO_NOTES.read_text(encoding="utf-8"), actor_id=None)
    facilitator = accounts.find_user_by_email("facilitator@demo.example")
    publishing.publish(
        meeting, actor_id=facilitator.id if facilitator else None, accept_warnings=True
    )
