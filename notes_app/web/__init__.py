"""The web layer: one blueprint per area, and the request life cycle they share."""

from __future__ import annotations

from flask import Flask

from notes_app.web import (
    account,
    admin,
    auth,
    comments,
    consent,
    converters,
    drafts,
    errors,
    feeds,
    filters,
    home,
    lifecycle,
    meetings,
    notes,
    search,
    session,
)


def init_app(app: Flask) -> None:
    converters.init_app(app)  # before any route is added
    session.init_app(app)
    lifecycle.init_app(app)
    errors.init_app(app)
    filters.init_app(app)
    for blueprint in (
        home.bp,
        auth.bp,
        account.bp,
        admin.bp,
        meetings.bp,
        drafts.bp,
        notes.bp,
        comments.bp,
        consent.bp,
        search.bp,
        feeds.bp,
    ):
        app.register_blueprint(blueprint)
