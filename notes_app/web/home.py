"""The members' home page and the health check."""

from __future__ import annotations

from flask import Blueprint, render_template
from flask_login import login_required

from notes_app.domain import policy
from notes_app.extensions import limiter
from notes_app.services import meetings, reading
from notes_app.web.session import current_actor, current_model_user

bp = Blueprint("home", __name__)


@bp.route("/")
@login_required
def index():
    """Per network: the latest published notes and the next meetings."""
    actor = current_actor()
    entries = [
        {
            "digest": digest,
            "can_manage": policy.can_manage_network(actor, digest.network.id),
        }
        for digest in reading.digest(current_model_user())
    ]
    return render_template("home/index.html", networks=entries, local_start=meetings.local_start)


@bp.route("/healthz")
@limiter.exempt
def healthz():
    """Answer load balancers without a session or a database query."""
    return "ok", 200, {"Content-Type": "text/plain; charset=utf-8"}
