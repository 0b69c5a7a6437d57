"""The search index: published notes and visible comments, full-text searchable.

The tables are written with SQL per database (an FTS5 table on SQLite, a tsvector column with a
GIN index on PostgreSQL), so they are not in the SQLAlchemy models; env.py and the migration tests
leave them out of the comparison with the models (notes_app.services.search.include_name).

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-21 22:00:00

"""
from alembic import op


# revision identifiers, used by Alembic.
revision = '0004'
down_revision = '0003'
branch_labels = None
depends_on = None


def _entries(id_column: str, extra: str = "") -> str:
    return f"""
        CREATE TABLE search_entries (
            id {id_column},
            kind VARCHAR(10) NOT NULL,
            network_id INTEGER NOT NULL
                CONSTRAINT fk_search_entries_network_id_networks
                REFERENCES networks (id) ON DELETE CASCADE,
            meeting_id INTEGER NOT NULL
                CONSTRAINT fk_search_entries_meeting_id_meetings
                REFERENCES meetings (id) ON DELETE CASCADE,
            item_id VARCHAR(32),
            comment_id INTEGER
                CONSTRAINT fk_search_entries_comment_id_comments
                REFERENCES comments (id) ON DELETE CASCADE,
            title TEXT NOT NULL DEFAULT '',
            byline TEXT NOT NULL DEFAULT '',
            body TEXT NOT NULL DEFAULT ''{extra}
        )
    """


INDEXES = [
    "CREATE INDEX ix_search_entries_meeting_id ON search_entries (meeting_id)",
    "CREATE INDEX ix_search_entries_network_id ON search_entries (network_id)",
    "CREATE UNIQUE INDEX uq_search_entries_comment_id ON search_entries (comment_id)",
]

# SQLite: an external-content FTS5 table over search_entries, kept in step by triggers.
SQLITE = [
    _entries("INTEGER NOT NULL PRIMARY KEY"),
    *INDEXES,
    """
    CREATE VIRTUAL TABLE search_fts USING fts5(
        body, byline,
        content='search_entries', content_rowid='id',
        tokenize='porter unicode61 remove_diacritics 2'
    )
    """,
    """
    CREATE TRIGGER search_entries_ai AFTER INSERT ON search_entries BEGIN
        INSERT INTO search_fts (rowid, body, byline) VALUES (new.id, new.body, new.byline);
    END
    """,
    """
    CREATE TRIGGER search_entries_ad AFTER DELETE ON search_entries BEGIN
        INSERT INTO search_fts (search_fts, rowid, body, byline)
        VALUES ('delete', old.id, old.body, old.byline);
    END
    """,
    """
    CREATE TRIGGER search_entries_au AFTER UPDATE OF body, byline ON search_entries BEGIN
        INSERT INTO search_fts (search_fts, rowid, body, byline)
        VALUES ('delete', old.id, old.body, old.byline);
        INSERT INTO search_fts (rowid, body, byline) VALUES (new.id, new.body, new.byline);
    END
    """,
]

# PostgreSQL: the document is a generated tsvector column with a GIN index.
POSTGRESQL = [
    _entries(
        "SERIAL PRIMARY KEY",
        """,
            document TSVECTOR GENERATED ALWAYS AS (
                setweight(to_tsvector('english'::regconfig, body), 'A')
                || setweight(to_tsvector('english'::regconfig, byline), 'B')
            ) STORED""",
    ),
    *INDEXES,
    "CREATE INDEX ix_search_entries_document ON search_entries USING GIN (document)",
]


def upgrade():
    dialect = op.get_bind().dialect.name
    if dialect not in ("sqlite", "postgresql"):
        raise NotImplementedError(f"no search index for {dialect}")
    for statement in SQLITE if dialect == "sqlite" else POSTGRESQL:
        op.execute(statement)


def downgrade():
    if op.get_bind().dialect.name == "sqlite":
        # Dropping the FTS5 table drops its shadow tables; the triggers go with search_entries.
        op.execute("DROP TABLE IF EXISTS search_fts")
    op.execute("DROP TABLE IF EXISTS search_entries")
