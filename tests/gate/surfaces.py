"""Every byte a member, a guest speaker or an outsider can receive about one meeting."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass

from sqlalchemy import text as sql

from notes_app.extensions import db
from notes_app.models import OutboxMessage, Publication, Speaker, User
from tests.conftest import PASSWORD, post_form

NETWORK = "gate"
_GUEST_LINK = re.compile(r"/consent/[A-Za-z0-9_-]+")
_RESULTS = 'id="results-heading"'
# The speaker's page explains its fields with examples of its own (templates/consent), which
# name nobody at the meeting.
_HINTS = (
    "For example: Robin Example, Ethics Lead.",
    "For example: a speaker from a university.",
)


def _without_hints(text: str) -> str:
    for hint in _HINTS:
        text = text.replace(hint, "")
    return text


@dataclass(frozen=True)
class Surface:
    name: str
    text: str
    # A speaker's own consent email or page: their own name and affiliation may be on it.
    owner: str | None = None


def logged_in(app, email: str):
    client = app.test_client()
    response = post_form(client, "/login", {"email": email, "password": PASSWORD})
    assert response.status_code == 302, f"{email} could not log in"
    return client


def collect(app, meeting_slug: str, search_words: list[str], *, reader: str, outsider: str):
    """Fetch every surface of the meeting, as each audience would."""
    base = f"/n/{NETWORK}/m/{meeting_slug}"
    member = logged_in(app, reader)
    found: list[Surface] = []

    def page(name, client, url):
        response = client.get(url)
        body = response.get_data(as_text=True)
        found.append(Surface(f"{name} ({url}, {response.status_code})", body))
        return response

    pages = {
        "notes page": f"{base}/notes",
        "print view": f"{base}/notes/print",
        "markdown export": f"{base}/notes.md",
        "meeting page": f"{base}/",
        "meeting list": f"/n/{NETWORK}/",
        "home page": "/",
    }
    statuses = {name: page(name, member, url).status_code for name, url in pages.items()}
    for word in search_words:
        response = member.get("/search", query_string={"q": word})
        body = response.get_data(as_text=True)
        # Past the search box, which echoes the query back to the searcher.
        results = body.split(_RESULTS, 1)[1] if _RESULTS in body else ""
        found.append(Surface(f"search results for {word!r}", results))
    with app.app_context():
        token = db.session.scalar(db.select(User.feed_token).where(User.email == reader))
        owners = {
            s.email.casefold(): s.handle for s in db.session.scalars(db.select(Speaker)) if s.email
        }
        messages = list(db.session.scalars(db.select(OutboxMessage).order_by(OutboxMessage.id)))
        for message in messages:
            owner = owners.get(message.recipient.casefold())
            name = f"email {message.kind} to {message.recipient}"
            found.append(Surface(f"{name}: subject", message.subject, owner))
            found.append(Surface(f"{name}: text", message.text or "", owner))
            found.append(Surface(f"{name}: html", message.html or "", owner))
        links = [
            (link, owners.get(m.recipient.casefold()))
            for m in messages
            if m.kind == "consent_request"
            for link in _GUEST_LINK.findall(m.text or "")
        ]
        index = db.session.execute(sql("SELECT * FROM search_entries")).mappings().all()
        found.append(Surface("search index", json.dumps([dict(r) for r in index], default=str)))
        for publication in db.session.scalars(db.select(Publication)):
            stored = [publication.html, publication.markdown, json.dumps(publication.items)]
            found.append(Surface(f"stored publication v{publication.version}", "\n".join(stored)))
    feed = app.test_client().get(f"/feeds/{token}/{NETWORK}.atom")
    found.append(Surface("atom feed", feed.get_data(as_text=True)))
    guest = app.test_client()
    for link, owner in links:
        response = guest.get(link)
        body = _without_hints(response.get_data(as_text=True))
        found.append(Surface(f"guest consent page of @{owner}", body, owner))
    stranger = logged_in(app, outsider)
    page("outsider's notes page", stranger, pages["notes page"])
    page("anonymous notes page", app.test_client(), pages["notes page"])
    return found, statuses
