"""What every request shares: one commit or rollback, and the security headers."""

from __future__ import annotations

from flask import Flask, Response, current_app, g, request

from notes_app.extensions import db

CONTENT_SECURITY_POLICY = "; ".join(
    [
        "default-src 'none'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self'",
        "font-src 'self'",
        "connect-src 'self'",
        "form-action 'self'",
        "frame-ancestors 'none'",
        "base-uri 'none'",
    ]
)

SECURITY_HEADERS = {
    "Content-Security-Policy": CONTENT_SECURITY_POLICY,
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",
    "X-Frame-Options": "DENY",
    "Cross-Origin-Opener-Policy": "same-origin",
    "Permissions-Policy": "camera=(), microphone=(), geolocation=()",
}


def init_app(app: Flask) -> None:
    app.after_request(_finish_transaction)
    app.after_request(_security_headers)


def keep_changes() -> None:
    """Commit this request's changes although it answers with an error (e.g. an audited refusal)."""
    g.keep_changes = True


def _finish_transaction(response: Response) -> Response:
    """Commit what a successful request did; a failed one changes nothing.

    A conflict (409) is committed too: it stores the refused edit as a revision, so that what
    the person typed is not lost, and it changed nothing else. So is a refusal that asked to
    keep its changes (a failed login's audit event).
    """
    if response.status_code < 400 or response.status_code == 409 or g.get("keep_changes"):
        db.session.commit()
    else:
        db.session.rollback()
    return response


def _security_headers(response: Response) -> Response:
    for name, value in SECURITY_HEADERS.items():
        response.headers.setdefault(name, value)
    hsts = current_app.config.get("HSTS")
    if hsts:
        # Outside development the site is only served over HTTPS: browsers must never try HTTP.
        response.headers.setdefault("Strict-Transport-Security", hsts)
    if not request.path.startswith("/static/"):
        # Pages carry members' content: no browser or proxy may keep a copy.
        response.headers["Cache-Control"] = "no-store"
    return response
