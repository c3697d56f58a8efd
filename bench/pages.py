"""Whole pages as a user gets them (issue 12): ``python bench/pages.py [--engine E] [--quick] [--profile]``,
or ``measure(app, counts, ...)`` from ``bench/run.py`` on the province it has generated.

Each page through Flask's test client in this process: every request hook, the query, the template or the
workbook, the response read to its last byte (no network: ``bench/under_load.py`` has the pages over HTTP
under gunicorn). Its user logs in once through the log-in form (``/auth/login``, with the CSRF token of
``/api/v1/auth/csrf``); each request then runs in an app context of its own, so with a fresh database session,
as a request in production. The median of ``runs`` runs after one warm-up, with the fastest and slowest:

- the provincial dashboard with its monthly trend, ``/coverage/?year=Y``, as an organizer (bar 300 ms);
- the largest university's dashboard with its departments, ``/coverage/<code>?year=Y``, as its admin (150 ms);
- the audit log over the year of rows, ``/admin/audit`` (its first page, newest first), as an organizer
  (150 ms);
- the competitions list, ``/competitions/`` (every year's, first page), as an organizer (100 ms);
- the entries Excel of the 5,000-entry competition, ``/competitions/<id>/entries.xlsx`` (1 s);
- the provincial report workbook, ``/coverage/report.xlsx?year=Y`` (1 s);
- bulk accounts for the staff of the largest university (its union has opened none: about 7,800 at scale 1),
  as its admin (3 s): in one request (``POST /staff/<code>/accounts``, the page without JavaScript: the
  password sheet in the answer), and, when the app has them, in steps as the page posts them with the progress
  shown between (``/accounts/step`` until done, then ``/accounts/sheet``). After each run the accounts, grants
  and audit rows it made are deleted (untimed), so every run creates them all.

``--profile`` (or ``profile_pages``) adds, for each page over its bar, where one run's time goes: the SQL
statements (count, time, the slowest) and cProfile's top functions. ``--only WORD`` keeps the pages whose name
holds it. A page that answers other than 200 (or not the expected file) is a failure, not a time.
"""

from __future__ import annotations

import argparse
import cProfile
import io
import json
import os
import pstats
import signal
import statistics
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
for folder in (ROOT, ROOT / "bench"):
    if str(folder) not in sys.path:
        sys.path.insert(0, str(folder))

import table  # noqa: E402  (milliseconds as the table prints them)

XLSX = "spreadsheetml"
HTML = "text/html"


class PageFailed(Exception):
    pass


class Session:
    """One user's browser: a test client logged in through the log-in form, and its CSRF token."""

    def __init__(self, app, username: str, password: str) -> None:
        self.app, self.client, self.username = app, app.test_client(), username
        self.token = json.loads(self.request("GET", "/api/v1/auth/csrf", "json")[1])["csrf_token"]
        form = {"username": username, "password": password, "csrf_token": self.token}
        response, _ = self.request("POST", "/auth/login", None, data=form)
        if response.status_code != 302:
            raise PageFailed(f"{username} could not log in ({response.status_code})")

    def request(self, method: str, path: str, kind: str | None, **options) -> tuple[object, bytes]:
        """The response and its body read to the end, in an app context of its own (a fresh session); an
        answer other than 200 with ``kind`` in its content type fails (``kind=None``: anything goes)."""
        with self.app.app_context():
            response = self.client.open(path, method=method, **options)
            body = response.get_data()
        if kind is not None and (response.status_code != 200 or kind not in (response.content_type or "")):
            raise PageFailed(
                f"{method} {path}: {response.status_code} {response.content_type} {body[:200]!r}"
            )
        return response, body


@dataclass
class Page:
    name: str
    bar_ms: float
    user: str  # "organizer" or "admin" (of the largest university)
    fetch: Callable[[Session], object]
    undo: bool = False  # after each run, delete the rows it wrote (bulk accounts)


@dataclass
class Timing:
    page: Page
    times_ms: list[float]

    @property
    def median(self) -> float:
        return statistics.median(self.times_ms)

    @property
    def ok(self) -> bool:
        return self.median <= self.page.bar_ms


def _get(path: str, kind: str = HTML) -> Callable[[Session], object]:
    return lambda session: session.request("GET", path, kind)


def _accounts_once(code: str) -> Callable[[Session], object]:
    def fetch(session: Session) -> object:
        return session.request("POST", f"/staff/{code}/accounts", XLSX, data={"csrf_token": session.token})

    return fetch


def _accounts_in_steps(code: str) -> Callable[[Session], object]:
    """As the roster page's script does it: step after step until done, then the password sheet."""

    def fetch(session: Session) -> object:
        issued, after = [], None
        while True:
            form = {"csrf_token": session.token} | ({"after": after} if after else {})
            answer = json.loads(session.request("POST", f"/staff/{code}/accounts/step", "json", data=form)[1])
            issued += answer["accounts"]
            if answer["done"]:
                break
            after = answer["after"]
        headers = {"X-CSRFToken": session.token}
        return session.request(
            "POST", f"/staff/{code}/accounts/sheet", XLSX, json={"accounts": issued}, headers=headers
        )

    return fetch


def pages(app, counts: dict, year: int) -> list[Page]:
    """The pages of the province ``counts`` describes (``generate()``'s answer), with their sizes in words."""
    from sqlalchemy import func, select

    from competition.extensions import db
    from competition.models import AuditLog, Competition, Entry, RoleGrant, Staff, University

    code, big = counts["without_staff_accounts"], counts["largest_competition"]
    with app.app_context():
        university = db.session.scalar(select(University).where(University.code == code))
        active = select(func.count()).where(Staff.university_id == university.id, Staff.active.is_(True))
        headcount = db.session.scalar(active)
        with_account = select(RoleGrant.staff_id).where(RoleGrant.staff_id.is_not(None))
        without = db.session.scalar(active.where(Staff.id.not_in(with_account)))
        audit_rows = db.session.scalar(select(func.count()).select_from(AuditLog))
        competitions = db.session.scalar(select(func.count()).select_from(Competition))
        entries = db.session.scalar(select(func.count()).where(Entry.competition_id == big))
    stepped = any(rule.rule.endswith("/accounts/step") for rule in app.url_map.iter_rules())
    listed = [
        Page("page: provincial dashboard with its trend", 300, "organizer", _get(f"/coverage/?year={year}")),
        Page(
            f"page: dashboard of {code} ({headcount:,} staff)",
            150,
            "admin",
            _get(f"/coverage/{code}?year={year}"),
        ),
        Page(f"page: audit log ({audit_rows:,} rows)", 150, "organizer", _get("/admin/audit")),
        Page(f"page: competitions list ({competitions:,})", 100, "organizer", _get("/competitions/")),
        Page(
            f"page: entries Excel ({entries:,} entries)",
            1000,
            "organizer",
            _get(f"/competitions/{big}/entries.xlsx", XLSX),
        ),
        Page(
            "page: provincial report workbook",
            1000,
            "organizer",
            _get(f"/coverage/report.xlsx?year={year}", XLSX),
        ),
        Page(
            f"page: bulk accounts, one request ({without:,} staff)",
            3000,
            "admin",
            _accounts_once(code),
            undo=True,
        ),
    ]
    if stepped:
        name = f"page: bulk accounts in steps, with progress ({without:,} staff)"
        listed.append(Page(name, 3000, "admin", _accounts_in_steps(code), undo=True))
    return listed


def _marks(app) -> dict:
    from sqlalchemy import func, select

    from competition.extensions import db
    from competition.models import AuditLog, RoleGrant, User

    with app.app_context():
        return {
            m: db.session.scalar(select(func.coalesce(func.max(m.id), 0)))
            for m in (RoleGrant, User, AuditLog)
        }


def _undo(app, marks: dict) -> None:
    """Delete what a run wrote after ``marks`` (grants before their accounts), with the engine's foreign-key
    checks off: nothing refers to the new accounts, but each deleted one would have the audit log (whose
    ``user_id`` has no index) scanned for rows to set to NULL, minutes for 8,000 accounts."""
    from sqlalchemy import delete

    from competition.extensions import db

    with app.app_context(), db.engine.connect() as connection:
        sqlite = connection.dialect.name == "sqlite"
        off, on = (
            ("PRAGMA foreign_keys=OFF", "PRAGMA foreign_keys=ON")  # (outside a transaction: before any DML)
            if sqlite
            else ("SET session_replication_role = replica", "SET session_replication_role = DEFAULT")
        )
        connection.exec_driver_sql(off)  # PostgreSQL: a superuser's (the benchmarks connect as one)
        try:
            for model, last in marks.items():
                connection.execute(delete(model.__table__).where(model.__table__.c.id > last))
            connection.commit()
        finally:
            connection.rollback()
            connection.exec_driver_sql(on)
            connection.commit()


def sessions(app, counts: dict) -> dict[str, Session]:
    logins = counts["logins"]
    return {
        "organizer": Session(app, logins["organizer"], logins["password"]),
        "admin": Session(app, logins["largest_university_admin"], logins["password"]),
    }


def time_page(app, page: Page, session: Session, runs: int, warmup: int = 1) -> Timing:
    marks = _marks(app) if page.undo else None
    times = []
    for i in range(warmup + runs):
        start = time.perf_counter()
        page.fetch(session)
        elapsed = (time.perf_counter() - start) * 1000
        if marks is not None:
            _undo(app, marks)
        if i >= warmup:
            times.append(elapsed)
    return Timing(page, times)


def report(timing: Timing, engine: str) -> None:
    runs = ", ".join(table.ms(t).removesuffix(" ms") for t in timing.times_ms)
    verdict = "OK" if timing.ok else "OVER"
    figures = f"median {table.ms(timing.median)} (bar {table.ms(timing.page.bar_ms)}) {verdict}"
    print(
        f"{timing.page.name} [{engine}]: {figures}  (runs: {runs}; load average {os.getloadavg()[0]:.1f})",
        flush=True,
    )


def measure(
    app, counts: dict, *, engine: str, runs: int, year: int, only: str | None = None
) -> tuple[list[table.Row], list[Timing]]:
    """Time every page (``only``: those whose name holds it): a ``table.Row`` each, failures included, and the
    timings of those that answered."""
    logged_in = sessions(app, counts)
    rows, timings = [], []
    for page in pages(app, counts, year):
        if only and only.lower() not in page.name.lower():
            continue
        try:
            timing = time_page(app, page, logged_in[page.user], runs)
        except Exception as error:  # noqa: BLE001 (the table says FAILED; the others still run)
            print(f"{page.name} [{engine}]: FAILED ({error})", flush=True)
            rows.append(table.failed(page.name, engine))
            continue
        report(timing, engine)
        rows.append(table.timed(page.name, engine, timing.times_ms, page.bar_ms))
        timings.append(timing)
    return rows, timings


def anatomy(app, page: Page, session: Session) -> None:
    """Where one run of ``page`` goes: its SQL (count, time, the slowest statements) and the top functions."""
    from sqlalchemy import event

    from competition.extensions import db

    with app.app_context():
        engine = db.engine
    statements: list[tuple[float, str]] = []

    def before(conn, cursor, statement, parameters, context, executemany):
        conn.info.setdefault("started", []).append(time.perf_counter())

    def after(conn, cursor, statement, parameters, context, executemany):
        statements.append(((time.perf_counter() - conn.info["started"].pop()) * 1000, statement))

    marks = _marks(app) if page.undo else None
    event.listen(engine, "before_cursor_execute", before)
    event.listen(engine, "after_cursor_execute", after)
    profiler = cProfile.Profile()
    try:
        start = time.perf_counter()
        profiler.runcall(page.fetch, session)
        total = (time.perf_counter() - start) * 1000
    finally:
        event.remove(engine, "before_cursor_execute", before)
        event.remove(engine, "after_cursor_execute", after)
        if marks is not None:
            _undo(app, marks)
    sql = sum(t for t, _ in statements)
    print(f"  where {page.name} goes (one run under cProfile, {table.ms(total)}): {len(statements)} SQL "
          f"statements, {table.ms(sql)} in the database driver", flush=True)  # fmt: skip
    for ms, statement in sorted(statements, reverse=True)[:3]:
        print(f"    {table.ms(ms)}: {' '.join(statement.split())[:160]}", flush=True)
    for order, title, restriction in (
        ("cumulative", "the app's functions, by cumulative time", ("competition/", 10)),
        ("tottime", "every function, by own time", (8,)),
    ):
        out = io.StringIO()
        pstats.Stats(profiler, stream=out).sort_stats(order).print_stats(*restriction)
        lines = [line for line in out.getvalue().splitlines() if line.strip()]
        start = next(i for i, line in enumerate(lines) if line.lstrip().startswith("ncalls"))
        shown = []
        for line in lines[start + 1 :]:  # ncalls tottime percall cumtime percall where
            parts = line.split(None, 5)
            where = parts[5].split("site-packages/")[-1].replace(f"{ROOT}/", "")
            shown.append(f"{parts[3] if order == 'cumulative' else parts[1]} s {where}")
        print(f"    {title}: " + "; ".join(shown), flush=True)


def profile_pages(app, counts: dict, timings: list[Timing], everything: bool = False) -> None:
    """``anatomy`` of each page over its bar (``everything``: of each page)."""
    logged_in = sessions(app, counts)
    for timing in timings:
        if everything or not timing.ok:
            anatomy(app, timing.page, logged_in[timing.page.user])


def main() -> int:
    import judging
    from flask import current_app
    from generate import generate

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--engine", choices=("sqlite", "postgresql"), help="one engine only")
    parser.add_argument("--quick", action="store_true", help="scale 0.1 and 3 runs")
    parser.add_argument("--scale", type=float)
    parser.add_argument("--runs", type=int)
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--year", type=int, default=2026)
    parser.add_argument("--only", help="the pages whose name holds this")
    parser.add_argument("--profile", action="store_true", help="where the time goes, for the pages over")
    args = parser.parse_args()
    scale, runs = args.scale or (0.1 if args.quick else 1.0), args.runs or (3 if args.quick else 7)
    signal.signal(signal.SIGTERM, lambda signum, _frame: sys.exit(128 + signum))  # clean-ups still run
    print(
        f"Pages at scale {scale:g}; {os.cpu_count()} cores, load average {os.getloadavg()[0]:.1f}", flush=True
    )
    for engine in ("sqlite", "postgresql"):
        if args.engine and engine != args.engine:
            continue
        with judging.database(engine) as target:
            if target is None:
                continue
            with judging.migrated(*target):
                app = current_app._get_current_object()
                counts = generate(seed=args.seed, year=args.year, scale=scale)
                print(f"generate province [{engine}]: {counts['seconds']:.1f} s", flush=True)
            _rows, timings = measure(app, counts, engine=engine, runs=runs, year=args.year, only=args.only)
            if args.profile:
                profile_pages(app, counts, timings)
            with app.app_context():
                from competition.extensions import db

                db.engine.dispose()
    return 0


if __name__ == "__main__":
    sys.exit(main())
