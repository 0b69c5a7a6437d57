"""Atom feeds of a network's notes, at a personal secret address, and resetting that address."""

from __future__ import annotations

import re
from xml.etree import ElementTree as ET

from flask import Blueprint, Response, abort, flash, redirect, url_for
from flask_login import login_required

from notes_app.domain import policy
from notes_app.services import accounts, reading
from notes_app.web.forms import ConfirmForm
from notes_app.web.session import current_model_user

bp = Blueprint("feeds", __name__)

ATOM = "http://www.w3.org/2005/Atom"
# Characters XML 1.0 cannot carry at all; ElementTree would write them and break the document.
_NOT_XML = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


@bp.route("/feeds/<token>/<network_slug>.atom")
def network_feed(token: str, network_slug: str):
    """No login (feed readers have none): the secret token stands for the member."""
    user = reading.user_for_feed_token(token)
    theirs = reading.networks_of(user) if user else []
    network = next((n for n, _ in theirs if n.slug == network_slug), None)
    if network is None or not policy.can_read_meetings(accounts.actor_for(user), network.id):
        abort(404)
    document = _atom(network, reading.feed_of(network))
    return Response(document, content_type="application/atom+xml; charset=utf-8")


@bp.route("/account/feed-token", methods=["POST"])
@login_required
def reset_token():
    if not ConfirmForm().validate_on_submit():
        abort(400)
    reading.reset_feed_token(current_model_user())
    flash("Your feed addresses have changed: update them in your feed reader.")
    return redirect(url_for("account.index", _anchor="feeds"))


def _atom(network, entries: list[reading.PublishedNotes]) -> bytes:
    feed = ET.Element("feed", xmlns=ATOM)
    _text(feed, "title", f"Notes of {network.name}")
    _text(feed, "id", accounts.link(url_for("meetings.network", network_slug=network.slug)))
    _text(feed, "updated", _time(reading.feed_updated(entries, network)))
    ET.SubElement(feed, "author").append(_text(None, "name", network.name))
    for entry in entries:
        url = accounts.link(
            url_for("notes.read", network_slug=network.slug, meeting_slug=entry.meeting.slug)
        )
        element = ET.SubElement(feed, "entry")
        _text(element, "title", entry.title)
        _text(element, "id", url)
        ET.SubElement(element, "link", rel="alternate", type="text/html", href=url)
        _text(element, "updated", _time(entry.publication.published_at))
        _text(element, "content", entry.publication.html).set("type", "html")
    return ET.tostring(feed, encoding="utf-8", xml_declaration=True)


def _text(parent, tag: str, value: str) -> ET.Element:
    element = ET.Element(tag) if parent is None else ET.SubElement(parent, tag)
    element.text = _NOT_XML.sub("", value)
    return element


def _time(value) -> str:
    return value.isoformat(timespec="seconds")
