"""The benchmarks of DESIGN.md §5 and issue 12 on SQLite and PostgreSQL: ``make bench`` (or ``python
bench/run.py``), ending with one table of every measurement: engine, median, spread, bar, OK or OVER.

For each engine: a throw-away database (a SQLite file in a temporary folder; on PostgreSQL a database
``bench_<pid>`` made with ``createdb`` and dropped at the end whatever happens, or skipped with a message when
the server cannot be reached), the schema through the migrations, the province of ``bench/generate.py``, then
each measurement: the median wall time (``time.perf_counter``) of repeated runs after one warm-up, beside its
bar:

    provincial coverage [sqlite]: median 41.2 ms (bar 300 ms) OK  (runs: 40.8, 41.2, ...)

Each run starts with a fresh database session, as a request would. On the same province: the roster import
(50,000 rows, with its peak memory), the whole pages of ``bench/pages.py`` (dashboards, audit log,
competitions list, entries Excel, report workbook, bulk accounts: through the test client, logged in as their
user), and last, when ``bench/under_load.py`` exists, the pages' p99 under gunicorn while judges and sitters
save (its options take the prefix ``--load-``). Then, for each engine, in databases of their own:
``bench/judging.py``: score-sheet submission under gunicorn beside a trivial endpoint, with 200 judges (its
options take the prefix ``--judging-``, e.g. ``--judging-workers 2``); ``bench/results.py``: the leaderboard
of a 500-entry group scored by 9 judges on 10 criteria, and (``bench/screen_poll.py``) the big screen's
unchanged poll (304) under gunicorn beside the same trivial endpoint (``--results-``);
``bench/item_analysis.py``: item analysis of 20,000 submitted attempts of 100-question papers (``--items-``);
and ``bench/exam_answers.py``: answer saving under gunicorn beside the trivial endpoint, 200 people of one
university answering at once (``--answers-``).
Options: ``--quick`` (scale 0.1, 3 runs, shorter judging, results, answers and load phases, 2,000 attempts for
the item analysis), ``--only NAME`` (the measurements whose name contains NAME: provincial, university,
roster, page, a page's words such as audit or accounts, load, judging, results, leaderboard, poll, exams,
item, answer), ``--runs N``, ``--scale X``, ``--engine sqlite|postgresql``, ``--profile`` (where the time of
each page over its bar goes). PostgreSQL is reached as ``PG_USER@PG_HOST:PG_PORT`` (default
postgres@127.0.0.1:5432), like ``make test-pg``. Exit status 1 when a measurement failed (not when one is over
its bar: the figures are for reading, and nothing in the test suite asserts a time). The first line and the
table give the machine's load average: figures taken while other work runs are slower.
"""

from __future__ import annotations

import argparse
import importlib
import logging
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import traceback
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

import collect  # noqa: E402  (the other benchmarks' figures, as rows of the table)
import table  # noqa: E402  (the final table)
from table import Row  # noqa: E402

YEAR = 2026
ROSTER_ROWS = 50_000
PG_HOST = os.environ.get("PG_HOST", "127.0.0.1")
PG_PORT = os.environ.get("PG_PORT", "5432")
PG_USER = os.environ.get("PG_USER", "postgres")


class Unavailable(Exception):
    """The code under measurement does not exist yet."""


@dataclass
class Measurement:
    name: str
    bar_ms: float
    # Given the context, returns the function to time (raises Unavailable when it does not exist yet).
    prepare: Callable[[dict], Callable[[], object]]


def _service(name: str):
    try:
        module = importlib.import_module("competition.services.coverage")
    except ImportError as error:
        raise Unavailable("competition.services.coverage") from error
    function = getattr(module, name, None)
    if function is None:
        raise Unavailable(f"competition.services.coverage.{name}")
    return function


def _fresh_session() -> None:
    from competition.extensions import db

    db.session.remove()


def _provincial(context: dict) -> Callable[[], object]:
    province_coverage = _service("province_coverage")

    def run():
        return province_coverage(year=YEAR)

    return run


def _university(context: dict) -> Callable[[], object]:
    from competition.extensions import db
    from competition.models import University

    university_coverage = _service("university_coverage")
    university_id = context["largest_university_id"]

    def run():
        # Loading the university belongs to the request too (a primary-key read).
        return university_coverage(university=db.session.get(University, university_id), year=YEAR)

    return run


MEASUREMENTS = (
    Measurement("provincial coverage", 300, _provincial),
    Measurement("university coverage", 150, _university),
)
ROSTER = "roster import 50,000 rows"
ROSTER_BAR_MS, ROSTER_MEMORY_BAR_MB = 15_000, 500
OWN_DATABASE = collect.OWN_DATABASE
# The words of bench/pages.py's pages (their names hold figures of the province) that ``--only`` matches.
PAGE_WORDS = (
    "page",
    "provincial dashboard",
    "dashboard of",
    "audit log",
    "competitions list",
    "entries excel",
    "provincial report workbook",
    "bulk accounts",
)


def _figure(ms: float) -> str:
    return f"{ms:,.0f}" if ms >= 100 else f"{ms:.1f}"


def _report(name: str, engine: str, times_ms: list[float], bar_ms: float, note: str = "") -> Row:
    row = table.timed(name, engine, times_ms, bar_ms)
    runs = ", ".join(_figure(t) for t in times_ms)
    figures = f"median {row.median} (bar {bar_ms:,.0f} ms) {row.verdict}"
    print(f"{name} [{engine}]: {figures}  (runs: {runs}){note}", flush=True)
    return row


def _time(function: Callable[[], object], runs: int, warmup: int = 1) -> list[float]:
    times = []
    for i in range(warmup + runs):
        _fresh_session()
        start = time.perf_counter()
        function()
        elapsed = (time.perf_counter() - start) * 1000
        if i >= warmup:
            times.append(elapsed)
    _fresh_session()
    return times


def _roster(engine: str, runs: int, rows: int) -> list[Row]:
    """The roster import of ``rows`` rows into a university of its own, beside the province."""
    import roster_import

    data = roster_import.roster_xlsx(rows)
    university = roster_import.bench_university()
    roster_import.import_once(university, data, rows)  # warm-up
    times = [roster_import.import_once(university, data, rows)[0] * 1000 for _ in range(runs)]
    timed = _report(ROSTER, engine, times, ROSTER_BAR_MS)
    # tracemalloc slows Python several times over: the peak comes from a run of its own, not timed.
    peak = roster_import.import_once(university, data, rows, traced=True)[1]
    memory = table.memory(f"{ROSTER}, peak memory", engine, peak, ROSTER_MEMORY_BAR_MB)
    print(
        f"{ROSTER}, peak memory [{engine}]: {peak:,.0f} MB (bar {ROSTER_MEMORY_BAR_MB} MB) "
        f"{memory.verdict}  (tracemalloc, one separate run)",
        flush=True,
    )
    _fresh_session()
    return [timed, memory]


@contextmanager
def _sqlite() -> Iterator[tuple[str, str]]:
    folder = tempfile.mkdtemp(prefix="bench-sqlite-")
    try:
        yield f"sqlite:///{folder}/bench.db", folder
    finally:
        shutil.rmtree(folder, ignore_errors=True)


@contextmanager
def _postgresql() -> Iterator[tuple[str, str] | None]:
    name = f"bench_{os.getpid()}"
    where = ["-h", PG_HOST, "-p", PG_PORT, "-U", PG_USER]
    try:
        made = subprocess.run(["createdb", *where, name], capture_output=True, text=True, timeout=30)
    except (OSError, subprocess.TimeoutExpired) as error:
        print(f"PostgreSQL skipped: createdb could not run ({error}).", flush=True)
        yield None
        return
    if made.returncode != 0:
        reason = (
            made.stderr.strip().splitlines()[-1].strip() if made.stderr.strip() else f"exit {made.returncode}"
        )
        print(
            f"PostgreSQL skipped: no server reachable at {PG_USER}@{PG_HOST}:{PG_PORT} ({reason}).",
            flush=True,
        )
        yield None
        return
    folder = tempfile.mkdtemp(prefix="bench-pg-")
    try:
        yield f"postgresql+psycopg://{PG_USER}@{PG_HOST}:{PG_PORT}/{name}", folder
    finally:
        shutil.rmtree(folder, ignore_errors=True)
        dropped = subprocess.run(
            ["dropdb", *where, "--if-exists", "--force", name], capture_output=True, text=True, timeout=60
        )
        if dropped.returncode != 0:
            print(f"Could not drop the database {name}: {dropped.stderr.strip()}", file=sys.stderr)


def _bench_engine(engine: str, url: str, folder: str, args, selected: list[str]) -> list[Row]:
    from flask import current_app
    from flask_migrate import upgrade
    from generate import generate
    from sqlalchemy import func, select

    from competition import create_app
    from competition.extensions import db
    from competition.models import Staff

    rows: list[Row] = []
    app = create_app(
        {
            "INSTANCE_PATH": folder,
            "SQLALCHEMY_DATABASE_URI": url,
            "SECRET_KEY": "benchmark-secret-key-that-is-long-enough-000",
        }
    )
    with app.app_context():
        try:
            logging.disable(logging.INFO)  # Alembic's "Running upgrade ..." lines
            try:
                upgrade(directory=str(ROOT / "migrations"))
            finally:
                logging.disable(logging.NOTSET)
            counts = generate(seed=args.seed, year=YEAR, scale=args.scale)
            print(
                f"generate province [{engine}]: {counts['seconds']:.1f} s (plan {counts['plan_seconds']:.1f} "
                f"s, write {counts['write_seconds']:.1f} s, the contests {counts['contests_seconds']:.1f} s; "
                f"{counts['universities']} universities, {counts['staff']:,} staff, "
                f"{counts['competitions']} competitions, {counts['entries']:,} entries, "
                f"{counts['offline_participations']:,} offline participations, {counts['accounts']:,} "
                f"accounts, {counts['audit_rows']:,} audit rows, the 500-entry group and the quiz)",
                flush=True,
            )
            largest = db.session.execute(
                select(Staff.university_id, func.count())
                .group_by(Staff.university_id)
                .order_by(func.count().desc(), Staff.university_id)
                .limit(1)
            ).one()
            context = {"largest_university_id": largest[0], "largest_headcount": largest[1]}
            _fresh_session()
            for measurement in MEASUREMENTS:
                if measurement.name not in selected:
                    continue
                try:
                    function = measurement.prepare(context)
                except Unavailable as missing:
                    print(f"{measurement.name} [{engine}]: not yet available ({missing})", flush=True)
                    continue
                try:
                    times = _time(function, args.runs)
                except Exception:
                    print(f"{measurement.name} [{engine}]: FAILED", flush=True)
                    traceback.print_exc()
                    rows.append(table.failed(measurement.name, engine))
                    db.session.rollback()
                    continue
                note = f"  [{largest[1]:,} staff]" if measurement.name == "university coverage" else ""
                rows.append(_report(measurement.name, engine, times, measurement.bar_ms, note))
            if ROSTER in selected:
                try:
                    rows += _roster(engine, args.roster_runs, args.roster_rows)
                except Exception:
                    print(f"{ROSTER} [{engine}]: FAILED", flush=True)
                    traceback.print_exc()
                    rows.append(table.failed(ROSTER, engine))
            _fresh_session()
            if args.pages is not None:
                rows += collect.page_rows(current_app._get_current_object(), counts, engine, args, YEAR)
        finally:
            db.session.remove()
            db.engine.dispose()  # so that the throw-away database can be dropped (and gunicorn serve it)
    return rows


def _machine() -> str:
    """Cores and load: figures taken while other work runs on the machine are slower, and say so."""
    return f"{os.cpu_count()} cores, load average {os.getloadavg()[0]:.1f}"


def _terminate(signum, _frame):
    raise SystemExit(128 + signum)  # runs the clean-ups (the PostgreSQL database is dropped)


def main() -> int:
    import exam_answers
    import item_analysis
    import judging
    import results

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="scale 0.1 and 3 runs: a fast check")
    parser.add_argument("--only", help="only the measurements whose name contains this (e.g. provincial)")
    parser.add_argument("--runs", type=int, help="timed runs of each measurement (default 7, quick 3)")
    parser.add_argument("--scale", type=float, help="size of the province (default 1, quick 0.1)")
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--engine", choices=("sqlite", "postgresql"), help="one engine only")
    parser.add_argument("--roster-runs", type=int, help="timed roster imports (default 3, quick 1)")
    parser.add_argument("--roster-rows", type=int, default=ROSTER_ROWS)
    parser.add_argument("--profile", action="store_true", help="where the time of the pages over goes")
    judging.add_arguments(parser, prefix="judging-")
    results.add_arguments(parser, prefix="results-")
    item_analysis.add_arguments(parser, prefix="items-")
    exam_answers.add_arguments(parser, prefix="answers-")
    collect.add_load_arguments(parser)
    args = parser.parse_args()
    if args.quick:  # shorter phases, unless asked otherwise
        for name, quick in (("duration", 4.0), ("warmup", 2.0), ("repeats", 1)):
            for prefix in ("judging", "results", "answers"):
                if getattr(args, f"{prefix}_{name}") == parser.get_default(f"{prefix}_{name}"):
                    setattr(args, f"{prefix}_{name}", quick)
    if args.quick and args.items_attempts == parser.get_default("items_attempts"):
        args.items_attempts = 2_000
    args.scale = args.scale or (0.1 if args.quick else 1.0)
    args.runs = args.runs or (3 if args.quick else 7)
    args.roster_runs = args.roster_runs or (1 if args.quick else 3)
    names = [m.name for m in MEASUREMENTS] + [ROSTER, collect.UNDER_LOAD, *collect.OWN_DATABASE]
    only = (args.only or "").lower()
    selected = [n for n in names if only in n]
    # The pages: all of them (None: none), or those whose name holds the word.
    args.pages = "" if only in "page: whole pages" else (only if any(only in w for w in PAGE_WORDS) else None)
    if not selected and args.pages is None:
        known = ", ".join(names + list(PAGE_WORDS))
        parser.error(f"--only {args.only}: no such measurement (there are: {known})")
    signal.signal(signal.SIGTERM, _terminate)

    print(
        f"Benchmarks: scale {args.scale:g} (seed {args.seed}), median of {args.runs} runs after 1 warm-up; "
        f"roster import: {args.roster_runs} timed run(s) after 1 warm-up; {_machine()}",
        flush=True,
    )
    engines = [("sqlite", _sqlite), ("postgresql", _postgresql)]
    rows: list[Row] = []
    for engine, database in engines:
        if args.engine and engine != args.engine:
            continue
        if args.pages is not None or any(name not in OWN_DATABASE for name in selected):
            with database() as target:
                if target is not None:
                    url, folder = target
                    try:
                        rows += _bench_engine(engine, url, folder, args, selected)
                    except Exception:
                        print(f"{engine}: FAILED before the measurements", flush=True)
                        traceback.print_exc()
                        rows.append(table.failed("province", engine))
                    if collect.UNDER_LOAD in selected:
                        rows += collect.under_load_rows(engine, url, args, YEAR)
        if collect.JUDGING in selected:
            rows += collect.judging_rows(engine, args)
        if collect.RESULTS_BOARD in selected or collect.RESULTS_POLL in selected:
            rows += collect.results_rows(engine, args, selected)
        if collect.EXAM_ITEMS in selected or collect.EXAM_ANSWERS in selected:
            rows += collect.exams(engine, args, selected)
    over, failures = sum(r.ok is False for r in rows), sum(r.failed for r in rows)
    table.print_table(
        rows,
        f"Every measurement (scale {args.scale:g}, seed {args.seed}, {args.runs} runs after a warm-up; "
        f"{_machine()} at the end):",
    )
    print(f"Summary: {over} over their bar, {failures} failed; {_machine()}.")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
