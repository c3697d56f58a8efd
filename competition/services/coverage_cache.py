"""Each university's coverage figures, kept per process while the data they come from is unchanged.

Coverage changes when entries are approved, not per request (issue 12), so a dashboard need not recompute
150,000 staff on every view. The cache is keyed on **versions**: random tokens in the ``setting`` table,
``coverage_version`` (everything) and ``coverage_version:<university id>`` (one university's figures).

- **Writers bump them from one place**: SQLAlchemy session events, so no service has to remember to. After a
  flush, the ORM changes of coverage's inputs (``INPUTS``: an entry's status, approval moment, competition or
  person; a person's activity, category, department or university; offline participations; a competition's
  year; a university or department at all) mark their university's version (a competition's: everything); a
  bulk statement on one of those tables (a roster or participation import, a draw) marks its universities
  when its rows name them, else everything. The marks are written just before COMMIT (``before_commit``),
  in the same transaction as the change, so PostgreSQL locks a version row only for that instant: a
  10-second roster import does not hold up approvals elsewhere.
- **Readers read the versions first** (one query of at most 61 short rows), then reuse a figure cached under
  the same versions or compute it. A figure is computed after its versions were read, so it holds at least
  every change committed with them: it may be newer than its key, never older. Two app processes (or hosts)
  read the same versions from the shared database, so each one's cache is as fresh as the database.
- Nothing is cached while there is no ``coverage_version`` row (a database never written through the app,
  such as a freshly generated bench province), nor in a transaction that has itself changed an input.

A write that bypasses the session (psql, a bulk load on a raw connection) must call ``bump_all``.
"""

from __future__ import annotations

import re
import threading
import uuid
from collections.abc import Callable
from typing import Any

from sqlalchemy import event, inspect, select
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import Session
from sqlalchemy.sql.elements import TextClause

from ..enums import EntryStatus
from ..extensions import db
from ..models import Competition, Department, Entry, OfflineParticipation, Setting, Staff, University
from ..models._base import utcnow

KEY = "coverage_version"
ALL = 0  # the scope of a change whose universities are not known: every university (the global version)
_PENDING = "coverage_versions_pending"  # session.info: scopes changed in this transaction, not written yet
_COMMITTING = "coverage_versions_committing"

# Model → the attributes that the cached queries read (None: any change), for updates; an insert counts
# (but a pending entry's), and so does a delete. A competition's status is not read: an approved entry counts
# in any competition of its year (drafts take no entries); were drafts excluded, "status" would belong here.
# Universities and departments are read afresh (names), but their rare changes bump their university anyway.
INPUTS: dict[type, tuple[str, ...] | None] = {
    Entry: ("status", "approved_at", "competition_id", "staff_id", "university_id"),
    Staff: ("active", "category", "department_id", "university_id"),
    OfflineParticipation: None,
    Competition: ("year",),
    University: None,
    Department: None,
}
TABLES = {model.__tablename__ for model in INPUTS}
_WRITE = re.compile(r"\s*(?:insert\s+into|update|delete\s+from)\s+\"?(\w+)", re.IGNORECASE)

MAX_ENTRIES = 4096
FEW = 8  # more universities than this to compute (or to read the versions of): all at once
_lock = threading.Lock()
_cache: dict[tuple, tuple[tuple, Any]] = {}  # (kind, year, university id) → (versions, figures)


# --- writers ------------------------------------------------------------------------------------------------


def _scopes(obj) -> set[int]:
    """The universities whose figures a change of ``obj`` touches (ALL: every one)."""
    if isinstance(obj, Competition):
        return {ALL}  # a provincial competition's entries belong to every university
    if isinstance(obj, University):
        return {obj.id} if obj.id is not None else {ALL}
    state = inspect(obj)
    values = {state.dict.get("university_id"), *(state.attrs.university_id.history.deleted or ())}
    return {ALL} if None in values else values


def _changed(session: Session, obj, new: bool) -> bool:
    if new:  # a pending registration counts not yet; a new competition has no entries yet
        return not isinstance(obj, Competition) and (
            not isinstance(obj, Entry) or obj.status == EntryStatus.APPROVED
        )
    watched = INPUTS[type(obj)]
    if watched is None:
        return session.is_modified(obj)
    attrs = inspect(obj).attrs
    return any(attrs[name].history.has_changes() for name in watched)


def _mark(session: Session, scopes: set[int]) -> None:
    session.info.setdefault(_PENDING, set()).update(scopes)
    if session.info.get(_COMMITTING):  # flushed during COMMIT after our before_commit: write at once
        _write(session)


@event.listens_for(Session, "after_flush")
def _after_flush(session: Session, _context) -> None:
    # Still the flushed state here: new, dirty and deleted, with each attribute's history.
    scopes: set[int] = set()
    for obj in session.new:
        if type(obj) in INPUTS and _changed(session, obj, new=True):
            scopes |= _scopes(obj)
    for obj in session.dirty:
        if type(obj) in INPUTS and _changed(session, obj, new=False):
            scopes |= _scopes(obj)
    for obj in session.deleted:
        if type(obj) in INPUTS:
            scopes |= _scopes(obj)
    if scopes:
        _mark(session, scopes)


@event.listens_for(Session, "do_orm_execute")
def _bulk_statement(state) -> None:
    statement = state.statement
    if isinstance(statement, TextClause):
        match = _WRITE.match(statement.text)
        if match and match.group(1).lower() in TABLES:
            _mark(state.session, {ALL})
        return
    if not (state.is_insert or state.is_update or state.is_delete):
        return
    table = getattr(statement, "table", None)
    if getattr(table, "name", None) not in TABLES:
        return
    rows = state.parameters if isinstance(state.parameters, list) else [state.parameters or {}]
    named = {row.get("university_id") for row in rows}
    if state.is_insert and table.name not in ("competition", "university") and rows and None not in named:
        _mark(state.session, named)  # an import's rows each name their university
    else:
        _mark(state.session, {ALL})


@event.listens_for(Session, "before_commit")
def _before_commit(session: Session) -> None:
    if session.in_nested_transaction():
        return  # the outermost commit writes them
    if session.new or session.dirty or session.deleted:
        session.flush()  # so that after_flush has seen every change before the versions are written
    session.info[_COMMITTING] = True
    _write(session)


@event.listens_for(Session, "after_transaction_end")
def _transaction_end(session: Session, transaction) -> None:
    if transaction.parent is None:
        session.info.pop(_PENDING, None)
        session.info.pop(_COMMITTING, None)


def _write(session: Session) -> None:
    scopes = session.info.pop(_PENDING, None)
    if scopes:
        _upsert(session.connection(), scopes)


def _upsert(connection, scopes: set[int]) -> None:
    """New tokens for ``scopes``, in key order (two writers lock the rows in the same order); the global row
    is made if missing, so that caching starts with the first change written through the app."""
    token, now = uuid.uuid4().hex, utcnow()
    # The global row alone when it moves (it already invalidates every university): so that the only writer
    # that locks it locks nothing else, and no two writers can wait for each other.
    keys = [KEY] if ALL in scopes else sorted(f"{KEY}:{scope}" for scope in scopes)
    insert = sqlite_insert if connection.dialect.name == "sqlite" else pg_insert
    table = Setting.__table__
    statement = insert(table).values(
        [{"key": key, "value": {"token": token}, "updated_at": now} for key in keys]
    )
    connection.execute(
        statement.on_conflict_do_update(
            index_elements=[table.c.key],
            set_={"value": statement.excluded.value, "updated_at": statement.excluded.updated_at},
        )
    )
    # locks nothing; at most waits for the global row's writer, which locks nothing else
    if ALL not in scopes:
        connection.execute(
            insert(table)
            .values(key=KEY, value={"token": token}, updated_at=now)
            .on_conflict_do_nothing(index_elements=[table.c.key])
        )


def bump_all() -> None:
    """Invalidate every cached figure (for writes that bypass the session); committed with the session."""
    _upsert(db.session.connection(), {ALL})


# --- readers ------------------------------------------------------------------------------------------------


def _versions(university_ids: list[int]) -> dict[str, str] | None:
    """The current tokens by key; None when figures must not be cached in this transaction."""
    keys = select(Setting.key, Setting.value)
    if len(university_ids) <= FEW:
        keys = keys.where(Setting.key.in_([KEY, *(f"{KEY}:{u}" for u in university_ids)]))
    else:
        keys = keys.where(Setting.key.startswith(KEY, autoescape=True))
    tokens = {key: (value or {}).get("token") for key, value in db.session.execute(keys)}  # autoflushes
    if KEY not in tokens or db.session.info.get(_PENDING):
        return None
    return tokens


def by_university(
    kind: str, year: int, university_ids: list[int], compute: Callable[[list[int] | None], dict[int, Any]]
) -> dict[int, Any]:
    """Each university's figures of a ``kind`` for ``year``: the cached ones whose versions still hold, the
    others from ``compute(ids)``, or ``compute(None)`` (every university in one query) when more than a few
    are missing. A university that ``compute`` leaves out (no staff) gets ``{}``."""

    def computed(ids: list[int]) -> dict[int, Any]:
        found = compute(None if len(ids) > FEW else ids)
        return {u: found.get(u, {}) for u in ids}

    if not university_ids:
        return {}
    tokens = _versions(university_ids)
    if tokens is None:
        return computed(university_ids)
    key_of = {u: (tokens[KEY], tokens.get(f"{KEY}:{u}")) for u in university_ids}
    result: dict[int, Any] = {}
    with _lock:
        for u in university_ids:
            hit = _cache.get((kind, year, u))
            if hit is not None and hit[0] == key_of[u]:
                result[u] = hit[1]
    missing = [u for u in university_ids if u not in result]
    if missing:
        found = computed(missing)
        with _lock:
            if len(_cache) + len(found) > MAX_ENTRIES:
                _cache.clear()
            for u, figures in found.items():
                _cache[(kind, year, u)] = (key_of[u], figures)
        result.update(found)
    return result


def clear() -> None:
    """Forget every cached figure of this process (the benchmarks' cold runs)."""
    with _lock:
        _cache.clear()
