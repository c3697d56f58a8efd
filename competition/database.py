"""Engine settings (SQLite: WAL, enforced foreign keys, a busy timeout) and files tied to commits."""

from __future__ import annotations

from pathlib import Path

from flask import Flask
from sqlalchemy import event
from sqlalchemy.orm import Session

from .extensions import db


def _sqlite_pragmas(dbapi_connection, _record) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA busy_timeout=10000")
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.close()


def configure_engine(app: Flask) -> None:
    with app.app_context():
        engine = db.engine
        if engine.dialect.name == "sqlite":
            event.listen(engine, "connect", _sqlite_pragmas)
            if engine.url.database:
                Path(engine.url.database).parent.mkdir(parents=True, exist_ok=True)


def is_sqlite() -> bool:
    return db.engine.dialect.name == "sqlite"


_UNLINK = "unlink_after_commit"


def unlink_after_commit(path: Path) -> None:
    """Delete ``path`` once the current transaction commits; a rollback forgets it (row and file stay)."""
    db.session.info.setdefault(_UNLINK, []).append(path)


@event.listens_for(Session, "after_commit")
def _unlink_committed(session: Session) -> None:
    for path in session.info.pop(_UNLINK, []):
        path.unlink(missing_ok=True)


@event.listens_for(Session, "after_rollback")
def _forget_rolled_back(session: Session) -> None:
    session.info.pop(_UNLINK, None)


# Ids and counts are 32-bit integer columns: a larger number from a URL or a body must not reach the database
# (PostgreSQL refuses it with an error, which would be a 500).
MAX_INT = 2**31 - 1


def is_db_int(value: object) -> bool:
    """A whole number that fits the database's integer columns (``True`` is not a number here)."""
    return isinstance(value, int) and not isinstance(value, bool) and -MAX_INT <= value <= MAX_INT
