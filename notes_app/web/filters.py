"""Template filters."""

from __future__ import annotations

from flask import Flask
from markupsafe import Markup, escape

from notes_app.domain import dates, markers
from notes_app.domain.rendering import render_markdown

_MARK = (
    '<mark class="confidential-span" title="Confidential: never published">'
    '<span class="visually-hidden">Confidential: </span>{}</mark>'
)


def init_app(app: Flask) -> None:
    app.add_template_filter(mark_confidential)
    app.add_template_filter(mark_confidential_source)
    app.add_template_filter(markdown)
    app.add_template_filter(published_html)
    app.add_template_filter(comment_html)
    app.add_template_filter(meeting_date)


def meeting_date(meeting) -> str:
    """A meeting's day in words, where it is held ("1 July 2025"), not the UTC day it is stored."""
    return dates.long_date(meeting.starts_at, meeting.timezone)


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
    """Show a draft body as text, with its confidential spans marked for the facilitator.

    Spans are found as redaction finds them (`markers.find_spans`), broken markers included:
    what is marked here is exactly what is never published.
    """
    # Escape each piece: the only markup added is our own <mark>, around escaped text.
    ranges = sorted(r for span in markers.find_spans(body).spans for r in span if r[0] < r[1])
    pieces, position = [], 0
    for start, end in ranges:
        pieces += [str(escape(body[position:start])), _MARK.format(escape(body[start:end]))]
        position = end
    pieces.append(str(escape(body[position:])))
    return Markup("".join(pieces))  # noqa: S704 (escaped above)


def mark_confidential_source(source: str) -> Markup:
    """Show a whole notes file as text, with its closed confidential spans marked."""
    pieces, position = [], 0
    for span in markers.CLOSED_SPAN.finditer(source):
        pieces += [str(escape(source[position : span.start(1)])), _MARK.format(escape(span[1]))]
        position = span.end(1)
    pieces.append(str(escape(source[position:])))
    return Markup("".join(pieces))  # noqa: S704 (escaped above)
