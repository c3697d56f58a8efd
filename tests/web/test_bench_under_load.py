"""The pages-under-load benchmark (bench/under_load.py) at a tiny scale: what it builds beside the province,
the pages it fetches, its figures.

Nothing here times anything or starts gunicorn (that is ``make bench``): this checks that the builders of the
judging and answers benchmarks, run beside a generated province, take only the staff they add, that every
page answers its user 200, and that the figures come from the fetches and the access log.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from sqlalchemy import func, select

from competition.extensions import db
from competition.models import Competition, Entry, University
from tests.builders import api_login_as

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "bench"))
import generate  # noqa: E402
import under_load as bench  # noqa: E402

TINY = {"judges": 4, "groups": 2, "entries": 3, "rounds": 1, "criteria": 2, "entrants": 12, "sitters": 3}


def _entries_by_university_code(competition_id: int) -> dict[str, int]:
    rows = db.session.execute(
        select(University.code, func.count())
        .join(Entry, Entry.university_id == University.id)
        .where(Entry.competition_id == competition_id)
        .group_by(University.code)
    ).all()
    return dict(rows)


def test_beside_the_province_every_page_answers_its_user(app, ctx):
    counts = generate.generate(scale=0.01, year=2026)
    before = db.session.scalar(select(func.count()).select_from(Entry))
    setting = bench.build(bench.options(argparse.Namespace(**TINY)))

    # The contest's entrants are the judging benchmark's own staff, never the province's.
    contest = _entries_by_university_code(setting.plan.competition_id)
    assert sum(contest.values()) == 6 and all(code.startswith("BJ") for code in contest)
    quiz = _entries_by_university_code(setting.sitting.competition_id)
    assert quiz == {"BA01": 12} and len(setting.sitting.sitters) == 3
    province = db.session.scalar(
        select(func.count()).where(
            Entry.competition_id.not_in([setting.plan.competition_id, setting.sitting.competition_id])
        )
    )
    assert province == before
    assert db.session.get(Competition, setting.plan.competition_id).status == "scoring"

    paths = [page.path for page in setting.pages]
    assert paths[0] == "/api/v1/ping" and paths[3] == "/coverage/?year=2026"
    assert paths[1] == f"/staff/{counts['largest_university']}/"
    assert paths[4] == f"/coverage/{counts['largest_university']}?year=2026"
    clients = {}
    for page in setting.pages:
        if page.user not in clients:
            clients[page.user] = app.test_client()
            api_login_as(clients[page.user], page.user, setting.password)
        answer = clients[page.user].get(page.path)
        assert answer.status_code == 200, (page.path, answer.status_code)
        assert page.path == "/api/v1/ping" or b"<html" in answer.data


def test_the_figures_come_from_the_fetches_and_the_access_log(tmp_path):
    pages = [bench.Page("ping", "/api/v1/ping", "o", None), bench.Page("list", "/staff/U01/", "a", 100.0)]
    idle = bench.Fetches({"ping": [2.0] * 10, "list": [20.0] * 9 + [60.0]})
    loaded = bench.Fetches({"ping": [5.0] * 10, "list": [30.0] * 9 + [500.0]})
    ping, listing = bench.summarise("sqlite", pages, idle, loaded)

    assert (ping.median_ms, ping.p99_ms, ping.bar_ms, ping.ok) == (5.0, 5.0, None, True)
    assert listing.median_ms == 30.0 and 400 < listing.p99_ms < 500
    assert listing.bar_ms == 400.0 and not listing.ok  # p99 under load over 4 × the 100 ms bar
    assert 20 < listing.idle_p99_ms < 60 and listing.samples == 10
    assert "without load p99" in listing.spread

    log = tmp_path / "access.log"
    log.write_text(
        "<11>|/staff/U01/|200|25000\n<12>|/api/v1/rounds/3/entries/7/sheet|200|1500\n<11>|/staff/U01/|200|35000\n"
    )
    times, workers = bench._server_ms(log, (0, log.stat().st_size))
    assert times["/staff/U01/"] == [25.0, 35.0]
    assert times["/api/v1/rounds/3/entries/7/sheet"] == times["*/sheet"] == [1.5]  # each save, and its kind
    assert workers == {"<11>": 2, "<12>": 1}


def test_options_take_the_quick_values_then_the_given_ones():
    quick = bench.options(argparse.Namespace(quick=True, duration=7.0, workers=None))
    assert (quick.scale, quick.duration, quick.workers, quick.judges) == (0.1, 7.0, 4, 200)
    full = bench.options(argparse.Namespace())
    assert (full.scale, full.duration, full.pace, full.worker_class) == (1.0, 60.0, 2.0, "sync")
