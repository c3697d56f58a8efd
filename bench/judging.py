"""Score-sheet submission under gunicorn (DESIGN.md §5): ``python bench/judging.py``, or ``bench/run.py``
(``--only judging``).

For each engine, a throw-away database (a SQLite file in a temporary folder; on PostgreSQL
``bench_judging_<pid>``, made with ``createdb`` and dropped at the end whatever happens) gets the schema
through the migrations and, through the services, a provincial contest in ``scoring``: ``--groups`` groups of
``--entries`` approved, drawn entries from 20 universities, ``--rounds`` queue rounds of ``--criteria``
criteria, and ``--judges`` judge accounts of those universities spread over the groups (each recused from
their own university's entries). The app is then served by gunicorn on a free port of 127.0.0.1
(``--workers``, ``--worker-class``, ``--threads``; by default the README's ``-w 4`` sync workers), and a load
generator in this process (asyncio and plain HTTP/1.1 over sockets: no client library; one connection per
judge, kept alive when the server keeps it) logs every judge in, each with a session cookie and a CSRF token
of their own. Then, every phase bounded in time:

- warm-up: ``--warmup`` seconds of both endpoints, not counted;
- ``--repeats`` times: ``GET /api/v1/ping`` (constant JSON, no database of its own, through the same request
  hooks: session, user load, locale, the commit after the request) for ``--duration`` seconds, then
  ``PUT /api/v1/rounds/{r}/entries/{e}/sheet`` as long; each judge saves a draft (half the criteria) and then
  submits the sheet (with a ``client_token``), one of their own sheets after the other, so rows are really
  written (sheet, values, audit row). Every judge sends their next request as soon as the last one is
  answered (a closed loop: ``--judges`` requests always in flight), which gives each endpoint's capacity;
- paced: for ``--duration`` seconds, each judge sends a PUT every ``--pace`` seconds on average (judges at
  work; the think time is drawn between half and one and a half times it).

It prints the requests per second of both endpoints and their ratio (bar ≥ 0.30), the PUT latencies of the
paced phase (p50/p95/p99; bar: p99 < 250 ms) and of the closed loop, each measured from the moment a request
is sent (connection included) to the end of its answer, and the server's CPU time per request (gunicorn and,
on PostgreSQL, the database's server processes, read from /proc), the figure other work on the machine
disturbs least. Every answer must be a 200; others are counted and shown.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import secrets
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

HOST = "127.0.0.1"
PG_HOST = os.environ.get("PG_HOST", "127.0.0.1")
PG_PORT = os.environ.get("PG_PORT", "5432")
PG_USER = os.environ.get("PG_USER", "postgres")
UNIVERSITIES = 20
RATIO_BAR = 0.30
P99_BAR_MS = 250.0
# The README's production setting on a 2-core machine (README "Production"); overridable per run.
WORKERS, WORKER_CLASS, THREADS = 4, "sync", 1


# --- the contest ------------------------------------------------------------------------------------------


@dataclass
class JudgePlan:
    username: str
    sheets: list[tuple[int, int]]  # (round id, entry id) the judge scores, in the order they will


@dataclass
class Plan:
    password: str
    judges: list[JudgePlan]
    criteria: dict[int, list[int]]  # round id → its criterion ids
    competition_id: int = 0

    @property
    def sheets(self) -> int:
        return sum(len(j.sheets) for j in self.judges)


def _body(*, groups: int, rounds: int, criteria: int) -> dict:
    now = datetime.now(UTC)
    weights = [round(1 / rounds, 4)] * rounds
    weights[-1] = round(1 - sum(weights[:-1]), 4)
    return {
        "name": "基准测试·全省评分压力测试",
        "kind": "drill",
        "level": "provincial",
        "year": now.year,
        "eligible_categories": ["teaching_research", "admin_logistics", "other"],
        "max_age": None,
        "age_reference_date": None,
        "registration_opens": (now - timedelta(hours=1)).isoformat(),
        "registration_closes": (now + timedelta(hours=1)).isoformat(),
        "quota_per_university": None,
        "anonymous_judging": True,
        "requires_materials": False,
        "groups": [{"name": f"第{g + 1:02d}组"} for g in range(groups)],
        "rounds": [
            {
                "name": f"第{r + 1}轮",
                "weight": weights[r],
                "mode": "queue",
                "criteria": [{"name": f"评分项{c + 1:02d}", "max_score": 10} for c in range(criteria)],
            }
            for r in range(rounds)
        ],
    }


def build(*, judges: int, groups: int, entries: int, rounds: int, criteria: int, seed: int = 2026) -> Plan:
    """The contest and its judges in the current app context's database (committed); what each judge scores.

    Universities ``BJ01``…, one entrant per entry (registered and approved through the services), the draw,
    ``judges`` judge accounts (judge ``i`` of university ``i mod 20``, on group ``i mod groups``), assigned
    through ``panels.assign_judge``, and the step to ``scoring``.
    """
    from sqlalchemy import insert, select
    from werkzeug.security import generate_password_hash

    from competition.enums import CompetitionStatus, PostCategory, Role
    from competition.extensions import db
    from competition.models import Department, RoleGrant, Staff, University, User
    from competition.services import competitions, draw, panels, registration
    from competition.services.accounts import INITIAL_PASSWORD_METHOD
    from competition.services.panels import load_panel

    rng = random.Random(seed)
    password = secrets.token_urlsafe(12)
    digest = generate_password_hash(password, method=INITIAL_PASSWORD_METHOD)  # cheap: 200 log-ins
    organizer = User(username="bench_organizer", display_name="基准测试组织者", password_hash=digest)
    organizer.roles = [RoleGrant(role=Role.ORGANIZER)]
    db.session.add(organizer)
    universities = []
    for u in range(min(UNIVERSITIES, max(groups * entries, judges))):
        university = University(code=f"BJ{u + 1:02d}", name=f"基准测试大学{u + 1:02d}")
        university.departments.append(Department(name="测试学院"))
        db.session.add(university)
        universities.append(university)
    db.session.flush()
    rows = [
        {
            "university_id": universities[k % len(universities)].id,
            "staff_no": f"{k:06d}",
            "name": f"参赛者{k:04d}",
            "department_id": universities[k % len(universities)].departments[0].id,
            "category": PostCategory.TEACHING_RESEARCH.value,
            "active": True,
        }
        for k in range(groups * entries)
    ]
    db.session.execute(insert(Staff), rows)
    competition = competitions.create_competition(
        data=_body(groups=groups, rounds=rounds, criteria=criteria), by=organizer
    )
    competitions.transition(competition=competition, to=CompetitionStatus.REGISTRATION_OPEN, by=organizer)
    members = db.session.scalars(select(Staff).order_by(Staff.staff_no)).all()
    for k, member in enumerate(members):
        group = competition.groups[k // entries]
        entry = registration.register(competition=competition, group_id=group.id, staff=member, by=organizer)
        registration.approve(entry=entry, by=organizer)
    competitions.transition(competition=competition, to=CompetitionStatus.REGISTRATION_CLOSED, by=organizer)
    draw.run_draw(competition=competition, by=organizer, seed=rng.randrange(2**31))
    names = []
    for i in range(judges):
        username = f"bench_judge_{i + 1:03d}"
        grant = RoleGrant(role=Role.JUDGE, university_id=universities[i % len(universities)].id)
        db.session.add(
            User(username=username, display_name=f"评委{i + 1:03d}", password_hash=digest, roles=[grant])
        )
        names.append(username)
    db.session.flush()
    for i, username in enumerate(names):
        group = competition.groups[i % groups]
        panels.assign_judge(competition=competition, username=username, group_ids=[group.id], by=organizer)
    competitions.transition(competition=competition, to=CompetitionStatus.SCORING, by=organizer)
    db.session.commit()

    panel = load_panel(competition)
    criteria_of = {r.id: [c.id for c in r.criteria] for r in competition.rounds}
    plans = []
    for judge in sorted(panel.judges, key=lambda j: j.username):
        mine = [(r.id, e.entry_id) for r in competition.rounds for e in panel.scored_by(judge)]
        plans.append(JudgePlan(judge.username, mine))
    return Plan(password, plans, criteria_of, competition.id)


def sheet_requests(plan: Plan, judge: JudgePlan, rng: random.Random) -> Iterator[tuple[str, dict]]:
    """The judge's PUTs in order: for each of their sheets a draft (half the criteria), then the submission
    (all of them, with a ``client_token``)."""
    for round_id, entry_id in judge.sheets:
        ids = plan.criteria[round_id]
        values = {str(c): rng.randrange(50, 101) / 10 for c in ids}
        path = f"/api/v1/rounds/{round_id}/entries/{entry_id}/sheet"
        draft = {str(c): values[str(c)] for c in ids[: max(1, len(ids) // 2)]}
        yield path, {"scores": draft, "submit": False}
        yield (
            path,
            {"scores": values, "submit": True, "client_token": str(uuid.UUID(int=rng.getrandbits(128)))},
        )


# --- a minimal HTTP/1.1 client ----------------------------------------------------------------------------


class HttpError(Exception):
    pass


@dataclass
class Client:
    """One judge's tablet: its session cookie, its CSRF token, one connection (kept alive when the server
    keeps it)."""

    port: int
    cookies: dict[str, str] = field(default_factory=dict)
    csrf: str = ""
    reader: asyncio.StreamReader | None = None
    writer: asyncio.StreamWriter | None = None
    headers: tuple[str, ...] = ()  # sent with every request (the big screen's ``If-None-Match``)

    async def close(self) -> None:
        if self.writer is not None:
            self.writer.close()
            with suppress(OSError):
                await self.writer.wait_closed()
        self.reader = self.writer = None

    async def request(self, method: str, path: str, body: dict | None = None) -> tuple[int, bytes]:
        data = json.dumps(body).encode() if body is not None else b""
        lines = [f"{method} {path} HTTP/1.1", f"Host: {HOST}:{self.port}", "Accept: application/json"]
        lines += self.headers
        if self.cookies:
            lines.append("Cookie: " + "; ".join(f"{k}={v}" for k, v in self.cookies.items()))
        if body is not None:
            lines += ["Content-Type: application/json", f"Content-Length: {len(data)}"]
        if method not in ("GET", "HEAD") and self.csrf:
            lines.append(f"X-CSRFToken: {self.csrf}")
        message = ("\r\n".join(lines) + "\r\n\r\n").encode() + data
        for attempt in (1, 2):
            reused = self.writer is not None
            if not reused:
                self.reader, self.writer = await asyncio.open_connection(HOST, self.port)
            try:
                self.writer.write(message)
                await self.writer.drain()
                return await self._answer()
            except (ConnectionError, asyncio.IncompleteReadError, HttpError):
                await self.close()
                if not reused or attempt == 2:  # a kept-alive connection the server closed: send again
                    raise
        raise HttpError("unreachable")

    async def _answer(self) -> tuple[int, bytes]:
        status_line = await self.reader.readline()
        if not status_line:
            raise HttpError("connection closed")
        status = int(status_line.split()[1])
        length, close = 0, status_line.startswith(b"HTTP/1.0")
        while True:
            line = await self.reader.readline()
            if line in (b"\r\n", b""):
                break
            name, _, value = line.decode("latin-1").partition(":")
            name, value = name.strip().lower(), value.strip()
            if name == "content-length":
                length = int(value)
            elif name == "connection" and value.lower() == "close":
                close = True
            elif name == "set-cookie":
                cookie, _, _attributes = value.partition(";")
                key, _, val = cookie.partition("=")
                self.cookies[key.strip()] = val.strip()
        payload = await self.reader.readexactly(length) if length else b""
        if close:
            await self.close()
        return status, payload


async def _login(client: Client, username: str, password: str) -> None:
    status, payload = await client.request("GET", "/api/v1/auth/csrf")
    if status != 200:
        raise HttpError(f"GET /api/v1/auth/csrf: {status}")
    client.csrf = json.loads(payload)["csrf_token"]
    status, payload = await client.request(
        "POST", "/api/v1/auth/login", {"username": username, "password": password}
    )
    if status != 200:
        raise HttpError(f"log-in of {username}: {status} {payload[:200]!r}")


@dataclass
class Phase:
    name: str
    seconds: float
    latencies_ms: list[float] = field(default_factory=list)
    errors: dict[str, int] = field(default_factory=dict)
    exhausted: int = 0  # judges who ran out of sheets before the end
    cpu_seconds: float | None = None  # CPU time the server (gunicorn, PostgreSQL's backends) spent meanwhile

    @property
    def rate(self) -> float:
        return len(self.latencies_ms) / self.seconds


async def _run_phase(
    name: str,
    clients: list[Client],
    work: list[Iterator],
    seconds: float,
    *,
    pace: float = 0.0,
    expect: int = 200,
) -> Phase:
    """Every client sends its next request as soon as its last one answered (``pace`` 0: a closed loop), or
    every ``pace`` seconds on average (a think time drawn between half and one and a half times it, the first
    at a random moment of the first interval), until ``seconds`` are over; the requests answered in the window
    with status ``expect`` are counted, others are errors."""
    phase = Phase(name, seconds)
    start = time.perf_counter()
    deadline = start + seconds
    rng = random.Random(len(clients))

    async def one(client: Client, requests: Iterator) -> None:
        due = start + (rng.uniform(0, pace) if pace else 0.0)
        while True:
            if pace:
                await asyncio.sleep(max(0.0, due - time.perf_counter()))
                due += rng.uniform(0.5 * pace, 1.5 * pace)
            if time.perf_counter() >= deadline:
                return
            item = next(requests, None)
            if item is None:
                phase.exhausted += 1
                return
            method, path, body = item
            sent = time.perf_counter()
            try:
                status, payload = await client.request(method, path, body)
            except (OSError, HttpError, asyncio.IncompleteReadError) as error:
                status, payload = type(error).__name__, b""
            done = time.perf_counter()
            if done > deadline:
                return
            if status == expect:
                phase.latencies_ms.append((done - sent) * 1000)
            else:
                key = f"{status} {payload[:80].decode('utf-8', 'replace')}".strip()
                phase.errors[key] = phase.errors.get(key, 0) + 1

    await asyncio.gather(*(one(c, w) for c, w in zip(clients, work, strict=True)))
    return phase


def _pings() -> Iterator[tuple[str, str, None]]:
    while True:
        yield "GET", "/api/v1/ping", None


def _puts(plan: Plan, judge: JudgePlan, seed: int) -> Iterator[tuple[str, str, dict]]:
    for path, body in sheet_requests(plan, judge, random.Random(f"{seed}-{judge.username}")):
        yield "PUT", path, body


def _mixed(pings: Iterator, puts: Iterator) -> Iterator:
    while True:
        yield next(pings)
        item = next(puts, None)
        if item is None:
            return
        yield item


async def _load(plan: Plan, port: int, args, server_cpu=lambda: None) -> list[Phase]:
    clients = [Client(port) for _ in plan.judges]
    gate = asyncio.Semaphore(20)

    async def login(client: Client, judge: JudgePlan) -> None:
        async with gate:
            await _login(client, judge.username, plan.password)

    await asyncio.gather(*(login(c, j) for c, j in zip(clients, plan.judges, strict=True)))
    puts = [_puts(plan, judge, args.seed) for judge in plan.judges]
    phases = []
    if args.warmup > 0:
        await _run_phase("warm-up", clients, [_mixed(_pings(), p) for p in puts], args.warmup)

    async def measured(name: str, work: list[Iterator], pace: float = 0.0) -> None:
        before = server_cpu()
        phase = await _run_phase(name, clients, work, args.duration, pace=pace)
        after = server_cpu()
        if before is not None and after is not None:
            phase.cpu_seconds = after - before
        phases.append(phase)

    for _ in range(args.repeats):
        await measured("ping", [_pings() for _ in clients])
        await measured("sheet PUT", puts)
    if args.pace > 0:
        await measured("paced PUT", puts, args.pace)
    for client in clients:
        await client.close()
    return phases


# --- gunicorn and the databases ---------------------------------------------------------------------------


def _free_port() -> int:
    with socket.socket() as s:
        s.bind((HOST, 0))
        return s.getsockname()[1]


def gunicorn_command(port: int, *, workers: int, worker_class: str, threads: int) -> list[str]:
    command = [
        sys.executable,
        "-m",
        "gunicorn",
        "-w",
        str(workers),
        "-k",
        worker_class,
        "-b",
        f"{HOST}:{port}",
    ]
    if worker_class == "gthread":
        command += ["--threads", str(threads)]
    return [*command, "--log-level", "warning", "--chdir", str(ROOT), "wsgi:app"]


@contextmanager
def gunicorn(url: str, folder: str, args) -> Iterator[tuple[int, int]]:
    """The app under gunicorn on a free port of 127.0.0.1 (stopped at the end whatever happens): the port
    and the master's process id."""
    port = _free_port()
    env = {
        **os.environ,
        "DATABASE_URL": url,
        "INSTANCE_PATH": folder,
        "APP_ENV": "production",
        "SECRET_KEY": secrets.token_urlsafe(48),
        "COOKIE_SECURE": "0",  # plain HTTP on 127.0.0.1
        "LOGIN_RATE_LIMIT": "100000 per minute",  # 200 judges log in from one address
        "REDIS_URL": "",
    }
    log = open(Path(folder) / "gunicorn.log", "w+b")  # noqa: SIM115  (closed below)
    process = subprocess.Popen(
        gunicorn_command(port, workers=args.workers, worker_class=args.worker_class, threads=args.threads),
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    try:
        _wait_until_up(process, port, log)
        yield port, process.pid
    finally:
        if process.poll() is None:
            process.send_signal(signal.SIGTERM)  # gunicorn's graceful stop: the master ends its workers
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait()
        log.close()


def _processes() -> Iterator[tuple[int, int, str, float]]:
    """(pid, parent pid, command line, CPU seconds used) of every process /proc shows."""
    ticks = os.sysconf("SC_CLK_TCK")
    for entry in os.scandir("/proc"):
        if not entry.name.isdigit():
            continue
        try:
            with open(f"/proc/{entry.name}/stat", "rb") as f:
                stat = f.read().decode("latin-1")
            with open(f"/proc/{entry.name}/cmdline", "rb") as f:
                command = f.read().replace(b"\0", b" ").decode("utf-8", "replace")
        except OSError:
            continue
        fields = stat[stat.rindex(")") + 2 :].split()  # after "pid (name) "
        yield int(entry.name), int(fields[1]), command, (int(fields[11]) + int(fields[12])) / ticks


def server_cpu(master: int, database: str | None) -> float | None:
    """CPU seconds used so far by gunicorn (master and workers) and, on PostgreSQL, by the server processes
    that serve ``database``: the server's side of the machine, whatever else runs on it (None without
    /proc)."""
    if not os.path.isdir("/proc"):
        return None
    total = 0.0
    for pid, parent, command, seconds in _processes():
        if (
            pid == master
            or parent == master
            or (database and command.startswith("postgres:") and f" {database} " in command)
        ):
            total += seconds
    return total


def _wait_until_up(process: subprocess.Popen, port: int, log) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if process.poll() is not None:
            log.seek(0)
            raise RuntimeError("gunicorn stopped:\n" + log.read().decode("utf-8", "replace")[-3000:])
        try:
            with socket.create_connection((HOST, port), timeout=1) as s:
                s.sendall(
                    f"GET /api/v1/auth/csrf HTTP/1.1\r\nHost: {HOST}\r\nConnection: close\r\n\r\n".encode()
                )
                if s.recv(12).startswith(b"HTTP/1.1 200"):
                    return
        except OSError:
            pass
        time.sleep(0.2)
    raise RuntimeError("gunicorn did not answer within 60 s")


@contextmanager
def database(engine: str) -> Iterator[tuple[str, str] | None]:
    """A throw-away database: (URL, a temporary folder), or None when PostgreSQL cannot be reached."""
    folder = tempfile.mkdtemp(prefix=f"bench-judging-{engine}-")
    try:
        if engine == "sqlite":
            yield f"sqlite:///{folder}/bench.db", folder
            return
        name = f"bench_judging_{os.getpid()}"
        where = ["-h", PG_HOST, "-p", PG_PORT, "-U", PG_USER]
        try:
            made = subprocess.run(["createdb", *where, name], capture_output=True, text=True, timeout=30)
        except (OSError, subprocess.TimeoutExpired) as error:
            print(f"judging [postgresql]: skipped, createdb could not run ({error}).", flush=True)
            yield None
            return
        if made.returncode != 0:
            reason = (
                made.stderr.strip().splitlines()[-1] if made.stderr.strip() else f"exit {made.returncode}"
            )
            print(f"judging [postgresql]: skipped, no server at {PG_USER}@{PG_HOST}:{PG_PORT} ({reason}).")
            yield None
            return
        try:
            yield f"postgresql+psycopg://{PG_USER}@{PG_HOST}:{PG_PORT}/{name}", folder
        finally:
            dropped = subprocess.run(
                ["dropdb", *where, "--if-exists", "--force", name], capture_output=True, text=True, timeout=60
            )
            if dropped.returncode != 0:
                print(f"Could not drop the database {name}: {dropped.stderr.strip()}", file=sys.stderr)
    finally:
        shutil.rmtree(folder, ignore_errors=True)


@contextmanager
def migrated(url: str, folder: str) -> Iterator[None]:
    """In the context of an app on ``url`` whose schema the migrations have made; at the end the session and
    the engine are closed, so that nothing of this process holds the database while gunicorn serves it."""
    import logging

    from flask_migrate import upgrade

    from competition import create_app
    from competition.extensions import db

    app = create_app(
        {"INSTANCE_PATH": folder, "SQLALCHEMY_DATABASE_URI": url, "SECRET_KEY": secrets.token_urlsafe(48)}
    )
    with app.app_context():
        try:
            logging.disable(logging.INFO)  # Alembic's "Running upgrade ..." lines
            try:
                upgrade(directory=str(ROOT / "migrations"))
            finally:
                logging.disable(logging.NOTSET)
            yield
        finally:
            db.session.remove()
            db.engine.dispose()


def _prepare(url: str, folder: str, args) -> Plan:
    with migrated(url, folder):
        return build(
            judges=args.judges,
            groups=args.groups,
            entries=args.entries,
            rounds=args.rounds,
            criteria=args.criteria,
            seed=args.seed,
        )


# --- the figures ------------------------------------------------------------------------------------------


def _percentiles(values: list[float]) -> tuple[float, float, float]:
    if len(values) < 2:
        value = values[0] if values else float("nan")
        return value, value, value
    cuts = statistics.quantiles(values, n=100, method="inclusive")
    return cuts[49], cuts[94], cuts[98]


@dataclass
class Result:
    engine: str
    put_rate: float
    ping_rate: float
    put_ms: tuple[float, float, float]  # p50, p95, p99 with every judge's next request sent at once
    ping_ms: tuple[float, float, float]
    paced_rate: float | None  # with think time (``--pace``)
    paced_ms: tuple[float, float, float] | None
    errors: dict[str, int]
    exhausted: int
    put_cpu_ms: float | None = None  # server CPU per answered request (gunicorn + PostgreSQL backends)
    ping_cpu_ms: float | None = None

    @property
    def ratio(self) -> float:
        return self.put_rate / self.ping_rate if self.ping_rate else float("nan")

    @property
    def ratio_ok(self) -> bool:
        return self.ratio >= RATIO_BAR

    @property
    def latency_ok(self) -> bool:
        """p99 under the bar with 200 judges at work: the paced phase's (see ``report`` for why), else the
        closed loop's."""
        return (self.paced_ms or self.put_ms)[2] < P99_BAR_MS


def summarise(engine: str, phases: list[Phase]) -> Result:
    def named(name: str) -> list[Phase]:
        return [p for p in phases if p.name == name]

    def rate(chosen: list[Phase]) -> float:
        return sum(len(p.latencies_ms) for p in chosen) / sum(p.seconds for p in chosen)

    def latencies(chosen: list[Phase]) -> tuple[float, float, float]:
        return _percentiles([t for p in chosen for t in p.latencies_ms])

    def cpu(chosen: list[Phase]) -> float | None:
        answered = sum(len(p.latencies_ms) for p in chosen)
        if not answered or any(p.cpu_seconds is None for p in chosen):
            return None
        return sum(p.cpu_seconds for p in chosen) * 1000 / answered

    errors: dict[str, int] = {}
    for phase in phases:
        for key, n in phase.errors.items():
            errors[key] = errors.get(key, 0) + n
    pings, puts, paced = named("ping"), named("sheet PUT"), named("paced PUT")
    return Result(
        engine,
        put_rate=rate(puts),
        ping_rate=rate(pings),
        put_ms=latencies(puts),
        ping_ms=latencies(pings),
        paced_rate=rate(paced) if paced else None,
        paced_ms=latencies(paced) if paced else None,
        errors=errors,
        exhausted=max((p.exhausted for p in puts + paced), default=0),
        put_cpu_ms=cpu(puts),
        ping_cpu_ms=cpu(pings),
    )


def _verdict(ok: bool) -> str:
    return "OK" if ok else "OVER"


def server_words(args) -> str:
    threads = f" --threads {args.threads}" if args.worker_class == "gthread" else ""
    return f"gunicorn -w {args.workers} -k {args.worker_class}{threads}"


def report(result: Result, args, plan: Plan) -> None:
    """The figures and their bars. The p99 bar is read on the paced phase: in the closed loop every judge has
    a request waiting at all times, so a request waits for the ~200 ahead of it (Little's law: latency =
    requests in flight / throughput), and even the constant ping misses 250 ms there; judges at work send a
    save every few seconds, which is what the paced phase does (and still far more than people type)."""
    p50, p95, p99 = result.put_ms
    q50, _q95, q99 = result.ping_ms
    judges = len(plan.judges)
    print(
        f"sheet submission [{result.engine}]: PUT {result.put_rate:,.0f} req/s, ping {result.ping_rate:,.0f} "
        f"req/s, ratio {result.ratio:.2f} (bar {RATIO_BAR:.2f}) {_verdict(result.ratio_ok)}",
        flush=True,
    )
    if result.paced_ms is not None:
        r50, r95, r99 = result.paced_ms
        print(
            f"  PUT latency, {judges} judges each saving every {args.pace:g} s on average "
            f"({judges / args.pace:,.0f} req/s offered, {result.paced_rate:,.0f} answered): "
            f"p50 {r50:,.0f} ms, p95 {r95:,.0f} ms, p99 {r99:,.0f} ms (bar {P99_BAR_MS:.0f} ms) "
            f"{_verdict(result.latency_ok)}",
            flush=True,
        )
    bar = "" if result.paced_ms is not None else f" (bar {P99_BAR_MS:.0f} ms) {_verdict(result.latency_ok)}"
    print(
        f"  latency at saturation ({judges} requests always in flight): PUT p50 {p50:,.0f} ms, "
        f"p95 {p95:,.0f} ms, p99 {p99:,.0f} ms; ping p50 {q50:,.0f} ms, p99 {q99:,.0f} ms{bar}",
        flush=True,
    )
    if result.put_cpu_ms and result.ping_cpu_ms:
        where = "gunicorn and PostgreSQL" if result.engine == "postgresql" else "gunicorn"
        print(
            f"  server CPU per request ({where}): PUT {result.put_cpu_ms:.1f} ms, "
            f"ping {result.ping_cpu_ms:.1f} ms, ratio {result.ping_cpu_ms / result.put_cpu_ms:.2f} "
            "(the ratio in CPU time, which other work on the machine disturbs less)",
            flush=True,
        )
    print(
        f"  ({server_words(args)}; {judges} judges logged in, one client each; {args.repeats} × "
        f"{args.duration:g} s per endpoint after {args.warmup:g} s of warm-up; {args.groups} groups × "
        f"{args.entries} entries, {args.rounds} rounds × {args.criteria} criteria, {plan.sheets:,} sheets "
        f"to score; load average {os.getloadavg()[0]:.1f})",
        flush=True,
    )
    if result.errors:
        shown = "; ".join(f"{n} × {key}" for key, n in sorted(result.errors.items(), key=lambda kv: -kv[1]))
        print(f"  answers other than 200: {shown}", flush=True)
    if result.exhausted:
        print(f"  {result.exhausted} judges ran out of sheets before the end (raise --rounds)", flush=True)


def bench_engine(engine: str, args) -> Result | None:
    """Build, serve, load, report one engine; None when the engine is not available."""
    with database(engine) as target:
        if target is None:
            return None
        url, folder = target
        started = time.perf_counter()
        plan = _prepare(url, folder, args)
        print(
            f"judging set-up [{engine}]: {time.perf_counter() - started:.1f} s ({len(plan.judges)} judges, "
            f"{plan.sheets:,} sheets to score)",
            flush=True,
        )
        with gunicorn(url, folder, args) as (port, master):
            database_name = url.rsplit("/", 1)[-1] if engine == "postgresql" else None
            phases = asyncio.run(_load(plan, port, args, lambda: server_cpu(master, database_name)))
        result = summarise(engine, phases)
        report(result, args, plan)
        return result


def add_arguments(parser: argparse.ArgumentParser, *, prefix: str = "") -> None:
    """The options of this benchmark (``bench/run.py`` adds them with the prefix ``judging-``)."""
    option = (lambda name: f"--{prefix}{name}") if prefix else (lambda name: f"--{name}")
    parser.add_argument(option("judges"), type=int, default=200, help="judges (one client each)")
    parser.add_argument(option("groups"), type=int, default=20)
    parser.add_argument(option("entries"), type=int, default=30, help="entries per group")
    parser.add_argument(option("rounds"), type=int, default=3)
    parser.add_argument(option("criteria"), type=int, default=10)
    parser.add_argument(option("duration"), type=float, default=10.0, help="seconds per measured phase")
    parser.add_argument(option("repeats"), type=int, default=2, help="pairs of phases (ping, PUT)")
    parser.add_argument(option("warmup"), type=float, default=5.0, help="seconds of warm-up")
    parser.add_argument(
        option("pace"),
        type=float,
        default=2.0,
        help="seconds between a judge's PUTs in the paced phase (0: none)",
    )
    parser.add_argument(option("workers"), type=int, default=WORKERS)
    parser.add_argument(option("worker-class"), default=WORKER_CLASS, choices=("sync", "gthread"))
    parser.add_argument(option("threads"), type=int, default=THREADS, help="threads per gthread worker")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--engine", choices=("sqlite", "postgresql"), help="one engine only")
    parser.add_argument("--seed", type=int, default=2026)
    add_arguments(parser)
    args = parser.parse_args()
    signal.signal(signal.SIGTERM, lambda signum, _frame: sys.exit(128 + signum))  # clean-ups still run
    print(f"Sheet submission under gunicorn; {os.cpu_count()} cores, load average {os.getloadavg()[0]:.1f}")
    for engine in ("sqlite", "postgresql"):
        if args.engine and engine != args.engine:
            continue
        bench_engine(engine, args)
    return 0


if __name__ == "__main__":
    sys.exit(main())
