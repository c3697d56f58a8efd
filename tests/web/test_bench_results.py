"""The results benchmark (bench/results.py, bench/screen_poll.py) at a tiny scale: its contest, leaderboard,
requests and figures.

Nothing here times anything against a bar: gunicorn and the load generator are what ``make bench`` runs; this
checks that what the benchmark builds and measures is what the app computes and answers.
"""

from __future__ import annotations

import sys
from decimal import Decimal
from pathlib import Path

from sqlalchemy import func, select

from competition.extensions import db
from competition.models import Competition, Entry, JudgeAssignment, ScoreSheet, ScoreValue, StageReveal
from tests.builders import api_login_as

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "bench"))
import results as bench  # noqa: E402
import screen_poll  # noqa: E402


def test_the_contest_is_scored_in_full_with_recusals(ctx):
    contest = bench.build(entries=20, judges=5, criteria=3)

    competition = db.session.get(Competition, contest.competition_id)
    assert competition.status == "scoring" and competition.level == "provincial"
    assert (competition.trim_highest, competition.trim_lowest, competition.trim_min_judges) == (1, 1, 5)
    assert [(a.name, a.ratio) for a in competition.awards] == [
        ("一等奖", Decimal("0.1")),
        ("二等奖", Decimal("0.2")),
        ("三等奖", Decimal("0.3")),
    ]
    assert len(competition.rounds) == 1 and len(competition.rounds[0].criteria) == 3
    entries = db.session.scalars(select(Entry).where(Entry.group_id == contest.group_id)).all()
    assert sorted(e.draw_no for e in entries) == list(range(1, 21))
    seats = db.session.scalar(select(func.count()).where(JudgeAssignment.group_id == contest.group_id))
    assert seats == contest.judges == 5
    # Three outside experts score every entry; the judges of BR01 and BR02 skip their own (one of 20 each).
    assert contest.sheets == 20 * 5 - 2 == db.session.scalar(select(func.count()).select_from(ScoreSheet))
    assert db.session.scalar(select(func.count()).select_from(ScoreValue)) == contest.sheets * 3
    statuses = set(db.session.scalars(select(ScoreSheet.status)))
    assert statuses == {"submitted"}
    # Each sheet's total is the sum of its values, each within its maximum.
    mismatched = db.session.scalar(
        select(func.count())
        .select_from(ScoreSheet)
        .where(
            ScoreSheet.total_tenths
            != select(func.sum(ScoreValue.tenths))
            .where(ScoreValue.sheet_id == ScoreSheet.id)
            .scalar_subquery()
        )
    )
    assert mismatched == 0
    assert db.session.scalar(select(func.count()).where(ScoreValue.tenths > ScoreValue.max_tenths)) == 0
    assert db.session.scalar(select(func.count()).select_from(StageReveal)) == 20


def test_the_leaderboard_it_times_trims_ranks_and_awards(ctx):
    contest = bench.build(entries=20, judges=5, criteria=3)

    times, cpu = bench.time_leaderboard(contest, runs=2)
    assert len(times) == len(cpu) == 2 and all(t > 0 for t in times)
    board = bench.leaderboard(contest).board
    assert len(board.rows) == 20 and board.complete
    trimmed = [row.rounds[0] for row in board.rows if len(row.rounds[0].totals) == 5]
    untrimmed = [row.rounds[0] for row in board.rows if len(row.rounds[0].totals) == 4]
    assert len(trimmed) == 18 and len(untrimmed) == 2  # BR01's and BR02's entrants: four judges, no trimming
    assert all(len(r.dropped_high) == 1 and len(r.dropped_low) == 1 for r in trimmed)
    assert all(not r.dropped_high and not r.dropped_low for r in untrimmed)
    ranks = [row.rank for row in board.rows]
    assert ranks[0] == 1 and ranks == sorted(ranks)
    finals = [row.final for row in board.rows]
    assert finals == sorted(finals, reverse=True) and all(Decimal(0) < f <= Decimal(100) for f in finals)
    awards = [row.award for row in board.rows]
    # c = half-up(cumulative ratio × 20) = 2, 6, 12: at least so many (a tie at a boundary takes the better).
    assert awards[:2] == ["一等奖", "一等奖"] and awards.count(None) <= 8
    assert sum(1 for a in awards if a is not None) >= 12


def test_the_poll_and_the_ping_are_answered_as_the_benchmark_expects(app, ctx):
    contest = bench.build(entries=20, judges=5, criteria=3)
    screen = app.test_client()

    first = screen.get(contest.poll_path)
    assert first.status_code == 200
    assert first.headers["ETag"] == f'"{contest.etag}"'
    state = first.get_json()
    assert state["screen"] == "reveal" and state["on_stage"]["draw_no"] == 20
    assert len(state["leaderboard"]) == 20 and state["leaderboard"][0]["rank"] == 1
    unchanged = screen.get(contest.poll_path, headers={"If-None-Match": f'"{contest.etag}"'})
    assert unchanged.status_code == 304 and unchanged.get_data() == b""
    assert screen.get(contest.poll_path.replace(contest.token, "forged")).status_code == 403

    pinger = app.test_client()
    assert pinger.get("/api/v1/ping").status_code == 401
    api_login_as(pinger, contest.username, contest.password)
    assert pinger.get("/api/v1/ping").get_json() == {"pong": True}


def test_the_figures_come_from_the_phases():
    ping = screen_poll.Phase("ping", 2.0, latencies_ms=[10.0] * 100, cpu_seconds=0.4)
    poll = screen_poll.Phase("poll", 2.0, latencies_ms=[4.0] * 160, errors={"200 {}": 2}, cpu_seconds=0.32)
    warm = screen_poll.Phase("warm-up", 1.0, latencies_ms=[1.0] * 1000)
    polls = screen_poll.summarise("sqlite", [warm, ping, poll])

    assert (polls.ping_rate, polls.poll_rate, polls.ratio) == (50.0, 80.0, 1.6) and polls.ok
    assert polls.poll_ms == (4.0, 4.0, 4.0) and polls.ping_ms == (10.0, 10.0, 10.0)
    assert (polls.ping_cpu_ms, polls.poll_cpu_ms) == (4.0, 2.0)
    assert polls.errors == {"200 {}": 2}
    slow = screen_poll.summarise("sqlite", [ping, screen_poll.Phase("poll", 2.0, latencies_ms=[1.0] * 50)])
    assert slow.ratio == 0.5 and not slow.ok
    board = bench.Board("postgresql", [120.0, 80.0, 90.0], [40.0, 41.0, 39.0])
    assert board.median == 90.0 and board.ok
    assert not bench.Board("sqlite", [120.0, 101.0, 90.0]).ok
