"""The big screen's unchanged poll under gunicorn, against the ping endpoint: the second measurement of
``bench/results.py`` (``bench/run.py --only poll``), on the contest it builds.

Under gunicorn (``bench/judging.py``'s server: by default the README's ``-w 4`` sync workers), ``--clients``
clients in a closed loop (each sends its next request as soon as the last is answered), alternating phases of
``--duration`` seconds after ``--warmup`` seconds of both: ``GET /api/v1/ping`` (logged in: the session and
the user are loaded) and the big screen's unchanged poll ``GET /api/v1/competitions/{id}/live?group_id=
&token=`` with ``If-None-Match`` (no account; one row read, answered 304). It prints both rates and their
ratio (bar: the poll at 0.60 or more of the ping), the latencies, and the server's CPU time per request
(gunicorn and, on PostgreSQL, its server processes). A ping must be a 200 and a poll a 304; other answers are
counted and shown.

The client, the phases, gunicorn and the CPU reading are ``bench/judging.py``'s.
"""

from __future__ import annotations

import argparse
import asyncio
import itertools
import os
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

import judging

if TYPE_CHECKING:
    from results import Contest

RATIO_BAR = 0.60
CLIENTS = 50

Phase = judging.Phase  # the judging benchmark's phases (``exhausted`` stays 0: the requests never run out)


async def _run_phase(
    name: str, clients: list[judging.Client], path: str, expect: int, seconds: float
) -> Phase:
    """Every client sends ``GET path`` again as soon as its last one is answered, for ``seconds``; answers of
    status ``expect`` within the window are counted."""
    work = [itertools.repeat(("GET", path, None)) for _ in clients]
    return await judging._run_phase(name, clients, work, seconds, expect=expect)


async def _load(contest: Contest, port: int, args, server_cpu: Callable[[], float | None]) -> list[Phase]:
    pingers = [judging.Client(port) for _ in range(args.clients)]
    screens = [
        judging.Client(port, headers=(f'If-None-Match: "{contest.etag}"',)) for _ in range(args.clients)
    ]
    gate = asyncio.Semaphore(20)

    async def login(client: judging.Client) -> None:
        async with gate:
            await judging._login(client, contest.username, contest.password)

    await asyncio.gather(*(login(c) for c in pingers))
    ping, poll = "/api/v1/ping", contest.poll_path
    phases = []
    if args.warmup > 0:
        await asyncio.gather(
            _run_phase("warm-up", pingers, ping, 200, args.warmup / 2),
            _run_phase("warm-up", screens, poll, 304, args.warmup / 2),
        )

    async def measured(name: str, clients: list[judging.Client], path: str, expect: int) -> None:
        before = server_cpu()
        phase = await _run_phase(name, clients, path, expect, args.duration)
        after = server_cpu()
        if before is not None and after is not None:
            phase.cpu_seconds = after - before
        phases.append(phase)

    for _ in range(args.repeats):
        await measured("ping", pingers, ping, 200)
        await measured("poll", screens, poll, 304)
    for client in pingers + screens:
        await client.close()
    return phases


@dataclass
class Polls:
    engine: str
    poll_rate: float
    ping_rate: float
    poll_ms: tuple[float, float, float]  # p50, p95, p99
    ping_ms: tuple[float, float, float]
    errors: dict[str, int]
    poll_cpu_ms: float | None = None  # server CPU per answered request
    ping_cpu_ms: float | None = None

    @property
    def ratio(self) -> float:
        return self.poll_rate / self.ping_rate if self.ping_rate else float("nan")

    @property
    def ok(self) -> bool:
        return self.ratio >= RATIO_BAR


def summarise(engine: str, phases: list[Phase]) -> Polls:
    def named(name: str) -> list[Phase]:
        return [p for p in phases if p.name == name]

    def rate(chosen: list[Phase]) -> float:
        seconds = sum(p.seconds for p in chosen)
        return sum(len(p.latencies_ms) for p in chosen) / seconds if seconds else 0.0

    def cpu(chosen: list[Phase]) -> float | None:
        answered = sum(len(p.latencies_ms) for p in chosen)
        if not answered or any(p.cpu_seconds is None for p in chosen):
            return None
        return sum(p.cpu_seconds for p in chosen) * 1000 / answered

    errors: dict[str, int] = {}
    for phase in phases:
        for key, n in phase.errors.items():
            errors[key] = errors.get(key, 0) + n
    pings, polls = named("ping"), named("poll")
    return Polls(
        engine,
        poll_rate=rate(polls),
        ping_rate=rate(pings),
        poll_ms=judging._percentiles([t for p in polls for t in p.latencies_ms]),
        ping_ms=judging._percentiles([t for p in pings for t in p.latencies_ms]),
        errors=errors,
        poll_cpu_ms=cpu(polls),
        ping_cpu_ms=cpu(pings),
    )


def report_polls(polls: Polls, args) -> None:
    print(
        f"big-screen poll 304 [{polls.engine}]: poll {polls.poll_rate:,.0f} req/s, "
        f"ping {polls.ping_rate:,.0f} req/s, ratio {polls.ratio:.2f} (bar ≥ {RATIO_BAR:.2f}) "
        f"{judging._verdict(polls.ok)}",
        flush=True,
    )
    p50, _p95, p99 = polls.poll_ms
    q50, _q95, q99 = polls.ping_ms
    print(
        f"  latency ({args.clients} requests always in flight): poll p50 {p50:,.1f} ms, p99 {p99:,.1f} ms; "
        f"ping p50 {q50:,.1f} ms, p99 {q99:,.1f} ms",
        flush=True,
    )
    if polls.poll_cpu_ms and polls.ping_cpu_ms:
        where = "gunicorn and PostgreSQL" if polls.engine == "postgresql" else "gunicorn"
        print(
            f"  server CPU per request ({where}): poll {polls.poll_cpu_ms:.2f} ms, "
            f"ping {polls.ping_cpu_ms:.2f} ms, ratio {polls.ping_cpu_ms / polls.poll_cpu_ms:.2f} "
            "(in CPU time, which other work on the machine disturbs less)",
            flush=True,
        )
    print(
        f"  ({judging.server_words(args)}; {args.clients} logged-in clients for the ping, {args.clients} "
        f"screens without an account for the poll; {args.repeats} × {args.duration:g} s per endpoint after "
        f"{args.warmup:g} s of warm-up; load average {os.getloadavg()[0]:.1f})",
        flush=True,
    )
    if polls.errors:
        shown = "; ".join(f"{n} × {key}" for key, n in sorted(polls.errors.items(), key=lambda kv: -kv[1]))
        print(f"  unexpected answers: {shown}", flush=True)


def measure(engine: str, url: str, folder: str, contest: Contest, args) -> Polls:
    """Serve the database at ``url`` with gunicorn, load it with pings and polls, report: one engine."""
    with judging.gunicorn(url, folder, args) as (port, master):
        database_name = url.rsplit("/", 1)[-1] if engine == "postgresql" else None
        phases = asyncio.run(_load(contest, port, args, lambda: judging.server_cpu(master, database_name)))
    polls = summarise(engine, phases)
    report_polls(polls, args)
    return polls


def add_arguments(parser: argparse.ArgumentParser, option: Callable[[str], str]) -> None:
    """The options of this measurement, named by ``option`` (``bench/results.py``'s, with its prefix)."""
    parser.add_argument(option("clients"), type=int, default=CLIENTS, help="clients of each endpoint")
    parser.add_argument(option("duration"), type=float, default=10.0, help="seconds per measured phase")
    parser.add_argument(option("repeats"), type=int, default=2, help="pairs of phases (ping, poll)")
    parser.add_argument(option("warmup"), type=float, default=4.0, help="seconds of warm-up")
    parser.add_argument(option("workers"), type=int, default=judging.WORKERS)
    parser.add_argument(option("worker-class"), default=judging.WORKER_CLASS, choices=("sync", "gthread"))
    parser.add_argument(
        option("threads"), type=int, default=judging.THREADS, help="threads per gthread worker"
    )
