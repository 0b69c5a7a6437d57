"""Full-text search over what members may read: published notes and visible comments.

The index holds only text members can already see: the items of a meeting's latest publication
(redacted), its member-safe title, and comments that are neither hidden nor deleted. A search
returns rows only from the networks whose meetings the actor may read.

The index tables are written per database by migration 0004 and are not SQLAlchemy models:
`search_entries` on both, with an FTS5 table `search_fts` over it on SQLite and a generated
tsvector column on PostgreSQL.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from html.parser import HTMLParser

from markupsafe import Markup, escape
from sqlalchemy import bindparam, delete, func, insert, select, text, update
from sqlalchemy.sql import column, table

from notes_app.domain import limits, policy
from notes_app.domain.policy import Actor
from notes_app.extensions import db
from notes_app.models import Comment, Meeting, Publication, User
from notes_app.services import protection, publications

SEARCH_TABLES = frozenset({"search_entries", "search_fts"})
MAX_QUERY_LENGTH = limits.SEARCH_QUERY.characters
MAX_QUERY_WORDS = 12
DEFAULT_LIMIT = 50

# Rows of the index. `kind` is "meeting" (the member-safe title), "item" or "comment".
entries = table(
    "search_entries",
    column("id"),
    column("kind"),
    column("network_id"),
    column("meeting_id"),
    column("item_id"),
    column("comment_id"),
    column("title"),
    column("byline"),
    column("body"),
)

# The snippet is made with these private-use characters around each hit, escaped, and only then
# are they turned into <mark>: no text from the index can become markup.
_START, _STOP = "\ue000", "\ue001"
# PostgreSQL's headline drops anything that looks like a tag; these stand in for < and > there.
_LT, _GT = "\ue002", "\ue003"
_MARKERS = re.compile(f"[{_START}{_STOP}{_LT}{_GT}]")
_WORD = re.compile(r"\w+")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def is_search_table(name: str) -> bool:
    """Whether a table belongs to the index (FTS5 keeps shadow tables named search_fts_*)."""
    return name in SEARCH_TABLES or name.startswith("search_fts_")


def include_name(name: str | None, type_: str, parent_names) -> bool:
    """Alembic's filter: leave the index tables out of the comparison with the models."""
    return not (type_ == "table" and name is not None and is_search_table(name))


# Indexing ------------------------------------------------------------------------------------


def index_publication(meeting: Meeting, publication: Publication) -> None:
    """Make `publication` the searchable text of `meeting`, replacing any earlier version."""
    newest = db.session.scalar(
        select(func.max(Publication.version)).where(Publication.meeting_id == meeting.id)
    )
    if newest is not None and publication.version < newest:
        return  # an older version re-made: members never see it, so it is not searchable
    title = _member_title(meeting)
    db.session.execute(
        delete(entries).where(
            entries.c.meeting_id == meeting.id, entries.c.kind.in_(("meeting", "item"))
        )
    )
    rows = [_row(meeting, "meeting", title=title, body=title)]
    for item in publication.items or ():
        rows.append(
            _row(
                meeting,
                "item",
                title=title,
                item_id=item["id"],
                byline=item.get("attribution") or "",
                body=plain_text(item.get("html") or ""),
            )
        )
    db.session.execute(insert(entries), rows)
    # Comments carry the meeting's title too; a new publication may scrub it differently.
    db.session.execute(
        update(entries)
        .where(entries.c.meeting_id == meeting.id, entries.c.kind == "comment")
        .values(title=title)
    )


def refresh_meeting(meeting: Meeting) -> None:
    """Index a published meeting again after what protects its title changed (speakers, terms,
    consent) or its title itself; an unpublished meeting has nothing indexed."""
    db.session.flush()
    latest = publications.latest_publication(meeting)
    if latest is not None:
        index_publication(meeting, latest)


def index_comment(comment: Comment) -> None:
    """Index a visible comment, or re-index it after an edit; hidden or deleted ones are dropped."""
    remove_comment(comment)
    if comment.deleted_at is not None or comment.hidden_at is not None:
        return
    meeting = db.session.get(Meeting, comment.meeting_id)
    title = db.session.scalar(
        select(entries.c.title).where(
            entries.c.meeting_id == meeting.id, entries.c.kind == "meeting"
        )
    )
    if title is None:
        title = _member_title(meeting)
    byline = "a member"
    if not comment.anonymous and comment.author_id is not None:
        name = db.session.scalar(select(User.name).where(User.id == comment.author_id)) or ""
        byline = protection.meeting_byline(meeting, name)
    db.session.execute(
        insert(entries),
        [
            _row(
                meeting,
                "comment",
                title=title,
                item_id=comment.item_id,
                comment_id=comment.id,
                byline=byline,
                body=plain_text(comment.html or ""),
            )
        ],
    )


def refresh_bylines(meeting: Meeting) -> None:
    """Make the indexed bylines of the meeting's comments pass its gate as it stands now."""
    rows = db.session.execute(
        select(entries.c.comment_id, entries.c.byline, Comment.anonymous, User.name)
        .join(Comment, Comment.id == entries.c.comment_id)
        .outerjoin(User, User.id == Comment.author_id)
        .where(entries.c.meeting_id == meeting.id, entries.c.kind == "comment")
    ).all()
    protected = [row for row in rows if not row.anonymous and row.name]
    if not protected:
        return
    draft, terms = protection.meeting_protection(meeting)
    for row in protected:
        byline = _clean(protection.byline_for_members(row.name, terms, draft))
        if byline != row.byline:
            db.session.execute(
                update(entries)
                .where(entries.c.kind == "comment", entries.c.comment_id == row.comment_id)
                .values(byline=byline)
            )


def remove_comment(comment: Comment) -> None:
    """Drop a comment from the index (deleted or hidden)."""
    if comment.id is not None:
        db.session.execute(delete(entries).where(entries.c.comment_id == comment.id))


def rebuild() -> int:
    """Index everything members can read again, from scratch; return the number of meetings.

    For publications made before the index existed (migration 0004), or after a restore.
    """
    db.session.execute(delete(entries))
    published = db.session.scalars(
        select(Meeting)
        .where(select(Publication.id).where(Publication.meeting_id == Meeting.id).exists())
        .order_by(Meeting.id)
    ).all()
    for meeting in published:
        index_publication(meeting, publications.latest_publication(meeting))
    visible = select(Comment).where(
        Comment.meeting_id.in_([m.id for m in published]),
        Comment.deleted_at.is_(None),
        Comment.hidden_at.is_(None),
    )
    for comment in db.session.scalars(visible.order_by(Comment.id)):
        index_comment(comment)
    return len(published)


def _row(meeting: Meeting, kind: str, **values) -> dict:
    row = {
        "kind": kind,
        "network_id": meeting.network_id,
        "meeting_id": meeting.id,
        "item_id": None,
        "comment_id": None,
        "title": "",
        "byline": "",
        "body": "",
    }
    row.update(values)
    for key in ("title", "byline", "body"):
        row[key] = _clean(row[key])
    return row


def _member_title(meeting: Meeting) -> str:
    return protection.meeting_for_members(meeting).title


def member_titles(meetings: list[Meeting]) -> dict[int, str]:
    """Return each meeting's title as members may see it.

    Published meetings have theirs in the index (one query for all); the others are scrubbed
    one by one, which costs a few queries each, so callers should pass only a few of them.
    """
    ids = [m.id for m in meetings]
    stored = dict(
        db.session.execute(
            select(entries.c.meeting_id, entries.c.title).where(
                entries.c.kind == "meeting", entries.c.meeting_id.in_(ids)
            )
        ).all()
        if ids
        else []
    )
    return {m.id: stored[m.id] if m.id in stored else _member_title(m) for m in meetings}


class _TextOnly(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []

    def handle_starttag(self, tag, attrs) -> None:
        self.parts.append(" ")  # attributes (link targets, image text) are not indexed

    def handle_endtag(self, tag) -> None:
        self.parts.append(" ")

    def handle_data(self, data: str) -> None:
        self.parts.append(data)


def plain_text(html: str) -> str:
    """Return the text a reader sees in sanitised HTML: tags dropped, entities decoded."""
    parser = _TextOnly()
    parser.feed(html)
    parser.close()
    return " ".join("".join(parser.parts).split())


def _clean(value: str) -> str:
    return _CONTROL.sub(" ", _MARKERS.sub("", value or ""))


# Searching -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Result:
    kind: str  # "meeting", "item" or "comment"
    network_slug: str
    network_name: str
    meeting_slug: str
    title: str
    byline: str
    snippet: Markup
    item_id: str | None
    comment_id: int | None

    @property
    def anchor(self) -> str | None:
        """The fragment of the notes page where the hit is."""
        if self.kind == "comment":
            return f"comment-{self.comment_id}"
        if self.kind == "item":
            return f"item-{self.item_id}"
        return None


def query_words(query: str) -> list[str]:
    """Split a query into plain words; punctuation, operators and quotes are dropped."""
    return _WORD.findall(_CONTROL.sub(" ", query[:MAX_QUERY_LENGTH]))[:MAX_QUERY_WORDS]


def search(
    actor: Actor, query: str, *, limit: int = DEFAULT_LIMIT, network_id: int | None = None
) -> list[Result]:
    """Search the notes and comments of the networks `actor` may read, best match first.

    A query over the limit is cut to it (a read changes nothing, and the cut bounds the work);
    the search page refuses one with the limit in words before it gets here.
    """
    readable = [n for n in actor.roles if policy.can_read_meetings(actor, n)]
    if network_id is not None:
        readable = [n for n in readable if n == network_id]
    words = query_words(query)
    if not readable or not words:
        return []
    params = {"networks": readable, "limit": max(1, min(limit, DEFAULT_LIMIT))}
    if db.engine.dialect.name == "postgresql":
        # websearch_to_tsquery accepts any text: quotes, "or" and "-word" work, nothing fails.
        statement = _POSTGRESQL
        params |= {
            "query": _CONTROL.sub(" ", query[:MAX_QUERY_LENGTH]),
            "options": _HEADLINE,
            "lt": _LT,
            "gt": _GT,
        }
    else:
        # Each word becomes a quoted string: FTS5 reads no operator, prefix or column from it.
        statement = _SQLITE
        params |= {"match": " ".join(f'"{w}"' for w in words), "start": _START, "stop": _STOP}
    rows = db.session.execute(statement, params).mappings().all()
    return [
        Result(
            kind=row["kind"],
            network_slug=row["network_slug"],
            network_name=row["network_name"],
            meeting_slug=row["meeting_slug"],
            title=row["title"],
            byline=row["byline"],
            snippet=highlight(row["snippet"] or ""),
            item_id=row["item_id"],
            comment_id=row["comment_id"],
        )
        for row in rows
    ]


def highlight(snippet: str) -> Markup:
    """Escape a snippet, then turn its hit markers into <mark> (dropped if unbalanced)."""
    escaped = str(escape(snippet.replace(_LT, "<").replace(_GT, ">")))
    opened = escaped.count(_START)
    if opened != escaped.count(_STOP):
        return Markup(_MARKERS.sub("", escaped))  # noqa: S704 (escaped above)
    return Markup(escaped.replace(_START, "<mark>").replace(_STOP, "</mark>"))  # noqa: S704


# What both queries share: the row's meeting and network as they are now, and a comment only
# while it is visible (the index drops hidden ones too; this holds even if a caller forgot).
_VISIBLE = """
    JOIN meetings m ON m.id = e.meeting_id AND m.network_id = e.network_id
    JOIN networks n ON n.id = e.network_id
    LEFT JOIN comments c ON c.id = e.comment_id
    WHERE e.network_id IN :networks
      AND (e.comment_id IS NULL OR (c.deleted_at IS NULL AND c.hidden_at IS NULL))
"""
_COLUMNS = """
    e.kind, e.item_id, e.comment_id, e.title, e.byline,
    n.slug AS network_slug, n.name AS network_name, m.slug AS meeting_slug
"""

_SQLITE = text(
    "SELECT"
    + _COLUMNS
    + ", snippet(search_fts, -1, :start, :stop, '…', 24) AS snippet"
    + " FROM search_fts JOIN search_entries e ON e.id = search_fts.rowid"
    + _VISIBLE
    + " AND search_fts MATCH :match"
    + " ORDER BY bm25(search_fts), e.id DESC LIMIT :limit"
).bindparams(bindparam("networks", expanding=True))

_HEADLINE = (
    f'StartSel="{_START}", StopSel="{_STOP}", MaxWords=35, MinWords=12, ShortWord=3, '
    "HighlightAll=false"
)

_POSTGRESQL = text(
    "SELECT"
    + _COLUMNS
    + ", ts_headline('english'::regconfig, replace(replace(e.body, '<', :lt), '>', :gt),"
    + " q.query, :options) AS snippet"
    + " FROM search_entries e"
    + " CROSS JOIN websearch_to_tsquery('english'::regconfig, :query) AS q(query)"
    + _VISIBLE
    + " AND e.document @@ q.query"
    + " ORDER BY ts_rank(e.document, q.query) DESC, e.id DESC LIMIT :limit"
).bindparams(bindparam("networks", expanding=True))
