"""Results at scale (issue 9, Performance): ``python bench/results.py``, or ``bench/run.py --only results``.

For each engine, a throw-away database (a SQLite file in a temporary folder; on PostgreSQL
``bench_judging_<pid>``, made with ``createdb`` and dropped at the end whatever happens: the ``database`` of
``bench/judging.py``) gets the schema through the migrations and a provincial contest in ``scoring`` with one
group of ``--entries`` approved, drawn entries from 20 universities, ``--rounds`` rounds (the first live) of
``--criteria`` criteria of 10 points, trimming (highest and lowest dropped from 5 judges up), two decimals and
three awards (10%, 20%, 30%), and ``--judges`` judges on its panel: outside experts and judges of the first
universities, each recused from their own university's entries. The competition, its entries, the draw and the
panel go through the services; every judge's sheet of every entry they score is then written in bulk (Core
inserts into ``score_sheet`` and ``score_value``, ids chosen here, values drawn from the seed: a level per
entry, a lean per judge, noise per criterion). The group's stage shows the last entry revealed, every entry is
revealed, and the screen has its secret link.

Then two measurements:

- the leaderboard: ``services.results.compute`` of the group (the submitted totals in one query, the panel,
  then ``domain.results``: trimmed means, rounding, the final, ranking with ties, awards), with the
  competition read by its key as a request would, in a fresh session each run; the median of ``--runs`` runs
  after one warm-up, with the fastest and slowest (bar: 100 ms);
- the big screen's unchanged poll (304) against the ping endpoint under gunicorn: ``bench/screen_poll.py``
  (its options, ``--clients``, ``--duration``, ``--warmup``, ``--repeats``, ``--workers``, ... are this
  script's too; bar: the poll at 0.60 or more of the ping).
"""

from __future__ import annotations

import argparse
import os
import random
import secrets
import signal
import statistics
import sys
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
for folder in (ROOT, ROOT / "bench"):
    if str(folder) not in sys.path:
        sys.path.insert(0, str(folder))

import judging  # noqa: E402  (the throw-away, migrated databases; the verdicts)
import screen_poll  # noqa: E402  (the second measurement: the poll under gunicorn)
from run import _figure  # noqa: E402  (milliseconds as bench/run.py prints them)

ENTRIES, JUDGES, CRITERIA, ROUNDS = 500, 9, 10, 1
EXPERTS = 3  # of the judges, outside experts (no university); the others are judges of universities
LEADERBOARD_BAR_MS = 100.0


# --- the contest ------------------------------------------------------------------------------------------


@dataclass
class Contest:
    competition_id: int
    group_id: int
    round_ids: list[int]
    entries: int
    judges: int
    sheets: int
    token: str  # the screen's secret
    etag: str  # the live state's ETag, unchanged while nothing is written
    username: str  # the organizer, for the logged-in ping
    password: str

    @property
    def poll_path(self) -> str:
        return f"/api/v1/competitions/{self.competition_id}/live?group_id={self.group_id}&token={self.token}"


def _body(*, entries: int, rounds: int, criteria: int) -> dict:
    body = judging._body(groups=1, rounds=rounds, criteria=criteria)
    body["name"] = f"基准测试·{entries}人组成绩计算"
    body["groups"] = [{"name": "大组"}]
    body["rounds"][0]["mode"] = "live"
    body["scoring"] = {
        "trim_highest": 1,
        "trim_lowest": 1,
        "trim_min_judges": 5,
        "decimals": 2,
        "final": "weighted",
        "anomaly_threshold": 0.10,
        # A named round breaks ties first (the last one, when there are several).
        "tie_breakers": [body["rounds"][-1]["name"]] if rounds > 1 else [],
    }
    body["awards"] = [
        {"name": "一等奖", "ratio": 0.10},
        {"name": "二等奖", "ratio": 0.20},
        {"name": "三等奖", "ratio": 0.30},
    ]
    return body


def _own_people(entries: int, digest: str):
    """The organizer, 20 universities and ``entries`` staff of the contest's own (when none are given)."""
    from sqlalchemy import insert

    from competition.enums import PostCategory, Role
    from competition.extensions import db
    from competition.models import Department, RoleGrant, Staff, University, User

    organizer = User(username="bench_organizer", display_name="基准测试组织者", password_hash=digest)
    organizer.roles = [RoleGrant(role=Role.ORGANIZER)]
    db.session.add(organizer)
    universities = []
    for u in range(min(judging.UNIVERSITIES, entries)):
        university = University(code=f"BR{u + 1:02d}", name=f"基准测试大学{u + 1:02d}")
        university.departments.append(Department(name="测试学院"))
        db.session.add(university)
        universities.append(university)
    db.session.flush()
    db.session.execute(
        insert(Staff),
        [
            {
                "university_id": universities[k % len(universities)].id,
                "staff_no": f"{k:06d}",
                "name": f"参赛者{k:04d}",
                "department_id": universities[k % len(universities)].departments[0].id,
                "category": PostCategory.TEACHING_RESEARCH.value,
                "active": True,
            }
            for k in range(entries)
        ],
    )
    return organizer, universities


def build(
    *,
    entries: int = ENTRIES,
    judges: int = JUDGES,
    criteria: int = CRITERIA,
    rounds: int = ROUNDS,
    seed: int = 2026,
    organizer=None,
    entrants: list[tuple[int, int]] | None = None,
    judge_names: list[str] | None = None,
) -> Contest:
    """The scored contest in the current app context's database (committed); see the module's docstring.

    Among people who exist already (``bench/generate.py``'s province) when given ``organizer`` (an account),
    ``entrants`` ((staff id, university id) pairs) and ``judge_names`` (judge accounts); else its own."""
    from sqlalchemy import func, insert, select
    from werkzeug.security import generate_password_hash

    from competition.enums import CompetitionStatus, EntryStatus, Role, SheetStatus, StageScreen
    from competition.extensions import db
    from competition.models import Entry, RoleGrant, ScoreSheet, ScoreValue, Staff, StageReveal, User
    from competition.services import competitions, draw, live, panels, stage
    from competition.services.accounts import INITIAL_PASSWORD_METHOD
    from competition.services.panels import load_panel

    rng = random.Random(seed)
    password = secrets.token_urlsafe(12) if organizer is None else ""
    digest = generate_password_hash(password, method=INITIAL_PASSWORD_METHOD)  # cheap: the clients log in
    if organizer is not None:
        universities = []
    else:
        organizer, universities = _own_people(entries, digest)
    competition = competitions.create_competition(
        data=_body(entries=entries, rounds=rounds, criteria=criteria), by=organizer
    )
    competitions.transition(competition=competition, to=CompetitionStatus.REGISTRATION_OPEN, by=organizer)
    group = competition.groups[0]
    now = datetime.now(UTC).replace(tzinfo=None)
    everyone = select(Staff.id, Staff.university_id).order_by(Staff.staff_no)
    members = entrants if entrants is not None else db.session.execute(everyone).all()
    db.session.execute(
        insert(Entry),
        [
            {
                "competition_id": competition.id,
                "group_id": group.id,
                "staff_id": staff_id,
                "university_id": university_id,
                "status": EntryStatus.APPROVED.value,
                "created_by_id": organizer.id,
                "decided_at": now,
                "decided_by_id": organizer.id,
                "approved_at": now,
            }
            for staff_id, university_id in members
        ],
    )
    competitions.transition(competition=competition, to=CompetitionStatus.REGISTRATION_CLOSED, by=organizer)
    draw.run_draw(competition=competition, by=organizer, seed=rng.randrange(2**31))
    names = list(judge_names or [])
    for i in range(0 if judge_names is not None else judges):
        username = f"bench_judge_{i + 1:02d}"
        own = None if i < EXPERTS else universities[(i - EXPERTS) % len(universities)].id
        db.session.add(
            User(
                username=username,
                display_name=f"评委{i + 1:02d}",
                password_hash=digest,
                roles=[RoleGrant(role=Role.JUDGE, university_id=own)],
            )
        )
        names.append(username)
    db.session.flush()
    for username in names:
        panels.assign_judge(competition=competition, username=username, group_ids=[group.id], by=organizer)
    competitions.transition(competition=competition, to=CompetitionStatus.SCORING, by=organizer)

    # Every sheet, submitted, in bulk.
    panel = load_panel(competition)
    level = {e.entry_id: rng.uniform(0.55, 0.95) for e in panel.entries_of(group.id)}
    lean = {j.judge_id: rng.uniform(-0.03, 0.03) for j in panel.judges}
    criteria_of = {
        r.id: [(c.id, round(float(c.max_score) * 10)) for c in r.criteria] for r in competition.rounds
    }
    sheet_id = (db.session.scalar(select(func.max(ScoreSheet.id))) or 0) + 1
    sheets, values = [], []
    for round_ in competition.rounds:
        for judge in panel.judges:
            for entry in panel.scored_by(judge):
                total = 0
                for criterion_id, maximum in criteria_of[round_.id]:
                    share = level[entry.entry_id] + lean[judge.judge_id] + rng.uniform(-0.06, 0.06)
                    tenths = min(max(round(maximum * share), 0), maximum)
                    total += tenths
                    values.append(
                        {
                            "sheet_id": sheet_id,
                            "criterion_id": criterion_id,
                            "tenths": tenths,
                            "max_tenths": maximum,
                        }
                    )
                sheets.append(
                    {
                        "id": sheet_id,
                        "round_id": round_.id,
                        "entry_id": entry.entry_id,
                        "judge_id": judge.judge_id,
                        "status": SheetStatus.SUBMITTED.value,
                        "total_tenths": total,
                        "updated_at": now,
                        "submitted_at": now,
                    }
                )
                sheet_id += 1
    for table, rows in ((ScoreSheet, sheets), (ScoreValue, values)):
        for start in range(0, len(rows), 5_000):
            db.session.execute(insert(table), rows[start : start + 5_000])

    # The big screen: the last entry revealed, every entry revealed before, the secret link.
    first_round = competition.rounds[0]
    last = max(panel.entries_of(group.id), key=lambda e: e.draw_no or 0)
    stage.set_stage(
        competition=competition,
        group_id=group.id,
        round_id=first_round.id,
        entry_id=last.entry_id,
        screen=StageScreen.REVEAL.value,
        by=organizer,
    )
    db.session.execute(
        insert(StageReveal),
        [
            {
                "competition_id": competition.id,
                "group_id": group.id,
                "round_id": first_round.id,
                "entry_id": e.entry_id,
                "revealed_at": now,
            }
            for e in panel.entries_of(group.id)
            if e.entry_id != last.entry_id
        ],
    )
    token = live.screen_token(competition, group, by=organizer)
    db.session.commit()
    if db.engine.dialect.name == "postgresql":
        with db.engine.connect() as connection:  # as after any bulk load: fresh planner statistics
            connection.exec_driver_sql("ANALYZE")
    etag = live.poll_row(competition.id, group.id).etag
    return Contest(
        competition.id,
        group.id,
        [r.id for r in competition.rounds],
        len(level),
        len(panel.judges),
        len(sheets),
        token,
        etag,
        organizer.username,
        password,
    )


# --- the leaderboard --------------------------------------------------------------------------------------


def leaderboard(contest: Contest):
    """The group's leaderboard as a request computes it: the competition read by its key, then ``compute``."""
    from competition.extensions import db
    from competition.models import Competition
    from competition.services import results

    competition = db.session.get(Competition, contest.competition_id)
    return results.compute(competition, results.group_of(competition, contest.group_id))


def time_leaderboard(contest: Contest, runs: int, warmup: int = 1) -> tuple[list[float], list[float]]:
    """Milliseconds of ``runs`` leaderboards after ``warmup`` untimed ones, each in a fresh session: the wall
    time and this process's CPU time (the database server's, on PostgreSQL, is not in the latter)."""
    from competition.extensions import db

    times, cpu = [], []
    for i in range(warmup + runs):
        db.session.remove()
        start, start_cpu = time.perf_counter(), time.process_time()
        leaderboard(contest)
        elapsed, used = (time.perf_counter() - start) * 1000, (time.process_time() - start_cpu) * 1000
        if i >= warmup:
            times.append(elapsed)
            cpu.append(used)
    db.session.remove()
    return times, cpu


@dataclass
class Board:
    engine: str
    times_ms: list[float]
    cpu_ms: list[float] = field(default_factory=list)

    @property
    def median(self) -> float:
        return statistics.median(self.times_ms)

    @property
    def ok(self) -> bool:
        return self.median <= LEADERBOARD_BAR_MS


def report_board(board: Board, contest: Contest) -> None:
    runs = ", ".join(_figure(t) for t in board.times_ms)
    cpu = (
        f"; CPU of this process: median {_figure(statistics.median(board.cpu_ms))} ms" if board.cpu_ms else ""
    )
    print(
        f"leaderboard [{board.engine}]: median {_figure(board.median)} ms (bar {LEADERBOARD_BAR_MS:.0f} ms) "
        f"{judging._verdict(board.ok)}; fastest {_figure(min(board.times_ms))} ms, slowest "
        f"{_figure(max(board.times_ms))} ms{cpu}  ({contest.entries} entries × {contest.judges} judges × "
        f"{len(contest.round_ids)} round(s), {contest.sheets:,} sheets; runs: {runs})",
        flush=True,
    )


# --- one engine -------------------------------------------------------------------------------------------


def _prepare(engine: str, url: str, folder: str, args) -> tuple[Contest, Board | None]:
    """Schema, contest, and the leaderboard's timings (when asked for) in this process."""
    with judging.migrated(url, folder):
        contest = build(
            entries=args.entries,
            judges=args.judges,
            criteria=args.criteria,
            rounds=args.rounds,
            seed=args.seed,
        )
        board = Board(engine, *time_leaderboard(contest, args.runs)) if args.board else None
        return contest, board


def bench_engine(engine: str, args) -> tuple[Board | None, screen_poll.Polls | None] | None:
    """Build, time, serve, load, report one engine; None when the engine is not available."""
    with judging.database(engine) as target:
        if target is None:
            return None
        url, folder = target
        started = time.perf_counter()
        contest, board = _prepare(engine, url, folder, args)
        print(
            f"results set-up [{engine}]: {time.perf_counter() - started:.1f} s ({contest.entries} entries, "
            f"{contest.judges} judges, {args.criteria} criteria, {contest.sheets:,} sheets)",
            flush=True,
        )
        if board is not None:
            report_board(board, contest)
        polls = screen_poll.measure(engine, url, folder, contest, args) if args.poll else None
        return board, polls


def add_arguments(parser: argparse.ArgumentParser, *, prefix: str = "") -> None:
    """The options of this benchmark (``bench/run.py`` adds them with the prefix ``results-``)."""
    option = (lambda name: f"--{prefix}{name}") if prefix else (lambda name: f"--{name}")
    parser.add_argument(option("entries"), type=int, default=ENTRIES, help="entries of the group")
    parser.add_argument(option("judges"), type=int, default=JUDGES)
    parser.add_argument(option("criteria"), type=int, default=CRITERIA)
    parser.add_argument(option("rounds"), type=int, default=ROUNDS)
    screen_poll.add_arguments(parser, option)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--engine", choices=("sqlite", "postgresql"), help="one engine only")
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--runs", type=int, default=15, help="timed leaderboards (after one warm-up)")
    parser.add_argument("--only", choices=("leaderboard", "poll"), help="one of the two measurements")
    add_arguments(parser)
    args = parser.parse_args()
    args.board, args.poll = args.only in (None, "leaderboard"), args.only in (None, "poll")
    signal.signal(signal.SIGTERM, lambda signum, _frame: sys.exit(128 + signum))  # clean-ups still run
    print(f"Results at scale; {os.cpu_count()} cores, load average {os.getloadavg()[0]:.1f}", flush=True)
    for engine in ("sqlite", "postgresql"):
        if args.engine and engine != args.engine:
            continue
        bench_engine(engine, args)
    return 0


if __name__ == "__main__":
    sys.exit(main())
