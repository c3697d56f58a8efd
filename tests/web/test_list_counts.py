"""Counting long lists: ``fetch_page`` counts without the ORDER BY, may stop at a limit (the audit log stops
past its newest 20,000 lines) and needs no count for a first page that is not full; the audit log's count and
pages stay right with filters."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest
from flask import template_rendered
from sqlalchemy import event, func, insert, select

from competition.extensions import db
from competition.models import AuditLog
from competition.pagination import PageRequest, count_rows, fetch_page
from competition.services import audit_log
from tests.builders import login_as

START = datetime(2026, 11, 2, 2, 0)


def _lines(action: str, n: int, *, university_id: int | None = None, first: int = 0) -> None:
    """``n`` lines of ``action``, a minute apart (the newest last), in one statement."""
    rows = [
        {
            "at": START + timedelta(minutes=first + i),
            "action": action,
            "object_type": "system",
            "university_id": university_id,
            "details": {"n": first + i},
        }
        for i in range(n)
    ]
    db.session.execute(insert(AuditLog), rows)
    db.session.commit()


@pytest.fixture
def statements(ctx):
    """The SQL statements run while the test's block runs: ``with statements() as seen: ...``."""
    from contextlib import contextmanager

    @contextmanager
    def watch():
        seen: list[str] = []

        def record(_conn, _cursor, statement, *_args):
            seen.append(statement)

        event.listen(db.engine, "before_cursor_execute", record)
        try:
            yield seen
        finally:
            event.remove(db.engine, "before_cursor_execute", record)

    return watch


def _of(action: str):
    return select(AuditLog).where(AuditLog.action == action).order_by(AuditLog.at.desc(), AuditLog.id.desc())


def test_count_rows_is_exact_and_stops_past_a_limit(world):
    _lines("demo.load", 7)
    assert count_rows(_of("demo.load")) == 7
    assert count_rows(_of("demo.load"), at_most=10) == 7
    assert count_rows(_of("demo.load"), at_most=7) == 7
    assert count_rows(_of("demo.load"), at_most=3) == 4  # "more than 3"
    assert count_rows(_of("nothing.here")) == 0


def test_the_count_drops_the_order_and_the_columns(world, statements):
    _lines("demo.load", 3)
    with statements() as seen:
        count_rows(_of("demo.load"), at_most=2)
    (sql,) = seen
    assert "ORDER BY" not in sql.upper() and "details" not in sql and "LIMIT" in sql.upper()


def test_a_first_page_that_is_not_full_is_not_counted(world, statements):
    _lines("demo.load", 3)
    with statements() as seen:
        found = fetch_page(_of("demo.load"), PageRequest(1, 5))
    assert (len(found.items), found.total, found.pages, found.more) == (3, 3, 1, False)
    assert len(seen) == 1 and "count(" not in seen[0].lower()
    with statements() as seen:
        full = fetch_page(_of("demo.load"), PageRequest(1, 3))
    assert (len(full.items), full.total) == (3, 3) and len(seen) == 2  # full: counted


def test_a_bounded_count_says_more_and_keeps_the_pages_within_it(world):
    _lines("demo.load", 12)
    found = fetch_page(_of("demo.load"), PageRequest(2, 3), count_limit=8)
    assert (found.total, found.more, found.page, found.pages) == (8, True, 2, 3)
    assert [line.details["n"] for line in found.items] == [8, 7, 6]  # newest first: 11 10 9 | 8 7 6
    beyond = fetch_page(_of("demo.load"), PageRequest(9, 3), count_limit=8)
    assert (beyond.page, beyond.more, [line.details["n"] for line in beyond.items]) == (3, True, [5, 4])
    exact = fetch_page(_of("demo.load"), PageRequest(2, 5), count_limit=12)
    assert (exact.total, exact.more, exact.pages) == (12, False, 3)


# --- the audit log's pages ----------------------------------------------------------------------------------


@pytest.fixture
def shown(app):
    """The context of the last page rendered."""
    seen: dict = {}

    def keep(_sender, template, context, **_extra):
        seen.update(context)

    template_rendered.connect(keep, app)
    yield seen
    template_rendered.disconnect(keep, app)


def _page(client, shown: dict, **params) -> dict:
    response = client.get("/admin/audit", query_string=params)
    assert response.status_code == 200
    return shown


def test_the_log_counts_right_with_filters_and_pages(app, client, world, shown):
    _lines("demo.load", 7)
    _lines("screen.rotate", 5, university_id=world["zju"].id, first=100)
    _lines("screen.rotate", 2, university_id=world["hzu"].id, first=200)
    login_as(client, "org")
    everything = db.session.scalar(select(func.count()).select_from(AuditLog))
    page = _page(client, shown, per_page=4)
    assert (page["total"], page["more"], page["page"].page) == (everything, False, 1)
    page = _page(client, shown, action="demo.load", per_page=3, page=3)
    assert (page["total"], page["more"], page["page"].page) == (7, False, 3)
    assert sum(len(lines) for _day, lines in page["days"]) == 1  # 3 + 3 + 1
    page = _page(client, shown, action="screen.rotate", per_page=50)  # not full: the rows are the count
    assert (page["total"], page["more"]) == (7, False)
    page = _page(client, shown, action="screen.rotate", per_page=50, object="university", q="浙江")
    assert page["total"] == 5
    admin = app.test_client()
    login_as(admin, "zju_admin")  # scoped to ZJU's lines
    page = _page(admin, shown, action="screen.rotate", per_page=2)
    assert (page["total"], page["more"]) == (5, False)


def test_past_the_newest_lines_the_log_says_more_and_pages_within_them(client, world, shown, monkeypatch):
    monkeypatch.setattr(audit_log, "NEWEST", 6)
    _lines("demo.load", 10)
    login_as(client, "org")
    page = _page(client, shown, action="demo.load", per_page=4)
    assert (page["total"], page["more"], page["page"].page) == (6, True, 1)
    page = _page(client, shown, action="demo.load", per_page=4, page=5)  # beyond: the last page within
    assert (page["page"].page, sum(len(lines) for _day, lines in page["days"])) == (2, 2)
    page = _page(client, shown, action="demo.load", per_page=4, **{"from": "2026-11-02", "to": "2026-11-02"})
    assert page["more"] is True  # still ten lines that day
    exported = client.get("/admin/audit.xlsx", query_string={"action": "demo.load"})
    assert exported.status_code == 200  # the export counts in full ("6 of 10": test_audit_log)
