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
                from pathlib import Path

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
