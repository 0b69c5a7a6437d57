"""Full-text search over what members may read: published notes and visible comments.

The interface the rest of the services call; the index itself is being built (issue 6).
"""

from __future__ import annotations

from notes_app.models import Comment, Meeting, Publication


def index_publication(meeting: Meeting, publication: Publication) -> None:
    """Make `publication` the searchable text of `meeting`, replacing any earlier version."""


def index_comment(comment: Comment) -> None:
    """Index a visible comment, or re-index it after an edit."""


def remove_comment(comment: Comment) -> None:
    """Drop a comment from the index (deleted or hidden)."""
