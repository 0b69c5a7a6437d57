"""The migrations build the schema the models describe, up and down, on each database."""

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory
from flask_migrate import downgrade, upgrade
from sqlalchemy import inspect

from notes_app.extensions import db
from notes_app.services.search import include_name, is_search_table


def pending_diff():
    with db.engine.connect() as connection:
        # The search index is not in the models (migration 0004 writes it per database).
        context = MigrationContext.configure(
            connection, opts={"compare_type": True, "include_name": include_name}
        )
        return compare_metadata(context, db.metadata)


def current_revision():
    with db.engine.connect() as connection:
        return MigrationContext.configure(connection).get_current_revision()


def head_revision(app):
    directory = app.extensions["migrate"].directory
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", directory)
    return ScriptDirectory.from_config(config).get_current_head()


def test_models_and_migrations_agree(app):
    with app.app_context():
        assert current_revision() == head_revision(app)
        assert pending_diff() == []


def test_downgrade_to_base_and_upgrade_again(app):
    with app.app_context():
        downgrade(revision="base")
        assert set(inspect(db.engine).get_table_names()) <= {"alembic_version"}
        upgrade()
        assert current_revision() == head_revision(app)
        assert pending_diff() == []


def test_migration_files_are_date_prefixed(app):
    from pathlib import Path

    versions = Path(app.extensions["migrate"].directory) / "versions"
    names = [p.name for p in versions.glob("*.py")]
    assert names
    for name in names:
        assert name[:11].replace("_", "").isdigit(), name


def test_the_search_index_comes_and_goes_with_its_migration(app):
    with app.app_context():
        expected = {"search_entries"} | (
            {"search_fts"} if db.engine.dialect.name == "sqlite" else set()
        )
        assert expected <= set(inspect(db.engine).get_table_names())
        downgrade(revision="0003")
        tables = set(inspect(db.engine).get_table_names())
        assert not any(is_search_table(name) for name in tables)
        assert "meetings" in tables
        upgrade()
        assert expected <= set(inspect(db.engine).get_table_names())
