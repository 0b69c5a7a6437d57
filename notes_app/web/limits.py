"""Rate limits: who counts as one client, and how often each abusable action may be done.

The numbers live in the settings (RATELIMIT_*); the counters live in the limiter's storage,
Redis when NOTES_REDIS_URL is set, so every worker sees the same counts.
"""

from __future__ import annotations

import time
from collections.abc import Callable

from flask import Response, current_app, g, request
from flask_limiter.util import get_remote_address
from flask_login import current_user

from notes_app.extensions import limiter
from notes_app.models.types import hash_token
from notes_app.services import accounts, comments
from notes_app.web.lifecycle import keep_changes
from notes_app.web.session import current_actor


def _setting(name: str) -> Callable[[], str]:
    return lambda: current_app.config[name]


def client_address() -> str:
    """Return the client's address (the proxy's, unless NOTES_PROXY_HOPS trusts it)."""
    return get_remote_address()


def account_in_form() -> str:
    """Key a limit by the account the form names, whoever sends it and from wherever.

    Unknown addresses are counted just like known ones, so a limit says nothing about which
    accounts exist; the key is a hash, so the storage holds no email addresses.
    """
    email = accounts.canonical_email(request.form.get("email", ""))
    return f"account:{hash_token(email)}" if email else ""  # no key: the limit is skipped


def person() -> str:
    """Key a limit by the logged-in person, or by address for anyone else."""
    if current_user.is_authenticated:
        return f"user:{current_user.id}"
    return client_address()


def _refused_login(response: Response) -> bool:
    return response.status_code == 401


def _done(response: Response) -> bool:
    return response.status_code == 302


# Wrong passwords from one address, and wrong passwords for one account from any address: an
# attacker can lock the account they attack, but never anyone else's or anyone else's address.
login_per_address = limiter.limit(
    _setting("RATELIMIT_LOGIN"),
    key_func=client_address,
    methods=["POST"],
    deduct_when=_refused_login,
)
login_per_account = limiter.limit(
    _setting("RATELIMIT_LOGIN_ACCOUNT"),
    key_func=account_in_form,
    methods=["POST"],
    deduct_when=_refused_login,
)
# Secret links (invitations, resets) tried from one address.
link_per_address = limiter.limit(
    _setting("RATELIMIT_LOGIN"), key_func=client_address, methods=["POST"]
)
reset_request_per_address = limiter.limit(
    _setting("RATELIMIT_PASSWORD_RESET"), key_func=client_address, methods=["POST"]
)
reset_request_per_account = limiter.limit(
    _setting("RATELIMIT_PASSWORD_RESET_ACCOUNT"), key_func=account_in_form, methods=["POST"]
)
# Things that send mail or reach other people count when they are done.
invitations_per_person = limiter.limit(
    _setting("RATELIMIT_INVITATIONS"), key_func=person, methods=["POST"], deduct_when=_done
)
consent_requests_per_person = limiter.limit(
    _setting("RATELIMIT_CONSENT_REQUESTS"), key_func=person, methods=["POST"], deduct_when=_done
)
comments_per_person = limiter.limit(
    _setting("RATELIMIT_COMMENTS"), key_func=person, methods=["POST"], deduct_when=_done
)
comment_edits_per_person = limiter.limit(
    _setting("RATELIMIT_COMMENT_EDITS"), key_func=person, methods=["POST"], deduct_when=_done
)


def count_comment_refusal() -> None:
    """Mark this request as a refused comment, which `comment_refusals_per_person` counts."""
    g.comment_refused = True


def _refused_comment(response: Response) -> bool:
    return bool(g.get("comment_refused"))


def _refusals_reached(limit) -> None:
    """Audit, for the meeting's facilitators, that a member ran into the refusal limit."""
    args = request.view_args or {}
    if current_user.is_authenticated and comments.record_refusal_limit(
        current_actor(), str(args.get("network_slug", "")), str(args.get("meeting_slug", ""))
    ):
        keep_changes()


# Comments refused for naming someone or repeating confidential text: each refusal tells a
# little about who spoke, so a member gets only a few before they must wait. Posts and edits
# share the one count (a shared limit's scope), so switching between them gains nothing.
comment_refusals_per_person = limiter.shared_limit(
    _setting("RATELIMIT_COMMENT_REFUSALS"),
    scope="comment-refusals",
    key_func=person,
    methods=["POST"],
    deduct_when=_refused_comment,
    on_breach=_refusals_reached,
)


def seconds_until_reset() -> int | None:
    """Return how long until the limit this request ran into lets it through again."""
    breached = limiter.current_limit
    if breached is None:
        return None
    return max(1, int(breached.reset_at - time.time()))
