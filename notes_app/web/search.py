"""The search page: members search the published notes and comments of their networks."""

from __future__ import annotations

from flask import Blueprint, render_template, request
from flask_login import login_required

from notes_app.domain import limits
from notes_app.services import reading, search
from notes_app.web.session import current_actor, current_model_user

bp = Blueprint("search", __name__)


@bp.route("/search")
@login_required
def results():
    query = request.args.get("q", "").strip()
    # Refused with the limit in words rather than cut short: a cut query finds the wrong things.
    too_long = limits.SEARCH_QUERY.problem(query)
    if too_long:
        query = query[: search.MAX_QUERY_LENGTH]
    wanted = request.args.get("network", "")
    networks = [network for network, _ in reading.networks_of(current_model_user())]
    chosen = next((n for n in networks if n.slug == wanted), None)
    found = []
    # A network that is not one of the searcher's gives nothing, as if it did not exist.
    if query and not too_long and (chosen or not wanted):
        found = search.search(current_actor(), query, network_id=chosen.id if chosen else None)
    return render_template(
        "search/results.html",
        query=query,
        networks=networks,
        chosen=chosen,
        results=found,
        too_long=too_long,
        max_length=search.MAX_QUERY_LENGTH,
    )
