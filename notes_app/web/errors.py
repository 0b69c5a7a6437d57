"""Error pages: plain words, no traceback, the same headers as every page."""

from __future__ import annotations

from flask import Flask, current_app, render_template
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException, InternalServerError

from notes_app.web.limits import seconds_until_reset

MESSAGES = {
    400: ("Bad request", "The request could not be understood."),
    403: ("Not allowed", "You cannot do that here."),
    404: ("Not found", "There is nothing here, or nothing you can see."),
    405: ("Not allowed", "That action is not available at this address."),
    409: ("Conflict", "Someone else changed this at the same time."),
    413: ("Too large", "What you sent is too large."),
    429: ("Too many attempts", "Please wait a minute before you try again."),
    500: ("Something went wrong", "The error has been logged. Please try again later."),
}


def init_app(app: Flask) -> None:
    app.register_error_handler(CSRFError, _csrf_error)
    app.register_error_handler(429, _too_many_requests)
    app.register_error_handler(HTTPException, _http_error)
    app.register_error_handler(InternalServerError, _server_error)


def render_error(code: int, message: str | None = None):
    title, default = MESSAGES.get(code, ("Error", "Something went wrong."))
    return render_template(
        "errors/error.html", code=code, title=title, message=message or default
    ), code


def _csrf_error(error: CSRFError):
    return render_error(
        400, "The form had expired or was not sent from this site. Reload the page and try again."
    )


def _too_many_requests(error: HTTPException):
    """Say in plain words when to try again, and tell machines too (Retry-After)."""
    wait = seconds_until_reset()
    if wait is None:
        return render_error(429)
    body, code = render_error(429, f"Too many attempts. Please try again {wait_in_words(wait)}.")
    return body, code, {"Retry-After": str(wait)}


def wait_in_words(seconds: int) -> str:
    minutes = -(-seconds // 60)  # rounded up: never tell someone to come back too early
    if minutes <= 1:
        return "in a minute"
    if minutes < 90:
        return f"in {minutes} minutes"
    hours = -(-minutes // 60)
    return f"in {hours} hours" if hours < 36 else f"in {-(-hours // 24)} days"


def _http_error(error: HTTPException):
    if error.code == 413:
        return render_error(413, _too_large_message())
    return render_error(error.code or 500)


def _too_large_message() -> str:
    limit = current_app.config.get("MAX_CONTENT_LENGTH") or 0
    return (
        f"What you sent is too large: the limit is {limit / (1024 * 1024):g} MB for a whole "
        "page or file. Send a smaller file, or shorter text."
    )


def _server_error(error: InternalServerError):
    return render_error(500)
