"""The demo network that `make run` shows on first start."""

from __future__ import annotations

import secrets

from notes_app.services import accounts, networks

DEMO_NETWORK = ("demo-practice", "Demo: public engagement practitioners")
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
    return lines
