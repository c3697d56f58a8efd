"""Answer saving under gunicorn (issue 11, Performance): ``python bench/exam_answers.py``, or ``bench/run.py
--only answers``.

2,000 staff of one university sitting a written test in the same ten minutes must not slow the platform. For
each engine, a throw-away database (a SQLite file in a temporary folder; on PostgreSQL
``bench_judging_<pid>``, made with ``createdb`` and dropped at the end whatever happens: the ``database`` of
``bench/judging.py``) gets the schema through the migrations and, through the services, a drill of one
university with ``--entrants`` approved entrants (staff and entries in bulk) and one exam round (a bank of
150 questions, papers of 20 single, 10 multiple and 10 true/false questions, two hours to answer, the window
open); ``--clients`` of the entrants get a staff account each, and each of them starts an attempt
beforehand through ``services.exams.start_attempt`` (their papers as the phone gets them: ``phone_paper``).

The app is then served by gunicorn on a free port of 127.0.0.1 (``--workers``, ``--worker-class``,
``--threads``; by default the README's ``-w 4`` sync workers), and the load generator of ``bench/judging.py``
(asyncio and plain HTTP/1.1, one connection per person) logs every client in with a session cookie and a CSRF
token of their own. Every phase bounded in time, as in ``bench/judging.py``:

- warm-up: ``--warmup`` seconds of both endpoints, not counted;
- ``--repeats`` times: ``GET /api/v1/ping`` for ``--duration`` seconds, then as long
  ``PUT /api/v1/attempts/{id}/answers`` with one answer (``{"answers": {"<question id>": ["B"]}}``: the phone
  saves every answer as it is chosen), each client going through their paper question after question (and
  round again, changing their mind: the answers are merged and the row really written); each client sends
  again as soon as answered (a closed loop: ``--clients`` requests always in flight), which gives each
  endpoint's capacity;
- paced: ``--duration`` seconds with each client saving every ``--pace`` seconds on average (people reading
  and choosing).

It prints both rates and their ratio (bar ≥ 0.30), the PUT latencies of the paced phase (bar: p99 < 250 ms)
and of the closed loop, and the server's CPU time per request (gunicorn and, on PostgreSQL, its server
processes). Every answer must be a 200; others are counted and shown.
"""

from __future__ import annotations

import argparse
import asyncio
import itertools
import os
import random
import secrets
import signal
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
for folder in (ROOT, ROOT / "bench"):
    if str(folder) not in sys.path:
        sys.path.insert(0, str(folder))

import judging  # noqa: E402  (the client, the phases, gunicorn, the databases, the figures)
from item_analysis import add_staff, approve_everyone, bank_items  # noqa: E402  (the same shapes)

ENTRANTS, CLIENTS = 2_000, 200
PAPER = [
    {"type": "single", "count": 20, "points": 2},
    {"type": "multiple", "count": 10, "points": 3},
    {"type": "true_false", "count": 10, "points": 1},
]


@dataclass
class Sitter:
    username: str
    attempt_id: int
    questions: list[tuple[int, str, int]]  # (question id, type, number of options), in the paper's order


@dataclass
class Sitting:
    password: str
    sitters: list[Sitter]
    competition_id: int
    round_id: int


def _body(now: datetime) -> dict:
    body = judging._body(groups=1, rounds=1, criteria=1)
    body.update(name="基准测试·全校岗位知识笔试", level="school", university="BA01")
    body["groups"] = [{"name": "教职工组"}]
    window = {
        "opens": (now - timedelta(hours=1)).isoformat(),
        "closes": (now + timedelta(days=1)).isoformat(),
    }
    exam = {"minutes": 120, "show_answers": False, "attempts": 1, "multiple_partial": 0.5, "paper": PAPER}
    body["rounds"] = [{"name": "笔试", "weight": 1, "kind": "exam", "exam": {**exam, **window}}]
    return body


def build(*, entrants: int = ENTRANTS, clients: int = CLIENTS, seed: int = 2026) -> Sitting:
    """The drill, its entrants, the clients' accounts and their attempts in the current app context's database
    (committed); what each client answers."""
    from sqlalchemy import select
    from werkzeug.security import generate_password_hash

    from competition.enums import CompetitionStatus, Role
    from competition.extensions import db
    from competition.models import Department, RoleGrant, Staff, University, User
    from competition.services import competitions, exam_bank, exams
    from competition.services.accounts import INITIAL_PASSWORD_METHOD

    password = secrets.token_urlsafe(12)
    digest = generate_password_hash(password, method=INITIAL_PASSWORD_METHOD)  # cheap: 200 log-ins
    university = University(code="BA01", name="基准测试大学")
    university.departments.append(Department(name="后勤保障处"))
    admin = User(username="bench_admin", display_name="基准测试大学工会", password_hash=digest)
    db.session.add(university)
    db.session.flush()
    admin.roles = [RoleGrant(role=Role.UNIVERSITY_ADMIN, university_id=university.id)]
    db.session.add(admin)
    add_staff([university], entrants)
    competition = competitions.create_competition(data=_body(datetime.now(UTC)), by=admin)
    round_ = competition.rounds[0]
    exam_bank.import_bank_json(round_=round_, items=bank_items(150), by=admin)
    competitions.transition(competition=competition, to=CompetitionStatus.REGISTRATION_OPEN, by=admin)
    approve_everyone(competition, admin)
    members = db.session.execute(select(Staff.id, Staff.staff_no).order_by(Staff.staff_no)).all()
    chosen = random.Random(seed).sample(members, min(clients, len(members)))
    users = []
    for staff_id, staff_no in chosen:
        grant = RoleGrant(role=Role.STAFF, university_id=university.id, staff_id=staff_id)
        user = User(username=f"BA01{staff_no}", display_name=f"答题者{staff_no}", password_hash=digest)
        user.roles = [grant]
        db.session.add(user)
        users.append(user)
    db.session.flush()
    sitters = []
    for user in users:
        attempt, _created = exams.start_attempt(round_=round_, user=user)
        paper = [(q["id"], q["type"], len(q["options"])) for q in exams.phone_paper(attempt)]
        sitters.append(Sitter(user.username, attempt.id, paper))
    db.session.commit()
    if db.engine.dialect.name == "postgresql":
        with db.engine.connect() as connection:  # as after any bulk load: fresh planner statistics
            connection.exec_driver_sql("ANALYZE")
    return Sitting(password, sitters, competition.id, round_.id)


def answer_requests(sitter: Sitter, rng: random.Random) -> Iterator[tuple[str, str, dict]]:
    """The sitter's saves, one answer each, question after question and round again (never-ending)."""
    path = f"/api/v1/attempts/{sitter.attempt_id}/answers"
    for qid, type_, options in itertools.cycle(sitter.questions):
        keys = "ABCDEF"[:options]
        if type_ == "multiple":
            chosen = sorted(rng.sample(keys, rng.randint(1, min(3, options))))
        else:
            chosen = [rng.choice(keys)]
        yield "PUT", path, {"answers": {str(qid): chosen}}


async def _load(sitting: Sitting, port: int, args, server_cpu=lambda: None) -> list[judging.Phase]:
    clients = [judging.Client(port) for _ in sitting.sitters]
    gate = asyncio.Semaphore(20)

    async def login(client: judging.Client, sitter: Sitter) -> None:
        async with gate:
            await judging._login(client, sitter.username, sitting.password)

    await asyncio.gather(*(login(c, s) for c, s in zip(clients, sitting.sitters, strict=True)))
    puts = [answer_requests(s, random.Random(f"{args.seed}-{s.username}")) for s in sitting.sitters]
    phases: list[judging.Phase] = []
    if args.warmup > 0:
        await judging._run_phase(
            "warm-up", clients, [judging._mixed(judging._pings(), p) for p in puts], args.warmup
        )

    async def measured(name: str, work: list[Iterator], pace: float = 0.0) -> None:
        before = server_cpu()
        phase = await judging._run_phase(name, clients, work, args.duration, pace=pace)
        after = server_cpu()
        if before is not None and after is not None:
            phase.cpu_seconds = after - before
        phases.append(phase)

    for _ in range(args.repeats):
        await measured("ping", [judging._pings() for _ in clients])
        await measured("sheet PUT", puts)  # named as judging.summarise reads it: here, answer saving
    if args.pace > 0:
        await measured("paced PUT", puts, args.pace)
    for client in clients:
        await client.close()
    return phases


def report(result: judging.Result, args, sitting: Sitting) -> None:
    v = judging._verdict
    clients = len(sitting.sitters)
    print(
        f"answer saving [{result.engine}]: PUT {result.put_rate:,.0f} req/s, "
        f"ping {result.ping_rate:,.0f} req/s, ratio {result.ratio:.2f} (bar {judging.RATIO_BAR:.2f}) "
        f"{v(result.ratio_ok)}",
        flush=True,
    )
    if result.paced_ms is not None:
        r50, r95, r99 = result.paced_ms
        print(
            f"  PUT latency, {clients} people each saving an answer every {args.pace:g} s on average "
            f"({clients / args.pace:,.0f} req/s offered, {result.paced_rate:,.0f} answered): "
            f"p50 {r50:,.0f} ms, p95 {r95:,.0f} ms, p99 {r99:,.0f} ms (bar {judging.P99_BAR_MS:.0f} ms) "
            f"{v(result.latency_ok)}",
            flush=True,
        )
    p50, p95, p99 = result.put_ms
    q50, _q95, q99 = result.ping_ms
    print(
        f"  latency at saturation ({clients} requests always in flight): PUT p50 {p50:,.0f} ms, "
        f"p95 {p95:,.0f} ms, p99 {p99:,.0f} ms; ping p50 {q50:,.0f} ms, p99 {q99:,.0f} ms",
        flush=True,
    )
    if result.put_cpu_ms and result.ping_cpu_ms:
        where = "gunicorn and PostgreSQL" if result.engine == "postgresql" else "gunicorn"
        print(
            f"  server CPU per request ({where}): PUT {result.put_cpu_ms:.1f} ms, "
            f"ping {result.ping_cpu_ms:.1f} ms, ratio {result.ping_cpu_ms / result.put_cpu_ms:.2f}",
            flush=True,
        )
    print(
        f"  ({judging.server_words(args)}; {clients} of {args.entrants:,} entrants logged in, one client "
        f"each, papers of 40 questions; {args.repeats} × {args.duration:g} s per endpoint after "
        f"{args.warmup:g} s of warm-up; load average {os.getloadavg()[0]:.1f})",
        flush=True,
    )
    if result.errors:
        shown = "; ".join(f"{n} × {key}" for key, n in sorted(result.errors.items(), key=lambda kv: -kv[1]))
        print(f"  answers other than 200: {shown}", flush=True)


def bench_engine(engine: str, args) -> judging.Result | None:
    """Build, serve, load, report one engine; None when the engine is not available."""
    with judging.database(engine) as target:
        if target is None:
            return None
        url, folder = target
        started = time.perf_counter()
        with judging.migrated(url, folder):
            sitting = build(entrants=args.entrants, clients=args.clients, seed=args.seed)
        print(
            f"answer saving set-up [{engine}]: {time.perf_counter() - started:.1f} s "
            f"({args.entrants:,} entrants, {len(sitting.sitters)} attempts started)",
            flush=True,
        )
        with judging.gunicorn(url, folder, args) as (port, master):
            database_name = url.rsplit("/", 1)[-1] if engine == "postgresql" else None
            phases = asyncio.run(
                _load(sitting, port, args, lambda: judging.server_cpu(master, database_name))
            )
        result = judging.summarise(engine, phases)
        report(result, args, sitting)
        return result


def add_arguments(parser: argparse.ArgumentParser, *, prefix: str = "") -> None:
    """The options of this benchmark (``bench/run.py`` adds them with the prefix ``answers-``)."""
    option = (lambda name: f"--{prefix}{name}") if prefix else (lambda name: f"--{name}")
    parser.add_argument(option("entrants"), type=int, default=ENTRANTS, help="approved entrants")
    parser.add_argument(
        option("clients"), type=int, default=CLIENTS, help="people answering (one client each)"
    )
    parser.add_argument(option("duration"), type=float, default=10.0, help="seconds per measured phase")
    parser.add_argument(option("repeats"), type=int, default=2, help="pairs of phases (ping, PUT)")
    parser.add_argument(option("warmup"), type=float, default=5.0, help="seconds of warm-up")
    parser.add_argument(
        option("pace"), type=float, default=2.0, help="seconds between a person's saves in the paced phase"
    )
    parser.add_argument(option("workers"), type=int, default=judging.WORKERS)
    parser.add_argument(option("worker-class"), default=judging.WORKER_CLASS, choices=("sync", "gthread"))
    parser.add_argument(
        option("threads"), type=int, default=judging.THREADS, help="threads per gthread worker"
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--engine", choices=("sqlite", "postgresql"), help="one engine only")
    parser.add_argument("--seed", type=int, default=2026)
    add_arguments(parser)
    args = parser.parse_args()
    signal.signal(signal.SIGTERM, lambda signum, _frame: sys.exit(128 + signum))  # clean-ups still run
    print(f"Answer saving under gunicorn; {os.cpu_count()} cores, load average {os.getloadavg()[0]:.1f}")
    for engine in ("sqlite", "postgresql"):
        if args.engine and engine != args.engine:
            continue
        bench_engine(engine, args)
    return 0


if __name__ == "__main__":
    sys.exit(main())
