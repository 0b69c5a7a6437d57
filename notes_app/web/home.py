"""The home page and the health check."""

from __future__ import annotations

from flask import Blueprint, render_template
from flask_login import login_required

from notes_app.domain import policy
from notes_app.extensions import limiter
from notes_app.services import accounts
from notes_app.web.session import current_actor, current_model_user

bp = Blueprint("home", __name__)


@bp.route("/")
@login_required
def index():
    actor = current_actor()
    entries = [
        {
            "network": m.network,
            "role": m.role,
            "can_manage": policy.can_manage_network(actor, m.network_id),
        }
        for m in accounts.memberships_of(current_model_user())
    ]
    return render_template("home/index.html", networks=entries)


@bp.route("/healthz")
@limiter.exempt
def healthz():
    """Answer load balancers without a session or a database query."""
    return "ok", 200, {"Content-Type": "text/plain; charset=utf-8"}
