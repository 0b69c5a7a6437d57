"""The corpus publishes hundreds of meetings: on SQLite, without waiting for the disk."""

from __future__ import annotations

import pytest
from sqlalchemy import event

from notes_app.extensions import db


def _no_fsync(connection, _record) -> None:
    cursor = connection.cursor()
    cursor.execute("PRAGMA synchronous=OFF")  # a test database: losing it on a crash is fine
    cursor.close()


@pytest.fixture(scope="module", autouse=True)
def _sqlite_without_fsync(_app):
    with _app.app_context():
        engine = db.engine
    if engine.dialect.name != "sqlite":
        yield
        return
    engine.dispose()
    event.listen(engine, "connect", _no_fsync)
    yield
    event.remove(engine, "connect", _no_fsync)
    engine.dispose()
