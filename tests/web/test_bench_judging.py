"""The sheet-submission benchmark (bench/judging.py) at a tiny scale: its contest, its requests, its figures.

Nothing here times anything: gunicorn and the load generator are what ``make bench`` runs; this checks that
the set-up the benchmark builds is one the app answers 200 to, through the same endpoints.
"""

from __future__ import annotations

import random
import sys
from pathlib import Path

from sqlalchemy import func, select

from competition.extensions import db
from competition.models import Competition, Entry, RoleGrant, ScoreSheet, User
from tests.builders import api_login_as

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "bench"))
import judging as bench  # noqa: E402


def test_every_judge_gets_sheets_of_their_group_never_of_their_university(ctx):
    plan = bench.build(judges=4, groups=2, entries=3, rounds=2, criteria=3)

    competition = db.session.get(Competition, plan.competition_id)
    assert competition.status == "scoring" and competition.level == "provincial"
    assert len(competition.rounds) == 2 and all(len(r.criteria) == 3 for r in competition.rounds)
    assert db.session.scalar(select(func.count()).where(Entry.draw_no.is_not(None))) == 6
    assert [j.username for j in plan.judges] == [f"bench_judge_{i:03d}" for i in range(1, 5)]
    for judge in plan.judges:
        assert judge.sheets and len(set(judge.sheets)) == len(judge.sheets)
        own = db.session.scalar(
            select(RoleGrant.university_id).join(User).where(User.username == judge.username)
        )
        entries = db.session.scalars(select(Entry).where(Entry.id.in_({e for _, e in judge.sheets}))).all()
        assert len({e.group_id for e in entries}) == 1
        assert all(e.university_id != own for e in entries)  # 回避
        assert {r for r, _ in judge.sheets} == set(plan.criteria)
    # Judges 1, 3 and 4 sit with an entrant of their own university: they score one entry fewer per round.
    assert [len(j.sheets) for j in plan.judges] == [4, 6, 4, 4]


def test_the_benchmark_requests_are_answered_200(app, ctx):
    plan = bench.build(judges=2, groups=1, entries=3, rounds=1, criteria=4)
    judge = plan.judges[0]
    client = app.test_client()
    assert client.get("/api/v1/ping").status_code == 401  # the same log-in requirement as every API call

    token = api_login_as(client, judge.username, plan.password)
    answer = client.get("/api/v1/ping")
    assert answer.status_code == 200 and answer.get_json() == {"pong": True}
    statuses = []
    for path, body in bench.sheet_requests(plan, judge, random.Random(1)):
        answer = client.put(path, json=body, headers={"X-CSRFToken": token})
        assert answer.status_code == 200, answer.get_data(as_text=True)
        statuses.append(answer.get_json()["status"])
    assert statuses == ["draft", "submitted"] * len(judge.sheets)
    submitted = db.session.scalar(
        select(func.count()).where(ScoreSheet.status == "submitted", ScoreSheet.round_id.in_(plan.criteria))
    )
    assert submitted == len(judge.sheets)


def test_the_figures_come_from_the_phases():
    ping = bench.Phase("ping", 2.0, latencies_ms=[10.0] * 100, cpu_seconds=0.2)
    put = bench.Phase("sheet PUT", 2.0, latencies_ms=[float(t) for t in range(1, 41)], cpu_seconds=0.4)
    paced = bench.Phase("paced PUT", 2.0, latencies_ms=[5.0] * 10, errors={"409 already_submitted": 1})
    result = bench.summarise("sqlite", [ping, put, paced])

    assert (result.ping_rate, result.put_rate, result.ratio) == (50.0, 20.0, 0.4)
    assert result.put_ms[0] == 20.5 and result.put_ms[2] < 40
    assert (result.ping_cpu_ms, result.put_cpu_ms) == (2.0, 10.0)
    assert result.paced_rate == 5.0 and result.paced_ms == (5.0, 5.0, 5.0)
    assert result.errors == {"409 already_submitted": 1}
    assert "-w 4 -k sync" in " ".join(bench.gunicorn_command(8000, workers=4, worker_class="sync", threads=1))
