"""Whole pages while the province is at work, under gunicorn: ``python bench/under_load.py [--engine E]
[--quick]``, or ``run(engine, url, args)`` from ``bench/run.py`` (on its province; last: it adds rows).

Beside the province of ``bench/generate.py``: the contest of ``bench/judging.py`` (200 judges), the test of
``bench/exam_answers.py`` (200 sitters), made by their ``build`` (each sees only the staff it adds), and the
largest university's admin and an organizer. Under judging's gunicorn (``-w 4`` sync workers as in the README;
a port of 5380-5399; an access log of each request's worker and time in it), a client of this process logged
in through the API (no User-Agent, then as after) fetches one at a time, round after round, ``/api/v1/ping``
(the trivial endpoint), the largest university's staff list and dashboard (as its admin), the entries page of
the competition with most entries and ``/coverage/`` (as the organizer): ``--idle`` seconds without load, then
``--duration`` s while another process (judging's load generator) has each judge and sitter save every
``--pace`` s on average. Printed: p50/p95/p99 under load (sending to last byte), without load, and in the
worker (the rest is waiting for one); a p99 under load over 4 × the page's bar (issue 12: province 300 ms, a
university 150, lists 100) is OVER. A p99 of fewer than 100 fetches is near their maximum.
"""

from __future__ import annotations

import argparse
import asyncio
import multiprocessing.connection  # and multiprocessing
import os
import random
import secrets
import shlex
import signal
import socket
import sys
import tempfile
import time
import traceback
from collections import Counter, namedtuple
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
for folder in (ROOT, ROOT / "bench"):
    if str(folder) not in sys.path:
        sys.path.insert(0, str(folder))

import exam_answers  # noqa: E402  (the sitters: build, their requests)
import judging  # noqa: E402  (the judges, the client, the phases, gunicorn, the databases)

PORTS = range(5380, 5400)
FLAG = 4  # a page is flagged when its p99 under load exceeds 4 × its whole-page bar
TAIL = 5.0  # seconds the load goes on after the pages' window, so the last fetch still meets it
DEFAULTS = {
    "scale": 1.0, "year": 2026, "seed": 2026, "judges": 200, "groups": 20, "entries": 30, "rounds": 3,
    "criteria": 10, "entrants": 2_000, "sitters": 200, "pace": 2.0, "warmup": 10.0, "idle": 30.0,
    "duration": 60.0, "workers": judging.WORKERS, "worker_class": judging.WORKER_CLASS,
    "threads": judging.THREADS,
}  # fmt: skip
QUICK = {
    "scale": 0.1, "entries": 10, "rounds": 2, "entrants": 500, "warmup": 4.0, "idle": 10.0, "duration": 20.0,
}  # fmt: skip


@dataclass
class Result:
    name: str
    engine: str
    median_ms: float  # p50 under load
    p99_ms: float  # p99 under load
    spread: str  # p95 under load, p99 without load, fetches
    bar_ms: float | None  # FLAG × the page's bar (None: the trivial endpoint)
    ok: bool
    p95_ms: float = 0.0
    idle_p99_ms: float = 0.0
    samples: int = 0


Page = namedtuple("Page", "name path user bar_ms")  # bar_ms: issue 12's page bar (None: the trivial endpoint)
Setting = namedtuple("Setting", "password pages plan sitting")  # the page users' password; judging's, ...


@contextmanager
def _only_staff_added():
    """judging's and exam_answers' builders take every staff member of the database as theirs: while one runs,
    ORM selects see only the staff added meanwhile, not the province's."""
    from sqlalchemy import event, func, select
    from sqlalchemy.orm import with_loader_criteria

    from competition.extensions import db
    from competition.models import Staff

    last = db.session.scalar(select(func.coalesce(func.max(Staff.id), 0)))

    def scope(state) -> None:
        if state.is_select:
            state.statement = state.statement.options(with_loader_criteria(Staff, Staff.id > last))

    session = db.session()
    event.listen(session, "do_orm_execute", scope)
    try:
        yield
    finally:
        event.remove(session, "do_orm_execute", scope)


def build(o: argparse.Namespace) -> Setting:
    """The page users, the contest and the sitting beside the province, in the app context (committed)."""
    from sqlalchemy import func, select
    from werkzeug.security import generate_password_hash

    from competition.enums import Role
    from competition.extensions import db
    from competition.models import Entry, RoleGrant, Staff, University, User
    from competition.services.accounts import INITIAL_PASSWORD_METHOD

    def largest(column):
        return db.session.execute(
            select(column, func.count()).group_by(column).order_by(func.count().desc(), column).limit(1)
        ).one()

    university_id, headcount = largest(Staff.university_id)
    contest, entries = largest(Entry.competition_id)
    code = db.session.get(University, university_id).code
    password = secrets.token_urlsafe(12)
    digest = generate_password_hash(password, method=INITIAL_PASSWORD_METHOD)
    admin, organizer, year = "bench_pages_admin", "bench_pages_organizer", f"?year={o.year}"
    for username, grant in (
        (admin, RoleGrant(role=Role.UNIVERSITY_ADMIN, university_id=university_id)),
        (organizer, RoleGrant(role=Role.ORGANIZER)),
    ):
        db.session.add(User(username=username, display_name=username, password_hash=digest, roles=[grant]))
    db.session.commit()
    with _only_staff_added():
        plan = judging.build(
            **{k: getattr(o, k) for k in ("judges", "groups", "entries", "rounds", "criteria", "seed")}
        )
    with _only_staff_added():
        sitting = exam_answers.build(entrants=o.entrants, clients=o.sitters, seed=o.seed)
    pages = [
        Page("ping (the trivial endpoint)", "/api/v1/ping", organizer, None),
        Page(f"staff list of {code} ({headcount:,} staff)", f"/staff/{code}/", admin, 100.0),
        Page(f"entries of a contest ({entries:,})", f"/competitions/{contest}/entries", organizer, 100.0),
        Page("provincial dashboard", f"/coverage/{year}", organizer, 300.0),
        Page(f"dashboard of {code}", f"/coverage/{code}{year}", admin, 150.0),
    ]
    return Setting(password, pages, plan, sitting)


async def _login_all(clients: list[judging.Client], names: list[str], password: str) -> None:
    gate = asyncio.Semaphore(20)

    async def one(client: judging.Client, name: str) -> None:
        async with gate:
            await judging._login(client, name, password)

    await asyncio.gather(*(one(c, n) for c, n in zip(clients, names, strict=True)))


async def _load(port: int, setting: Setting, o: argparse.Namespace, pipe) -> list[judging.Phase]:
    plan, sitting = setting.plan, setting.sitting
    judges = [judging.Client(port) for _ in plan.judges]
    sitters = [judging.Client(port) for _ in sitting.sitters]
    await _login_all(judges, [j.username for j in plan.judges], plan.password)
    await _login_all(sitters, [s.username for s in sitting.sitters], sitting.password)
    sheets = [judging._puts(plan, j, o.seed) for j in plan.judges]
    answers = [
        exam_answers.answer_requests(s, random.Random(f"{o.seed}-{s.username}")) for s in sitting.sitters
    ]

    async def both(name: str, seconds: float) -> list[judging.Phase]:
        return await asyncio.gather(
            judging._run_phase(f"{name} sheet", judges, sheets, seconds, pace=o.pace),
            judging._run_phase(f"{name} answers", sitters, answers, seconds, pace=o.pace),
        )

    await both("warm-up", o.warmup)
    pipe.send(("loaded", None))
    phases = await both("load", o.duration + TAIL)
    for client in judges + sitters:
        await client.close()
    return phases


def _load_process(port: int, setting: Setting, o: argparse.Namespace, pipe) -> None:
    try:
        pipe.send(("done", asyncio.run(_load(port, setting, o, pipe))))
    except BaseException:
        pipe.send(("failed", traceback.format_exc()))


def _receive(pipe, process, timeout: float):
    """The load generator's next message; an error when it stopped (or hung) before sending it."""
    if pipe not in multiprocessing.connection.wait([pipe, process.sentinel], timeout):
        raise RuntimeError(f"the load generator stopped (exit code {process.exitcode}) or did not answer")
    return pipe.recv()


@dataclass
class Fetches:
    ms: dict[str, list[float]]
    sizes: dict[str, int] = field(default_factory=dict)
    errors: Counter = field(default_factory=Counter)
    log: tuple[int, int] = (0, 0)  # where the access log was at the start and at the end


async def _fetch(clients: dict, pages: list[Page], seconds: float, log: Path) -> Fetches:
    """Round after round (one at least), each page once, one request at a time, for ``seconds``."""
    fetches = Fetches({p.name: [] for p in pages}, log=(log.stat().st_size, 0))
    deadline = time.perf_counter() + seconds
    while True:
        for page in pages:
            sent = time.perf_counter()
            try:
                status, body = await clients[page.user].request("GET", page.path)
            except (OSError, judging.HttpError, asyncio.IncompleteReadError) as error:
                status, body = type(error).__name__, b""
            if status == 200:
                fetches.ms[page.name].append((time.perf_counter() - sent) * 1000)
                fetches.sizes[page.name] = len(body)
            else:
                fetches.errors[f"{page.name}: {status} {body[:60].decode('utf-8', 'replace')}"] += 1
        if time.perf_counter() >= deadline:
            fetches.log = (fetches.log[0], log.stat().st_size)
            return fetches


async def _measure(port: int, setting: Setting, o, log: Path) -> tuple[Fetches, Fetches, list]:
    clients = {u: judging.Client(port) for u in {p.user for p in setting.pages}}
    await _login_all(list(clients.values()), list(clients), setting.password)
    for _ in range(2 * o.workers):  # every worker renders every page before anything counts
        await _fetch(clients, setting.pages, 0, log)
    idle = await _fetch(clients, setting.pages, o.idle, log)
    spawn = multiprocessing.get_context("spawn")  # a fresh interpreter: no copy of this one's state
    pipe, end = spawn.Pipe(duplex=False)
    process = spawn.Process(target=_load_process, args=(port, setting, o, end), daemon=True)
    process.start()
    try:
        for step in ("loaded", "done"):
            kind, payload = await asyncio.to_thread(_receive, pipe, process, 600 + o.duration)
            if kind == "failed":
                raise RuntimeError("the load generator failed:\n" + payload)
            if step == "loaded":
                loaded = await _fetch(clients, setting.pages, o.duration, log)
    finally:
        process.join(timeout=30)
        process.terminate()  # when still running (after a failure here)
        for client in clients.values():
            await client.close()
    return idle, loaded, payload


def _server_ms(log: Path, window: tuple[int, int]) -> tuple[dict[str, list[float]], Counter]:
    """The access log's lines in ``window``: each path's times in the worker, the requests of each worker."""
    times, workers = {}, Counter()
    with open(log, "rb") as f:
        f.seek(window[0])
        for line in f.read(window[1] - window[0]).decode("utf-8", "replace").splitlines():
            worker, path, _status, micros = (line.split("|") + ["", "", "", "0"])[:4]
            for key in (path, "*/" + path.rsplit("/", 1)[-1]):  # the page; the kind of save ("*/sheet")
                times.setdefault(key, []).append(int(micros) / 1000)
            workers[worker] += 1
    return times, workers


@contextmanager
def _served(url: str, folder: str, o, log: Path):
    """judging's gunicorn on a port of 5380-5399 (this benchmark's), logging each request's worker (pid),
    path, status and time in the worker (µs)."""
    free = [p for p in PORTS if _bindable(p)] or [judging._free_port()]
    atoms = shlex.quote("%(p)s|%(U)s|%(s)s|%(D)s")
    saved = judging._free_port, os.environ.get("GUNICORN_CMD_ARGS")
    judging._free_port = lambda: free[0]
    os.environ["GUNICORN_CMD_ARGS"] = f"--access-logfile {shlex.quote(str(log))} --access-logformat {atoms}"
    try:
        with judging.gunicorn(url, folder, o) as served:
            yield served
    finally:
        judging._free_port = saved[0]
        os.environ.pop("GUNICORN_CMD_ARGS")
        os.environ.update({} if saved[1] is None else {"GUNICORN_CMD_ARGS": saved[1]})


def _bindable(port: int) -> bool:
    with socket.socket() as s:
        return s.connect_ex((judging.HOST, port)) != 0  # nobody listens there


def _figure(ms: float) -> str:
    return f"{ms:,.0f}" if ms >= 100 or ms != ms else f"{ms:.1f}"


def summarise(engine: str, pages: list[Page], idle: Fetches, loaded: Fetches) -> list[Result]:
    results = []
    for page in pages:
        (p50, p95, p99), idle_p99 = judging._percentiles(loaded.ms[page.name]), _p(idle.ms[page.name], 2)
        n, n_idle = len(loaded.ms[page.name]), len(idle.ms[page.name])
        bar = page.bar_ms * FLAG if page.bar_ms is not None else None
        spread = f"p95 {_figure(p95)} ms; without load p99 {_figure(idle_p99)} ms; {n} and {n_idle} fetches"
        ok = n > 0 and (bar is None or p99 <= bar)  # flagged: over 4 × the page's bar
        results.append(Result(page.name, engine, p50, p99, spread, bar, ok, p95, idle_p99, n))
    return results


def _p(values: list[float], which: int) -> float:
    return judging._percentiles(values)[which]  # 0: p50, 1: p95, 2: p99


def _pair(values: list[float]) -> str:
    return f"{_figure(_p(values, 0))} / {_figure(_p(values, 2))}"


def report(results: list[Result], setting: Setting, o, idle: Fetches, loaded: Fetches, phases, log: Path):
    load = [p for p in phases if p.name.startswith("load")]
    judges, sitters = len(setting.plan.judges), len(setting.sitting.sitters)
    answered = sum(len(p.latencies_ms) for p in load) / (o.duration + TAIL)
    (server, workers), (idle_server, _) = _server_ms(log, loaded.log), _server_ms(log, idle.log)
    kinds = ", ".join(
        f"{p.name[5:]} {_pair(p.latencies_ms)} (in the worker {_pair(server.get('*/' + p.name[5:], []))})"
        for p in load
    )
    print(
        f"pages under load [{results[0].engine}]: {judges} judges and {sitters} sitters each saving every "
        f"{o.pace:g} s on average ({(judges + sitters) / o.pace:,.0f} req/s offered, {answered:,.0f} "
        f"answered; p50 / p99 {kinds} ms); {judging.server_words(o)}, requests per worker meanwhile "
        f"{' / '.join(f'{n:,}' for _w, n in workers.most_common())}; load average {os.getloadavg()[0]:.1f}\n"
        f"  {'ms':<38} {'size':>6} | under load p50 p95 p99 | in worker p50 p99 | without load p50 p99, "
        f"in worker p99 | fetches | p99 under load over {FLAG} × bar",
        flush=True,
    )
    for page, r in zip(setting.pages, results, strict=True):
        path, times = page.path.split("?")[0], idle.ms[page.name]
        figures = [r.median_ms, r.p95_ms, r.p99_ms, _p(server.get(path, []), 0), _p(server.get(path, []), 2)]
        figures += [_p(times, 0), r.idle_p99_ms, _p(idle_server.get(path, []), 2)]
        a, b, c, d, e, f, g, h = (f"{_figure(x):>6}" for x in figures)
        flag = "" if r.bar_ms is None else f"{page.bar_ms:,.0f} ms × {FLAG}: {'OK' if r.ok else 'OVER'}"
        print(
            f"  {page.name:<38} {loaded.sizes.get(page.name, 0) / 1024:>3,.0f} KB | {a} {b} {c} | {d} {e} | "
            f"{f} {g}, {h} | {r.samples:>3}, {len(times):>3} | {flag}",
            flush=True,
        )
    errors = idle.errors + loaded.errors + Counter({k: n for p in phases for k, n in p.errors.items()})
    errors["judges out of sheets (raise --rounds)"] = sum(p.exhausted for p in load)
    if +errors:
        print("  answers other than 200: " + "; ".join(f"{n} × {k}" for k, n in (+errors).most_common(8)))


def options(args) -> argparse.Namespace:  # DEFAULTS, QUICK's when args.quick, then what args give (not None)
    values = dict(DEFAULTS) | (QUICK if getattr(args, "quick", False) else {})
    values |= {k: v for k, v in vars(args).items() if k in DEFAULTS and v is not None}
    return argparse.Namespace(**values)


def run(engine: str, url: str, args) -> list[Result]:
    """On ``url`` (migrated, holding the province of bench/generate.py, not held open by the caller): build
    beside it, serve it, measure, report; one Result per page (the first: the trivial endpoint)."""
    o = options(args)
    with tempfile.TemporaryDirectory(prefix="bench-under-load-") as folder:
        started = time.perf_counter()
        with judging.migrated(url, folder):
            setting = build(o)
        print(f"pages under load set-up [{engine}]: {time.perf_counter() - started:.1f} s", flush=True)
        log = Path(folder) / "access.log"
        with _served(url, folder, o, log) as (port, _master):
            idle, loaded, phases = asyncio.run(_measure(port, setting, o, log))
        results = summarise(engine, setting.pages, idle, loaded)
        report(results, setting, o, idle, loaded, phases, log)
        return results


def add_arguments(parser: argparse.ArgumentParser, *, prefix: str = "") -> None:
    """The options (``bench/run.py`` may add them with a prefix); None: DEFAULTS' value (or QUICK's)."""
    for name, default in DEFAULTS.items():
        if name not in ("year", "seed"):
            quick = f", quick {QUICK[name]}" if name in QUICK else ""
            option = f"--{prefix}{name.replace('_', '-')}"
            parser.add_argument(option, type=type(default), help=f"default {default}{quick}")


def main() -> int:
    from generate import generate

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--engine", choices=("sqlite", "postgresql"), help="one engine only")
    parser.add_argument("--quick", action="store_true", help="scale 0.1, shorter phases, a smaller contest")
    parser.add_argument("--seed", type=int)
    add_arguments(parser)
    args = parser.parse_args()
    o = options(args)
    signal.signal(signal.SIGTERM, lambda signum, _frame: sys.exit(128 + signum))  # clean-ups still run
    print(f"Pages under load; {os.cpu_count()} cores, load average {os.getloadavg()[0]:.1f}", flush=True)
    for engine in ("sqlite", "postgresql"):
        if args.engine not in (None, engine):
            continue
        with judging.database(engine) as target:
            if target is not None:
                with judging.migrated(*target):
                    counts = generate(seed=o.seed, year=o.year, scale=o.scale)
                print(f"generate province [{engine}]: {counts['seconds']:.1f} s ({counts['staff']:,} staff)")
                run(engine, target[0], o)
    return 0


if __name__ == "__main__":
    sys.exit(main())
