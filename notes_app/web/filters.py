"""Template filters."""

from __future__ import annotations

import re

from flask import Flask
from markupsafe import Markup, escape

from notes_app.domain.rendering import render_markdown

SPAN = re.compile(r"\[confidential\](.*?)\[/confidential\]", re.S)


def init_app(app: Flask) -> None:
    app.add_template_filter(mark_confidential)
    app.add_template_filter(markdown)
    app.add_template_filter(published_html)
    app.add_template_filter(comment_html)


def published_html(html: str) -> Markup:
    """Show HTML stored by a publication: it was rendered, sanitised and checked when published."""
    return Markup(html)  # noqa: S704 (sanitised by render_markdown at publication)


def comment_html(html: str) -> Markup:
    """Show a stored comment: it was rendered and sanitised (and checked) when it was posted."""
    return Markup(html)  # noqa: S704 (sanitised by render_markdown when posted)


def markdown(text: str) -> Markup:
    """Render Markdown through the one rendering module, which sanitises it with bleach."""
    return Markup(render_markdown(text))  # noqa: S704 (sanitised by render_markdown)


def mark_confidential(body: str) -> Markup:
    """Show a draft body as text, with its confidential spans marked for the facilitator."""
    # Escape first: the only markup added is our own <mark>, around already-escaped text.
    escaped = str(escape(body))
    marked = SPAN.sub(
        lambda m: (
            f'<mark class="confidential-span" title="Confidential: never published">'
            f'<span class="visually-hidden">Confidential: </span>{m.group(1)}</mark>'
        ),
        escaped,
    )
    return Markup(marked)  # noqa: S704 (escaped above)
